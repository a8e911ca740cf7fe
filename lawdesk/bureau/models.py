"""The city bureau's divisions (市局机关各处(室), plan 五(一)) and the construction timetable (plan 八).

A ``Division`` is 对口负责 for some areas of the work; a problem found in the records (an overdue monthly report,
an assessment indicator under the pass mark, an upheld complaint) is traced to the division of its area
(``lawdesk.bureau.selectors.problems``, computed live). ``Supervision`` records that a division was notified
(督办) about one problem. A ``Milestone`` is one stage of a district's construction timetable: the city sets the
planned date, the district reports the actual date and progress.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q


class Area(models.TextChoices):
    LEGAL_AID = "legal_aid", "法律援助"
    MEDIATION = "mediation", "人民调解"
    LAWYERS = "lawyers", "律师"
    NOTARY = "notary", "公证"
    FORENSIC = "forensic", "司法鉴定"
    CORRECTION = "correction", "社区矫正"
    PLATFORM = "platform", "平台建设"
    STATISTICS = "statistics", "统计报送"
    COMPLAINTS = "complaints", "投诉"
    OUTREACH = "outreach", "法治宣传"
    STAFF = "staff", "队伍建设"


class Division(models.Model):
    name = models.CharField("处(室)名称", max_length=50, unique=True)
    areas = models.JSONField("对口负责领域", default=list, blank=True)  # Area values
    head = models.CharField("负责人", max_length=30)
    contact = models.CharField("联系电话（办公）", max_length=30, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="处(室)工作人员", blank=True, related_name="bureau_divisions"
    )
    is_active = models.BooleanField("启用", default=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "市局处(室)"
        verbose_name_plural = "市局处(室)"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas if a in Area.values]


class Supervision(models.Model):
    """督办: a division was notified about one problem traced to it."""

    division = models.ForeignKey(
        Division, verbose_name="处(室)", on_delete=models.PROTECT, related_name="supervisions"
    )
    problem_key = models.CharField("问题", max_length=40)
    problem_text = models.CharField("问题摘要", max_length=200)
    note = models.CharField("督办意见", max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("督办时间")

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.division}：{self.problem_text}"


class Stage(models.TextChoices):
    SURVEY = "survey", "调查摸底"
    OPENING = "opening", "建设开通"
    INSPECTION = "inspection", "检查验收"


class Milestone(models.Model):
    district = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="区(县)司法局",
        on_delete=models.PROTECT,
        related_name="bureau_milestones",
    )
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices)
    planned_on = models.DateField("计划完成日期")
    actual_on = models.DateField("实际完成日期", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    note = models.CharField("进展说明", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更新人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "建设时间节点"
        verbose_name_plural = "建设时间节点"
        ordering = ["district__path", "planned_on"]
        constraints = [
            models.UniqueConstraint(fields=["district", "stage"], name="bureau_milestone_unique_stage"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="bureau_milestone_progress_100"),
        ]

    def __str__(self) -> str:
        return f"{self.district.name}·{self.get_stage_display()}"

    def lags(self, today: datetime.date) -> bool:
        """The planned date has passed and the stage is not done."""
        return self.actual_on is None and self.planned_on < today
