"""State changes of visits and matters. Each is keyword-only, runs in one transaction, checks who may do it,
checks the move against the event registry and writes an append-only MatterEvent."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.core import clock, normalise
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_credit_code, validate_personal_phone, validate_phone
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution
from lawdesk.matters import commands, deadlines, people_search
from lawdesk.matters.events import EVENTS, check_move
from lawdesk.matters.models import (
    Adoption,
    Channel,
    LegalField,
    Matter,
    MatterEvent,
    MatterKind,
    OneTripMode,
    ServiceType,
    ToldVia,
    Visit,
)
from lawdesk.matters.models import MatterState as S
from lawdesk.matters.numbering import KIND_LEDGERS, VISIT_LEDGER, next_number
from lawdesk.orgs.models import OrgNode
from lawdesk.people.identity import name_initials, parse_id_number
from lawdesk.people.models import ClientKind, Person, VulnerableGroup, stored_groups

# Kept for the callers that name them; the rules are in lawdesk.accounts.scoping.
OVERSIGHT_ROLES = scoping.OVERSIGHT_ROLES
INTAKE_ROLES = scoping.INTAKE_ROLES


# --- who may do what (per role at the matter's node: lawdesk.accounts.scoping, lawdesk.matters.commands) ------


def can_receive_at(actor: Any, node: OrgNode) -> bool:
    """A window clerk of the platform (or judicial office staff above it) may register visits there."""
    return scoping.can_receive_at(actor, node)


def oversee_node(actor: Any, node: OrgNode) -> OrgNode | None:
    """The nearest node above (or at) ``node`` where the actor holds an oversight role, if any."""
    grant = scoping.oversight_grant(actor, node)
    return OrgNode.objects.get(pk=grant.node_id) if grant is not None and grant.node_id else None


def oversees(actor: Any, node: OrgNode) -> bool:
    return scoping.oversight_grant(actor, node) is not None


def can_act_for_front(actor: Any, matter: Matter) -> bool:
    """First responder: the owner acts on the matter; the office and bureaus above may act on their behalf."""
    return commands.acts_for_front(actor, matter)


def can_act_for_institution(actor: Any, matter: Matter) -> bool:
    return commands.acts_for_institution(actor, matter)


def can_record_outcome(actor: Any, matter: Matter) -> bool:
    """The handler, or the judicial office (and bureaus) above the matter on the handler's behalf."""
    return can_act_for_institution(actor, matter) or oversees(actor, matter.node)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- recording a move ----------------------------------------------------------------------------------


def record_event(
    matter: Matter,
    code: str,
    *,
    actor: Any,
    note: str = "",
    data: dict[str, Any] | None = None,
    institution: Institution | None = None,
    node: OrgNode | None = None,
) -> MatterEvent:
    """Apply event ``code`` to a matter locked by the caller: check the move, set state and deadline, save,
    and append the event."""
    problem = check_move(code, matter.state)
    if problem:
        raise ValidationError(problem, code="illegal_move")
    spec = EVENTS[code]
    from_state = matter.state
    if spec.to_state is not None:
        matter.state = spec.to_state
    if spec.starts_deadline:
        due = deadlines.stage_due(
            node=matter.node, kind=matter.kind, stage=spec.starts_deadline, start=clock.today()
        )
        setattr(matter, f"{spec.starts_deadline}_due", due)
    matter.save()
    return MatterEvent.objects.create(
        matter=matter,
        code=code,
        actor=actor if getattr(actor, "pk", None) else None,
        node=node if node is not None else (None if institution else matter.node),
        institution=institution,
        from_state=from_state if spec.to_state is not None and code != "received" else "",
        to_state=spec.to_state or "",
        note=note.strip(),
        data=data or {},
    )


