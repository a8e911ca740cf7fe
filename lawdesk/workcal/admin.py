"""The working-day calendar and the deadline rules are configuration: kept in the Django admin, each change
audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from lawdesk.core.audit import audit
from lawdesk.workcal import workdays
from lawdesk.workcal.models import CalendarDay, DeadlineRule, HolidayNotice


class _AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = {k: str(form.cleaned_data.get(k)) for k in form.changed_data}
        audit(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            obj=obj,
            data=changed,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj)
        super().delete_queryset(request, queryset)


class CalendarDayFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = (getattr(form, "cleaned_data", None) or {}).get("date")
            if day is not None and year and day.year != year and not form.cleaned_data.get("DELETE"):
                form.add_error("date", f"日期应在{year}年内。")


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 10
    fields = ["date", "is_workday", "name"]


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(_AuditedAdmin):
    list_display = ["year", "published_on", "note", "holiday_count", "workday_count", "source"]
    search_fields = ["note"]
    inlines = [CalendarDayInline]

    @admin.display(description="放假天数")
    def holiday_count(self, obj: HolidayNotice) -> int:
        return obj.days.filter(is_workday=False).count()

    @admin.display(description="调休上班天数")
    def workday_count(self, obj: HolidayNotice) -> int:
        return obj.days.filter(is_workday=True).count()

    @admin.display(description="说明")
    def source(self, obj: HolidayNotice) -> str:
        if workdays.package_knows(obj.year):
            return "日历组件已含该年数据；此处录入的日期优先"
        return "日历组件无该年数据；以此处录入为准，未录入的日期按周末计算"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not any(formset.has_changed() for formset in formsets):
            return
        days = [
            {"date": str(d.date), "is_workday": d.is_workday, "name": d.name}
            for d in form.instance.days.all()
        ]
        audit(actor=request.user, action="holidaynotice.days", obj=form.instance, data={"days": days})


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(_AuditedAdmin):
    list_display = ["stage", "node", "kind", "working_days", "updated_at"]
    list_filter = ["stage", "kind"]
    search_fields = ["node__name"]
    autocomplete_fields = ["node"]
