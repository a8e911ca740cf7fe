"""API clients in the Django admin: listed, disabled and re-enabled there; a new client (and its token, shown
once) is made with ``manage.py api_token create``, since the admin cannot show a secret only once safely."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from lawdesk.api.models import ApiClient
from lawdesk.api.services import api_client_set_active


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "token_prefix",
        "is_active",
        "rate_per_minute",
        "expires_at",
        "last_used_at",
        "created_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "user__username", "token_prefix")
    fields = (
        "name",
        "user",
        "token_prefix",
        "is_active",
        "rate_per_minute",
        "expires_at",
        "created_by",
        "created_at",
        "last_used_at",
    )
    # Only the rate is edited here; the rest is set by `manage.py api_token` and the actions below.
    readonly_fields = tuple(f for f in fields if f != "rate_per_minute")
    actions = ["disable", "enable"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="停用所选调用方（令牌立即失效）")
    def disable(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            api_client_set_active(actor=request.user, client=client, active=False)
        messages.success(request, f"已停用{queryset.count()}个调用方。")

    @admin.action(description="启用所选调用方")
    def enable(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            api_client_set_active(actor=request.user, client=client, active=True)
        messages.success(request, f"已启用{queryset.count()}个调用方。")
