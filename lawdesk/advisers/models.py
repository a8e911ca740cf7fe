"""Village and community legal advisers (村(社区)法律顾问, plan 三(一)) and the town WeChat group (四(四)3).

Each village or community of a judicial office's register (``orgs.Village``) has a legal adviser under a contract
with a period; the adviser (a user holding ``Role.LEGAL_ADVISER`` at the office) records the services given there,
which the office checks. Each judicial office leads one WeChat group of its town, with its listed members.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lawdesk.core import crypto

EXPIRY_WARNING_DAYS = 30


class ContractState(models.TextChoices):
    NONE = "none", "无顾问"
    EXPIRED = "expired", "合同已过期"
    EXPIRING = "expiring", "即将到期"
    ACTIVE = "active", "正常"


class AdviserContract(models.Model):
    """A legal adviser's contract for one village: active on a day when start ≤ day ≤ end."""

    village = models.ForeignKey(
        "orgs.Village", verbose_name="村(社区)", on_delete=models.PROTECT, related_name="adviser_contracts"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="法律顾问",
        on_delete=models.PROTECT,
        related_name="adviser_contracts",
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name="所在机构", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("合同起始日期")
    end = models.DateField("合同截止日期", db_index=True)
    signed = models.DateField("签订日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # The contract end the office was reminded of (so a reminder goes once, and again if the end moves).
    reminded_end = models.DateField("已提醒的截止日期", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "法律顾问合同"
        verbose_name_plural = "法律顾问合同"
        ordering = ["village__region_code", "-end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="advisercontract_end_after_start",
                violation_error_message="合同截止日期不能早于起始日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village}：{self.adviser}（{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}）"

    def active_on(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "合同截止日期不能早于起始日期。"})


class ServiceKind(models.TextChoices):
    DUTY = "duty", "坐班"
    CONSULTATION = "consultation", "法律咨询"
    LECTURE = "lecture", "法治讲座"
    MEDIATION = "mediation", "人民调解"
    VILLAGE_RULES = "village_rules", "审查村规民约"
    CONTRACT_REVIEW = "contract_review", "审查合同"
    LEGAL_OPINION = "legal_opinion", "出具法律意见"
    OTHER = "other", "其他"


class RecordStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "退回"


class ServiceRecord(models.Model):
    """One service an adviser gave in a village under their contract, checked by the judicial office."""

    contract = models.ForeignKey(
        AdviserContract, verbose_name="顾问合同", on_delete=models.PROTECT, related_name="records"
    )
    village = models.ForeignKey(
        "orgs.Village", verbose_name="村(社区)", on_delete=models.PROTECT, related_name="adviser_records"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="法律顾问",
        on_delete=models.PROTECT,
        related_name="adviser_records",
    )
    date = models.DateField("服务日期", db_index=True)
    kind = models.CharField("服务类型", max_length=20, choices=ServiceKind.choices)
    hours = models.DecimalField("服务时长(小时)", max_digits=4, decimal_places=1)
    people_served = models.PositiveIntegerField("服务人次")
    description = models.TextField("服务情况")
    status = models.CharField(
        "审核状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING, db_index=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("审核时间", null=True, blank=True)
    comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "法律顾问服务记录"
        verbose_name_plural = "法律顾问服务记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.village} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class ServicePhoto(models.Model):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("文件", max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务照片"
        verbose_name_plural = "服务照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class TownGroup(models.Model):
    """The town's WeChat group (镇(街道)微信群), one per judicial office, led by the office."""

    office = models.OneToOneField(
        "orgs.OrgNode", verbose_name="牵头司法所", on_delete=models.PROTECT, related_name="town_group"
    )
    name = models.CharField("群名称", max_length=100)
    created = models.DateField("建群日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "镇(街道)微信群"
        verbose_name_plural = "镇(街道)微信群"
        ordering = ["office__path"]

    def __str__(self) -> str:
        return self.name


class MemberCategory(models.TextChoices):
    TOWN_STAFF = "town_staff", "镇街工作人员"
    SECRETARY = "secretary", "村(社区)书记"
    DIRECTOR = "director", "村(社区)主任"
    ADVISER = "adviser", "法律顾问"
    OFFICE_STAFF = "office_staff", "司法所工作人员"


class TownGroupMember(models.Model):
    group = models.ForeignKey(
        TownGroup, verbose_name="微信群", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField("姓名", max_length=50)
    category = models.CharField("人员类别", max_length=20, choices=MemberCategory.choices)
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name="村(社区)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = crypto.EncryptedTextField("联系电话", max_length=30, blank=True)
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "微信群成员"
        verbose_name_plural = "微信群成员"
        ordering = ["group", "category", "id"]

    def __str__(self) -> str:
        return self.name
