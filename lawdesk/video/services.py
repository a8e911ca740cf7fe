"""Video consultations: open a room for a matter, let the citizen in once through their link, record only with
both parties' consent, end it (or let it expire) and put it on the matter's timeline.

Who: whoever works the matter (its first responder and those above, or its handler) opens, consents for the staff
side and ends; the citizen acts only through the link they were sent. Every failure of a link — unknown, used,
expired, ended — gets the same Chinese refusal. No token, phone or name is ever logged or sent to Janus."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Appointment
from lawdesk.attachments.models import Attachment
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_personal_phone
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind
from lawdesk.notifications.backends import SmsError, get_backend
from lawdesk.video import janus
from lawdesk.video.models import EndReason, VideoInvite, VideoRoom, VideoTerminal

logger = logging.getLogger("lawdesk.video")

REFUSED = "该视频咨询链接无效、已过期或已经使用过。如需视频咨询，请联系为您办理的工作人员或拨打12348热线。"
NOT_CONFIGURED = "视频服务未配置，暂时不能发起视频咨询。"
DEFAULT_ROOM_MINUTES = 120


def room_minutes() -> int:
    return int(getattr(settings, "LAWDESK_VIDEO_ROOM_MINUTES", DEFAULT_ROOM_MINUTES))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def join_url(token: str) -> str:
    base = str(getattr(settings, "LAWDESK_PUBLIC_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("video:join", args=[token])


def can_work(actor: Any, matter: Matter) -> bool:
    """Whoever works the matter: its first responder and those above, or its handler; for an appointment, also
    whoever may act on it (its platform's clerks, the institution whose slot it is: the lawyer of a video
    appointment)."""
    if matter_services.can_act_for_front(actor, matter) or matter_services.can_act_for_institution(
        actor, matter
    ):
        return True
    if (
        matter.node_id
        and VideoRoom.objects.filter(matter=matter, terminal__isnull=False).exists()
        and (
            matter_services.can_receive_at(actor, matter.node) or matter_services.oversees(actor, matter.node)
        )
    ):
        return True  # a call from the platform's terminal: any of its clerks answers
    appointment = Appointment.objects.filter(matter=matter).select_related("slot", "matter__node").first()
    return appointment is not None and appointment_services.can_act_on(actor, appointment)


def _random_room() -> int:
    # Janus room ids are 64-bit unsigned in its API but JavaScript numbers are exact only to 2**53.
    while True:
        room = secrets.randbelow(2**52) + 2**20
        if not VideoRoom.objects.filter(janus_room=room).exists():
            return room


@dataclass(frozen=True)
class Opened:
    room: VideoRoom
    token: str  # the citizen's one-time token (for the link); shown once to the staff member, never stored
    sms_sent: bool


def _sms_phone(matter: Matter, phone: str) -> str:
    phone = phone.strip()
    if phone:
        validate_personal_phone(phone)
        return phone
    appointment = getattr(matter, "appointment", None)
    reminder = str(getattr(appointment, "phone", "") or "") if appointment is not None else ""
    return reminder


@service(AuditAction.VIDEO_ROOM_OPENED)
def room_open(*, actor: Any, matter: Matter, phone: str = "", send_sms: bool = True) -> Opened:
    """Open a room for the matter and the citizen's one-time link (sent by SMS to ``phone`` or the appointment's
    reminder phone when ``send_sms``). Refused when video is not configured or a room of the matter is open."""
    if not can_work(actor, matter):
        raise PermissionDenied("只有首问负责人、其上级或承办人可以为该事项发起视频咨询。")
    if not janus.configured():
        raise ValidationError(NOT_CONFIGURED, code="not_configured")
    locked = matter_services.lock_matter(matter)
    sms_phone = _sms_phone(locked, phone) if send_sms else ""
    return _create_room(
        actor=actor,
        matter=locked,
        expires=clock.now() + datetime.timedelta(minutes=room_minutes()),
        sms_phone=sms_phone,
        sms_text=lambda url: (
            f"【西安市公共法律服务】{locked.node.name}邀请您进行远程视频咨询，请在{room_minutes()}分钟内用手机打开："
            f"{url} （链接只能使用一次，请勿转发）"
        ),
    )


def _create_room(
    *,
    actor: Any,
    matter: Matter,
    expires: datetime.datetime,
    sms_phone: str,
    sms_text: Callable[[str], str],
) -> Opened:
    """The one way a room comes to be (a staff member's start, an appointment's booking): the Janus room with a
    random id, secret, pin and the two parties' tokens, the citizen's one-time invite, and the SMS with the link
    when ``sms_phone``. ``matter`` is locked by the caller; refused while another room of it is open."""
    now = clock.now()
    if VideoRoom.objects.filter(matter=matter, ended_at__isnull=True, expires_at__gt=now).exists():
        raise ValidationError("该事项已有进行中的视频咨询，请先结束后再发起。", code="open")
    room_no = _random_room()
    secret, pin = secrets.token_urlsafe(18), secrets.token_urlsafe(9)
    staff_token, citizen_token = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
    token = secrets.token_urlsafe(24)
    room = VideoRoom.objects.create(
        matter=matter,
        node=matter.node,
        janus_room=room_no,
        secret=secret,
        pin=pin,
        staff_token=staff_token,
        started_by=actor,
        created_at=now,
        expires_at=expires,
    )
    invite = VideoInvite.objects.create(
        room=room,
        token_digest=token_digest(token),
        janus_token=citizen_token,
        created_at=now,
        expires_at=expires,
    )
    rec_dir = str(getattr(settings, "LAWDESK_VIDEO_RECORDINGS_DIR", "") or "")
    try:
        janus.create_room(
            room=room_no,
            secret=secret,
            pin=pin,
            tokens=[staff_token, citizen_token],
            rec_dir=f"{rec_dir.rstrip('/')}/{room.pk}" if rec_dir else "",
        )
    except janus.JanusError as exc:
        raise ValidationError(str(exc), code="janus") from exc
    sent = False
    if sms_phone:
        try:
            get_backend().send(phone=sms_phone, text=sms_text(join_url(token)))
            sent = True
        except SmsError:
            logger.warning("video invitation of room %s not sent", room.pk)
        invite.sent_by_sms = sent
        invite.save(update_fields=["sent_by_sms"])
    audit(actor=actor, action=AuditAction.VIDEO_ROOM_OPENED, obj=room, node=matter.node,
          data={"matter": matter.pk, "sms": sent, "expires_at": expires.isoformat()})  # fmt: skip
    return Opened(room=room, token=token, sms_sent=sent)


EARLY_MINUTES = 15


def appointment_opens(room: VideoRoom) -> datetime.datetime | None:
    """When the citizen's link of a video appointment's room starts to work (a quarter of an hour before the
    slot); None for a room without an appointment."""
    appointment = Appointment.objects.filter(matter_id=room.matter_id).select_related("slot").first()
    if appointment is None:
        return None
    return appointment.slot.start - datetime.timedelta(minutes=EARLY_MINUTES)


@service(AuditAction.VIDEO_JOINED)
def invite_use(*, token: str) -> VideoInvite:
    """The citizen opens their link: the invite is used up (a second opening is refused) and the room learns
    the citizen came. ValidationError(REFUSED) for every failure."""
    now = clock.now()
    invite = (
        VideoInvite.objects.select_for_update(of=("self",))
        .select_related("room", "room__matter", "room__node")
        .filter(token_digest=token_digest(token or ""))
        .first()
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        raise ValidationError(REFUSED, code="refused")
    room = invite.room
    if room.ended_at is not None or room.expires_at <= now:
        raise ValidationError(REFUSED, code="refused")
    opens = appointment_opens(room)
    if opens is not None and now < opens:
        # an appointment's link opened too early is not used up: it still works at the appointment's time
        raise ValidationError(
            f"您预约的视频咨询尚未开始，请于{timezone.localtime(opens):%m月%d日 %H:%M}以后再打开此链接。",
            code="early",
        )
    invite.used_at = now
    invite.save(update_fields=["used_at"])
    if room.citizen_joined_at is None:
        room.citizen_joined_at = now
        room.save(update_fields=["citizen_joined_at"])
    audit(
        actor=None, action=AuditAction.VIDEO_JOINED, obj=room, node=room.node, data={"matter": room.matter_id}
    )
    return invite


def _ice_servers() -> list[dict[str, Any]]:
    """STUN/TURN for the browsers: coturn's time-limited credentials (the TURN REST API) when configured."""
    url = str(getattr(settings, "LAWDESK_TURN_URL", "") or "")
    secret = str(getattr(settings, "LAWDESK_TURN_SECRET", "") or "")
    if not url:
        return []
    urls = [u.strip() for u in url.split(",") if u.strip()]
    if not secret:
        return [{"urls": urls}]
    expiry = int(clock.now().timestamp()) + room_minutes() * 60
    username = f"{expiry}:lawdesk"
    credential = base64.b64encode(
        hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    ).decode()
    return [{"urls": urls, "username": username, "credential": credential}]


