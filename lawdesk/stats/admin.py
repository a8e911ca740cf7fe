from django.contrib import admin
from django.http import HttpRequest

from lawdesk.stats.models import FillState, MonthlyReport, ReportSchedule


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["station_day", "office_day", "district_day", "remind_days_before", "updated_at"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["node", "year", "month", "status", "late", "submitted_by", "submitted_at"]
    list_filter = ["status", "late", "year", "month"]
    readonly_fields = [f.name for f in MonthlyReport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(FillState)
class FillStateAdmin(admin.ModelAdmin):
    list_display = ["indicator", "filled_until", "last_run_at", "updated_at"]
    readonly_fields = ["indicator", "filled_until", "last_run_at", "updated_at"]
