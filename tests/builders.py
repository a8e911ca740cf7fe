"""One shared way to build a matter of any kind and advance it to any state of its kind's table, through the
same services the doors use (so every fixture obeys the rules it is testing).

``World`` adds, to the personas and the small tree of ``tests.conftest``, the institutions and people the
kinds need: the district's legal aid centre and its handler, a department that takes complaints and its
handler, a second clerk at station A (a hand-over colleague), and the hardship standard.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lawdesk.accounts.models import Role, User
from lawdesk.complaints import services as complaints
from lawdesk.core import clock
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.legalaid import services as legalaid
from lawdesk.legalaid.models import HardshipStandard
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.mediation import services as mediation
from tests.conftest import Personas, Tree, make_user


@dataclass
class World:
    tree: Tree
    personas: Personas
    centre: Institution  # 雁塔区法律援助中心, serving the district
    department: Institution  # a department of the district bureau that handles complaints
    centre_handler: User
    department_handler: User
    colleague: User  # a second window clerk at station A
    subject: User  # the worker a complaint is about: the law firm's handler

    def user(self, name: str) -> User:
        extra = {
            "centre_handler": self.centre_handler,
            "department_handler": self.department_handler,
            "colleague": self.colleague,
        }
        if name in extra:
            return extra[name]
        user: User = getattr(self.personas, name)
        return user


def build_world(tree: Tree, personas: Personas) -> World:
    centre = Institution.objects.create(
        kind=InstitutionKind.LEGAL_AID_CENTRE, name="西安市雁塔区法律援助中心", home_node=tree.district,
        phone="029-85550003",
    )  # fmt: skip
    centre.served_nodes.add(tree.district)
    department = Institution.objects.create(
        kind=InstitutionKind.OTHER_DEPARTMENT, name="雁塔区司法局律师工作科", home_node=tree.district,
        department_kind="other",
    )  # fmt: skip
    department.served_nodes.add(tree.district)
    HardshipStandard.objects.create(
        node=tree.district, monthly_income_per_head=Decimal("1000.00"), lowered_for_vulnerable=Decimal("1500.00"),
        effective_from=datetime.date(2020, 1, 1), basis="测试",
    )  # fmt: skip
    return World(
        tree=tree,
        personas=personas,
        centre=centre,
        department=department,
        centre_handler=make_user("centre_handler", Role.HANDLER, institution=centre),
        department_handler=make_user("department_handler", Role.HANDLER, institution=department),
        colleague=make_user("colleague", Role.WINDOW_CLERK, tree.station_a),
        subject=personas.handler,
    )


# --- registering a matter of each kind -------------------------------------------------------------------


def register(
    world: World, kind: str, *, clerk: User | None = None, groups: list[str] | None = None
) -> Matter:
    """A new matter of ``kind`` received by clerk A at station A (a complaint is recorded as said, about the
    law firm's handler)."""
    clerk = clerk or world.personas.clerk_a
    if kind == MatterKind.COMPLAINT:
        detail = complaints.complaint_record(
            actor=clerk, node=world.tree.station_a, statement="律师收费后不提供服务", contact_name="陈磊",
            contact_phone="13591234505", subject_user=world.subject,
        )  # fmt: skip
        return Matter.objects.get(pk=detail.matter_id)
    visit = services.visit_register(
        actor=clerk,
        node=world.tree.station_a,
        person_data=services.PersonInput(name="张三", phone="13800138000", groups=groups or []),
        matters=[
            services.MatterInput(
                kind=kind,
                summary="邻里漏水纠纷" if kind == MatterKind.DISPUTE else "咨询劳动报酬",
                service_type="lawyer" if kind == MatterKind.SERVICE_TRANSFER else "",
            )
        ],
    )
    return visit.matters.get()


def target(world: World, kind: str) -> Institution:
    """Where a matter of ``kind`` is transferred."""
    return {
        MatterKind.LEGAL_AID: world.centre,
        MatterKind.DISPUTE: world.tree.mediation,
        MatterKind.COMPLAINT: world.department,
    }.get(kind, world.tree.law_firm)  # type: ignore[call-overload]


def handler_of(world: World, kind: str) -> User:
    return {
        MatterKind.LEGAL_AID: world.centre_handler,
        MatterKind.DISPUTE: world.personas.mediator,
        MatterKind.COMPLAINT: world.department_handler,
    }.get(kind, world.personas.handler)  # type: ignore[call-overload]


# --- advancing it ----------------------------------------------------------------------------------------

APPLICATION: dict[str, Any] = {
    "category": "labour",
    "case_facts": "被拖欠工资三个月。",
    "opponent_name": "某建筑公司",
    "opponent_type": "unit",
    "household_size": 3,
    "monthly_income": "2400",
    "materials": ["id_proof", "application", "hardship_statement", "evidence"],
}
PARTIES = [{"name": "李四", "role": "respondent", "party_type": "person"}]


def apply(world: World, matter: Matter) -> Matter:
    data: dict[str, Any] = {**APPLICATION, "monthly_income": Decimal(str(APPLICATION["monthly_income"]))}
    legalaid.application_record(
        actor=world.personas.clerk_a, matter=matter, data=legalaid.ApplicationInput(**data)
    )
    return fresh(matter)


def review(world: World, matter: Matter) -> Matter:
    legalaid.preliminary_review(actor=world.personas.clerk_a, matter=apply(world, matter), opinion="eligible")
    return fresh(matter)


def details(world: World, matter: Matter) -> Matter:
    mediation.dispute_record(
        actor=world.personas.clerk_a, matter=matter, dispute_type="neighbourhood", people_involved=2,
        parties=[mediation.PartyInput(name="李四")],
    )  # fmt: skip
    return fresh(matter)


def transferred(world: World, matter: Matter) -> Matter:
    if matter.kind == MatterKind.LEGAL_AID:
        matter = review(world, matter)
    if matter.kind == MatterKind.DISPUTE:
        matter = details(world, matter)
    services.matter_transfer(
        actor=world.personas.clerk_a, matter=matter, institution=target(world, matter.kind)
    )
    return fresh(matter)


def accepted(world: World, matter: Matter) -> Matter:
    matter = transferred(world, matter)
    handler = handler_of(world, matter.kind)
    if matter.kind == MatterKind.LEGAL_AID:
        legalaid.centre_decision(
            actor=handler, matter=matter, decision="grant", decided_on=clock.today(), lawyer_name="李律师"
        )
    else:
        services.matter_accept(actor=handler, matter=matter)
    return fresh(matter)


def outcome(world: World, matter: Matter) -> Matter:
    matter = accepted(world, matter)
    handler = handler_of(world, matter.kind)
    if matter.kind == MatterKind.DISPUTE:
        mediation.mediation_result_record(
            actor=handler, matter=matter, result="success", agreement_form="oral"
        )
    else:
        services.matter_record_outcome(actor=handler, matter=matter, outcome="已办结")
    return fresh(matter)


def told(world: World, matter: Matter) -> Matter:
    matter = outcome(world, matter)
    if matter.kind == MatterKind.COMPLAINT:
        complaints.complaint_response(
            actor=world.personas.clerk_a, matter=matter, satisfied=True, via="phone"
        )
    else:
        services.matter_tell_citizen(actor=world.personas.clerk_a, matter=matter, via="phone")
    return fresh(matter)


def closed(world: World, matter: Matter) -> Matter:
    services.matter_close(actor=world.personas.clerk_a, matter=told(world, matter))
    return fresh(matter)


def answered(world: World, matter: Matter) -> Matter:
    services.matter_answer(actor=world.personas.clerk_a, matter=matter, answer="已当场解答")
    return fresh(matter)


def handover_offered(world: World, matter: Matter) -> Matter:
    services.matter_handover_offer(actor=world.personas.clerk_a, matter=matter, to_user=world.colleague)
    return fresh(matter)


def fresh(matter: Matter) -> Matter:
    return Matter.objects.select_related("node", "visit", "visit__person", "institution").get(pk=matter.pk)


# The states each kind is walked through: name → how to get there from a new matter.
Step = Callable[[World, Matter], Matter]
STATES: dict[str, dict[str, Step]] = {
    MatterKind.CONSULTATION: {
        "received": lambda w, m: m, "handover_offered": handover_offered, "answered": answered,
        "transferred": transferred, "accepted": accepted, "outcome_recorded": outcome, "citizen_told": told,
        "closed": closed,
    },
    MatterKind.LEGAL_AID: {
        "received": lambda w, m: m, "applied": apply, "reviewed": review, "transferred": transferred,
        "granted": accepted, "outcome_recorded": outcome, "citizen_told": told,
    },
    MatterKind.DISPUTE: {
        "received": lambda w, m: m, "details": details, "transferred": transferred, "accepted": accepted,
        "mediated": outcome, "citizen_told": told,
    },
    MatterKind.COMPLAINT: {
        "received": lambda w, m: m, "passed_on": transferred, "acknowledged": accepted, "answered": outcome,
        "responded": told, "closed": closed,
    },
    MatterKind.SERVICE_TRANSFER: {"received": lambda w, m: m, "transferred": transferred, "accepted": accepted},
    MatterKind.APPOINTMENT: {"received": lambda w, m: m, "answered": answered},
}  # fmt: skip


def build(world: World, kind: str, state: str) -> Matter:
    return STATES[kind][state](world, register(world, kind))


# --- a valid input for each command ----------------------------------------------------------------------


def command_data(world: World, matter: Matter, key: str) -> dict[str, Any]:
    """The input a person would send for ``key`` on ``matter``, as the page's form fields (the same dict goes to
    the API, renamed by the command's ``api_names``)."""
    today = clock.today().isoformat()
    inputs: dict[str, dict[str, Any]] = {
        "answer": {"answer": "已当场解答"},
        "redirect": {"redirect_reason": "不属本平台受理", "redirect_to": "雁塔区人社局"},
        "transfer": {"institution": target(world, matter.kind).pk, "note": "请办理"},
        "accept": {"note": ""},
        "decline": {"reason": "不属本机构受理范围"},
        "outcome": {"outcome": "已办结"},
        "tell": {"told_via": "phone", "note": "", "satisfied": "yes"},
        "close": {},
        "handover": {"to_user": world.colleague.pk, "note": ""},
        "handover_withdraw": {"note": ""},
        "handover_confirm": {"decision": "accept", "note": ""},
        "one_trip": {"one_trip_mode": "proxy"},
        "legal_aid_apply": {**APPLICATION, "applied_on": today},
        "legal_aid_review": {"opinion": "eligible", "note": ""},
        "legal_aid_decide": {"decision": "grant", "decided_on": today, "lawyer_name": "李律师", "reason": ""},
        "dispute_record": {
            "dispute_type": "neighbourhood",
            "people_involved": 2,
            "parties": json.dumps(PARTIES),
        },
        "mediation_result": {"result": "success", "agreement_form": "oral"},
        "complaint_note": {"text": "补充：代理费为6000元。"},
    }
    return inputs.get(key, {})
