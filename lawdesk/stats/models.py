from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class StatCount(models.Model):
    """The pre-aggregated count of one indicator at one leaf node (where the records belong) on one day
    (Beijing time). Filled by ``lawdesk.stats.fill``; never typed."""

    node = models.ForeignKey("orgs.OrgNode", verbose_name="节点", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField("指标", max_length=60)
    day = models.DateField("日期")
    value = models.BigIntegerField("数值")

    class Meta:
        verbose_name = "逐日计数"
        verbose_name_plural = "逐日计数"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "day", "node"], name="statcount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.indicator} {self.day}: {self.value}"


class StatMonth(models.Model):
    """One indicator's month total over a node's whole subtree (the node's own records and every node below).
    Derived from ``StatCount`` after each fill, so the city's monthly report is one indexed read of a few
    dozen rows and never touches the records."""

    node = models.ForeignKey("orgs.OrgNode", verbose_name="节点", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份（当月1日）")
    indicator = models.CharField("指标", max_length=60)
    value = models.BigIntegerField("数值")

    class Meta:
        verbose_name = "月度汇总"
        verbose_name_plural = "月度汇总"
        constraints = [
            models.UniqueConstraint(fields=["node", "month", "indicator"], name="statmonth_unique"),
        ]
        indexes = [models.Index(fields=["month", "indicator"], name="statmonth_month_indicator")]

    def __str__(self) -> str:
        return f"{self.node_id} {self.month:%Y-%m} {self.indicator}: {self.value}"


class FillState(models.Model):
    """How far one indicator's counts are filled (like zulip analytics' FillState)."""

    indicator = models.CharField("指标", max_length=60, unique=True)
    filled_until = models.DateField("已计算至（含）", null=True, blank=True)
    last_run_at = models.DateTimeField("上次计算开始时间", null=True, blank=True)
    # For append-only sources: the highest record id seen at the last run (newer rows mark their day dirty).
    last_pk = models.BigIntegerField("上次计算时的最大记录号", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计数状态"
        verbose_name_plural = "计数状态"
        ordering = ["indicator"]

    def __str__(self) -> str:
        return f"{self.indicator} → {self.filled_until}"


class ReportSchedule(models.Model):
    """When each level's monthly report is due: day N of the month after the reporting month (one row).

    The plan (七(八)) sets the 司法所 by the 25th and the district by the 29th only; stations have no deadline of
    their own unless set here (city-wide) or by their district (``DistrictReportSetting``): empty means none."""

    station_day = models.PositiveSmallIntegerField("服务中心(站)报送日", null=True, blank=True, default=None)
    office_day = models.PositiveSmallIntegerField("司法所报送日", default=25)
    district_day = models.PositiveSmallIntegerField("区(县)司法局报送日", default=29)
    remind_days_before = models.PositiveSmallIntegerField("提前提醒天数", default=3)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "月报报送期限"
        verbose_name_plural = "月报报送期限"

    def __str__(self) -> str:
        station = f"站{self.station_day}日" if self.station_day else "站不设期限"
        return f"{station} · 所{self.office_day}日 · 区县{self.district_day}日"

    def clean(self) -> None:
        errors = {}
        for name in ("station_day", "office_day", "district_day"):
            value = getattr(self, name)
            if value is None and name == "station_day":
                continue
            if value is None or not 1 <= value <= 31:
                errors[name] = "报送日应在1到31之间。"
        station = self.station_day if self.station_day is not None else self.office_day
        if not errors and not (station <= self.office_day <= self.district_day):
            errors["office_day"] = "应满足：服务中心(站)报送日 ≤ 司法所报送日 ≤ 区(县)司法局报送日。"
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> ReportSchedule:
        schedule = cls.objects.order_by("pk").first()
        return schedule if schedule is not None else cls()

    def due_date(
        self, level: str, year: int, month: int, station_day: int | None = None
    ) -> datetime.date | None:
        """The deadline of the report for (year, month) at ``level`` ("station" | "office" | "district"); None for
        a station when neither its district (``station_day``) nor the city schedule sets one."""
        day = {
            "station": station_day or self.station_day,
            "office": self.office_day,
            "district": self.district_day,
        }[level]
        if day is None:
            return None
        due_year, due_month = (year + 1, 1) if month == 12 else (year, month + 1)
        last = calendar.monthrange(due_year, due_month)[1]
        return datetime.date(due_year, due_month, min(day, last))


class DistrictReportSetting(models.Model):
    """A district's own deadline for its stations' monthly reports (day N of the next month; empty: none)."""

    district = models.OneToOneField(
        "orgs.OrgNode", verbose_name="区(县)司法局", on_delete=models.CASCADE, related_name="report_setting"
    )
    station_day = models.PositiveSmallIntegerField("服务中心(站)报送日", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "区(县)月报期限设置"
        verbose_name_plural = "区(县)月报期限设置"

    def __str__(self) -> str:
        return f"{self.district}：站{self.station_day or '不设'}日"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "未报送"
    SUBMITTED = "submitted", "已报送"
    REVIEWED = "reviewed", "已审核"
    RETURNED = "returned", "已退回"
    REOPENED = "reopened", "已重新打开"


class MonthlyReport(models.Model):
    """A node's monthly report and where it stands. Once submitted it is frozen: ``snapshot`` keeps the
    figures as submitted; records entered later show as a difference until it is re-opened and submitted again."""

    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="报送单位", on_delete=models.PROTECT, related_name="monthly_reports"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    snapshot = models.JSONField("报送时的数字", default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    due_on = models.DateField("报送期限", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    reopen_reason = models.CharField("重新打开原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "统计月报"
        verbose_name_plural = "统计月报"
        ordering = ["-year", "-month", "node__path"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year", "month"], name="monthlyreport_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="monthlyreport_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node}{self.year}年{self.month}月统计月报"

    @property
    def is_frozen(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.REVIEWED)


class ReportReminder(models.Model):
    """One reminder sent about one unsubmitted report on one day (so a user is reminded at most once a day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey("orgs.OrgNode", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "月报提醒"
        verbose_name_plural = "月报提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "node", "year", "month", "day"], name="reportreminder_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.node_id} {self.year}-{self.month} {self.day}"
