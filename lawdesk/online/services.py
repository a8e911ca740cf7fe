"""Online requests: each one becomes a visit (channel 网上) with its matter at the platform the citizen chose,
registered through the same services as the window (``visit_register``, ``application_record``,
``appointment_book``, ``complaint_record``) by that platform's online intake account, which holds a window-clerk
role there and nowhere else. A clerk of the platform then claims the matter (a hand-over offered by the intake
account and confirmed by the clerk, through the matters services), and it runs the ordinary loop.
"""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.accounts.services import role_assign
from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import TAKING_PLACE, Slot
from lawdesk.complaints import services as complaint_services
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_personal_phone
from lawdesk.legalaid import rules as legal_aid_rules
from lawdesk.legalaid import services as legal_aid_services
from lawdesk.legalaid.models import standard_for
from lawdesk.matters import access as matter_access
from lawdesk.matters import deadlines
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, LegalField, Matter, MatterKind
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.services import notify
from lawdesk.online.models import IntakeAccount, OnlineRequest, RequestKind
from lawdesk.online.security import new_tracking_code, normalise_code, phone_digest
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.workcal.workdays import is_working_day

INTAKE_USERNAME = "online-intake-{pk}"

# --- where a request lands -----------------------------------------------------------------------------


def districts() -> QuerySet[OrgNode]:
    """The districts and counties a citizen picks from."""
    return OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True).order_by(
        "region_code", "path"
    )


def district_platforms(district: OrgNode) -> list[OrgNode]:
    """The district's platforms a citizen may send a request to: its centre first, then the town and village
    stations (the streets)."""
    nodes = OrgNode.objects.subtree(district).platforms().filter(is_active=True)
    centres = [n for n in nodes if n.kind == NodeKind.SERVICE_CENTRE and n.parent_id == district.pk]
    rest = [n for n in nodes if n not in centres and n.kind != NodeKind.SPECIAL_CENTRE]
    return centres + sorted(rest, key=lambda n: (n.region_code, n.path))