def call_config(room: VideoRoom, *, party: str, janus_token: str) -> dict[str, Any]:
    """What the call page's script needs to join (rendered into data attributes of the page only)."""
    return {
        "server": janus.browser_url(),
        "room": room.janus_room,
        "pin": room.pin,
        "token": janus_token,
        "display": "工作人员" if party == "staff" else "群众",
        "ice_servers": _ice_servers(),
    }


def room_is_live(room: VideoRoom) -> bool:
    return room.ended_at is None and room.expires_at > clock.now()


@service(AuditAction.VIDEO_RECORDING_CONSENT)
def recording_consent(*, actor: Any, room: VideoRoom, party: str) -> VideoRoom:
    """One party ticks their consent to recording; when both have, Janus starts recording the room. ``actor``
    is the staff member (party "staff") or None (the citizen, through the session their link opened)."""
    if party not in ("staff", "citizen"):
        raise ValueError(party)
    locked = (
        VideoRoom.objects.select_for_update(of=("self",)).select_related("matter", "node").get(pk=room.pk)
    )
    if party == "staff" and not can_work(actor, locked.matter):
        raise PermissionDenied("只有办理该事项的工作人员可以代表工作人员一方同意录制。")
    if not room_is_live(locked):
        raise ValidationError("视频咨询已经结束。", code="ended")
    now = clock.now()
    field = "staff_consent_at" if party == "staff" else "citizen_consent_at"
    if getattr(locked, field) is None:
        setattr(locked, field, now)
        locked.save(update_fields=[field])
    started = False
    if locked.staff_consent_at and locked.citizen_consent_at and locked.recording_at is None:
        try:
            janus.enable_recording(room=locked.janus_room, secret=locked.secret)
        except janus.JanusError as exc:
            raise ValidationError(str(exc), code="janus") from exc
        locked.recording_at = now
        locked.save(update_fields=["recording_at"])
        started = True
    audit(actor=actor if party == "staff" else None, action=AuditAction.VIDEO_RECORDING_CONSENT, obj=locked,
          node=locked.node, data={"party": party, "recording": started})  # fmt: skip
    return locked


