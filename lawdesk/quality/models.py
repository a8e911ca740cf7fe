"""Quality of service (质量评价, plan 七(七)): what the matters do not record themselves.

The ratings, adoption and deadlines live on the matter and its timeline (``citizen_rated`` events, ``adoption``,
``*_due``/``*_at``). The one thing the complaints register does not record is whether a complaint was found to
be well founded (查实) and against whom: ``ComplaintFinding`` records that, once, for a complaint matter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ComplaintFinding(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", verbose_name="投诉事项", on_delete=models.PROTECT, related_name="quality_finding"
    )
    upheld = models.BooleanField("投诉是否查实")
    against_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被查实的工作人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    against_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="被查实的平台", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("认定说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="认定人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("认定时间", auto_now_add=True)

    class Meta:
        verbose_name = "投诉查实认定"
        verbose_name_plural = "投诉查实认定"
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{'查实' if self.upheld else '不属实'}（事项{self.matter_id}）"


class KioskCode(models.Model):
    """The one-time code printed on a visit's slip (来访回执) and sent by SMS, with which the citizen rates the
    visit's finished matters at the platform's kiosk. Staff never see it again: only a keyed hash is kept
    (``crypto.blind_index`` of the visit and the code), a reprint makes a new code and voids the old one, a
    rating spends it, it expires with the rating window (``LAWDESK_ONLINE_RATING_DAYS``), and too many wrong
    tries void it."""

    visit = models.ForeignKey(
        "matters.Visit", verbose_name="来访", on_delete=models.CASCADE, related_name="kiosk_codes"
    )
    code_digest = models.CharField("评价码摘要", max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="打印人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("生成时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    sms_sent = models.BooleanField("已短信发送", default=False)
    failed_attempts = models.PositiveIntegerField("输错次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "自助评价码"
        verbose_name_plural = "自助评价码"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["visit", "used_at", "voided_at"], name="kiosk_code_live")]

    def __str__(self) -> str:
        return f"来访{self.visit_id}的评价码（{self.issued_at:%Y-%m-%d %H:%M}）"
