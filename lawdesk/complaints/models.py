"""The complaints register (群众投诉登记本): what a complaint adds to its matter of kind ``complaint``.

The matter carries the state, the deadlines and the hand-off to the responsible department (its institution);
the detail carries what only a complaint has: the complainant's real contact (restricted, see
``lawdesk.complaints.rules``), the worker or unit complained about, and the statement recorded as said. The
statement is never edited: a correction or addition is a ``ComplaintNote`` appended after it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lawdesk.core.crypto import EncryptedTextField


class ComplaintDetail(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="complaint"
    )
    anonymous = models.BooleanField("匿名投诉", default=False)
    # The complainant's identity lives here, not on the visit's person (which reads 匿名 / （身份保密）),
    # so that ledger 1, the visit page and the people search never show it.
    contact_name = models.CharField("投诉人姓名", max_length=50, blank=True)
    contact_phone = EncryptedTextField("投诉人联系电话", max_length=30, blank=True)  # encrypted at rest
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被投诉人（平台用户）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField("被投诉人", max_length=50, blank=True)
    subject_unit = models.CharField("被投诉单位", max_length=100, blank=True)
    # The platform that took the complaint, when it is registered at a node above it (a complaint about the
    # platform's own staff, ``rules.register_node``); empty when registered where it was received.
    received_node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="受理平台",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    statement = models.TextField("投诉事项（如实记录）")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    response_satisfied = models.BooleanField("投诉人是否满意", null=True, blank=True)
    response = models.TextField("投诉人意见", blank=True)
    response_at = models.DateTimeField("意见登记时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "投诉登记"
        verbose_name_plural = "投诉登记"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"投诉：{self.subject_label}"

    @property
    def subject_label(self) -> str:
        """被投诉人或单位 as the register writes it: the person, then the unit in brackets."""
        name = self.subject_name or (str(self.subject_user) if self.subject_user_id else "")
        if name and self.subject_unit:
            return f"{name}（{self.subject_unit}）"
        return name or self.subject_unit

    @property
    def response_label(self) -> str:
        if self.response_satisfied is None:
            return ""
        verdict = "满意" if self.response_satisfied else "不满意"
        return f"{verdict}：{self.response}" if self.response else verdict


class ComplaintNote(models.Model):
    """A correction or addition to the statement, appended after it (the statement itself never changes)."""

    complaint = models.ForeignKey(
        ComplaintDetail, verbose_name="投诉", on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="补充人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("补充记录")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "投诉补充记录"
        verbose_name_plural = "投诉补充记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]
