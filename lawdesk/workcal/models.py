"""The working-day calendar kept by an administrator, and the deadline rules of each stage of a matter.

The ``chinese-calendar`` package knows China's public holidays up to the year it was released for. Each new
year the State Council publishes its holiday notice (国务院办公厅关于某年部分节假日安排的通知); an administrator
enters it here as a ``HolidayNotice`` with one ``CalendarDay`` per holiday and per make-up workday. Entered days
take precedence over the package; a year that neither knows falls back to weekends only (with a warning on
every deadline that reaches into it).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class HolidayNotice(models.Model):
    """One year's State Council holiday notice, as entered by an administrator."""

    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    note = models.CharField(
        "文件名称或说明",
        max_length=200,
        blank=True,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日安排通知"
        verbose_name_plural = "节假日安排通知"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """One day of a notice: a public holiday (not a workday) or a make-up workday (a weekend day worked)."""

    notice = models.ForeignKey(
        HolidayNotice, verbose_name="节假日安排通知", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "上班", default=False, help_text="勾选：调休上班日（周末上班）；不勾选：放假日。"
    )
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节调休")

    class Meta:
        verbose_name = "节假日或调休日"
        verbose_name_plural = "节假日和调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name or ''}{kind}"

    def clean(self) -> None:
        year = self.notice.year if self.notice_id is not None else None
        if year is not None and isinstance(self.date, datetime.date) and self.date.year != year:
            raise ValidationError({"date": f"日期应在{year}年内。"})


class Stage(models.TextChoices):
    ACCEPT = "accept", "承接"
    OUTCOME = "outcome", "办结"
    FEEDBACK = "feedback", "反馈群众"


# The matter kinds a deadline rule may name. They are the matters core's vocabulary, and the core sits above this
# app: ``lawdesk.matters`` registers them from its ``AppConfig.ready``.
_KIND_CHOICES: list[tuple[str, str]] = []


def register_kinds(choices: list[tuple[str, str]]) -> None:
    _KIND_CHOICES[:] = list(choices)


def kind_choices() -> list[tuple[str, str]]:
    return list(_KIND_CHOICES)


class DeadlineRule(models.Model):
    """How many working days a stage may take. The most specific rule wins: a node (the nearest of the matter's
    platform and the nodes above it) with the matter's kind, then a node alone, then a kind alone, then the
    city-wide default (no node, no kind)."""

    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="适用节点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空：全市适用；选择节点：该节点及其下级适用。",
    )
    kind = models.CharField(
        "事项类别", max_length=20, choices=kind_choices, blank=True, help_text="留空：所有类别适用。"
    )
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    working_days = models.PositiveSmallIntegerField(
        "期限(工作日)", validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办理期限规则"
        verbose_name_plural = "办理期限规则"
        ordering = ["stage", "node__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "kind", "stage"],
                condition=Q(node__isnull=False),
                name="deadline_rule_unique_at_node",
                violation_error_message="该节点已有同一事项类别、同一环节的期限规则。",
            ),
            models.UniqueConstraint(
                fields=["kind", "stage"],
                condition=Q(node__isnull=True),
                name="deadline_rule_unique_citywide",
                violation_error_message="已有同一事项类别、同一环节的全市期限规则。",
            ),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="deadline_rule_at_least_one_day"),
        ]

    def __str__(self) -> str:
        where = self.node.name if self.node is not None else "全市"
        kind = self.get_kind_display() if self.kind else "所有类别"
        return f"{where}·{kind}·{self.get_stage_display()}：{self.working_days}个工作日"