RECORDING_TYPE = "application/x-janus-mjr"


def recordings_dir(room: VideoRoom) -> Path | None:
    """Where Janus writes the room's recordings (``LAWDESK_VIDEO_RECORDINGS_DIR/<room>``), if set."""
    base = str(getattr(settings, "LAWDESK_VIDEO_RECORDINGS_DIR", "") or "")
    return Path(base) / str(room.pk) if base else None


def _file_recordings(room: VideoRoom) -> list[Attachment]:
    """The room's recording files become attachments of its matter (same storage, download view and retention
    as the scans): Janus's raw ``.mjr`` per track, convertible with ``janus-pp-rec``. Empty files are skipped."""
    folder = recordings_dir(room)
    if not room.recording or folder is None or not folder.is_dir():
        return []
    filed: list[Attachment] = []
    now = clock.localnow()
    for path in sorted(folder.glob("*.mjr")):
        data = path.read_bytes()
        if not data:
            continue
        kind = "视频" if "-video-" in path.name else "音频" if "-audio-" in path.name else "数据"
        stored = default_storage.save(
            f"attachments/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.mjr", ContentFile(data)
        )
        attachment = Attachment.objects.create(
            matter=room.matter,
            file=stored,
            original_name=f"远程视频咨询录像（{kind}，{clock.localnow():%Y%m%d%H%M}）.mjr",
            size=len(data),
            content_type=RECORDING_TYPE,
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=room.started_by,
        )
        matter_services.record_step(
            matter=room.matter, code="attachment_added", actor=room.started_by, note=attachment.original_name,
            data={"attachment": attachment.pk, "size": attachment.size, "sha256": attachment.sha256},
        )  # fmt: skip
        filed.append(attachment)
    return filed


