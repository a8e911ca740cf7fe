"""The citizen's rating at the window (tablet) and at the kiosk, and the finding of a complaint.

Who rates (plan 七(七): staff never rate their own work):
- by SMS link: ``lawdesk.online.rating`` (one-time link, refused to staff who can see the matter);
- at the window: the clerk opens the full-screen tablet page for a finished matter and hands the tablet over; the
  citizen taps a face and 提交. The rating is recorded as the citizen's (``citizen_rated``, actor none,
  ``via=tablet``) with the clerk named as the one who handed the tablet over (``handed_by``); a matter waiting
  to be closed is closed by that tap through ``matter_close``. Nothing technical can tell whose finger tapped:
  the honest guarantees are that the rating is entered once, only on the tablet page, never through a staff
  form, that it cannot be changed afterwards by anyone, and that each rating names its channel and hand-over so
  a supervisor can compare tablet ratings with SMS and kiosk ratings of the same worker.
- at the kiosk: no login; the citizen types the visit's number and the last 4 digits of their phone.
A matter takes one citizen rating whichever way it comes; the others then refuse, and an unused SMS link is spent.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.complaints.rules import COMPLAINT_ROLES, detail_of, is_subject
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterEvent, MatterKind, MatterState, Visit
from lawdesk.orgs.models import OrgNode
from lawdesk.quality.models import ComplaintFinding

# The states in which the citizen has had their answer.
FINISHED_STATES = frozenset(
    {MatterState.ANSWERED, MatterState.REDIRECTED, MatterState.CITIZEN_TOLD, MatterState.CLOSED}
)
CLOSABLE_STATES = frozenset({MatterState.ANSWERED, MatterState.REDIRECTED, MatterState.CITIZEN_TOLD})
VIA_LABELS = {"online": "短信链接", "tablet": "窗口平板", "kiosk": "自助一体机"}
KIOSK_REFUSED = "没有找到可以评价的事项：请核对来访编号和手机号后4位；已评价过的事项不能重复评价。"
KIOSK_THROTTLED = "尝试次数过多，请15分钟后再试，或请窗口工作人员协助。"


def has_citizen_rating(matter: Matter) -> bool:
    return MatterEvent.objects.filter(matter_id=matter.pk, code="citizen_rated").exists()


def _clean(rating: Any, comment: str) -> tuple[int, str]:
    errors = {}
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if value not in (1, 2, 3, 4, 5):
        errors["rating"] = "请选择1到5分（点一下表情）。"
    comment = (comment or "").strip()
    if len(comment) > 300:
        errors["comment"] = "意见请不要超过300字。"
    if errors:
        raise ValidationError(errors)
    return value, comment


def _record_citizen_rating(
    *, matter: Matter, rating: int, comment: str, via: str, closer: Any = None, data: dict[str, Any]
) -> Matter:
    """Inside a transaction, the matter locked: refuse a second rating, close it when ``closer`` may, write the
    rating and its ``citizen_rated`` step, and spend any unused SMS link."""
    from lawdesk.online.models import RatingLink

    if matter.state not in FINISHED_STATES:
        raise ValidationError("事项尚未办结（或尚未告知群众），还不能评价。", code="not_finished")
    if has_citizen_rating(matter):
        raise ValidationError("该事项群众已经评价过，不能重复评价。", code="already_rated")
    previous = matter.rating
    if closer is not None and matter.state in CLOSABLE_STATES:
        matter = matter_services.matter_close(actor=closer, matter=matter, rating=rating, comment=comment)
    else:
        matter.rating = rating
        matter.rating_comment = comment
        matter.save(update_fields=["rating", "rating_comment", "updated_at"])
    matter_services.record_step(
        matter=matter,
        code="citizen_rated",
        actor=None,
        note=comment,
        data={"rating": rating, "via": via, "previous": previous, **data},
    )
    RatingLink.objects.filter(matter=matter, used_at__isnull=True).update(used_at=clock.now())
    return matter


def tablet_rate(*, handed_by: Any, matter: Matter, rating: Any, comment: str = "") -> Matter:
    """The citizen's tap on the window tablet the clerk ``handed_by`` opened for ``matter``."""
    value, comment = _clean(rating, comment)
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        if not matter_services.can_act_for_front(handed_by, matter):
            raise PermissionDenied("只有该事项的首问负责人或其上级可以请群众在平板上评价。")
        matter = _record_citizen_rating(
            matter=matter, rating=value, comment=comment, via="tablet", closer=handed_by,
            data={"handed_by": handed_by.pk},
        )  # fmt: skip
        audit(
            actor=handed_by,
            action="quality.tablet_rated",
            obj=matter,
            node=matter.node,
            data={"rating": value},
        )
    return matter


def _phone_of(matter: Matter) -> str:
    detail = detail_of(matter)
    if detail is not None:
        return str(detail.contact_phone or "")
    return str(matter.visit.person.phone or "")


