"""A legal aid application (法律援助申请表) on a matter of kind legal_aid, and the districts' hardship standards."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from lawdesk.core.crypto import EncryptedDecimalField
from lawdesk.legalaid import rules
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind


class Category(models.TextChoices):
    """法律援助法 第三十一条 (the labels are ``rules.ART31_ITEMS``)."""

    STATE_COMPENSATION = "state_compensation", rules.ART31_ITEMS["state_compensation"]
    SOCIAL_INSURANCE = "social_insurance", rules.ART31_ITEMS["social_insurance"]
    PENSION = "pension", rules.ART31_ITEMS["pension"]
    MAINTENANCE = "maintenance", rules.ART31_ITEMS["maintenance"]
    LABOUR = "labour", rules.ART31_ITEMS["labour"]
    CAPACITY = "capacity", rules.ART31_ITEMS["capacity"]
    PERSONAL_INJURY = "personal_injury", rules.ART31_ITEMS["personal_injury"]
    ENVIRONMENT = "environment", rules.ART31_ITEMS["environment"]
    OTHER = "other", rules.ART31_ITEMS["other"]


class Art32Situation(models.TextChoices):
    """法律援助法 第三十二条: no hardship test."""

    HERO_MARTYR = "hero_martyr", rules.ART32_ITEMS["hero_martyr"]
    GOOD_SAMARITAN = "good_samaritan", rules.ART32_ITEMS["good_samaritan"]
    ACQUITTED_RETRIAL = "acquitted_retrial", rules.ART32_ITEMS["acquitted_retrial"]
    ABUSE_VICTIM = "abuse_victim", rules.ART32_ITEMS["abuse_victim"]
    OTHER = "other", rules.ART32_ITEMS["other"]


class ExemptGroup(models.TextChoices):
    """法律援助法 第四十二条: hardship verification waived."""

    NO_INCOME_GROUP = "no_income_group", rules.ART42_ITEMS["no_income_group"]
    RELIEF_RECIPIENT = "relief_recipient", rules.ART42_ITEMS["relief_recipient"]
    MIGRANT_WORKER = "migrant_worker", rules.ART42_ITEMS["migrant_worker"]
    OTHER = "other", rules.ART42_ITEMS["other"]


class OpponentType(models.TextChoices):
    PERSON = "person", "自然人"
    UNIT = "unit", "单位"


class Material(models.TextChoices):
    """Materials received at the window (法律援助法 第三十八条、第四十一条、第四十二条)."""

    ID_PROOF = "id_proof", "身份证明"
    APPLICATION = "application", "法律援助申请书"
    HARDSHIP_STATEMENT = "hardship_statement", "经济困难状况说明（个人诚信承诺）"
    EXEMPTION_PROOF = "exemption_proof", "免予核查经济困难状况的证明材料"
    EVIDENCE = "evidence", "与所申请事项相关的证据材料"
    AGENT_PROOF = "agent_proof", "代理人身份证明及代理关系证明"


class ReviewOpinion(models.TextChoices):
    ELIGIBLE = "eligible", "符合"
    INELIGIBLE = "ineligible", "不符合"
    SUPPLEMENT = "supplement", "材料不全需补正"


class Decision(models.TextChoices):
    GRANT = "grant", "给予"
    DENY = "deny", "不予"


class HardshipStandard(models.Model):
    """A district's hardship standard (经济困难标准, art. 34) for a period: household income per head per month.
    Vulnerable applicants (plan 五(四)4) are measured against the lowered (i.e. higher) threshold."""

    node = models.ForeignKey(
        OrgNode, verbose_name="区(县)司法局", on_delete=models.PROTECT, related_name="hardship_standards"
    )
    monthly_income_per_head = models.DecimalField(
        "人均月收入标准(元)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    lowered_for_vulnerable = models.DecimalField(
        "特殊群体放宽标准(元)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="特殊群体适用的放宽标准，应不低于一般标准。",
    )
    effective_from = models.DateField("起始日期")
    effective_to = models.DateField("截止日期", null=True, blank=True, help_text="不填：长期有效。")
    basis = models.CharField("依据文件", max_length=200, blank=True)

    class Meta:
        verbose_name = "经济困难标准"
        verbose_name_plural = "经济困难标准"
        ordering = ["node_id", "-effective_from"]

    def __str__(self) -> str:
        end = f"{self.effective_to:%Y-%m-%d}" if self.effective_to else "长期"
        return f"{self.node.name} {self.effective_from:%Y-%m-%d}至{end}：人均{self.monthly_income_per_head}元"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.node_id and self.node.kind not in (NodeKind.DISTRICT_BUREAU, NodeKind.CITY_BUREAU):
            errors["node"] = "经济困难标准应由区(县)司法局（或市局）设定。"
        if (
            self.lowered_for_vulnerable is not None
            and self.monthly_income_per_head is not None
            and self.lowered_for_vulnerable < self.monthly_income_per_head
        ):
            errors["lowered_for_vulnerable"] = "特殊群体放宽标准不能低于一般标准。"
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors["effective_to"] = "截止日期不能早于起始日期。"
        if not errors and self.node_id and self.effective_from:
            overlapping = HardshipStandard.objects.filter(node_id=self.node_id).exclude(pk=self.pk)
            # Two periods overlap when each starts before the other ends (an open end never ends).
            overlapping = overlapping.filter(
                Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
            )
            if self.effective_to is not None:
                overlapping = overlapping.filter(effective_from__lte=self.effective_to)
            clash = overlapping.first()
            if clash is not None:
                errors["effective_from"] = f"与已有标准“{clash}”的有效期重叠。"
        if errors:
            raise ValidationError(errors)


def standard_for(node: OrgNode, on: datetime.date) -> HardshipStandard | None:
    """The standard in force on ``on`` at the nearest node at or above ``node`` that has one."""
    paths = node.ancestor_paths()
    candidates = (
        HardshipStandard.objects.filter(node__path__in=paths, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("node")
    )
    best = sorted(candidates, key=lambda s: (len(s.node.path), s.effective_from), reverse=True)
    return best[0] if best else None


class LegalAidApplication(models.Model):
    """The application form (法律援助申请表) of one legal-aid matter, its preliminary review and the centre's
    decision. State moves (transfer, accept, outcome, told) stay on the matter and its events."""

    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="legal_aid"
    )
    applied_on = models.DateField("申请日期")
    category = models.CharField("事项类别", max_length=30, choices=Category.choices, blank=True)
    category_basis = models.CharField("其他情形的依据", max_length=200, blank=True)
    art32_situation = models.CharField(
        "不受经济困难条件限制的情形", max_length=30, choices=Art32Situation.choices, blank=True
    )
    exempt_group = models.CharField(
        "免予核查经济困难状况的人员", max_length=30, choices=ExemptGroup.choices, blank=True
    )
    case_facts = models.TextField("案情及申请理由")
    opponent_name = models.CharField("对方当事人", max_length=100, blank=True)
    opponent_type = models.CharField(
        "对方类型", max_length=10, choices=OpponentType.choices, default=OpponentType.PERSON
    )
    opponent_contact = models.CharField("对方联系方式或住所", max_length=200, blank=True)
    household_size = models.PositiveSmallIntegerField("家庭人口数", default=1)
    # Encrypted at rest (issue 9); a Decimal in Python.
    monthly_income = EncryptedDecimalField(
        "家庭月收入(元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    economic_note = models.TextField("家庭经济状况说明", blank=True)
    # 五(四)4: the left-behind and the disabled of a poverty area get the lowered threshold and the fast track.
    poverty_area = models.CharField(
        "居住的贫困地区（贫困村）", max_length=100, blank=True, help_text="不属于贫困地区的留空。"
    )
    materials = models.JSONField("已接收材料", default=list, blank=True)
    materials_other = models.CharField("其他材料", max_length=300, blank=True)
    # The rules' verdict when the form was last saved (kept so that the ledger and the print agree with it).
    standard = models.ForeignKey(
        HardshipStandard, verbose_name="适用的经济困难标准", null=True, blank=True, on_delete=models.PROTECT
    )
    in_scope = models.BooleanField("属于法律援助事项范围", default=False)
    hardship = models.CharField("经济困难审查", max_length=20, blank=True)
    fast_track = models.BooleanField("快速办理", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    review_opinion = models.CharField("初审意见", max_length=20, choices=ReviewOpinion.choices, blank=True)
    review_note = models.TextField("初审说明", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="初审人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField("初审日期", null=True, blank=True)
    decision = models.CharField("受理决定", max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lawyer_name = models.CharField("指派的法律援助人员", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "法律援助申请"
        verbose_name_plural = "法律援助申请"
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"法律援助申请：{self.matter.visit.person_as_told.name}（{self.applied_on:%Y-%m-%d}）"

    @property
    def required_materials(self) -> list[str]:
        """What a complete application holds: identity, evidence, and the hardship statement — or, for art. 42,
        the proof of exemption; art. 32 needs neither."""
        required = [Material.ID_PROOF.value, Material.EVIDENCE.value]
        if self.exempt_group and not self.art32_situation:
            required.append(Material.EXEMPTION_PROOF.value)
        elif not self.art32_situation:
            required.append(Material.HARDSHIP_STATEMENT.value)
        return required

    @property
    def missing_materials(self) -> list[str]:
        labels = dict(Material.choices)
        return [str(labels[m]) for m in self.required_materials if m not in self.materials]

    @property
    def materials_complete(self) -> bool:
        return not self.missing_materials

    @property
    def material_labels(self) -> list[str]:
        labels = dict(Material.choices)
        items = [str(labels[m]) for m in Material.values if m in self.materials]
        if self.materials_other:
            items.append(self.materials_other)
        return items

    def assessment(self) -> rules.Assessment:
        return rules.assess(
            category=self.category,
            art32_situation=self.art32_situation,
            exempt_group=self.exempt_group,
            household_size=self.household_size,
            monthly_income=self.monthly_income,
            standard=self.standard,
            vulnerable_groups=[g for g in self.matter.visit.vulnerable_groups.split(",") if g],
            poverty_area=self.poverty_area,
        )
