"""Accounts in the Django admin, under the separation of duties (三员分立).

- The system admin adds accounts and changes the ordinary ones and their ordinary roles; an auditor's or a
  security admin's account (``security.is_protected_account``) is read-only to them: no change, no password,
  no deletion, no roles. They never set another user's password or second factor.
- The security admin sees every account read-only and acts on its security: 重置密码 (the user must change it at
  the next login), 重置动态口令, 解除登录锁定, 停用; and grants or withdraws the auditor and security admin roles
  and the roles of those accounts. Every act goes through ``lawdesk.accounts.services`` (audited), and the site
  writes an ``admin.*`` audit row for every change besides.
- Second-factor devices are listed without their secret: no key, no QR code, nothing to change. A secret is
  shown once, to its owner, at setup (``/accounts/otp/setup/``).
- Login lockouts (django-axes) are read-only; deleting an attempt lifts a lockout, so only the security admin may.
"""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.helpers import AdminForm
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import services
from lawdesk.accounts.models import SEPARATED_ROLES, Role, RoleAssignment, User
from lawdesk.accounts.security import SECURITY, SYSTEM, admin_role


def _role(request: HttpRequest) -> str | None:
    """The acting admin (``security.admin_role``), worked out once per request."""
    if not hasattr(request, "_lawdesk_admin_role"):
        setattr(request, "_lawdesk_admin_role", admin_role(request.user))  # noqa: B010
    role: str | None = getattr(request, "_lawdesk_admin_role")  # noqa: B009
    return role


class RoleAssignmentFormSet(BaseInlineFormSet):
    """Refuses giving one account two of the system, audit and security administrator roles, also when both
    rows are added in the same save (三员分立), and any row the acting admin may not grant or withdraw."""

    actor: Any = None

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
        if self.actor is None:
            return
        refusals: list[str] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not form.has_changed():
                continue
            touched: list[str] = []
            stored = RoleAssignment.objects.filter(pk=form.instance.pk).first() if form.instance.pk else None
            if stored is not None:
                touched.append(stored.role)  # withdrawn, or changed into another row
            if not data.get("DELETE") and data.get("role"):
                touched.append(data["role"])
            for role in touched:
                refusal = services.role_refusal(actor=self.actor, user=self.instance, role=role)
                if refusal and refusal not in refusals:
                    refusals.append(refusal)
        if refusals:
            raise ValidationError(refusals)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    extra = 0
    autocomplete_fields = ["node", "institution"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user  # type: ignore[attr-defined]  # a class made for this request
        return formset

    def _may(self, request: HttpRequest) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)


