"""Regular dispute screening (经常性排查, 三(二)) by the mediation committees, and the early warning computed from
the records (重复来访, 易激化未化解, 群体性聚集).

A ``ScreeningRound`` is one committee's screening of a village (or its whole area) in a month; each
``ScreeningFinding`` is what it found: a dispute that becomes a matter through the normal intake and mediation
services, or one resolved on the spot, or nothing. A ``Signal`` is one early warning, raised once under a stable
``key`` by ``lawdesk.screening.warning.compute_signals`` and kept up to date while its records change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lawdesk.mediation.models import DisputeType


class Disposition(models.TextChoices):
    TO_MATTER = "to_matter", "需转为事项"
    RESOLVED = "resolved", "当场化解"
    NO_DISPUTE = "no_dispute", "未发现纠纷"


class ScreeningRound(models.Model):
    committee = models.ForeignKey(
        "institutions.Institution", verbose_name="人民调解委员会", on_delete=models.PROTECT, related_name="+"
    )
    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="所属司法所",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="排查所在的司法所（村(社区)所属的司法所，或调解委员会的主管节点）。",
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name="村(社区)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空 = 调解委员会的全部辖区。",
    )
    period = models.DateField("排查月份", help_text="该月第一天。")
    date = models.DateField("排查日期")
    households = models.PositiveIntegerField("走访户数", default=0)
    summary = models.TextField("排查情况", blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="排查人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "矛盾纠纷排查"
        verbose_name_plural = "矛盾纠纷排查"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["committee", "period"])]

    def __str__(self) -> str:
        where = self.village.name if self.village is not None else "全辖区"
        return f"{self.committee}·{where}·{self.date:%Y-%m-%d}排查"

    @property
    def disputes_found(self) -> int:
        return sum(1 for f in self.findings.all() if f.disposition != Disposition.NO_DISPUTE)


class ScreeningFinding(models.Model):
    round = models.ForeignKey(
        ScreeningRound, verbose_name="排查", on_delete=models.CASCADE, related_name="findings"
    )
    disposition = models.CharField("处理方式", max_length=20, choices=Disposition.choices)
    description = models.TextField("纠纷情况")
    dispute_type = models.CharField("纠纷类型", max_length=30, choices=DisputeType.choices, blank=True)
    applicant = models.CharField("当事人", max_length=100, blank=True)
    counterpart = models.CharField("对方当事人", max_length=100, blank=True)
    people_involved = models.PositiveIntegerField("涉及人数", default=1)
    escalation_risk = models.BooleanField("是否易激化", default=False)
    matter = models.OneToOneField(
        "matters.Matter",
        verbose_name="转为事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_finding",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="转事项登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField("转事项时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "排查发现"
        verbose_name_plural = "排查发现"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_disposition_display()}：{self.description[:30]}"

    @property
    def awaiting_matter(self) -> bool:
        return self.disposition == Disposition.TO_MATTER and self.matter_id is None


class SignalKind(models.TextChoices):
    REPEAT = "repeat", "重复来访"
    RISK = "risk", "易激化未化解"
    CLUSTER = "cluster", "群体性聚集"


class SignalState(models.TextChoices):
    NEW = "new", "新预警"
    HANDLED = "handled", "已处置"


class Signal(models.Model):
    kind = models.CharField("预警类型", max_length=10, choices=SignalKind.choices)
    key = models.CharField("标识", max_length=64, unique=True)
    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="预警所属的司法所（没有司法所时为区(县)司法局）。",
    )
    title = models.CharField("预警内容", max_length=300)
    first_seen = models.DateTimeField("首次发现")
    last_seen = models.DateTimeField("最近发现")
    matter_ids = models.JSONField("相关事项", default=list, blank=True)
    visit_ids = models.JSONField("相关来访", default=list, blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=SignalState.choices, default=SignalState.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField("处置时间", null=True, blank=True)
    note = models.TextField("处置情况", blank=True)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["state", "-last_seen", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def record_count(self) -> int:
        return len(self.matter_ids) + len(self.visit_ids)
