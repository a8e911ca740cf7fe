from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from lawdesk.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["node", "institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "staff_category", "is_active", "is_demo"]
    list_filter = ["staff_category", "is_active", "is_demo", "roles__role"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("公共法律服务", {"fields": ("full_name", "phone", "staff_category", "is_demo")}),
    )
    inlines = [RoleAssignmentInline]
