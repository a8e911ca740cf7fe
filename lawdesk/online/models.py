"""Citizens' online requests (网上服务, plan 五(四)1 and 5, 七(六)) and the self-service assistant (智慧小司).

An online request is an ordinary visit (channel 网上) with its matter, registered through the same services as the
window by the platform's online intake account (``IntakeAccount``). What only the web side needs lives here: the
tracking code the citizen reads aloud, keyed digests of the phone and the address (for progress lookup and
abuse limits — no raw phone or IP is kept here), the one-time rating links, and the FAQ base of the assistant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RequestKind(models.TextChoices):
    CONSULTATION = "consultation", "网上咨询"
    LEGAL_AID = "legal_aid", "法律援助预申请"
    APPOINTMENT = "appointment", "预约"
    COMPLAINT = "complaint", "投诉举报"


class IntakeAccount(models.Model):
    """The system account that registers a platform's online requests: a user with a window-clerk role at that
    platform only and no usable password, so that the intake services' permission checks pass as they are."""

    node = models.OneToOneField(
        "orgs.OrgNode", verbose_name="服务平台", on_delete=models.PROTECT, related_name="online_intake"
    )
    # Lists of people (report submitters, hand-over and roster candidates) leave these accounts out with
    # ``User.objects.filter(online_intake__isnull=True)``.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="网上受理账号",
        on_delete=models.PROTECT,
        related_name="online_intake",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "网上受理账号"
        verbose_name_plural = "网上受理账号"

    def __str__(self) -> str:
        return f"网上受理（{self.node.name}）"


class OnlineRequest(models.Model):
    """One request a citizen sent online, with the code they track it by."""

    code = models.CharField("查询码", max_length=12, unique=True)
    kind = models.CharField("类别", max_length=20, choices=RequestKind.choices)
    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="online_request"
    )
    # Keyed blind indexes (lawdesk.core.crypto) of the normalised phone and of the client address.
    phone_digest = models.CharField("手机号摘要", max_length=64, db_index=True)
    address_digest = models.CharField("来源地址摘要", max_length=64, db_index=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


class RatingLink(models.Model):
    """A one-time link, sent by SMS when a matter is answered or its outcome told, to rate the service. Only the
    SHA-256 of its random token is kept; it expires and works once."""

    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="rating_link"
    )
    token_digest = models.CharField("令牌摘要", max_length=64, unique=True)
    phone_digest = models.CharField("手机号摘要", max_length=64)
    expires_at = models.DateTimeField("有效期至")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    used_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "评价链接"
        verbose_name_plural = "评价链接"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"评价链接（事项{self.matter_id}）"


class FaqCategory(models.TextChoices):
    LEGAL_AID = "legal_aid", "法律援助"
    NOTARY = "notary", "公证"
    MEDIATION = "mediation", "人民调解"
    SERVICE_POINT = "service_point", "服务场所"
    LAWYER = "lawyer", "律师服务"
    FORENSIC = "forensic", "司法鉴定"
    COMPLAINT = "complaint", "投诉举报"
    OTHER = "other", "其他"


class Faq(models.Model):
    """One question of the assistant's FAQ base (kept in the admin)."""

    question = models.CharField("问题", max_length=200)
    keywords = models.CharField(
        "关键词和同义词",
        max_length=500,
        blank=True,
        help_text="用空格或逗号分隔，例如：法律援助 法援 免费律师。",
    )
    answer = models.TextField("答案")
    category = models.CharField("类别", max_length=20, choices=FaqCategory.choices, default=FaqCategory.OTHER)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题（智慧小司）"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.question

    @property
    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[\s,，、;；]+", self.keywords) if k]