def kiosk_throttled(*, node: OrgNode, seq: str) -> bool:
    """One failed try counted per platform and visit number: over 5 in 15 minutes locks that number."""
    key = f"quality:kiosk:{node.pk}:{seq}"
    cache.add(key, 0, timeout=900)
    try:
        return int(cache.get(key) or 0) >= 5
    except (TypeError, ValueError):
        return False


def _kiosk_failed(*, node: OrgNode, seq: str) -> None:
    key = f"quality:kiosk:{node.pk}:{seq}"
    cache.add(key, 0, timeout=900)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=900)


def kiosk_rate(
    *, node: OrgNode, visit_seq: str, phone_last4: str, rating: Any, comment: str = ""
) -> list[Matter]:
    """Rate, at the kiosk of platform ``node``, every finished and not yet rated matter of this year's visit
    number ``visit_seq`` (or of the online request with that tracking code) whose citizen's phone ends in
    ``phone_last4``. One answer for every failure."""
    from lawdesk.online.models import OnlineRequest
    from lawdesk.online.security import normalise_code

    value, comment = _clean(rating, comment)
    raw = (visit_seq or "").strip()
    by_code = bool(raw) and not raw.isdigit()  # an online request's tracking code instead of a visit number
    seq = normalise_code(raw) if by_code else raw.lstrip("0")
    last4 = (phone_last4 or "").strip()
    if not seq or (not by_code and not seq.isdigit()) or len(last4) != 4 or not last4.isdigit():
        raise ValidationError({"visit_seq": "请输入来访编号（或网上申请查询码）和手机号后4位。"})
    if kiosk_throttled(node=node, seq=seq):
        raise ValidationError(KIOSK_THROTTLED, code="throttled")
    year = clock.today().year
    with transaction.atomic():
        visit: Visit | None
        if by_code:
            request = OnlineRequest.objects.select_related("matter__visit").filter(code=seq).first()
            visit = (
                request.matter.visit if request is not None and request.matter.node_id == node.pk else None
            )
        else:
            visit = Visit.objects.filter(node=node, year=year, seq=int(seq)).first()
        rated: list[Matter] = []
        if visit is not None:
            for candidate in visit.matters.order_by("pk"):
                matter = matter_services.lock_matter(candidate)
                if not _phone_of(matter).endswith(last4) or len(_phone_of(matter)) < 4:
                    continue
                if matter.state not in FINISHED_STATES or has_citizen_rating(matter):
                    continue
                rated.append(
                    _record_citizen_rating(matter=matter, rating=value, comment=comment, via="kiosk", data={})
                )
        if not rated:
            _kiosk_failed(node=node, seq=seq)
            raise ValidationError(KIOSK_REFUSED, code="refused")
        for matter in rated:
            audit(
                actor=None, action="quality.kiosk_rated", obj=matter, node=matter.node, data={"rating": value}
            )
    return rated


# --- complaint findings ----------------------------------------------------------------------------------


def can_record_finding(actor: Any, matter: Matter) -> bool:
    """Complaint roles whose node covers the platform that received the complaint; never its subject."""
    if matter.kind != MatterKind.COMPLAINT or is_subject(actor, matter):
        return False
    return scoping.holds_at(actor, matter.node, *COMPLAINT_ROLES)


def complaint_finding_record(*, actor: Any, matter: Matter, upheld: bool, note: str = "") -> ComplaintFinding:
    """Record once whether a complaint was found well founded (查实); against the worker it names (the
    complaint's subject user) and the platform (that worker's platform, else the platform that received it)."""
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        if not can_record_finding(actor, matter):
            raise PermissionDenied("只有受理平台上级的司法所或司法局可以认定投诉是否查实（被投诉人除外）。")
        if matter.state not in (MatterState.OUTCOME_RECORDED, MatterState.CITIZEN_TOLD, MatterState.CLOSED):
            raise ValidationError({"upheld": "投诉办结（已答复）后才能认定是否查实。"})
        if ComplaintFinding.objects.filter(matter=matter).exists():
            raise ValidationError({"upheld": "该投诉已认定过，不能重复认定。"})
        detail = detail_of(matter)
        against_user = None
        against_node = matter.node
        if detail is not None and detail.subject_user_id:
            against_user = User.objects.get(pk=detail.subject_user_id)
            against_node = scoping.home_node(against_user) or against_node
        finding = ComplaintFinding.objects.create(
            matter=matter,
            upheld=upheld,
            against_user=against_user,
            against_node=against_node,
            note=note.strip()[:500],
            decided_by=actor,
        )
        audit(
            actor=actor,
            action="quality.complaint_finding",
            obj=finding,
            node=matter.node,
            data={"matter": matter.pk, "upheld": upheld},
        )
    return finding
