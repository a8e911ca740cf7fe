"""The districts' hardship standards are configuration, kept in the Django admin with each change audited; the
applications are shown read-only (they change only through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from lawdesk.core.audit import audit
from lawdesk.legalaid.models import HardshipStandard, LegalAidApplication


@admin.register(HardshipStandard)
class HardshipStandardAdmin(admin.ModelAdmin):
    list_display = (
        "node",
        "monthly_income_per_head",
        "lowered_for_vulnerable",
        "effective_from",
        "effective_to",
    )
    list_filter = ("node",)
    ordering = ("node__path", "-effective_from")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = {k: str(form.cleaned_data.get(k)) for k in form.changed_data}
        action = "hardshipstandard.update" if change else "hardshipstandard.create"
        audit(actor=request.user, action=action, obj=obj, node=obj.node, data=changed)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit(actor=request.user, action="hardshipstandard.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit(actor=request.user, action="hardshipstandard.delete", obj=obj)
        super().delete_queryset(request, queryset)


@admin.register(LegalAidApplication)
class LegalAidApplicationAdmin(admin.ModelAdmin):
    list_display = ("matter", "applied_on", "category", "hardship", "review_opinion", "decision")
    list_filter = ("review_opinion", "decision", "fast_track")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