def _finish(room: VideoRoom, *, actor: Any, reason: str) -> VideoRoom:
    now = clock.now()
    if janus.configured():
        janus.destroy_room(room=room.janus_room, secret=room.secret)  # closes the recorders first
    room.ended_at = min(now, room.expires_at) if reason == EndReason.EXPIRED else now
    room.end_reason = reason
    room.save(update_fields=["ended_at", "end_reason"])
    VideoInvite.objects.filter(room=room, used_at__isnull=True).update(expires_at=now)
    if room.citizen_joined_at is not None:
        seconds = max(0, int((room.ended_at - room.citizen_joined_at).total_seconds()))
        matter_services.record_step(
            matter=room.matter,
            code="video_consultation",
            actor=actor,
            data={
                "room": room.pk,
                "staff": room.started_by.get_full_name() or room.started_by.username,
                "started": room.citizen_joined_at.isoformat(),
                "seconds": seconds,
                "recorded": room.recording,
                "reason": reason,
            },
        )
    _file_recordings(room)
    return room


@service(AuditAction.VIDEO_ROOM_ENDED)
def room_end(*, actor: Any, room: VideoRoom) -> VideoRoom:
    """The staff member ends the consultation: the Janus room is destroyed, the unused link dies, and a
    consultation the citizen joined lands on the matter's timeline with who, when and how long."""
    locked = (
        VideoRoom.objects.select_for_update(of=("self",))
        .select_related("matter", "node", "started_by")
        .get(pk=room.pk)
    )
    if not can_work(actor, locked.matter):
        raise PermissionDenied("只有办理该事项的工作人员可以结束视频咨询。")
    if locked.ended_at is not None:
        raise ValidationError("视频咨询已经结束。", code="ended")
    _finish(locked, actor=actor, reason=EndReason.ENDED)
    audit(actor=actor, action=AuditAction.VIDEO_ROOM_ENDED, obj=locked, node=locked.node,
          data={"matter": locked.matter_id, "joined": locked.citizen_joined_at is not None})  # fmt: skip
    return locked


def expire_rooms() -> int:
    """Periodic: end every room past its time (Janus room destroyed); how many. One audit row per room."""
    count = 0
    for pk in VideoRoom.objects.filter(ended_at__isnull=True, expires_at__lte=clock.now()).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            room = (
                VideoRoom.objects.select_for_update(of=("self",))
                .select_related("matter", "node", "started_by")
                .get(pk=pk)
            )
            if room.ended_at is not None:
                continue
            _finish(room, actor=None, reason=EndReason.EXPIRED)
            audit(actor=None, action=AuditAction.VIDEO_ROOM_ENDED, obj=room, node=room.node,
                  data={"matter": room.matter_id, "expired": True})  # fmt: skip
            count += 1
    return count


# --- station terminals -------------------------------------------------------------------------------------

TERMINAL_REFUSED = "本终端尚未登记为视频咨询终端，或已停用。请联系平台工作人员。"


def terminal_platforms(actor: Any) -> list[Any]:
    """The platforms whose terminals the actor registers and whose terminal calls they answer: where they
    receive visits (the platform's clerks)."""
    return appointment_services.booking_platforms(actor)


def terminal_for_key(key: str) -> VideoTerminal | None:
    """The live, paired terminal whose key this is (from the terminal browser's signed cookie)."""
    if not key:
        return None
    return (
        VideoTerminal.objects.select_related("node", "registered_by")
        .filter(key_digest=token_digest(key), revoked_at__isnull=True, paired_at__isnull=False)
        .first()
    )


@dataclass(frozen=True)
class Registered:
    terminal: VideoTerminal
    key: str  # shown once (in the pairing link) to the clerk, never stored


@service(AuditAction.VIDEO_TERMINAL_REGISTERED)
def terminal_register(*, actor: Any, node: Any, name: str) -> Registered:
    """A platform's clerk registers one of its 12348 terminals for video calls; the key goes into the pairing
    link the clerk opens once on the terminal."""
    if node is None or not matter_services.can_receive_at(actor, node):
        raise PermissionDenied("只有该平台的窗口工作人员可以登记视频咨询终端。")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写终端名称。"})
    key = secrets.token_urlsafe(24)
    terminal = VideoTerminal.objects.create(
        node=node,
        name=name[:60],
        key_digest=token_digest(key),
        registered_by=actor,
        registered_at=clock.now(),
    )
    audit(
        actor=actor,
        action=AuditAction.VIDEO_TERMINAL_REGISTERED,
        obj=terminal,
        node=node,
        data={"name": name},
    )
    return Registered(terminal=terminal, key=key)


