"""Lightbox points (灯箱) in villages without a station (plan 七(六)) and, with the stations and the legal advisers,
the coverage of every village of a district (四(二)2 全覆盖).

A lightbox point stands at a place in a village of a judicial office's register (``orgs.Village``) and shows the
signage of the platform that serves the village (its town station by default): the 12348 hotline, the platform's
phones and a QR code to the platform's booking page. Only a point 在用 (in use) serves its village.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.rules import PLATFORM_KINDS


def district_path(village: Village) -> str:
    """The path of the district above the village's judicial office."""
    office = village.office
    return office.parent.path if office.parent_id and office.parent is not None else office.path


class LightboxState(models.TextChoices):
    IN_USE = "in_use", "在用"
    DAMAGED = "damaged", "损坏"
    REMOVED = "removed", "撤除"


class LightboxPoint(models.Model):
    village = models.ForeignKey(
        Village, verbose_name="村(社区)", on_delete=models.PROTECT, related_name="lightboxes"
    )
    place = models.CharField("设置地点", max_length=120)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    platform = models.ForeignKey(
        OrgNode,
        verbose_name="指向的服务平台",
        on_delete=models.PROTECT,
        related_name="lightbox_points",
        help_text="灯箱显示该平台的标识信息，二维码指向该平台的网上预约页面。",
    )
    installed = models.DateField("安装日期")
    state = models.CharField(
        "状态", max_length=10, choices=LightboxState.choices, default=LightboxState.IN_USE, db_index=True
    )
    last_inspected = models.DateField("最近巡查日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "灯箱点"
        verbose_name_plural = "灯箱点"
        ordering = ["village__region_code", "pk"]

    def __str__(self) -> str:
        return f"{self.village.name}：{self.place}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.place.strip():
            errors["place"] = "设置地点不能为空。"
        if self.longitude is not None and not (73 <= self.longitude <= 136):
            errors["longitude"] = "经度应在73到136之间（中国境内）。"
        if self.latitude is not None and not (3 <= self.latitude <= 54):
            errors["latitude"] = "纬度应在3到54之间（中国境内）。"
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = "经度和纬度须同时填写，或都不填。"
        village = self.village if self.village_id else None
        platform = self.platform if self.platform_id else None
        if platform is not None and village is not None:
            if platform.kind not in PLATFORM_KINDS or not platform.is_active:
                errors["platform"] = "指向的须为启用中的公共法律服务平台。"
            elif not platform.path.startswith(district_path(village)):
                errors["platform"] = "指向的平台须为本区(县)的公共法律服务平台。"
        if self.last_inspected and self.installed and self.last_inspected < self.installed:
            errors["last_inspected"] = "巡查日期不能早于安装日期。"
        if errors:
            raise ValidationError(errors)
