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