def record_step(
    *, matter: Matter, code: str, actor: Any, note: str = "", data: dict[str, Any] | None = None
) -> MatterEvent:
    """Append an event that changes neither state nor deadlines: a step another domain records on a matter
    (a legal-aid review, a dispute's details, a complaint's note). Call inside that step's transaction."""
    spec = EVENTS[code]
    if spec.to_state is not None or spec.starts_deadline:
        raise ValueError(f"{code} moves the matter: use record_event")
    problem = check_move(code, Matter.objects.values_list("state", flat=True).get(pk=matter.pk))
    if problem:
        raise ValidationError(problem, code="illegal_move")
    return MatterEvent.objects.create(
        matter_id=matter.pk,
        code=code,
        actor=actor if getattr(actor, "pk", None) else None,
        node=matter.node,
        note=note.strip(),
        data=data or {},
    )


def lock_matter(matter: Matter) -> Matter:
    """Re-read the matter under a row lock, so two clicks or two people cannot both move it. Every service
    that changes a matter, here and in the domains around the loop, starts with this."""
    return (
        Matter.objects.select_for_update().select_related("node", "visit", "visit__person").get(pk=matter.pk)
    )


# --- intake --------------------------------------------------------------------------------------------


@dataclass
class PersonInput:
    name: str
    phone: str = ""
    id_number: str = ""
    address: str = ""
    gender: str = ""
    groups: list[str] = field(default_factory=list)
    # An organisation (enterprise, public institution, social organisation): ``name`` is its name, with its
    # unified social credit code and the person who came for it; it has no ID number and no vulnerable groups.
    client_kind: str = ClientKind.PERSON
    credit_code: str = ""
    contact_name: str = ""
    # The form showed the person's stored groups for editing (the intake page, for a person in reach): the
    # groups given replace them. Otherwise groups are added, never removed because they were left out.
    replace_groups: bool = False


@dataclass
class MatterInput:
    kind: str
    summary: str
    legal_field: str = ""
    service_type: str = ""
    answer: str = ""  # filled: answered on the spot
    one_trip_mode: str = ""


PERSON_NOT_FOUND = "所选的来访人不存在或您无权选用，请重新查找。"


@dataclass
class Said:
    """What the citizen said at a visit, checked; kept on the visit as said (``Visit.said_*``)."""

    name: str
    phone: str
    id_number: str
    address: str
    gender: str
    groups: list[str]
    client_kind: str = ClientKind.PERSON
    credit_code: str = ""
    contact_name: str = ""


def _clean_said(data: PersonInput) -> Said:
    errors: dict[str, str] = {}
    client_kind = data.client_kind or ClientKind.PERSON
    organisation = client_kind != ClientKind.PERSON
    name = data.name.strip()
    if client_kind not in ClientKind.values:
        errors["client_kind"] = "来访对象无效：请选择个人、企业、事业单位或社会组织。"
    if not name:
        errors["name"] = "单位名称不能为空。" if organisation else "姓名不能为空。"
    credit_code = normalise.text(data.credit_code).strip().upper()
    contact_name = data.contact_name.strip()
    if organisation:
        if data.id_number.strip():
            errors["id_number"] = "单位来访不填身份证号，请填写统一社会信用代码。"
        if data.groups:
            errors["groups"] = "特殊群体只适用于个人来访。"
        if credit_code:
            try:
                validate_credit_code(credit_code)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages[0]
    elif credit_code or contact_name:
        errors["client_kind"] = "填写了统一社会信用代码或联系人，请把来访对象选为企业、事业单位或社会组织。"
    phone = data.phone.strip()
    if phone:
        try:
            validate_personal_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    id_number, gender = data.id_number.strip(), data.gender
    if id_number:
        try:
            info = parse_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            id_number, gender = info.number, info.gender
    unknown = [g for g in data.groups if g not in VulnerableGroup.values]
    if unknown:
        errors["groups"] = f"特殊群体“{'、'.join(unknown)}”无效。"
    if errors:
        raise ValidationError(errors)
    groups = [g for g in VulnerableGroup.values if g in set(data.groups)]
    return Said(
        name, phone, id_number, data.address.strip(), "" if organisation else gender, groups,
        client_kind=client_kind, credit_code=credit_code, contact_name=contact_name,
    )  # fmt: skip


