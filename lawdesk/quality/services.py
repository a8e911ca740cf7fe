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
- at the kiosk: no login; the citizen types the visit's number and the one-time code of their slip (来访回执),
  something staff never see: the clerk prints the slip (``kiosk_code_issue``), the code is printed on it and sent
  by SMS to the citizen's mobile, and only a keyed hash is kept. A reprint makes a new code and voids the old one;
  a rating spends it; it expires with the rating window; 5 wrong tries lock the visit for 15 minutes and 20 void
  the code. Numbers are read through ``lawdesk.core.normalise`` (full-width digits are the same number), and the
  lock is kept on the visit, not on the text typed.
A matter takes one citizen rating whichever way it comes; the others then refuse, and an unused SMS link is spent.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.complaints.rules import COMPLAINT_ROLES, detail_of, is_subject
from lawdesk.core import clock, crypto, limits, normalise
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterEvent, MatterKind, MatterState, Visit
from lawdesk.notifications.backends import SmsError, get_backend
from lawdesk.orgs.models import OrgNode
from lawdesk.quality.models import ComplaintFinding, KioskCode

logger = logging.getLogger("lawdesk.sms")

# The states in which the citizen has had their answer.
FINISHED_STATES = frozenset(
    {MatterState.ANSWERED, MatterState.REDIRECTED, MatterState.CITIZEN_TOLD, MatterState.CLOSED}
)
CLOSABLE_STATES = frozenset({MatterState.ANSWERED, MatterState.REDIRECTED, MatterState.CITIZEN_TOLD})
VIA_LABELS = {"online": "短信链接", "tablet": "窗口平板", "kiosk": "自助一体机"}
KIOSK_REFUSED = (
    "没有找到可以评价的事项：请核对来访编号和回执上的6位评价码；评价码只能使用一次，重新打印回执后旧码作废。"
)
KIOSK_THROTTLED = "尝试次数过多，请15分钟后再试，或拨打12348热线。"
KIOSK_NOTHING_YET = "评价码正确，但该次来访的事项尚未办结（或已评价过），暂不能评价；评价码仍然有效。"
KIOSK_CODE_DIGITS = 6
KIOSK_LOCK_TRIES, KIOSK_LOCK_SECONDS = 5, 900
KIOSK_CODE_MAX_FAILURES = 20


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


@service(AuditAction.QUALITY_TABLET_RATED)
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


def kiosk_code_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "LAWDESK_ONLINE_RATING_DAYS", 30))


def _code_digest(visit: Visit, code: str) -> str:
    return crypto.blind_index("kiosk_code", f"{visit.pk}:{code}")


def may_print_receipt(actor: Any, visit: Visit) -> bool:
    """The window: clerks and judicial office staff who may register visits at the visit's platform."""
    return bool(matter_services.can_receive_at(actor, visit.node))


@service(AuditAction.QUALITY_KIOSK_CODE_ISSUED)
def kiosk_code_issue(*, actor: Any, visit: Visit) -> tuple[KioskCode, str]:
    """A new one-time code for the visit's slip: every earlier unused code of the visit is void. The code is
    returned once (to print) and sent by SMS to the citizen's mobile; only its keyed hash is stored."""
    if not may_print_receipt(actor, visit):
        raise PermissionDenied("只有该平台的窗口接待人员或司法所工作人员可以打印来访回执。")
    code = f"{secrets.randbelow(10**KIOSK_CODE_DIGITS):0{KIOSK_CODE_DIGITS}d}"
    days = kiosk_code_days()
    now = clock.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("node", "person").get(pk=visit.pk)
        voided = KioskCode.objects.filter(visit=visit, used_at__isnull=True, voided_at__isnull=True).update(
            voided_at=now
        )
        record = KioskCode.objects.create(
            visit=visit,
            code_digest=_code_digest(visit, code),
            issued_by=actor,
            expires_at=now + datetime.timedelta(days=days),
        )
        phone = normalise.digits(visit.person_as_told.phone or "")
        if phone.startswith("1") and len(phone) == 11:  # only a mobile number takes an SMS
            text = (
                f"【西安市公共法律服务】您在{visit.node.name}的来访编号为{visit.seq:04d}，评价码{code}"
                f"（{days}天内有效，只能使用一次，请勿告诉他人）。事项办结后，可在该平台的自助评价机上输入来访编号"
                "和评价码，评价我们的服务。"
            )
            try:
                get_backend().send(phone=phone, text=text)
            except SmsError:
                logger.warning("kiosk code of visit %s not sent", visit.pk)
            else:
                record.sms_sent = True
                record.save(update_fields=["sms_sent"])
        audit(
            actor=actor,
            action="quality.kiosk_code_issued",
            obj=visit,
            node=visit.node,
            data={"kiosk_code": record.pk, "voided": voided, "sms_sent": record.sms_sent},
        )
    return record, code


def _visit_lock_key(visit: Visit) -> str:
    return f"quality:kiosk:visit:{visit.pk}"


def _number_lock_key(node: OrgNode, seq: int) -> str:
    return f"quality:kiosk:number:{node.pk}:{clock.today().year}:{seq}"


def _locked(key: str) -> bool:
    return limits.count(key) >= KIOSK_LOCK_TRIES


