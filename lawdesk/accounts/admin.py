from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from lawdesk.accounts import services
from lawdesk.accounts.models import SEPARATED_ROLES, Role, RoleAssignment, User


class RoleAssignmentFormSet(BaseInlineFormSet):
    """Refuses giving one account two of the system, audit and security administrator roles, also when both
    rows are added in the same save (三员分立)."""

    def clean(self) -> None:
        super().clean()
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        separated = sorted({r for r in roles if r in SEPARATED_ROLES})
        if len(separated) > 1:
            names = "、".join(str(Role(r).label) for r in separated)
            raise ValidationError(
                f"三员分立：系统管理员、审计人员、安全管理员须由不同账号担任，不能同时担任{names}。"
            )


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    extra = 0
    autocomplete_fields = ["node", "institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "staff_category", "is_active", "is_demo", "password_changed_at"]
    list_filter = ["staff_category", "is_active", "is_demo", "roles__role"]
    search_fields = ["username", "full_name", "phone"]
    readonly_fields = ["password_changed_at"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "公共法律服务",
            {"fields": ("full_name", "phone", "staff_category", "is_demo", "password_changed_at")},
        ),
    )
    inlines = [RoleAssignmentInline]
    actions = ["deactivate", "unlock", "reset_otp"]

    def _each(self, request: HttpRequest, queryset: QuerySet[User], service: Any, done: str) -> None:
        count = 0
        for user in queryset:
            try:
                service(actor=request.user, user=user)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            count += 1
        self.message_user(request, f"{done}：{count} 个账号。", messages.SUCCESS)

    @admin.action(description="停用账号（立即结束其所有会话）")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, services.user_deactivate, "已停用")

    @admin.action(description="解除登录锁定（安全管理员）")
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, services.account_unlock, "已解除锁定")

    @admin.action(description="重置动态口令（安全管理员）")
    def reset_otp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, services.otp_reset, "已重置动态口令")