def _clean_person(
    said: Said, existing: Person | None, node: OrgNode, *, by_reference: bool, replace_groups: bool
) -> Person:
    """The person record to save with the visit. A person outside the actor's reach (``by_reference``) keeps
    every stored field; the groups said are added to theirs. In reach, what was said updates the record, and
    the groups are added unless the form showed them for editing (``replace_groups``)."""
    person = existing or Person(first_node=node)
    if existing is not None and (by_reference or not replace_groups):
        person.groups = [*person.groups, *said.groups]
    else:
        person.groups = said.groups
    if by_reference:
        return person
    person.name = said.name
    person.name_initials = name_initials(person.name)
    # A returning organisation stays one when the form was left at 个人 (the window picked it by name).
    if existing is None or said.client_kind != ClientKind.PERSON:
        person.client_kind = said.client_kind
    if person.client_kind != ClientKind.PERSON:
        person.groups = []
        if said.credit_code:
            person.credit_code = said.credit_code
        if said.contact_name:
            person.contact_name = said.contact_name
    if said.phone:
        person.phone = said.phone
    if said.id_number:
        info = parse_id_number(said.id_number)
        person.id_number, person.birth_date, person.gender = info.number, info.birth_date, info.gender
    elif said.gender:
        person.gender = said.gender
    if said.address:
        person.address = said.address
    person.full_clean(exclude=["first_node"])
    return person


def _clean_matter(data: MatterInput, index: int) -> dict[str, str]:
    prefix = f"第{index}项事项："
    errors: dict[str, str] = {}
    if data.kind not in MatterKind.values:
        errors["kind"] = f"{prefix}请选择事项类别。"
    if not data.summary.strip():
        errors["summary"] = f"{prefix}请填写事项摘要。"
    if data.legal_field and data.legal_field not in LegalField.values:
        errors["legal_field"] = f"{prefix}咨询领域无效。"
    if data.kind == MatterKind.SERVICE_TRANSFER and data.service_type not in ServiceType.values:
        errors["service_type"] = (
            f"{prefix}业务移交须选择业务类别（律师、公证、司法鉴定、基层法律服务、司法所、其他）。"
        )
    if data.one_trip_mode and data.one_trip_mode not in OneTripMode.values:
        errors["one_trip_mode"] = f"{prefix}“最多跑一次”方式无效。"
    return errors


