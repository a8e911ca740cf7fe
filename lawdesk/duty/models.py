"""Duty rosters (值班安排表, 四(五)2): per platform and working day, who is on duty, at which post, with which
duty (定人、定岗、定责), during the platform's hall hours; and the duty subsidy standard (值班补助标准)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from lawdesk.accounts.models import StaffCategory


class Session(models.TextChoices):
    MORNING = "morning", "上午"
    AFTERNOON = "afternoon", "下午"


class Post(models.TextChoices):
    RECEPTION = "reception", "窗口接待"
    CONSULTATION = "consultation", "法律咨询"
    MEDIATION = "mediation", "人民调解"
    LEGAL_AID = "legal_aid", "法律援助受理"
    NOTARY = "notary", "公证咨询"
    OTHER = "other", "其他"


class DutyShift(models.Model):
    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="平台", on_delete=models.PROTECT, related_name="duty_shifts"
    )
    date = models.DateField("日期")
    session = models.CharField("时段", max_length=10, choices=Session.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="值班人员",
        on_delete=models.PROTECT,
        related_name="duty_shifts",
    )
    post = models.CharField("岗位", max_length=20, choices=Post.choices)
    duty = models.CharField("职责", max_length=200, blank=True)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="安排人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("安排时间", auto_now_add=True)

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["node", "date", "start", "pk"]
        indexes = [models.Index(fields=["person", "date"]), models.Index(fields=["node", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="duty_shift_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["node", "date", "session", "person"], name="duty_shift_unique_person_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_session_display()} {self.person} @ {self.node}"

    @property
    def hours_text(self) -> str:
        return f"{self.start:%H:%M}—{self.end:%H:%M}"


class SubsidyStandard(models.Model):
    """A per-session duty subsidy set by a district bureau (or the city bureau for all districts), optionally for
    one staff category, in force from ``effective_from`` to ``effective_to`` (inclusive; open when empty)."""

    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="制定单位", on_delete=models.PROTECT, related_name="subsidy_standards"
    )
    staff_category = models.CharField(
        "人员类别",
        max_length=30,
        blank=True,
        choices=StaffCategory.choices,
        help_text="留空表示适用于所有人员类别。",
    )
    per_session = models.DecimalField(
        "每时段补助（元）", max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("截止日期", null=True, blank=True)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "值班补助标准"
        verbose_name_plural = "值班补助标准"
        ordering = ["node", "staff_category", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.node} {self.per_session}元/时段 自{self.effective_from:%Y-%m-%d}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from lawdesk.orgs.rules import BUREAU_KINDS

        errors: dict[str, str] = {}
        if self.node_id is not None and self.node.kind not in BUREAU_KINDS:
            errors["node"] = "补助标准由市司法局或区(县)司法局制定。"
        if self.effective_to is not None and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = "截止日期不能早于生效日期。"
        if errors:
            raise ValidationError(errors)

    def covers(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
