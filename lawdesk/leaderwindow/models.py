"""局长驻窗口 (七(三)): each district's weekly draw of a leader's window slot, and what actually happened."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from lawdesk.leaderwindow.draw import MIN_MINUTES, week_label


class WindowDraw(models.Model):
    """The slot drawn for one district and one ISO week (``week_start`` is its Monday), and the leader
    assigned in rotation. ``seed`` is stored so the draw can be repeated and checked."""

    district = models.ForeignKey(
        "orgs.OrgNode", verbose_name="区(县)司法局", on_delete=models.PROTECT, related_name="window_draws"
    )
    week_start = models.DateField("周一日期")
    seed = models.CharField("抽签种子", max_length=64)
    platform = models.ForeignKey(
        "orgs.OrgNode", verbose_name="进驻平台", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("进驻日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    half = models.CharField("时段", max_length=10)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="驻窗口领导", on_delete=models.PROTECT, related_name="+"
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽签人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drawn_from = models.DateTimeField(
        "抽签起算时间", help_text="抽签时刻：本周内抽签时，只从此后的工作时间中抽取，重现抽签也按此计算。"
    )
    redraw_count = models.PositiveSmallIntegerField("重抽次数", default=0)
    redraw_reason = models.CharField("重抽原因", max_length=300, blank=True)
    created_at = models.DateTimeField("抽签时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "局长驻窗口抽签"
        verbose_name_plural = "局长驻窗口抽签"
        ordering = ["-week_start", "district__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "week_start"],
                name="window_draw_one_per_district_week",
                violation_error_message="该区(县)本周已抽签。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} · {week_label(self.week_start)}"

    @property
    def week_text(self) -> str:
        return week_label(self.week_start)

    @property
    def slot_text(self) -> str:
        from lawdesk.leaderwindow.draw import HALF_LABELS

        weekday = "一二三四五六日"[self.date.weekday()]
        return (
            f"{self.date:%Y-%m-%d}（周{weekday}）{HALF_LABELS.get(self.half, '')} "
            f"{self.start:%H:%M}—{self.end:%H:%M}"
        )


class WindowVisit(models.Model):
    """The leader's actual time at the window: check-in and check-out, and the matters received meanwhile."""

    draw = models.OneToOneField(
        WindowDraw, verbose_name="抽签", on_delete=models.CASCADE, related_name="visit"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="驻窗口领导", on_delete=models.PROTECT, related_name="+"
    )
    checked_in_at = models.DateTimeField("签到时间")
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    matters = models.ManyToManyField("matters.Matter", verbose_name="驻窗口期间受理的事项", blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "局长驻窗口记录"
        verbose_name_plural = "局长驻窗口记录"
        ordering = ["-checked_in_at"]

    def __str__(self) -> str:
        return f"{self.leader} · {self.checked_in_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int | None:
        if self.checked_out_at is None:
            return None
        return int((self.checked_out_at - self.checked_in_at) / datetime.timedelta(minutes=1))

    @property
    def is_met(self) -> bool:
        return self.minutes is not None and self.minutes >= MIN_MINUTES