@service(AuditAction.VIDEO_TERMINAL_PAIRED)
def terminal_pair(*, key: str) -> VideoTerminal:
    """The terminal's browser opens its pairing link, once: afterwards it is known by its cookie."""
    terminal = (
        VideoTerminal.objects.select_for_update()
        .filter(key_digest=token_digest(key or ""), revoked_at__isnull=True, paired_at__isnull=True)
        .first()
    )
    if terminal is None:
        raise ValidationError(TERMINAL_REFUSED, code="refused")
    terminal.paired_at = clock.now()
    terminal.save(update_fields=["paired_at"])
    audit(actor=None, action=AuditAction.VIDEO_TERMINAL_PAIRED, obj=terminal, node=terminal.node)
    return terminal


@service(AuditAction.VIDEO_TERMINAL_REVOKED)
def terminal_revoke(*, actor: Any, terminal: VideoTerminal) -> VideoTerminal:
    locked = VideoTerminal.objects.select_for_update(of=("self",)).select_related("node").get(pk=terminal.pk)
    if not matter_services.can_receive_at(actor, locked.node):
        raise PermissionDenied("只有该平台的窗口工作人员可以停用视频咨询终端。")
    if locked.revoked_at is None:
        locked.revoked_at = clock.now()
        locked.save(update_fields=["revoked_at"])
    audit(actor=actor, action=AuditAction.VIDEO_TERMINAL_REVOKED, obj=locked, node=locked.node)
    return locked


@service(AuditAction.VIDEO_TERMINAL_CALL)
def terminal_call(*, terminal: VideoTerminal) -> Opened:
    """A citizen presses 视频咨询 at the terminal: a visit with a consultation is registered at the terminal's
    platform (on behalf of the clerk who registered the terminal) and a room opened whose citizen side is the
    terminal; the platform's clerks see the waiting call on their desk. No SMS (the citizen is at the
    terminal)."""
    locked = (
        VideoTerminal.objects.select_for_update(of=("self",))
        .select_related("node", "registered_by")
        .filter(pk=terminal.pk, revoked_at__isnull=True, paired_at__isnull=False)
        .first()
    )
    if locked is None:
        raise ValidationError(TERMINAL_REFUSED, code="refused")
    if not janus.configured():
        raise ValidationError(NOT_CONFIGURED, code="not_configured")
    clerk = locked.registered_by
    if not matter_services.can_receive_at(clerk, locked.node):
        raise ValidationError("本终端的登记人已不在该平台工作，请联系工作人员重新登记终端。", code="stale")
    visit = matter_services.visit_register(
        actor=clerk,
        node=locked.node,
        person_data=matter_services.PersonInput(name="终端视频来访群众"),
        channel=Channel.VIDEO,
        matters=[
            matter_services.MatterInput(
                kind=MatterKind.CONSULTATION, summary=f"{locked.name}发起的远程视频咨询"
            )
        ],
        summary=f"{locked.name}视频咨询",
    )
    matter = matter_services.lock_matter(visit.matters.get())
    opened = _create_room(
        actor=clerk,
        matter=matter,
        expires=clock.now() + datetime.timedelta(minutes=room_minutes()),
        sms_phone="",
        sms_text=str,
    )
    opened.room.terminal = locked
    opened.room.save(update_fields=["terminal"])
    audit(actor=None, action=AuditAction.VIDEO_TERMINAL_CALL, obj=opened.room, node=locked.node,
          data={"terminal": locked.pk, "matter": matter.pk})  # fmt: skip
    return opened


def waiting_calls(actor: Any) -> list[VideoRoom]:
    """Live rooms started at the terminals of the platforms where the actor receives visits (or under the
    office/bureau they oversee), oldest first."""
    platforms = {n.pk for n in terminal_platforms(actor)}
    rooms = (
        VideoRoom.objects.filter(terminal__isnull=False, ended_at__isnull=True, expires_at__gt=clock.now())
        .select_related("terminal", "node", "matter")
        .order_by("created_at", "id")
    )
    return [r for r in rooms if r.node_id in platforms or matter_services.oversees(actor, r.node)]
