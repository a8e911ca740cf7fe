"""Grassroots governance by rule of law (plan 三(四)): the 民主法治示范村(社区) creation, the legal opinions and
advice the judicial office gives the town party committee and government, and the 平安创建 activities.

Every record hangs on a judicial office (the village's office for a creation case), which scopes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lawdesk.governance.criteria import CRITERIA_LABELS


class Level(models.TextChoices):
    DISTRICT = "district", "区级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


LEVEL_ORDER: list[str] = [Level.DISTRICT, Level.CITY, Level.PROVINCE, Level.NATIONAL]


class CaseState(models.TextChoices):
    APPLYING = "applying", "申报中"
    NAMED = "named", "已命名"
    REJECTED = "rejected", "未通过"
    REVOKED = "revoked", "已撤销"


class ReviewResult(models.TextChoices):
    KEPT = "kept", "保留称号"
    REVOKED = "revoked", "撤销称号"


class ModelVillageCase(models.Model):
    """One village's application for the 民主法治示范村(社区) title at one level, and what became of it."""

    village = models.ForeignKey(
        "orgs.Village", verbose_name="村(社区)", on_delete=models.PROTECT, related_name="model_village_cases"
    )
    office = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="所属司法所",
        on_delete=models.PROTECT,
        related_name="model_village_cases",
    )
    level = models.CharField("申报级别", max_length=10, choices=Level.choices)
    state = models.CharField("状态", max_length=10, choices=CaseState.choices, default=CaseState.APPLYING)
    applied_on = models.DateField("申报日期")
    summary = models.TextField("创建情况")
    decided_on = models.DateField("审定日期", null=True, blank=True, db_index=True)
    document = models.CharField("命名文号", max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审定人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "民主法治示范村(社区)创建"
        verbose_name_plural = "民主法治示范村(社区)创建"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "level"],
                condition=Q(state__in=["applying", "named"]),
                name="modelvillagecase_one_open_per_level",
                violation_error_message="该村(社区)在这一级别已在申报中或已命名。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village}（{self.get_level_display()}）"


class Inspection(models.Model):
    case = models.ForeignKey(
        ModelVillageCase, verbose_name="创建申报", on_delete=models.CASCADE, related_name="inspections"
    )
    date = models.DateField("检查日期")
    inspector = models.CharField("检查人", max_length=100)
    findings = models.TextField("检查情况")
    criteria_met = models.JSONField("达到的标准", default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "示范村(社区)检查"
        verbose_name_plural = "示范村(社区)检查"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date:%Y-%m-%d}"

    @property
    def criteria_met_labels(self) -> list[str]:
        return [CRITERIA_LABELS.get(c, c) for c in self.criteria_met]


class Review(models.Model):
    """The periodic review (复核) of a named village: the title kept or revoked."""

    case = models.ForeignKey(
        ModelVillageCase, verbose_name="创建申报", on_delete=models.CASCADE, related_name="reviews"
    )
    date = models.DateField("复核日期")
    result = models.CharField("复核结果", max_length=10, choices=ReviewResult.choices)
    notes = models.TextField("复核情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "示范村(社区)复核"
        verbose_name_plural = "示范村(社区)复核"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date:%Y-%m-%d} {self.get_result_display()}"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class LegalOpinion(models.Model):
    """A legal opinion or advice the judicial office gave the town (street) party committee or government."""

    office = models.ForeignKey(
        "orgs.OrgNode", verbose_name="司法所", on_delete=models.PROTECT, related_name="legal_opinions"
    )
    requester = models.CharField("提请单位", max_length=100)
    subject = models.CharField("事项", max_length=200)
    requested_on = models.DateField("提请日期")
    opinion_on = models.DateField("出具日期", db_index=True)
    opinion = models.TextField("意见建议内容")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="出具人", on_delete=models.PROTECT, related_name="+"
    )
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, blank=True)
    adoption_note = models.TextField("采纳说明", blank=True)
    adoption_on = models.DateField("反馈日期", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "法律意见建议"
        verbose_name_plural = "法律意见建议"
        ordering = ["-opinion_on", "-id"]

    def __str__(self) -> str:
        return f"{self.subject}（{self.opinion_on:%Y-%m-%d}）"


class SafetyKind(models.TextChoices):
    SAFE_VILLAGE = "safe_village", "平安村(社区)创建"
    DISPUTE_SCREENING = "dispute_screening", "矛盾纠纷排查化解"
    PATROL = "patrol", "群防群治、治安联防"
    ANTI_FRAUD = "anti_fraud", "反诈禁毒宣传"
    KEY_GROUPS = "key_groups", "重点人群帮扶"
    OTHER = "other", "其他"


class SafetyActivity(models.Model):
    """A 平安创建 activity the judicial office organised or took part in (社会治安综合治理)."""

    office = models.ForeignKey(
        "orgs.OrgNode", verbose_name="司法所", on_delete=models.PROTECT, related_name="safety_activities"
    )
    date = models.DateField("日期", db_index=True)
    kind = models.CharField("活动类型", max_length=20, choices=SafetyKind.choices)
    participants = models.PositiveIntegerField("参与人数")
    summary = models.TextField("活动情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "平安创建活动"
        verbose_name_plural = "平安创建活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.date:%Y-%m-%d}）"