def _count_failure(key: str) -> None:
    """One wrong try, counted atomically in the shared cache (lawdesk.core.limits): holds across servers."""
    limits.hit(key, KIOSK_LOCK_SECONDS)


def _live_code(visit: Visit, *, lock: bool = True) -> KioskCode | None:
    """The visit's unused, unexpired code; locked for update unless only read (outside a transaction)."""
    codes = KioskCode.objects.select_for_update() if lock else KioskCode.objects.all()
    return (
        codes.filter(visit=visit, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=clock.now())
        .order_by("-issued_at", "-id")
        .first()
    )


def _kiosk_failed(*, node: OrgNode, seq: int, visits: list[Visit]) -> None:
    """A wrong try, counted on the visits it was aimed at (or the number, when no such visit exists); a code
    tried wrongly ``KIOSK_CODE_MAX_FAILURES`` times is void."""
    if not visits:
        _count_failure(_number_lock_key(node, seq))
        return
    with transaction.atomic():
        for visit in visits:
            _count_failure(_visit_lock_key(visit))
            live = _live_code(visit)
            if live is None:
                continue
            KioskCode.objects.filter(pk=live.pk).update(failed_attempts=F("failed_attempts") + 1)
            live.refresh_from_db(fields=["failed_attempts"])
            if live.failed_attempts >= KIOSK_CODE_MAX_FAILURES:
                live.voided_at = clock.now()
                live.save(update_fields=["voided_at"])
                audit(
                    actor=None,
                    action="quality.kiosk_code_voided",
                    obj=visit,
                    node=visit.node,
                    data={"kiosk_code": live.pk, "failed_attempts": live.failed_attempts},
                )


def kiosk_rate(*, node: OrgNode, visit_seq: str, code: str, rating: Any, comment: str = "") -> list[Matter]:
    """Rate, at the kiosk of platform ``node``, every finished and not yet rated matter of the visit numbered
    ``visit_seq`` (this year's or last year's) whose slip carries ``code``; the code is spent. One answer for
    every wrong number or code."""
    value, comment = _clean(rating, comment)
    seq = normalise.number(visit_seq)
    typed = normalise.digits(code)
    if seq is None or seq <= 0 or len(typed) != KIOSK_CODE_DIGITS:
        raise ValidationError({"visit_seq": "请输入来访编号和回执上的6位评价码。"})
    year = clock.today().year
    visits = list(
        Visit.objects.filter(node=node, seq=seq, year__in=(year, year - 1))
        .order_by("-year")
        .select_related("node")
    )
    keys = [_visit_lock_key(v) for v in visits] or [_number_lock_key(node, seq)]
    if any(_locked(k) for k in keys):
        raise ValidationError(KIOSK_THROTTLED, code="throttled")
    visit = _matching_visit(visits, typed)
    if visit is None:
        # A wrong try is its own act, kept although the rating is refused (it counts towards the lock).
        _kiosk_failed(node=node, seq=seq, visits=visits)
        raise ValidationError(KIOSK_REFUSED, code="refused")
    return kiosk_rate_visit(visit=visit, typed=typed, value=value, comment=comment)


def _matching_visit(visits: list[Visit], typed: str) -> Visit | None:
    """The visit whose live code is the one typed (read only: nothing is counted here)."""
    for visit in visits:
        live = _live_code(visit, lock=False)
        if live is not None and hmac.compare_digest(live.code_digest, _code_digest(visit, typed)):
            return visit
    return None


@service(AuditAction.QUALITY_KIOSK_RATED)
def kiosk_rate_visit(*, visit: Visit, typed: str, value: int, comment: str = "") -> list[Matter]:
    """The citizen's rating of the finished matters of ``visit`` whose code they typed; the code is then used.
    Nothing is rated (and the code kept) when no matter is finished yet."""
    rated: list[Matter] = []
    with transaction.atomic():
        live = _live_code(visit)
        if live is None or not hmac.compare_digest(live.code_digest, _code_digest(visit, typed)):
            raise ValidationError(KIOSK_REFUSED, code="refused")
        for candidate in visit.matters.order_by("pk"):
            matter = matter_services.lock_matter(candidate)
            if matter.state not in FINISHED_STATES or has_citizen_rating(matter):
                continue
            rated.append(
                _record_citizen_rating(matter=matter, rating=value, comment=comment, via="kiosk", data={})
            )
        if not rated:
            raise ValidationError(KIOSK_NOTHING_YET, code="nothing_to_rate")
        live.used_at = clock.now()
        live.save(update_fields=["used_at"])
        for matter in rated:
            audit(
                actor=None,
                action="quality.kiosk_rated",
                obj=matter,
                node=matter.node,
                data={"rating": value, "kiosk_code": live.pk},
            )
    return rated


# --- complaint findings ----------------------------------------------------------------------------------


def can_record_finding(actor: Any, matter: Matter) -> bool:
    """Complaint roles whose node covers the platform that received the complaint; never its subject."""
    if matter.kind != MatterKind.COMPLAINT or is_subject(actor, matter):
        return False
    return scoping.holds_at(actor, matter.node, *COMPLAINT_ROLES)


@service(AuditAction.QUALITY_COMPLAINT_FINDING)
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