def landing_platform(*, district_id: Any, station_id: Any = None) -> OrgNode:
    """The platform chosen in the pick-lists, or the district's centre when no station was chosen."""
    try:
        district = districts().get(pk=int(district_id))
    except (OrgNode.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError({"district": "请选择所在的区(县)。"}) from exc
    platforms = district_platforms(district)
    if station_id not in (None, ""):
        for node in platforms:
            if str(node.pk) == str(station_id):
                return node
        raise ValidationError({"station": "所选的街道(镇)服务站不在该区(县)，请重新选择。"})
    centre = next((n for n in platforms if n.kind == NodeKind.SERVICE_CENTRE), None)
    if centre is None:
        raise ValidationError({"station": "该区(县)暂未开通网上受理，请选择一个街道(镇)服务站。"})
    return centre


# --- the intake account --------------------------------------------------------------------------------


def intake_account_for(node: OrgNode) -> User:
    """The platform's online intake account, created on first use: a window-clerk role at ``node`` only, no
    usable password (it never logs in)."""
    if not node.is_platform:
        raise ValidationError({"station": "只能向公共法律服务中心(站)提交网上申请。"})
    account = IntakeAccount.objects.select_related("user").filter(node=node).first()
    if account is not None:
        return account.user
    try:
        with transaction.atomic():
            user = User(username=INTAKE_USERNAME.format(pk=node.pk), full_name=f"网上受理（{node.name}）")
            user.set_unusable_password()
            user.save()
            role_assign(actor=None, user=user, role=Role.WINDOW_CLERK, node=node)
            account = IntakeAccount.objects.create(node=node, user=user)
            audit(actor=None, action="online.intake_account_created", obj=account, node=node)
    except IntegrityError:  # created meanwhile by a concurrent request
        account = IntakeAccount.objects.select_related("user").get(node=node)
    return account.user


def is_intake_account(user: Any) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and IntakeAccount.objects.filter(user_id=pk).exists()


# --- the requests --------------------------------------------------------------------------------------


@dataclass
class Citizen:
    name: str
    phone: str
    groups: list[str]


def _check_citizen(citizen: Citizen, errors: dict[str, str]) -> None:
    if not citizen.name.strip():
        errors["name"] = "请填写您的姓名。"
    if not citizen.phone.strip():
        errors["phone"] = "请填写手机号码，用于查询进度和接收通知。"
    else:
        try:
            validate_personal_phone(citizen.phone.strip())
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
        else:
            if not citizen.phone.strip().startswith("1") or len(citizen.phone.strip()) != 11:
                errors["phone"] = "请填写11位手机号码（用于查询进度和接收短信）。"


def _person(citizen: Citizen) -> PersonInput:
    return PersonInput(name=citizen.name.strip(), phone=citizen.phone.strip(), groups=list(citizen.groups))


def _track(*, kind: str, matter: Matter, phone: str, address: str) -> OnlineRequest:
    """The tracking record, with a fresh code (retried on the rare collision)."""
    for _ in range(5):
        try:
            with transaction.atomic():
                return OnlineRequest.objects.create(
                    code=new_tracking_code(),
                    kind=kind,
                    matter=matter,
                    phone_digest=phone_digest(phone),
                    address_digest=address,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free tracking code")


def _audit(request: OnlineRequest, actor: User) -> None:
    audit(
        actor=actor,
        action="online.request_received",
        obj=request,
        node=request.matter.node,
        data={"kind": request.kind, "matter": request.matter_id},
    )
    _announce(request)


def answer_days() -> int:
    """The working days within which an online question is answered, as the city's deadline rules say (the
    promise on the question form; the progress page then shows the date, counted by the same rule)."""
    city = OrgNode.objects.filter(parent__isnull=True).order_by("path").first()
    if city is None:
        return deadlines.DEFAULT_DAYS["outcome"]
    return deadlines.stage_days(node=city, kind=MatterKind.CONSULTATION, stage="outcome")


def announced_to(node: OrgNode) -> list[User]:
    """Who is told that an online request arrived at platform ``node``: its window clerks; where it has none,
    the judicial office staff above it (who may claim for its stations). Never the intake account."""
    clerks = list(scoping.users_holding(Role.WINDOW_CLERK, at=node, people_only=True))
    return clerks or list(scoping.users_holding(Role.OFFICE_STAFF, at_or_above=node, people_only=True))


def _announce(request: OnlineRequest) -> None:
    """An in-app notice (the bell's count) to those who may claim it; no personal data in its text."""
    node = request.matter.node
    text = f"{node.name}收到一件{request.get_kind_display()}（网上），请到“工作 ▸ 网上申请”认领办理。"
    for user in announced_to(node):
        notify(user=user, text=text, matter=request.matter, sms=False)


@service(AuditAction.ONLINE_REQUEST_RECEIVED)
def consultation_submit(
    *, node: OrgNode, citizen: Citizen, question: str, legal_field: str = "", address: str
) -> OnlineRequest:
    """网上咨询: a consultation matter for the platform's clerks to answer."""
    errors: dict[str, str] = {}
    _check_citizen(citizen, errors)
    if len(question.strip()) < 5:
        errors["question"] = "请把您的问题写清楚（至少5个字）。"
    elif len(question.strip()) > 2000:
        errors["question"] = "问题请不要超过2000字。"
    if legal_field and legal_field not in LegalField.values:
        errors["legal_field"] = "请选择问题所属的领域。"
    if errors:
        raise ValidationError(errors)
    actor = intake_account_for(node)
    with transaction.atomic():
        visit = matter_services.visit_register(
            actor=actor,
            node=node,
            person_data=_person(citizen),
            matters=[
                MatterInput(
                    kind=MatterKind.CONSULTATION,
                    summary=question.strip(),
                    legal_field=legal_field or LegalField.OTHER,
                )
            ],
            channel=Channel.ONLINE,
            summary=f"网上咨询：{question.strip()[:200]}",
        )
        tracked = _track(
            kind=RequestKind.CONSULTATION, matter=visit.matters.get(), phone=citizen.phone, address=address
        )
        _audit(tracked, actor)
    return tracked


def legal_aid_self_check(
    *,
    node: OrgNode,
    category: str,
    art32_situation: str = "",
    exempt_group: str = "",
    household_size: int = 1,
    monthly_income: Decimal | None = None,
    groups: list[str] | None = None,
) -> legal_aid_rules.Assessment:
    """The eligibility self-check: the same rules module and the same district standard as the window."""
    return legal_aid_rules.assess(
        category=category,
        art32_situation=art32_situation,
        exempt_group=exempt_group,
        household_size=household_size,
        monthly_income=monthly_income,
        standard=standard_for(node, clock.today()),
        vulnerable_groups=groups or [],
    )


@service(AuditAction.ONLINE_REQUEST_RECEIVED)
def legal_aid_submit(
    *,
    node: OrgNode,
    citizen: Citizen,
    application: legal_aid_services.ApplicationInput,
    address: str,
) -> OnlineRequest:
    """法律援助预申请: a legal-aid matter with its application form filled from what the citizen typed; the window
    reviews it (初审) after checking the materials in person."""
    errors: dict[str, str] = {}
    _check_citizen(citizen, errors)
    if not application.case_facts.strip():
        errors["case_facts"] = "请简要写明案情和申请理由。"
    if errors:
        raise ValidationError(errors)
    actor = intake_account_for(node)
    with transaction.atomic():
        visit = matter_services.visit_register(
            actor=actor,
            node=node,
            person_data=_person(citizen),
            matters=[
                MatterInput(
                    kind=MatterKind.LEGAL_AID,
                    summary=f"法律援助预申请：{application.case_facts.strip()[:200]}",
                )
            ],
            channel=Channel.ONLINE,
        )
        matter = visit.matters.get()
        legal_aid_services.application_record(actor=actor, matter=matter, data=application)
        tracked = _track(kind=RequestKind.LEGAL_AID, matter=matter, phone=citizen.phone, address=address)
        _audit(tracked, actor)
    return tracked


@service(AuditAction.ONLINE_REQUEST_RECEIVED)
def complaint_submit(
    *,
    node: OrgNode,
    citizen: Citizen,
    anonymous: bool,
    statement: str,
    subject_name: str = "",
    subject_unit: str = "",
    address: str,
) -> OnlineRequest:
    """投诉举报: recorded as typed in the complaints register; the phone is kept for tracking and the answer."""
    errors: dict[str, str] = {}
    _check_citizen(
        Citizen(name=citizen.name if not anonymous else "匿名", phone=citizen.phone, groups=[]), errors
    )
    if errors:
        raise ValidationError(errors)
    actor = intake_account_for(node)
    with transaction.atomic():
        detail = complaint_services.complaint_record(
            actor=actor,
            node=node,
            statement=statement,
            channel=Channel.ONLINE,
            anonymous=anonymous,
            contact_name="" if anonymous else citizen.name.strip(),
            contact_phone=citizen.phone.strip(),
            subject_name=subject_name,
            subject_unit=subject_unit,
        )
        tracked = _track(
            kind=RequestKind.COMPLAINT, matter=detail.matter, phone=citizen.phone, address=address
        )
        _audit(tracked, actor)
    return tracked


# --- appointments --------------------------------------------------------------------------------------


def free_slots(node: OrgNode, *, days: int = 30) -> list[Slot]:
    """The platform's own slots a citizen may book online: future, on working days, not full."""
    now = clock.now()
    slots = (
        Slot.objects.filter(node=node, start__gt=now, start__lte=now + datetime.timedelta(days=days))
        .annotate(n_taken=Count("appointments", filter=Q(appointments__status__in=TAKING_PLACE)))
        .order_by("start", "id")
    )
    free: list[Slot] = []
    for s in slots:
        left = s.capacity - s.n_taken
        if left > 0 and is_working_day(timezone.localdate(s.start)):
            setattr(s, "left", left)  # noqa: B010 — shown as 余N位
            free.append(s)
    return free


def district_of(node: OrgNode) -> OrgNode | None:
    return OrgNode.objects.filter(path__in=node.ancestor_paths(), kind=NodeKind.DISTRICT_BUREAU).first()


def bookable_platforms(district: OrgNode) -> list[OrgNode]:
    """The district's platforms that have a free slot in the next 30 days."""
    now = clock.now()
    with_slots = set(
        Slot.objects.filter(node__isnull=False, start__gt=now, start__lte=now + datetime.timedelta(days=30))
        .values_list("node_id", flat=True)
        .distinct()
    )
    return [n for n in district_platforms(district) if n.pk in with_slots and free_slots(n)]


@service(AuditAction.ONLINE_REQUEST_RECEIVED)
def appointment_submit(*, slot: Slot, citizen: Citizen, summary: str, address: str) -> OnlineRequest:
    """预约: a place in one of the platform's slots, through the same booking service (capacity and working days
    checked under the slot's row lock)."""
    errors: dict[str, str] = {}
    _check_citizen(citizen, errors)
    if not summary.strip():
        errors["summary"] = "请简要写明要咨询或办理的事情。"
    if slot.node is None:
        errors["slot"] = "该时段不能网上预约。"
    if errors:
        raise ValidationError(errors)
    assert slot.node is not None
    actor = intake_account_for(slot.node)
    with transaction.atomic():
        appointment = appointment_services.appointment_book(
            actor=actor,
            slot=slot,
            summary=summary.strip(),
            person_data=_person(citizen),
            channel=Channel.ONLINE,
            phone=citizen.phone.strip(),
        )
        tracked = _track(
            kind=RequestKind.APPOINTMENT, matter=appointment.matter, phone=citizen.phone, address=address
        )
        _audit(tracked, actor)
    return tracked


# --- progress ------------------------------------------------------------------------------------------


def track_find(*, code: str, phone: str) -> OnlineRequest | None:
    """The request with this code whose phone matches; None for a wrong code and a wrong phone alike."""
    found = (
        OnlineRequest.objects.select_related("matter", "matter__node", "matter__institution")
        .filter(code=normalise_code(code))
        .first()
    )
    wanted = phone_digest(phone)
    if found is None or not hmac.compare_digest(found.phone_digest, wanted):
        return None
    return found


# --- the clerk's side ----------------------------------------------------------------------------------


def unclaimed_for(actor: Any) -> list[OnlineRequest]:
    """Online requests the actor may claim (at platforms where they may register visits: a clerk's own, the
    stations under a judicial office) that the intake account still owns."""
    if not scoping.has_role(actor, Role.WINDOW_CLERK, Role.OFFICE_STAFF):
        return []
    rows = (
        OnlineRequest.objects.filter(matter__owner__in=IntakeAccount.objects.values("user_id"))
        .filter(matter_access.matters_q(actor, "matter__"))
        .select_related("matter", "matter__node")
        .order_by("created_at", "id")
    )
    return [r for r in rows if matter_services.can_receive_at(actor, r.matter.node)]


def unclaimed_count_for(actor: Any) -> int:
    """``len(unclaimed_for(actor))`` for the menu's badge on every page, in one COUNT query: the platforms
    where the actor may receive (``can_receive_at``: a platform kind under one of the actor's intake grants)
    are a filter on the matter's node, so no request and no node is loaded."""
    from lawdesk.core.tree import PLATFORM_KINDS

    scope = scoping.scope_for(actor)
    if not scope.holds(Role.WINDOW_CLERK, Role.OFFICE_STAFF):
        return 0
    return (
        OnlineRequest.objects.filter(matter__owner__in=IntakeAccount.objects.values("user_id"))
        .filter(matter_access.matters_q(actor, "matter__"))
        .filter(
            scoping.paths_q(scope.paths_of(*scoping.INTAKE_ROLES), "matter__node__"),
            matter__node__kind__in=list(PLATFORM_KINDS),
        )
        .count()
    )


@service(AuditAction.ONLINE_CLAIMED)
def online_claim(*, actor: Any, matter: Matter) -> Matter:
    """A clerk of the platform takes over an online request: the intake account offers the hand-over and the
    clerk confirms it, through the matters services (first-responder rule: the clerk owns it from now)."""
    if not matter_services.can_receive_at(actor, matter.node):
        raise PermissionDenied("只有该平台的窗口接待人员或司法所工作人员可以认领网上申请。")
    account = IntakeAccount.objects.select_related("user").filter(node=matter.node).first()
    if account is None or matter.owner_id != account.user_id:
        raise ValidationError("该网上申请已由工作人员认领。")
    with transaction.atomic():
        try:
            matter_services.matter_handover_offer(
                actor=account.user, matter=matter, to_user=actor, note="网上申请由窗口工作人员认领"
            )
        except PermissionDenied as exc:  # claimed meanwhile: the intake account no longer owns it
            raise ValidationError("该网上申请已由工作人员认领。") from exc
        matter = matter_services.matter_handover_confirm(actor=actor, matter=matter, note="认领网上申请")
        audit(actor=actor, action="online.claimed", obj=matter, node=matter.node, data={"matter": matter.pk})
    return matter