class PasswordResetForm(AdminPasswordChangeForm):
    """The security admin's reset of another user's password, through ``services.password_reset``."""

    actor: Any = None

    def save(self, commit: bool = True) -> Any:
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data.get("password1") if usable else None
        services.password_reset(actor=self.actor, user=self.user, password=password)
        return self.user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "staff_category", "is_active", "is_demo", "password_changed_at"]
    list_filter = ["staff_category", "is_active", "is_demo", "roles__role"]
    search_fields = ["username", "full_name", "phone"]
    readonly_fields = ["password_changed_at", "password_note", "password_reset_link"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "公共法律服务",
            {"fields": ("full_name", "phone", "staff_category", "is_demo", "password_changed_at")},
        ),
    )
    inlines = [RoleAssignmentInline]
    actions = ["deactivate", "unlock", "reset_otp"]
    ACTIONS_BY_ROLE = {
        SYSTEM: {"deactivate", "delete_selected"},
        SECURITY: {"deactivate", "unlock", "reset_otp"},
    }

    # --- who may do what ------------------------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _role(request) == SYSTEM

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        role = _role(request)
        if role == SECURITY:
            return True  # every field read-only: roles, the password reset and the actions only
        if role == SYSTEM:
            return obj is None or not services.account_refusal(actor=request.user, user=obj)
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _role(request) != SYSTEM:
            return False
        return obj is None or not services.account_refusal(actor=request.user, user=obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        allowed = self.ACTIONS_BY_ROLE.get(_role(request) or "", set())
        return {name: action for name, action in super().get_actions(request).items() if name in allowed}

    # --- the forms --------------------------------------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The password hash is never shown; the security admin gets the reset link, the system admin a note.
        replacement = "password_reset_link" if _role(request) == SECURITY else "password_note"
        return [
            (name, {**options, "fields": [replacement if f == "password" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = [*super().get_readonly_fields(request, obj), "password"]
        if obj is not None and _role(request) == SECURITY:
            readonly += [f for f in flatten_fieldsets(self.get_fieldsets(request, obj)) if f not in readonly]
        return readonly

    @admin.display(description="密码")
    def password_note(self, obj: User) -> str:
        return (
            "密码由本人在“修改密码”页面修改；忘记密码时由安全管理员重置。系统管理员不能设置其他用户的密码。"
        )

    @admin.display(description="密码")
    def password_reset_link(self, obj: User) -> SafeString:
        url = reverse(f"{self.admin_site.name}:auth_user_password_change", args=[obj.pk])
        return format_html('<a class="button" href="{}">重置密码</a>（用户下次登录时须修改）', url)

    # --- saving through the rules and the services -----------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            refusal = services.account_refusal(actor=request.user, user=User.objects.get(pk=obj.pk))
            if refusal:
                raise PermissionDenied(refusal)
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        refusal = services.account_refusal(actor=request.user, user=obj)
        if refusal or _role(request) != SYSTEM:
            raise PermissionDenied(refusal or "只有系统管理员可以删除账号。")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            refusal = services.account_refusal(actor=request.user, user=obj)
            if refusal or _role(request) != SYSTEM:
                raise PermissionDenied(refusal or "只有系统管理员可以删除账号。")
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Role rows are granted and withdrawn by the services (their rules and audit rows)."""
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        user = form.instance
        for row in formset.deleted_objects:
            services.role_revoke(actor=request.user, assignment=RoleAssignment.objects.get(pk=row.pk))
        for row, _fields in formset.changed_objects:
            services.role_revoke(actor=request.user, assignment=RoleAssignment.objects.get(pk=row.pk))
            made = services.role_assign(
                actor=request.user, user=user, role=row.role, node=row.node, institution=row.institution
            )
            row.pk = made.pk
        for row in formset.new_objects:
            made = services.role_assign(
                actor=request.user, user=user, role=row.role, node=row.node, institution=row.institution
            )
            row.pk = made.pk

    # --- the security admin's password reset -----------------------------------------------------------------

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("没有找到该用户。")
        if _role(request) != SECURITY:
            raise PermissionDenied("重置其他用户的密码是安全管理员的职责，系统管理员不能设置其他用户的密码。")
        if user.pk == request.user.pk:
            raise PermissionDenied("请在“修改密码”页面修改自己的密码。")
        form = PasswordResetForm(user, request.POST or None)
        form.actor = request.user
        if request.method == "POST" and form.is_valid():
            if not (form.cleaned_data["set_usable_password"] or "unset-password" in request.POST):
                messages.error(request, "提交的内容相互矛盾，请重新填写。")
                return HttpResponseRedirect(request.get_full_path())
            form.save()
            self.log_change(request, user, self.construct_change_message(request, form, []))
            messages.success(
                request, f"已重置 {user.get_username()} 的密码；其所有会话已结束，下次登录时须修改密码。"
            )
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:accounts_user_change", args=[user.pk])
            )
        context = {
            "title": f"重置密码：{user.get_username()}",
            "adminForm": AdminForm(
                form,  # type: ignore[arg-type]
                [(None, {"fields": list(form.base_fields)})],
                {},
            ),
            "form_url": form_url,
            "form": form,
            "is_popup": (IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET),
            "is_popup_var": IS_POPUP_VAR,
            "add": True,
            "change": False,
            "has_delete_permission": False,
            "has_change_permission": True,
            "has_absolute_url": False,
            "opts": self.opts,
            "original": user,
            "save_as": False,
            "show_save": True,
            **self.admin_site.each_context(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/auth/user/change_password.html", context)

    # --- actions ------------------------------------------------------------------------------------------------

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


# --- second factors: listed, never shown, never changed here -------------------------------------------------

admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Which accounts have a second factor, and its state; the secret never leaves the setup page. A lost
    device is reset with the user action 重置动态口令 (the security admin)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__full_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- login lockouts (django-axes): read-only; lifting one is the security admin's ---------------------------


class _LockoutAdminMixin:
    lifts_lockouts = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _role(request) in (SYSTEM, SECURITY)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.lifts_lockouts and _role(request) == SECURITY


for _model, _base, _lifts in (
    (AccessAttempt, AccessAttemptAdmin, True),
    (AccessLog, AccessLogAdmin, False),
    (AccessFailureLog, AccessFailureLogAdmin, False),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(
        _model,
        type(_base.__name__, (_LockoutAdminMixin, _base), {"__module__": __name__, "lifts_lockouts": _lifts}),
    )