@service(AuditAction.VISIT_REGISTERED)
def visit_register(
    *,
    actor: Any,
    node: OrgNode,
    person_data: PersonInput,
    matters: list[MatterInput],
    person: Person | None = None,
    channel: str = Channel.ON_SITE,
    summary: str = "",
    client_token: uuid.UUID | None = None,
    received_at: datetime.datetime | None = None,
    register_at: OrgNode | None = None,
) -> Visit:
    """Register a visit with its matters received at ``node``. A repeated ``client_token`` (a double click)
    returns the visit already registered instead of a second one.

    ``register_at``: a node above ``node`` where the visit and its matters are registered instead — counted,
    numbered in its ledgers and seen from there — when the platform itself must not hold them (a complaint about
    the platform's own staff, ``lawdesk.complaints.rules.register_node``)."""
    _require(can_receive_at(actor, node), "您无权在该平台登记来访。")
    if register_at is not None and not node.path.startswith(register_at.path):
        raise ValueError(f"{register_at} is not above {node}")
    home = register_at or node
    if client_token is not None:
        existing = Visit.objects.filter(client_token=client_token).first()
        if existing is not None:
            if existing.node_id != home.pk or existing.received_by_id != actor.pk:
                raise PermissionDenied("该登记表已由他人提交。")
            return existing
    if channel not in Channel.values:
        raise ValidationError({"channel": "来访方式无效。"})
    if not matters:
        raise ValidationError({"matters": "至少登记一项事项。"})
    errors: dict[str, str] = {}
    for index, item in enumerate(matters, start=1):
        for key, message in _clean_matter(item, index).items():
            errors.setdefault(key, message)
    # A person picked outside the actor's reach is registered against by reference, and only when the form
    # carries their full phone or ID number: knowing the id alone attaches nothing (the same answer as a
    # person who does not exist).
    by_reference = False
    if person is not None and not people_search.in_reach(actor, person):
        if not people_search.holds_number(person, phone=person_data.phone, id_number=person_data.id_number):
            raise ValidationError({"person_id": PERSON_NOT_FOUND})
        by_reference = True
    said = None
    try:
        said = _clean_said(person_data)
        person = _clean_person(
            said, person, node, by_reference=by_reference, replace_groups=person_data.replace_groups
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    assert person is not None and said is not None
    received_at = received_at or clock.now()
    year = timezone.localtime(received_at).year
    with transaction.atomic():
        person.save()
        visit = Visit.objects.create(
            node=home,
            person=person,
            channel=channel,
            received_by=actor,
            received_at=received_at,
            summary=(summary or "；".join(m.summary.strip() for m in matters))[:2000],
            vulnerable_groups=stored_groups(said.groups),
            said_name=said.name,
            said_phone=said.phone,
            said_id_number=said.id_number,
            said_address=said.address,
            said_gender=said.gender,
            by_reference=by_reference,
            year=year,
            seq=next_number(node=home, ledger=VISIT_LEDGER, year=year),
            client_token=client_token or uuid.uuid4(),
        )
        for item in matters:
            matter = Matter(
                visit=visit,
                node=home,
                kind=item.kind,
                legal_field=item.legal_field,
                service_type=item.service_type if item.kind == MatterKind.SERVICE_TRANSFER else "",
                summary=item.summary.strip(),
                owner=actor,
            )
            ledger = KIND_LEDGERS.get(item.kind)
            if ledger:
                matter.ledger_year = year
                matter.ledger_seq = next_number(node=home, ledger=ledger, year=year)
            # The "received" event saves the new matter (its one INSERT, already in that state): no second write.
            record_event(matter, "received", actor=actor, data={"channel": channel})
            if item.one_trip_mode:
                _mark_one_trip(matter, actor=actor, mode=item.one_trip_mode)
            if item.answer.strip():
                matter.answer = item.answer.strip()
                record_event(matter, "answered", actor=actor, note=matter.answer)
    return visit


# --- moves -------------------------------------------------------------------------------------------------
#
# Each ``move_*`` applies one step of the loop to a matter the caller has locked and authorised: the commands'
# services below call them after ``commands.authorize``, and so do the domain apps' services for their kinds
# (a legal-aid transfer is the transfer move after the legal-aid rules). They check input and state, never who.

ONE_TRIP_OPEN_STATES = frozenset({S.RECEIVED, S.TRANSFERRED, S.ACCEPTED})


def move_answer(matter: Matter, *, actor: Any, answer: str) -> Matter:
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复意见。"})
    matter.answer = answer.strip()
    record_event(matter, "answered", actor=actor, note=matter.answer)
    return matter


def move_redirect(
    matter: Matter, *, actor: Any, reason: str, redirect_to: str, address: str = "", phone: str = ""
) -> Matter:
    errors = {}
    if not reason.strip():
        errors["redirect_reason"] = "请填写指引原因（为什么不能在本平台办理）。"
    if not redirect_to.strip():
        errors["redirect_to"] = "请填写指引去向（应到哪个部门或机构办理）。"
    if phone.strip():
        try:
            validate_phone(phone.strip())
        except ValidationError as exc:
            errors["redirect_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    matter.redirect_reason = reason.strip()
    matter.redirect_to = redirect_to.strip()
    matter.redirect_address = address.strip()
    matter.redirect_phone = phone.strip()
    record_event(matter, "redirected", actor=actor, note=reason, data={"to": matter.redirect_to})
    return matter


def move_transfer(matter: Matter, *, actor: Any, institution: Institution, note: str = "") -> Matter:
    matter.institution = institution
    matter.transferred_at = clock.now()
    matter.handler = None
    record_event(matter, "transferred", actor=actor, note=note, data={"institution": institution.pk})
    return matter


def move_accept(matter: Matter, *, actor: Any, note: str = "") -> Matter:
    matter.handler = actor
    matter.accepted_at = clock.now()
    record_event(matter, "accepted", actor=actor, note=note, institution=matter.institution)
    return matter


def move_decline(matter: Matter, *, actor: Any, reason: str) -> Matter:
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明原因。"})
    institution = matter.institution
    matter.institution = None
    matter.accept_due = None
    record_event(matter, "declined", actor=actor, note=reason, institution=institution)
    return matter


def move_outcome(matter: Matter, *, actor: Any, outcome: str) -> Matter:
    """The handler's outcome; recorded by the office above on the handler's behalf, it is marked as such."""
    if not outcome.strip():
        raise ValidationError({"outcome": "请填写办理结果。"})
    by_handler = commands.acts_for_institution(actor, matter)
    proxy_node = None if by_handler else oversee_node(actor, matter.node)
    matter.outcome = outcome.strip()
    matter.outcome_at = clock.now()
    matter.outcome_by_proxy = proxy_node is not None
    record_event(
        matter,
        "outcome_recorded",
        actor=actor,
        note=matter.outcome,
        data={"by_proxy": matter.outcome_by_proxy},
        institution=matter.institution if by_handler else None,
        node=proxy_node,
    )
    return matter


def move_tell(matter: Matter, *, actor: Any, via: str, note: str = "", adoption: str = "") -> Matter:
    if via not in ToldVia.values:
        raise ValidationError({"told_via": "请选择告知群众的方式（电话、短信、现场、信函）。"})
    if adoption and adoption not in Adoption.values:
        raise ValidationError({"adoption": "意见采纳情况无效（采纳、部分采纳、未采纳）。"})
    matter.told_via = via
    matter.told_at = clock.now()
    matter.adoption = adoption
    data = {"via": via, "adoption": adoption} if adoption else {"via": via}
    record_event(matter, "citizen_told", actor=actor, note=note, data=data)
    return matter


def move_close(matter: Matter, *, actor: Any, rating: int | None = None, comment: str = "") -> Matter:
    """Archive; ``rating`` is the citizen's own (window tablet, kiosk, SMS link), never one entered by staff."""
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError({"rating": "满意度评分应为1到5分。"})
    rated = matter.events.filter(code="citizen_rated").exists()
    if rated:
        # The citizen's own rating (tablet, kiosk, SMS link) is never replaced by one entered later.
        rating, comment = matter.rating, matter.rating_comment
    matter.rating = rating
    matter.rating_comment = comment.strip()[:300]
    matter.closed_at = clock.now()
    # The citizen's comment is on the timeline once, with their own rating (the rating services record it as
    # the matter's citizen_rated event), never again with the close.
    note = "" if rated or rating is not None else matter.rating_comment
    record_event(matter, "closed", actor=actor, note=note, data={"rating": rating})
    return matter


# --- the common loop's commands (the table of lawdesk.matters.loop) ------------------------------------------
#
# Each locks the matter, asks the kind's table (``commands.authorize``) and makes its move. They are the
# ``run`` of the core's commands; the domain apps register their own for the kinds they own.


@service(AuditAction.MATTER_ANSWERED)
def answer_command(*, actor: Any, matter: Matter, answer: str) -> Matter:
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="answer")
        return move_answer(matter, actor=actor, answer=answer)


@service(AuditAction.MATTER_REDIRECTED)
def redirect_command(
    *, actor: Any, matter: Matter, reason: str, redirect_to: str, address: str = "", phone: str = ""
) -> Matter:
    """Out of scope (七(二)2): say why, where to go, its address and phone — printed as a slip."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="redirect")
        return move_redirect(
            matter, actor=actor, reason=reason, redirect_to=redirect_to, address=address, phone=phone
        )


def transfer_check(actor: Any, matter: Matter, institution: Institution | None = None, **_: Any) -> Any:
    """The common transfer: to an active institution in the actor's reach that serves the platform (or a node
    above it). Departments take complaints and redirects, not transfers."""
    if institution is None:
        return None
    from lawdesk.institutions.models import InstitutionKind

    if (
        not institution.is_active
        or not institution_access.visible_institutions(actor).filter(pk=institution.pk).exists()
    ):
        return {"institution": "该机构不在您可移交的机构名录中。"}
    if institution.kind == InstitutionKind.OTHER_DEPARTMENT:
        return {"institution": "其他部门不承接移交，请用“指引”告知群众到该部门办理。"}
    if not institution_access.serves(institution, matter.node):
        return {"institution": f"“{institution.name}”不为“{matter.node.name}”提供服务，不能移交。"}
    return None


@service(AuditAction.MATTER_TRANSFERRED)
def transfer_command(*, actor: Any, matter: Matter, institution: Institution, note: str = "") -> Matter:
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="transfer", institution=institution)
        return move_transfer(matter, actor=actor, institution=institution, note=note)


@service(AuditAction.MATTER_ACCEPTED)
def accept_command(*, actor: Any, matter: Matter, note: str = "") -> Matter:
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="accept")
        return move_accept(matter, actor=actor, note=note)


@service(AuditAction.MATTER_DECLINED)
def decline_command(*, actor: Any, matter: Matter, reason: str) -> Matter:
    """The institution sends the matter back to the sender, who transfers it elsewhere or handles it."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="decline")
        return move_decline(matter, actor=actor, reason=reason)


