"""The citizen's rating link (质量评价, plan 七(七)).

When a matter of an online or phone citizen is answered, redirected, told its outcome or closed, the citizen gets
one SMS with a link to rate the service. The link carries a random token signed with the secret key; only its
SHA-256 is stored, with the matter and a digest of the phone it was sent to. It expires
(``LAWDESK_ONLINE_RATING_DAYS``, 30 days) and works once. Staff who can see the matter — the people rated —
cannot use it. The rating is written on the matter (``rating``/``rating_comment``) under the matter row lock with
a ``citizen_rated`` step on its timeline.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from lawdesk.complaints.rules import detail_of
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.matters import access as matter_access
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterEvent
from lawdesk.notifications.backends import SmsError, get_backend
from lawdesk.online.models import RatingLink
from lawdesk.online.security import phone_digest, setting, token_digest

logger = logging.getLogger("lawdesk.sms")

TOKEN_SALT = "lawdesk.online.rating"
RATED_CHANNELS = frozenset({Channel.ONLINE, Channel.PHONE})
# The moves after which the citizen has had their answer.
TRIGGER_EVENTS = frozenset({"answered", "redirected", "citizen_told", "closed"})
# Any channel (lawdesk.quality): a citizen told the outcome away from the window gets the link too, whatever
# channel the visit came by — they are not at the window tablet or kiosk to rate it there.
REMOTE_TOLD_VIA = frozenset({"phone", "sms", "letter"})
REFUSED = "该评价链接无效、已过期或已经使用过。如需评价，请拨打12348热线。"


def _signer() -> signing.Signer:
    return signing.Signer(salt=TOKEN_SALT)


def _citizen_phone(matter: Matter) -> str:
    detail = detail_of(matter)
    if detail is not None:
        return str(detail.contact_phone or "")
    return str(matter.visit.person_as_told.phone or "")


def rating_url(token: str) -> str:
    base = str(getattr(settings, "LAWDESK_PUBLIC_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("online:rate", args=[token])


def rating_link_send(*, matter_id: int, any_channel: bool = False) -> str | None:
    """Send the matter's rating link if it qualifies and has none yet; the token sent, or None. ``any_channel``:
    also for a visit made on site (the outcome was told by phone, SMS or letter)."""
    with transaction.atomic():
        matter = (
            Matter.objects.select_for_update(of=("self",))
            .select_related("visit", "visit__person", "node")
            .filter(pk=matter_id)
            .first()
        )
        if matter is None or matter.rating is not None:
            return None
        if matter.visit.channel not in RATED_CHANNELS and not any_channel:
            return None
        if RatingLink.objects.filter(matter=matter).exists():
            return None
        phone = _citizen_phone(matter)
        if not phone.startswith("1") or len(phone) != 11:  # only a mobile number takes an SMS
            return None
        raw = secrets.token_urlsafe(18)
        token = _signer().sign(raw)
        days = setting("LAWDESK_ONLINE_RATING_DAYS", 30)
        link = RatingLink.objects.create(
            matter=matter,
            token_digest=token_digest(raw),
            phone_digest=phone_digest(phone),
            expires_at=clock.now() + datetime.timedelta(days=days),
        )
        text = (
            f"【西安市公共法律服务】您在{matter.node.name}办理的{matter.get_kind_display()}已有结果。"
            f"请为我们的服务评价：{rating_url(token)} （{days}天内有效，只能评价一次）"
        )
        try:
            get_backend().send(phone=phone, text=text)
        except SmsError:
            logger.warning("rating link for matter %s not sent", matter.pk)
            link.delete()
            return None
        audit(
            actor=None,
            action="online.rating_link_sent",
            obj=link,
            node=matter.node,
            data={"matter": matter.pk},
        )
    return token


def on_matter_event(sender: Any, instance: MatterEvent, created: bool, **kwargs: Any) -> None:
    """post_save of MatterEvent: after the transaction commits, send the rating link of an answered matter."""
    if not created or instance.code not in TRIGGER_EVENTS:
        return
    matter_id = instance.matter_id
    any_channel = instance.code == "citizen_told" and (instance.data or {}).get("via") in REMOTE_TOLD_VIA
    if not any_channel and _visit_not_rated(instance):
        return  # rating_link_send would answer None: no transaction after the commit to find that out
    transaction.on_commit(lambda: _send_quietly(matter_id, any_channel))


def _visit_not_rated(event: MatterEvent) -> bool:
    """True when the event's matter and visit are already in memory (a visit just registered) and the visit
    came by a channel that gets no link. A visit's channel is never changed after it is registered."""
    if not MatterEvent.matter.is_cached(event):
        return False
    matter = event.matter
    return Matter.visit.is_cached(matter) and matter.visit.channel not in RATED_CHANNELS


def _send_quietly(matter_id: int, any_channel: bool = False) -> None:
    try:
        rating_link_send(matter_id=matter_id, any_channel=any_channel)
    except (
        Exception
    ):  # the clerk's move is committed already; a failed SMS must not turn it into an error page
        logger.exception("rating link for matter %s failed", matter_id)


def link_for(token: str) -> RatingLink:
    """The unused, unexpired link of ``token``, or ValidationError(REFUSED) — one answer for every failure."""
    try:
        raw = _signer().unsign(token)
    except signing.BadSignature as exc:
        raise ValidationError(REFUSED, code="refused") from exc
    link = (
        RatingLink.objects.select_related("matter", "matter__node", "matter__visit")
        .filter(token_digest=token_digest(raw))
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at <= clock.now():
        raise ValidationError(REFUSED, code="refused")
    return link


def is_staff_of(user: Any, matter: Matter) -> bool:
    """Whether ``user`` is among the people whose work the rating judges: anyone who can see the matter (its
    platform and the bureaus above), who received, owns or handled it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (matter.owner_id, matter.handler_id, matter.visit.received_by_id):
        return True
    return matter_access.visible_matters(user).filter(pk=matter.pk).exists()


@service(AuditAction.ONLINE_CITIZEN_RATED)
def citizen_rate(*, token: str, rating: int, comment: str = "", user: Any = None) -> Matter:
    """Record the citizen's rating (1–5) and comment on the matter; the link is spent. One row: the rating's, with
    the matter's ``citizen_rated`` step gathered into it."""
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": "请选择1到5分。"})
    comment = comment.strip()
    if len(comment) > 300:
        raise ValidationError({"comment": "意见请不要超过300字。"})
    with transaction.atomic():
        link = link_for(token)
        link = RatingLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise ValidationError(REFUSED, code="refused")
        if is_staff_of(user, link.matter):
            raise PermissionDenied("工作人员不能为本人或本单位办理的事项评价。")
        matter = matter_services.lock_matter(link.matter)
        previous = matter.rating
        matter.rating = rating
        matter.rating_comment = comment
        matter.save(update_fields=["rating", "rating_comment", "updated_at"])
        matter_services.record_step(
            matter=matter,
            code="citizen_rated",
            actor=None,
            note=comment,
            data={"rating": rating, "via": "online", "previous": previous},
        )
        link.used_at = clock.now()
        link.save(update_fields=["used_at"])
        audit(
            actor=None, action="online.citizen_rated", obj=matter, node=matter.node, data={"rating": rating}
        )
    return matter
