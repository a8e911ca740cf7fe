"""Video appointments (SlotKind video): booking one opens the room of its matter, valid until the slot's end
plus a grace, and SMSes the citizen's one-time link to the appointment's reminder phone; rescheduling moves the
room's expiry (or opens one when the new slot is a video slot), cancelling or moving to a non-video slot ends it.
Registered on the appointments' move hook (that app cannot import this one); runs inside the booking's
transaction, so its audit facts join the booking's one row. Without a media server the booking still succeeds
and the appointment's page says 视频服务未配置; a media server refusing the room does not undo the booking either
(the page then offers 发起视频咨询)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lawdesk.appointments.models import Appointment, SlotKind
from lawdesk.core import clock
from lawdesk.video import janus, services
from lawdesk.video.models import EndReason, VideoInvite, VideoRoom

logger = logging.getLogger("lawdesk.video")
DEFAULT_GRACE_MINUTES = 30


def grace() -> datetime.timedelta:
    return datetime.timedelta(
        minutes=int(getattr(settings, "LAWDESK_VIDEO_GRACE_MINUTES", DEFAULT_GRACE_MINUTES))
    )


def room_expiry(appointment: Appointment) -> datetime.datetime:
    return appointment.slot.end + grace()


def _live_room(appointment: Appointment) -> VideoRoom | None:
    return (
        VideoRoom.objects.select_for_update(of=("self",))
        .select_related("matter", "node", "started_by")
        .filter(matter_id=appointment.matter_id, ended_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )


def _sms_text(appointment: Appointment) -> Any:
    when = timezone.localtime(appointment.slot.start)
    place = appointment.matter.node.name

    def text(url: str) -> str:
        return (
            f"【西安市公共法律服务】您已预约{when:%m月%d日 %H:%M}与{place}的远程视频咨询，请届时用手机打开："
            f"{url} （链接只能使用一次，请勿转发）"
        )

    return text


def _open(appointment: Appointment, actor: Any) -> None:
    if not janus.configured():
        return
    try:
        with transaction.atomic():  # a savepoint: a refused room leaves the booking whole
            services._create_room(
                actor=actor,
                matter=appointment.matter,
                expires=room_expiry(appointment),
                sms_phone=str(appointment.phone or ""),
                sms_text=_sms_text(appointment),
            )
    except ValidationError:
        logger.warning("video room of appointment %s not opened", appointment.pk)


def _end(room: VideoRoom, actor: Any) -> None:
    services._finish(room, actor=actor, reason=EndReason.ENDED)


def appointment_moved(*, appointment: Appointment, code: str, actor: Any) -> None:
    is_video = appointment.slot.kind == SlotKind.VIDEO
    if code == "booked":
        if is_video:
            _open(appointment, actor)
        return
    room = _live_room(appointment)
    if code == "rescheduled" and is_video:
        if room is None:
            _open(appointment, actor)
        else:
            expires = room_expiry(appointment)
            room.expires_at = expires
            room.save(update_fields=["expires_at"])
            VideoInvite.objects.filter(room=room, used_at__isnull=True).update(expires_at=expires)
    elif code in ("rescheduled", "cancelled") and room is not None:
        _end(room, actor)


def appointment_panel(*, actor: Any, appointment: Appointment) -> dict[str, Any] | None:
    """The video panel of the appointment's matter on the appointment's page (video slots only)."""
    if appointment.slot.kind != SlotKind.VIDEO:
        return None
    from lawdesk.video.panel import panel_context

    return panel_context(actor=actor, matter=appointment.matter)