@service(AuditAction.MATTER_OUTCOME_RECORDED)
def outcome_command(*, actor: Any, matter: Matter, outcome: str) -> Matter:
    """The handler records the outcome; judicial office staff above the matter may record it on the handler's
    behalf, marked as such."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="outcome")
        return move_outcome(matter, actor=actor, outcome=outcome)


@service(AuditAction.MATTER_CITIZEN_TOLD)
def tell_command(*, actor: Any, matter: Matter, via: str, note: str = "", adoption: str = "") -> Matter:
    """``adoption`` (采纳/部分采纳/未采纳, plan 七(七)): whether the citizen accepted the outcome; optional."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="tell")
        return move_tell(matter, actor=actor, via=via, note=note, adoption=adoption)


@service(AuditAction.MATTER_CLOSED)
def close_command(*, actor: Any, matter: Matter) -> Matter:
    """Staff archive without a rating: staff never rate their own work."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="close")
        return move_close(matter, actor=actor)


# --- the services by name: each runs the matter kind's own command ----------------------------------------
#
# ``matter_transfer`` on a legal-aid application is the legal-aid transfer (only to a legal aid centre serving
# the platform, after a passed 初审); on a complaint it is the complaint's pass-on. Whoever calls them — a page,
# the API, the demo loader, a command — gets the kind's rules.


@service(None)
def matter_answer(*, actor: Any, matter: Matter, answer: str) -> Matter:
    return _matter(commands.dispatch(actor=actor, matter=matter, key="answer", answer=answer))


@service(None)
def matter_redirect(
    *, actor: Any, matter: Matter, reason: str, redirect_to: str, address: str = "", phone: str = ""
) -> Matter:
    """The same for every kind that has it (a kind without ``redirect`` in its table refuses)."""
    return redirect_command(
        actor=actor, matter=matter, reason=reason, redirect_to=redirect_to, address=address, phone=phone
    )


@service(None)
def matter_transfer(*, actor: Any, matter: Matter, institution: Institution, note: str = "") -> Matter:
    return _matter(
        commands.dispatch(actor=actor, matter=matter, key="transfer", institution=institution, note=note)
    )


@service(None)
def matter_accept(*, actor: Any, matter: Matter, note: str = "") -> Matter:
    return _matter(commands.dispatch(actor=actor, matter=matter, key="accept", note=note))


@service(None)
def matter_decline(*, actor: Any, matter: Matter, reason: str) -> Matter:
    return _matter(commands.dispatch(actor=actor, matter=matter, key="decline", reason=reason))


@service(None)
def matter_record_outcome(*, actor: Any, matter: Matter, outcome: str) -> Matter:
    return _matter(commands.dispatch(actor=actor, matter=matter, key="outcome", outcome=outcome))


@service(None)
def matter_tell_citizen(
    *, actor: Any, matter: Matter, via: str, note: str = "", adoption: str = ""
) -> Matter:
    return _matter(
        commands.dispatch(actor=actor, matter=matter, key="tell", told_via=via, note=note, adoption=adoption)
    )


@service(AuditAction.MATTER_CLOSED)
def matter_close(*, actor: Any, matter: Matter, rating: int | None = None, comment: str = "") -> Matter:
    """Archive. A ``rating`` is the citizen's own, passed by the rating services (window tablet, kiosk, SMS
    link) acting for the first responder; staff archive through the ``close`` command, which takes none."""
    if rating is None and not comment:
        return _matter(commands.dispatch(actor=actor, matter=matter, key="close"))
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="close")
        return move_close(matter, actor=actor, rating=rating, comment=comment)


def _matter(result: Any) -> Matter:
    """The matter a command's service changed (some return their own record, e.g. the complaint)."""
    if isinstance(result, Matter):
        return result
    matter = getattr(result, "matter", None)
    if isinstance(matter, Matter):
        return Matter.objects.select_related("node", "visit", "visit__person", "institution").get(
            pk=matter.pk
        )
    raise TypeError(f"a command returned {type(result).__name__}, not a matter")


