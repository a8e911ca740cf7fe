"""Changes to the lightbox points (灯箱点): each in one transaction, with its one audit row. The rule of who may act
(the office's staff, a district admin above it; ``actor=None`` is the demo loader) lives here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.coverage import selectors
from lawdesk.coverage.models import LightboxPoint, LightboxState
from lawdesk.orgs.models import OrgNode, Village

LIGHTBOX_ATTRS = ("place", "longitude", "latitude", "platform", "installed", "state", "note")


def _check_may_manage(actor: Any, village: Village) -> None:
    if actor is None:
        return
    if not selectors.can_manage_at(actor, village.office):
        raise PermissionDenied("只有本司法所工作人员和区(县)司法局管理员可以维护灯箱点。")


@service(AuditAction.LIGHTBOX_CREATE)
def lightbox_create(
    *, actor: Any, village: Village, place: str, installed: datetime.date, platform: OrgNode | None = None,
    longitude: Decimal | None = None, latitude: Decimal | None = None, note: str = "",
) -> LightboxPoint:  # fmt: skip
    """Register a lightbox point in a village; it points to the office's town station unless told otherwise."""
    _check_may_manage(actor, village)
    if not village.is_active:
        raise ValidationError({"village": "该村(社区)已停用，不能登记灯箱点。"})
    if village.station_id is not None and village.station is not None and village.station.is_active:
        raise ValidationError(
            {"village": f"{village.name}已有{village.station.name}，灯箱点设在未建服务站的村(社区)。"}
        )
    platform = platform or selectors.serving_platform(village.office)
    if platform is None:
        raise ValidationError(
            {"platform": f"{village.office.name}下没有启用中的镇(街道)公共法律服务站，请选择指向的平台。"}
        )
    point = LightboxPoint(
        village=village, place=place.strip(), installed=installed, platform=platform, longitude=longitude,
        latitude=latitude, note=note.strip(), created_by=actor,
    )  # fmt: skip
    point.full_clean()
    point.save()
    audit(
        actor=actor, action=AuditAction.LIGHTBOX_CREATE, obj=point, node=village.office,
        data={"village": village.region_code, "platform": platform.pk},
    )  # fmt: skip
    return point


@service(AuditAction.LIGHTBOX_UPDATE)
def lightbox_update(*, actor: Any, point: LightboxPoint, **changes: Any) -> LightboxPoint:
    """Change a point's place, location, platform, installed date, state or note."""
    _check_may_manage(actor, point.village)
    unknown = set(changes) - set(LIGHTBOX_ATTRS)
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    changed = []
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(point, name) != value:
            setattr(point, name, value)
            changed.append(name)
    point.full_clean()
    point.save()
    audit(
        actor=actor, action=AuditAction.LIGHTBOX_UPDATE, obj=point, node=point.village.office,
        data={"fields": sorted(changed), "state": point.state},
    )  # fmt: skip
    return point


@service(AuditAction.LIGHTBOX_INSPECT)
def lightbox_inspect(
    *, actor: Any, point: LightboxPoint, day: datetime.date | None = None, state: str = LightboxState.IN_USE,
    note: str = "",
) -> LightboxPoint:  # fmt: skip
    """Record an inspection on ``day`` (today by default) and the state found."""
    _check_may_manage(actor, point.village)
    day = day or clock.today()
    if day > clock.today():
        raise ValidationError({"last_inspected": "巡查日期不能晚于今天。"})
    if state not in LightboxState.values:
        raise ValidationError({"state": "状态无效。"})
    if point.state == LightboxState.REMOVED:
        raise ValidationError({"state": "该灯箱点已撤除，不能再登记巡查。"})
    point.last_inspected = day
    point.state = state
    if note.strip():
        point.note = note.strip()[:200]
    point.full_clean()
    point.save()
    audit(
        actor=actor, action=AuditAction.LIGHTBOX_INSPECT, obj=point, node=point.village.office,
        data={"day": day.isoformat(), "state": state},
    )  # fmt: skip
    return point
