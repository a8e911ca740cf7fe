"""A dispute's mediation record (人民调解): its details, parties, routing to a committee and the result."""

from __future__ import annotations

import decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from lawdesk.core.crypto import EncryptedTextField


def format_amount(amount: decimal.Decimal | None) -> str:
    """An amount in yuan as the ledger and the messages write it: two decimals, e.g. 4500.00."""
    return "" if amount is None else f"{amount:.2f}"


class DisputeType(models.TextChoices):
    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭"
    NEIGHBOURHOOD = "neighbourhood", "邻里"
    HOUSING_HOMESTEAD = "housing_homestead", "房屋宅基地"
    CONTRACT = "contract", "合同"
    DAMAGES = "damages", "损害赔偿"
    LABOUR = "labour", "劳动争议"
    FOREST_LAND = "forest_land", "山林土地"
    EXPROPRIATION = "expropriation", "征地拆迁"
    MEDICAL = "medical", "医疗"
    TRAFFIC = "traffic", "道路交通"
    PROPERTY_MANAGEMENT = "property_management", "物业"
    CONSUMER = "consumer", "消费"
    OTHER = "other", "其他"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "对方当事人"
    OTHER = "other", "其他当事人"


class PartyType(models.TextChoices):
    PERSON = "person", "自然人"
    UNIT = "unit", "单位"


class MediationOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "不成功"
    TERMINATED = "terminated", "终止"


class AgreementForm(models.TextChoices):
    WRITTEN = "written", "书面"
    ORAL = "oral", "口头"


class Guidance(models.TextChoices):
    ARBITRATION = "arbitration", "申请仲裁"
    COURT = "court", "向人民法院起诉"
    OTHER = "other", "其他途径"


class DisputeDetail(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="dispute_detail"
    )
    dispute_type = models.CharField("纠纷类型", max_length=30, choices=DisputeType.choices)
    amount = models.DecimalField(
        "涉及金额(元)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    people_involved = models.PositiveIntegerField("涉及人数", default=1, validators=[MinValueValidator(1)])
    escalation_risk = models.BooleanField("是否易激化", default=False)
    place = models.ForeignKey(
        "orgs.OrgNode", verbose_name="纠纷发生地", on_delete=models.PROTECT, related_name="+"
    )
    proposed_committee = models.ForeignKey(
        "institutions.Institution",
        verbose_name="建议调解组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposal_basis = models.CharField("建议依据", max_length=10, blank=True)
    routed_committee = models.ForeignKey(
        "institutions.Institution",
        verbose_name="移交调解组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    override_reason = models.CharField("改选原因", max_length=300, blank=True)
    escalation_alerted_at = models.DateTimeField("易激化预警时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "纠纷详情"
        verbose_name_plural = "纠纷详情"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="dispute_amount_gte_0"
            ),
            models.CheckConstraint(condition=models.Q(people_involved__gte=1), name="dispute_people_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dispute_type_display()}纠纷（事项{self.matter_id}）"


class DisputeParty(models.Model):
    detail = models.ForeignKey(
        DisputeDetail, verbose_name="纠纷", on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField("当事人地位", max_length=20, choices=PartyRole.choices)
    party_type = models.CharField("类别", max_length=10, choices=PartyType.choices, default=PartyType.PERSON)
    name = models.CharField("姓名或名称", max_length=100)
    phone = EncryptedTextField("联系电话", max_length=30, blank=True)  # encrypted at rest
    address = models.CharField("住址或地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "纠纷当事人"
        verbose_name_plural = "纠纷当事人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"


class MediationResult(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="mediation_result"
    )
    result = models.CharField("调解结果", max_length=20, choices=MediationOutcome.choices)
    agreement_form = models.CharField("协议形式", max_length=10, choices=AgreementForm.choices, blank=True)
    agreed_amount = models.DecimalField(
        "协议金额(元)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    guidance = models.CharField("引导途径", max_length=20, choices=Guidance.choices, blank=True)
    guidance_text = models.CharField("引导说明", max_length=300, blank=True)
    note = models.TextField("调解情况", blank=True)
    judicial_confirmation_advised = models.BooleanField("建议申请司法确认", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")
    returned_to_station_at = models.DateTimeField("反馈中心(站)时间", null=True, blank=True)
    returned_to_office_at = models.DateTimeField("反馈司法所时间", null=True, blank=True)

    class Meta:
        verbose_name = "调解结果"
        verbose_name_plural = "调解结果"

    def __str__(self) -> str:
        return f"调解{self.get_result_display()}（事项{self.matter_id}）"