# --- first responder and at-most-one-trip --------------------------------------------------------------


def handover_check(actor: Any, matter: Matter, to_user: Any = None, **_: Any) -> Any:
    if matter.handover_to_id is not None:
        return "该事项已有待确认的交接，请等对方确认或撤回后再发起。"
    if to_user is None:
        return None
    if to_user.pk == matter.owner_id:
        return {"to_user": "不能交接给本人。"}
    if not scoping.holds_at(to_user, matter.node, *INTAKE_ROLES):
        return {"to_user": f"“{to_user}”不在该平台工作，不能接手该事项。"}
    return None


@service(AuditAction.MATTER_HANDOVER_OFFERED)
def matter_handover_offer(*, actor: Any, matter: Matter, to_user: Any, note: str = "") -> Matter:
    """Ownership moves only when the receiver confirms (七(二)3)."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="handover", to_user=to_user)
        matter.handover_to = to_user
        record_event(matter, "handover_offered", actor=actor, note=note, data={"to": to_user.pk})
    return matter


def handover_withdraw_check(actor: Any, matter: Matter, **_: Any) -> Any:
    return None if matter.handover_to_id is not None else "该事项没有待确认的交接。"


@service(AuditAction.MATTER_HANDOVER_WITHDRAWN)
def matter_handover_withdraw(*, actor: Any, matter: Matter, note: str = "") -> Matter:
    """The owner takes back an offer the receiver has not answered yet."""
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="handover_withdraw")
        withdrawn = matter.handover_to_id
        matter.handover_to = None
        record_event(matter, "handover_withdrawn", actor=actor, note=note, data={"to": withdrawn})
    return matter


@service(None)
def matter_handover_confirm(*, actor: Any, matter: Matter, accept: bool = True, note: str = "") -> Matter:
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="handover_confirm")
        previous = matter.owner_id
        if accept:
            matter.owner = actor
        matter.handover_to = None
        record_event(
            matter,
            "handover_confirmed" if accept else "handover_refused",
            actor=actor,
            note=note,
            data={"from": previous},
        )
    return matter


def _mark_one_trip(matter: Matter, *, actor: Any, mode: str, due: datetime.date | None = None) -> None:
    if mode not in OneTripMode.values:
        raise ValidationError({"one_trip_mode": "请选择代办或上门服务。"})
    matter.one_trip_mode = mode
    matter.one_trip_due = due or deadlines.stage_due(
        node=matter.node, kind=matter.kind, stage="outcome", start=clock.today()
    )
    record_event(
        matter, "one_trip_marked", actor=actor, data={"mode": mode, "due": matter.one_trip_due.isoformat()}
    )


def one_trip_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.state not in ONE_TRIP_OPEN_STATES:
        return "事项已办结或已移出，不能再标记“最多跑一次”。"
    return None


@service(AuditAction.MATTER_ONE_TRIP_MARKED)
def matter_mark_one_trip(
    *, actor: Any, matter: Matter, mode: str, due: datetime.date | None = None
) -> Matter:
    """A vulnerable person's matter gets proxy handling or a home visit: a task for the judicial office."""
    if due is not None and due < clock.today():
        raise ValidationError({"one_trip_due": "期限不能早于今天。"})
    with transaction.atomic():
        matter = lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="one_trip")
        _mark_one_trip(matter, actor=actor, mode=mode, due=due)
    return matter
