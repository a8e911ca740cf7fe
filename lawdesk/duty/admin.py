from django.contrib import admin
from django.http import HttpRequest

from lawdesk.duty.models import DutyShift, SubsidyStandard


@admin.register(SubsidyStandard)
class SubsidyStandardAdmin(admin.ModelAdmin):
    list_display = ["node", "staff_category", "per_session", "effective_from", "effective_to"]
    list_filter = ["staff_category"]
    raw_id_fields = ["node"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    """Read-only: shifts are arranged on the roster page, where the conflict rules run."""

    list_display = ["date", "session", "node", "person", "post"]
    list_filter = ["session", "post"]
    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DutyShift | None = None) -> bool:
        return False
