"""The authorization matrix over every route: every page × every role × own / sibling / parent / child node.

The world holds the same records on three platforms — station A, its sibling station B (same judicial office)
and station D in the other district — each marked with a word that appears nowhere else. For every route of
the site, with the records of every platform:

- a persona who may not reach a record gets 403 or 404 for it, reading (GET) or writing (POST), and a POST
  changes nothing anywhere;
- no page a persona opens — a record's page or a list, filtered by a node out of reach or not — shows the
  marker of a platform out of its reach;
- after logout (an anonymous client), every route but the public ones refuses, and changes nothing.

Who may reach what is decided here from the tree's paths (the oracle), not by calling the scoping module
under test. A route that is added to the site without being added to ROUTES fails
``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from lawdesk.accounts.models import Role, User
from lawdesk.orgs.models import OrgNode
from tests.conftest import Personas, Tree, client_for, make_user

SIDES = ("a", "b", "d")
MARKERS = {"a": "矩阵甲", "b": "矩阵乙", "d": "矩阵丁"}
PERSONAS = [
    "clerk_a",
    "clerk_b",
    "office_staff",
    "district_admin",
    "leader",
    "other_district_admin",
    "city_admin",
    "auditor",
    "system_admin",
    "handler",
    "mediator",
]


@dataclass
class World:
    tree: Tree
    station: dict[str, OrgNode]
    district: dict[str, OrgNode]
    objects: dict[tuple[str, str], Any] = field(default_factory=dict)  # (kind, side) -> object

    def get(self, kind: str, side: str) -> Any:
        return self.objects[(kind, side)]


def _register(clerk: User, station: OrgNode, marker: str, kind: str, summary: str) -> Any:
    from lawdesk.matters import services

    visit = services.visit_register(
        actor=clerk,
        node=station,
        person_data=services.PersonInput(name=f"{marker}{kind[:2]}", phone="13800000000"),
        matters=[services.MatterInput(kind=kind, summary=f"{marker}{summary}")],
    )
    return visit, visit.matters.get()


def _next_workday_nine() -> datetime.datetime:
    import chinese_calendar

    day = timezone.localdate() + datetime.timedelta(days=2)
    while not chinese_calendar.is_workday(day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _build_world(tree: Tree, personas: Personas) -> World:
    from lawdesk.appointments.models import SlotKind
    from lawdesk.appointments.services import appointment_book, slot_create
    from lawdesk.attachments.models import Attachment
    from lawdesk.complaints.services import complaint_record
    from lawdesk.duty.models import DutyShift, Post, Session
    from lawdesk.leaderwindow.models import WindowDraw
    from lawdesk.matters.services import PersonInput
    from lawdesk.outreach.models import OutreachPhoto, PoorVillage, PovertyService, ServiceTeam, TeamKind
    from lawdesk.video.models import VideoRoom, VideoTerminal

    clerk_d = make_user("clerk_d", Role.WINDOW_CLERK, tree.station_d)
    leader_d = make_user("leader_d", Role.LEADER, tree.other_district)
    clerks = {"a": personas.clerk_a, "b": personas.clerk_b, "d": clerk_d}
    world = World(
        tree=tree,
        station={"a": tree.station_a, "b": tree.station_b, "d": tree.station_d},
        district={"a": tree.district, "b": tree.district, "d": tree.other_district},
    )
    world.objects[("institution", "a")] = world.objects[("institution", "b")] = tree.law_firm
    world.objects[("institution", "d")] = tree.other_law_firm
    leaders = {"a": personas.leader, "b": personas.leader, "d": leader_d}
    offices = {"a": tree.office, "b": tree.office, "d": tree.other_office}
    soon = _next_workday_nine()
    for side in SIDES:
        clerk, station, marker = clerks[side], world.station[side], MARKERS[side]
        visit, consultation = _register(clerk, station, marker, "consultation", "咨询")
        world.objects[("visit", side)] = visit
        world.objects[("matter", side)] = consultation
        world.objects[("person", side)] = visit.person
        world.objects[("dispute", side)] = _register(clerk, station, marker, "dispute", "纠纷")[1]
        world.objects[("legal_aid", side)] = _register(clerk, station, marker, "legal_aid", "援助")[1]
        complaint = complaint_record(
            actor=clerk,
            node=station,
            statement=f"{marker}投诉",
            contact_name=f"{marker}投诉人",
            subject_unit="某律师事务所",
        )
        world.objects[("complaint", side)] = complaint.matter
        world.objects[("attachment", side)] = Attachment.objects.create(
            matter=consultation,
            file=ContentFile(b"%PDF-1.4 matrix", name=f"matrix-{side}.pdf"),
            original_name=f"{marker}.pdf",
            size=15,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=clerk,
        )
        world.objects[("video_room", side)] = VideoRoom.objects.create(
            matter=consultation,
            node=station,
            janus_room=4000 + SIDES.index(side),
            secret="matrix",
            pin="matrix",
            staff_token="matrix",
            started_by=clerk,
            created_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(hours=2),
        )
        world.objects[("video_terminal", side)] = VideoTerminal.objects.create(
            node=station,
            name=f"{marker}终端",
            key_digest=f"{side:0>64}",
            registered_by=clerk,
            registered_at=timezone.now(),
            paired_at=timezone.now(),
        )
        slot = slot_create(
            actor=clerk,
            node=station,
            kind=SlotKind.STATION,
            start=soon + datetime.timedelta(hours=SIDES.index(side)),
            end=soon + datetime.timedelta(hours=SIDES.index(side), minutes=30),
            capacity=3,
        )
        world.objects[("slot", side)] = slot
        world.objects[("appointment", side)] = appointment_book(
            actor=clerk,
            slot=slot,
            summary=f"{marker}预约",
            person_data=PersonInput(name=f"{marker}预约人", phone="13900000000"),
        )
        world.objects[("shift", side)] = DutyShift.objects.create(
            node=station,
            date=soon.date(),
            session=Session.MORNING,
            person=clerk,
            post=Post.RECEPTION,
            duty=f"{marker}值班",
            start=datetime.time(9),
            end=datetime.time(12),
            created_by=clerk,
        )
        district = world.district[side]
        if ("draw", side) not in world.objects:
            draw = WindowDraw.objects.filter(district=district).first() or WindowDraw.objects.create(
                district=district,
                week_start=soon.date() - datetime.timedelta(days=soon.weekday()),
                seed="matrix",
                platform=station,
                date=soon.date(),
                start=datetime.time(9),
                end=datetime.time(11),
                half="上午",
                leader=leaders[side],
                drawn_from=timezone.now(),
            )
            world.objects[("draw", side)] = draw
        village = PoorVillage.objects.create(
            district=district,
            office=offices[side],
            station=station,
            name=f"{marker}村",
            region_code=f"61011399{SIDES.index(side)}",
        )
        team = ServiceTeam.objects.create(
            district=district, name=f"{marker}服务队", kind=TeamKind.choices[0][0], lead=clerk
        )
        service = PovertyService.objects.create(
            village=village,
            team=team,
            date=soon.date(),
            description=f"{marker}服务",
            people_served=3,
            recorded_by=clerk,
        )
        world.objects[("service", side)] = service
        world.objects[("photo", side)] = OutreachPhoto.objects.create(
            service=service,
            file=ContentFile(b"\x89PNG matrix", name=f"matrix-{side}.png"),
            original_name=f"{marker}.png",
            content_type="image/png",
            size=11,
            uploaded_by=clerk,
        )
    _build_assessment(world, personas, clerks, soon.date())
    _build_advisers(world, personas, offices)
    _build_coverage(world, offices)
    _build_publicity(world, personas, clerks, offices)
    _build_correction(world, offices)
    _build_screening(world, personas, offices)
    _build_staff(world)
    _build_bureau(world, personas)
    return world


def _build_publicity(
    world: World, personas: Personas, clerks: dict[str, User], offices: dict[str, OrgNode]
) -> None:
    """A publicity event per platform, a responsibility list entry per side at its district, and per side a
    model-village application and a legal opinion at its judicial office."""
    from lawdesk.governance.models import LegalOpinion, ModelVillageCase, SafetyActivity
    from lawdesk.orgs.models import Village
    from lawdesk.outreach.models import PublicityDuty, PublicityEvent

    today = timezone.localdate()
    for side in SIDES:
        office, marker, station = offices[side], MARKERS[side], world.station[side]
        PublicityEvent.objects.create(
            node=station, district=world.district[side], date=today, place=f"{marker}广场",
            theme=f"{marker}宣传", organiser="服务站", audience_count=10, recorded_by=clerks[side],
        )  # fmt: skip
        # the district's list, offered to every platform below it: no platform's marker in it
        world.objects[("publicity_duty", side)] = PublicityDuty.objects.create(
            node=world.district[side],
            year=today.year,
            department=f"普法责任部门{SIDES.index(side)}",
            laws="宪法",
        )
        village = Village.objects.create(
            office=office,
            name=f"示范{SIDES.index(side)}村",
            region_code=f"{office.region_code[:9]}8{SIDES.index(side)}1",
        )
        world.objects[("model_case", side)] = ModelVillageCase.objects.create(
            village=village, office=office, level="district", applied_on=today, summary=f"{marker}创建",
            created_by=personas.system_admin,
        )  # fmt: skip
        world.objects[("opinion", side)] = LegalOpinion.objects.create(
            office=office, requester="街道办事处", subject=f"{marker}意见", requested_on=today, opinion_on=today,
            opinion="依法办理", given_by=personas.system_admin,
        )  # fmt: skip
        SafetyActivity.objects.create(
            office=office, date=today, kind="patrol", participants=5, summary=f"{marker}平安",
            recorded_by=personas.system_admin,
        )  # fmt: skip


def _build_staff(world: World) -> None:
    """A worker per side, a window clerk at the side's station with the side's marker in the name, and a course
    organised by the side's station that the worker attended."""
    from decimal import Decimal

    from lawdesk.accounts.services import role_assign
    from lawdesk.staff import services as staff

    today = timezone.localdate()
    for side in SIDES:
        station = world.station[side]
        worker = staff.staff_create(
            actor=None, username=f"worker_{side}", full_name=f"{MARKERS[side]}职员", phone="13900000000",
            staff_category="civil_servant", node=station, post="窗口接待", password="Matrix-staff-2026!",
        )  # fmt: skip
        world.objects[("staff_member", side)] = worker
        world.objects[("staff_role", side)] = role_assign(
            actor=None, user=worker, role=Role.WINDOW_CLERK, node=station
        )
        course = staff.course_create(
            actor=None, title=f"{MARKERS[side]}培训", organiser=station, kind="business", start=today, end=today,
            hours=Decimal("4"),
        )  # fmt: skip
        world.objects[("course", side)] = course
        staff.attendance_record(actor=None, course=course, user=worker, hours=Decimal("4"))


def _build_bureau(world: World, personas: Personas) -> None:
    """A city division (city-only pages), and the construction timetable of each side's district."""
    from lawdesk.bureau import services as bureau

    world.objects[("division", "a")] = bureau.division_create(
        actor=personas.city_admin, name="公共法律服务管理处", areas=["platform"], head="处长"
    )
    for side in SIDES:
        district = world.district[side]
        if district.bureau_milestones.exists():
            world.objects[("milestone", side)] = district.bureau_milestones.get(stage="survey")
            continue
        milestones = bureau.milestone_plan(
            actor=personas.city_admin, district=district, planned={"survey": timezone.localdate()}
        )
        world.objects[("milestone", side)] = milestones[0]


def _build_correction(world: World, offices: dict[str, OrgNode]) -> None:
    """A supervisee and a released person per side, kept by a correction officer of the side's office."""
    from lawdesk.correction import services as correction
    from lawdesk.people.identity import check_digit

    today = timezone.localdate()
    officers: dict[int, User] = {}
    for index, side in enumerate(SIDES):
        office = offices[side]
        officer = officers.setdefault(
            office.pk, make_user(f"correction_{side}", Role.CORRECTION_OFFICER, office)
        )
        numbers = [f"61011319900101{index * 2 + n:03d}" for n in (1, 2)]
        numbers = [n + check_digit(n) for n in numbers]
        world.objects[("supervisee", side)] = correction.supervisee_create(
            actor=officer, office=office, name=f"{MARKERS[side]}矫正", id_number=numbers[0],
            correction_type="probation", court="人民法院", crime="罪名", decision_date=today,
            term_start=today, term_end=today + datetime.timedelta(days=200), received_on=today,
        )  # fmt: skip
        world.objects[("released", side)] = correction.released_create(
            actor=officer, office=office, name=f"{MARKERS[side]}帮教", id_number=numbers[1], prison="监狱",
            notice_date=today, release_date=today, help_until=today + datetime.timedelta(days=900),
        )  # fmt: skip


def _build_screening(world: World, personas: Personas, offices: dict[str, OrgNode]) -> None:
    """A screening round with a finding to register per side (A and B: the office's committee; D: a committee of
    the other district's office), and a warning per side whose record is the side's dispute."""
    from lawdesk.institutions.models import Institution, InstitutionKind
    from lawdesk.screening.models import ScreeningFinding, ScreeningRound, Signal

    committee_d = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="西一路街道人民调解委员会", home_node=offices["d"],
        mediation_scope="place",
    )  # fmt: skip
    committee_d.served_nodes.add(offices["d"])
    committees = {"a": world.tree.mediation, "b": world.tree.mediation, "d": committee_d}
    now = timezone.now()
    for side in SIDES:
        round_ = ScreeningRound.objects.create(
            committee=committees[side], node=offices[side], period=now.date().replace(day=1), date=now.date(),
            screened_by=personas.city_admin, summary="入户排查",
        )  # fmt: skip
        world.objects[("screening_round", side)] = round_
        world.objects[("screening_finding", side)] = ScreeningFinding.objects.create(
            round=round_, disposition="to_matter", description="欠薪", dispute_type="labour", applicant="某甲"
        )
        world.objects[("signal", side)] = Signal.objects.create(
            kind="cluster", key=f"matrix-{side}", node=offices[side], title=f"{MARKERS[side]}预警",
            first_seen=now, last_seen=now, matter_ids=[world.get("dispute", side).pk],
        )  # fmt: skip


def _build_advisers(world: World, personas: Personas, offices: dict[str, OrgNode]) -> None:
    """A village per side with an adviser's contract, a service record with a photo, the office's WeChat group
    (shared by A and B: one office) and a member per side."""
    from lawdesk.advisers.models import (
        AdviserContract,
        ServicePhoto,
        ServiceRecord,
        TownGroup,
        TownGroupMember,
    )
    from lawdesk.orgs.models import Village

    advisers = {"a": personas.adviser, "b": personas.adviser}
    advisers["d"] = make_user("adviser_d", Role.LEGAL_ADVISER, world.tree.other_office)
    law_firms = {"a": world.tree.law_firm, "b": world.tree.law_firm, "d": world.tree.other_law_firm}
    today = timezone.localdate()
    for side in SIDES:
        office, marker = offices[side], MARKERS[side]
        village = Village.objects.create(
            # no platform marker in the name: the office's register is read by others too (the committee's screening)
            office=office,
            name=f"顾问{SIDES.index(side)}社区",
            region_code=f"{office.region_code[:9]}9{SIDES.index(side)}1",
        )
        contract = AdviserContract.objects.create(
            village=village, adviser=advisers[side], institution=law_firms[side], created_by=advisers[side],
            start=today - datetime.timedelta(days=30), end=today + datetime.timedelta(days=300),
            signed=today - datetime.timedelta(days=31),
        )  # fmt: skip
        record = ServiceRecord.objects.create(
            contract=contract, village=village, adviser=advisers[side], date=today, kind="consultation",
            hours=2, people_served=3, description=f"{marker}顾问服务",
        )  # fmt: skip
        world.objects[("adviser_record", side)] = record
        world.objects[("adviser_photo", side)] = ServicePhoto.objects.create(
            record=record, file=ContentFile(b"\x89PNG matrix", name=f"adviser-{side}.png"),
            original_name=f"{marker}.png", content_type="image/png", size=11, uploaded_by=advisers[side],
        )  # fmt: skip
        group, _ = TownGroup.objects.get_or_create(
            office=office,
            defaults={"name": f"{office.name}法律服务群", "created": today, "created_by": advisers[side]},
        )
        world.objects[("town_group", side)] = group
        world.objects[("group_member", side)] = TownGroupMember.objects.create(
            group=group, name=f"{marker}书记", category="secretary", village=village
        )


def _build_coverage(world: World, offices: dict[str, OrgNode]) -> None:
    """A village per side with a lightbox point in use (pointing to the office's town station)."""
    from lawdesk.coverage.services import lightbox_create
    from lawdesk.orgs.services import village_create

    for side in SIDES:
        office = offices[side]
        village = village_create(
            actor=None, office=office, name=f"灯箱{SIDES.index(side)}村",
            region_code=f"{office.region_code[:9]}7{SIDES.index(side)}1",
        )  # fmt: skip
        world.objects[("lightbox", side)] = lightbox_create(
            actor=None, village=village, place=f"{MARKERS[side]}村委会门口", installed=timezone.localdate()
        )


def _build_assessment(
    world: World, personas: Personas, clerks: dict[str, User], today: datetime.date
) -> None:
    """Each district's quarter round, collected, with a half-scored on-site item and a rectification per side."""
    from lawdesk.assessment import services as assessment
    from lawdesk.assessment.models import AssessmentFile, Method, RoundEntry, RoundKind, Score
    from lawdesk.assessment.seed import ensure_default_standard

    standard = ensure_default_standard()
    admins = {"a": personas.district_admin, "b": personas.district_admin, "d": personas.other_district_admin}
    rounds: dict[int, Any] = {}
    for side in SIDES:
        district, admin = world.district[side], admins[side]
        if district.pk not in rounds:
            round_ = assessment.round_create(
                actor=admin,
                organiser=district,
                title=f"{district.name}季度考核",  # shared by A and B: no platform marker
                kind=RoundKind.QUARTER,
                period_start=today - datetime.timedelta(days=90),
                cut_off=today - datetime.timedelta(days=1),
                standard=standard,
            )
            rounds[district.pk] = assessment.round_collect(actor=admin, round_=round_)
        round_ = rounds[district.pk]
        entry = RoundEntry.objects.get(round=round_, platform=world.station[side])
        score = Score.objects.filter(entry=entry, indicator__method=Method.MANUAL).select_related(
            "indicator"
        )[0]
        score = assessment.score_manual(
            actor=admin, score=score, points=score.indicator.weight / 2, notes=f"{MARKERS[side]}检查"
        )
        task = assessment.rectification_create(
            actor=admin,
            score=score,
            owner=clerks[side],
            deadline=today + datetime.timedelta(days=10),
            description=f"{MARKERS[side]}整改",
        )
        world.objects[("round", side)] = round_
        world.objects[("entry", side)] = entry
        world.objects[("score", side)] = score
        world.objects[("rectification", side)] = task
        world.objects[("assessment_file", side)] = AssessmentFile.objects.create(
            rectification=task,
            file=ContentFile(b"%PDF-1.4 evidence", name=f"evidence-{side}.pdf"),
            original_name=f"{MARKERS[side]}.pdf",
            size=17,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=clerks[side],
        )


# --- the oracle: who reaches what, from the tree's paths -----------------------------------------------


def _assignment_nodes(user: User) -> list[OrgNode]:
    return [a.node for a in user.roles.select_related("node") if a.node is not None]


def reaches_node(user: User, node: OrgNode) -> bool:
    return any(node.path.startswith(own.path) for own in _assignment_nodes(user))


def reaches_district_work(user: User, district: OrgNode) -> bool:
    """Poverty-area work: the district's subtree roles above, and the staff of its judicial offices."""
    if reaches_node(user, district):
        return True
    return any(
        a.role == Role.OFFICE_STAFF and a.node is not None and a.node.parent_id == district.pk
        for a in user.roles.select_related("node")
    )


def reaches_correction(user: User, office: OrgNode) -> bool:
    """Correction records: only a correction officer of the office or of the district above it."""
    return any(
        a.role == Role.CORRECTION_OFFICER and a.node is not None and office.path.startswith(a.node.path)
        for a in user.roles.select_related("node")
    )


ADVISER_OVERSIGHT = {Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN, Role.LEADER}


def reaches_adviser_work(user: User, office: OrgNode) -> bool:
    """The advisers' records of an office: its staff, and the admins and leaders above it."""
    return any(
        a.role in ADVISER_OVERSIGHT and a.node is not None and office.path.startswith(a.node.path)
        for a in user.roles.select_related("node")
    )


def reaches_institution(user: User, institution: Any) -> bool:
    """Registered in the user's subtree, serving a node in it or above it, or the handler's own."""
    if any(a.institution_id == institution.pk for a in user.roles.all()):
        return True
    own = _assignment_nodes(user)
    if institution.home_node is not None and any(institution.home_node.path.startswith(m.path) for m in own):
        return True
    served = list(institution.served_nodes.all())
    return any(n.path.startswith(m.path) or m.path.startswith(n.path) for n in served for m in own)


GOVERNANCE_ROLES = {Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN}
DUTY_ROLES = {Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN}
STAFF_ADMINS = {Role.DISTRICT_ADMIN, Role.CITY_ADMIN}


def _holds_above(user: User, node: OrgNode, roles: Collection[str]) -> bool:
    return any(
        a.role in roles and a.node is not None and node.path.startswith(a.node.path)
        for a in user.roles.select_related("node")
    )


def reaches_governance(user: User, office: OrgNode) -> bool:
    """Governance records of an office: its staff, and the district and city admins above it."""
    return _holds_above(user, office, GOVERNANCE_ROLES)


def reaches_duties(user: User, district: OrgNode) -> bool:
    """The responsibility list of a district: its admins and the city's."""
    return _holds_above(user, district, DUTY_ROLES)


def reaches_staff(user: User, node: OrgNode) -> bool:
    """The staff pages: a district or city admin over the worker's unit (or the course's organiser)."""
    return _holds_above(user, node, STAFF_ADMINS)


# kind -> (how to reach the record's node, the node it belongs to)
def reaches_screening(user: User, office: OrgNode) -> bool:
    """A round: the office's subtree roles above, and the handlers of a committee registered at the office."""
    if reaches_node(user, office):
        return True
    return any(
        a.institution is not None and a.institution.home_node_id == office.pk
        for a in user.roles.select_related("institution")
    )


def _owner(world: World, kind: str, side: str) -> tuple[Callable[[User, OrgNode], bool], OrgNode]:
    if kind in ("screening_round", "screening_finding"):
        return reaches_screening, world.station[side].parent  # type: ignore[return-value]
    if kind == "signal":
        return reaches_node, world.station[side].parent  # type: ignore[return-value]
    if kind in ("district", "draw", "round", "milestone"):
        return reaches_node, world.district[side]
    if kind in ("service", "photo"):
        return reaches_district_work, world.district[side]
    if kind in ("adviser_record", "adviser_photo", "town_group", "group_member", "lightbox"):
        office = world.station[side].parent
        assert office is not None
        return reaches_adviser_work, office
    if kind in ("supervisee", "released"):
        return reaches_correction, world.get(kind, side).office
    if kind in ("model_case", "opinion"):
        return reaches_governance, world.get(kind, side).office
    if kind == "publicity_duty":
        return reaches_duties, world.district[side]
    if kind in ("staff_member", "staff_role", "course"):
        return reaches_staff, world.station[side]
    return reaches_node, world.station[side]


def may_reach(user: User, world: World, kind: str, side: str) -> bool:
    if kind == "institution":
        return reaches_institution(user, world.get(kind, side))
    rule, node = _owner(world, kind, side)
    return rule(user, node)


def may_see_side(user: User, world: World, side: str) -> bool:
    """A platform's records (and so its marker) are visible to roles whose subtree holds the platform."""
    return reaches_node(user, world.station[side])


# --- the routes -----------------------------------------------------------------------------------------

MONTH = timezone.localdate().strftime("%Y-%m")
# url name -> None (a page without parameters), ("list", kwargs) (parameters that name no record, e.g. the
# ledger's code), or (kind of record in the URL, extra kwargs); kinds: station, district, matter, dispute, legal_aid,
# complaint, visit, attachment, slot, appointment, video_room, video_terminal, shift, draw, service, photo, supervisee, released,
# screening_round, screening_finding, signal
ROUTES: dict[str, tuple[str, dict[str, Any]] | None] = {
    # pages without a record in the URL (lists, forms, exports): checked with and without ?node=
    "home": None,
    "accounts:otp_setup": None,
    "accounts:otp_verify": None,
    "accounts:password_change": None,
    "orgs:tree": None,
    "orgs:export": None,
    "orgs:import": None,
    "institutions:list": None,
    "institutions:export": None,
    "institutions:import": None,
    "complaints:list": None,
    "complaints:new": None,
    "leaderwindow:index": None,
    "leaderwindow:board": None,
    "leaderwindow:board_export": None,
    "outreach:board": None,
    "screening:index": None,
    "screening:round_new": None,
    "warnings:list": None,
    "outreach:export": None,
    "outreach:villages": None,
    "outreach:teams": None,
    "outreach:service_new": None,
    "outreach:events": None,
    "outreach:events_export": None,
    "outreach:duties": None,
    "outreach:duties_export": None,
    "outreach:duty": ("publicity_duty", {}),
    "governance:index": None,
    "governance:cases_export": None,
    "governance:opinions": None,
    "governance:opinions_export": None,
    "governance:safety": None,
    "governance:safety_export": None,
    "governance:case": ("model_case", {}),
    "governance:opinion": ("opinion", {}),
    "advisers:board": None,
    "advisers:contracts": None,
    "advisers:mine": None,
    "advisers:records": None,
    "advisers:export": None,
    "advisers:record_new": None,
    "advisers:groups": None,
    "coverage:board": None,
    "coverage:villages": None,
    "coverage:export": None,
    "coverage:import": None,
    "coverage:lightboxes": None,
    "correction:index": None,
    "correction:supervisee_new": None,
    "correction:deadlines": None,
    "correction:released": None,
    "correction:ledger_export": None,
    "correction:national_export": None,
    "appointments:list": None,
    "appointments:slots": None,
    "appointments:slot_new": None,
    "duty:index": None,
    "desk:intake": None,
    "desk:person_search": None,
    "desk:matters": None,
    "desk:inbox": None,
    "desk:tasks": None,
    "desk:ledgers": None,
    "desk:overdue": None,
    "desk:notifications": None,
    "desk:notifications_read": None,
    "desk:ledger": ("list", {"code": 1}),
    "desk:ledger_xlsx": ("list", {"code": 1}),
    "desk:ledger_pdf": ("list", {"code": 1}),
    "audit_search": None,
    "audit_export": None,
    "stats:index": None,
    "stats:deadlines": None,
    "public:signage_index": None,
    "online:desk": None,
    "api:visit-list": None,
    "api:matter-list": None,
    "api:institution-list": None,
    "api:slot-list": None,
    "api:appointment-list": None,
    "api:ledger-list": None,
    "api:ledger-rows": ("list", {"code": "1"}),
    "api:monthly-report-list": None,
    "api:not-found": ("list", {"path": "nothing-here"}),
    # a record in the URL
    "institutions:detail": ("institution", {}),
    "institutions:terminals": ("institution", {}),
    "orgs:node": ("station", {}),
    "orgs:children": ("station", {}),
    "orgs:edit": ("station", {}),
    "orgs:add": ("district", {}),
    "orgs:facilities": ("station", {}),
    "complaints:detail": ("complaint", {}),
    "complaints:pass_on": ("complaint", {}),
    "complaints:acknowledge": ("complaint", {}),
    "complaints:answer": ("complaint", {}),
    "complaints:response": ("complaint", {}),
    "complaints:note": ("complaint", {}),
    "mediation:detail": ("dispute", {}),
    "mediation:route": ("dispute", {}),
    "mediation:result": ("dispute", {}),
    "legalaid:standards": ("district", {}),
    "legalaid:application": ("legal_aid", {}),
    "legalaid:review": ("legal_aid", {}),
    "legalaid:transfer": ("legal_aid", {}),
    "legalaid:decision": ("legal_aid", {}),
    "legalaid:application_pdf": ("legal_aid", {}),
    "legalaid:receipt_pdf": ("legal_aid", {}),
    "leaderwindow:district": ("district", {}),
    "leaderwindow:draw": ("district", {}),
    "leaderwindow:check_in": ("draw", {}),
    "leaderwindow:check_out": ("draw", {}),
    "outreach:service": ("service", {}),
    "correction:supervisee": ("supervisee", {}),
    "correction:released_person": ("released", {}),
    "screening:round": ("screening_round", {}),
    "screening:finding_register": ("screening_finding", {}),
    "warnings:detail": ("signal", {}),
    "warnings:handle": ("signal", {}),
    "outreach:photo": ("photo", {}),
    "staff:list": None,
    "staff:new": None,
    "staff:courses": None,
    "staff:board": None,
    "staff:board_export": None,
    "staff:requirement": None,
    "staff:detail": ("staff_member", {}),
    "staff:role_grant": ("staff_member", {}),
    "staff:deactivate": ("staff_member", {}),
    "staff:role_revoke": ("staff_role", {}),
    "staff:course": ("course", {}),
    "advisers:record": ("adviser_record", {}),
    "advisers:record_resubmit": ("adviser_record", {}),
    "advisers:photo": ("adviser_photo", {}),
    "advisers:group": ("town_group", {}),
    "advisers:member_remove": ("group_member", {}),
    "coverage:lightbox": ("lightbox", {}),
    "coverage:lightbox_pdf": ("lightbox", {}),
    "appointments:book": ("slot", {}),
    "appointments:detail": ("appointment", {}),
    "appointments:action": ("appointment", {"action": "cancel"}),
    "video_desk:start": ("matter", {}),
    "video_desk:room": ("video_room", {}),
    "video_desk:consent": ("video_room", {}),
    "video_desk:end": ("video_room", {}),
    "video_desk:waiting": None,
    "video_desk:terminal_new": None,
    "video_desk:terminal_revoke": ("video_terminal", {}),
    "duty:roster": ("station", {}),
    "duty:copy": ("station", {}),
    "duty:roster_xlsx": ("station", {}),
    "duty:roster_pdf": ("station", {}),
    "duty:remove": ("shift", {}),
    "duty:subsidy": ("district", {}),
    "duty:subsidy_xlsx": ("district", {}),
    "desk:visit": ("visit", {}),
    "desk:matter": ("matter", {}),
    "desk:redirect_slip": ("matter", {}),
    "desk:attachment_upload": ("matter", {}),
    "desk:attachment": ("attachment", {}),
    "desk:matter_answer": ("matter", {}),
    "desk:matter_redirect": ("matter", {}),
    "desk:matter_transfer": ("matter", {}),
    "desk:matter_accept": ("matter", {}),
    "desk:matter_decline": ("matter", {}),
    "desk:matter_outcome": ("matter", {}),
    "desk:matter_tell": ("matter", {}),
    "desk:matter_close": ("matter", {}),
    "desk:matter_handover": ("matter", {}),
    "desk:matter_handover_confirm": ("matter", {}),
    "desk:matter_one_trip": ("matter", {}),
    "desk:matter_handover_withdraw": ("matter", {}),
    "desk:matter_legal_aid_apply": ("matter", {}),
    "desk:matter_legal_aid_review": ("matter", {}),
    "desk:matter_legal_aid_decide": ("matter", {}),
    "desk:matter_dispute_record": ("matter", {}),
    "desk:matter_mediation_result": ("matter", {}),
    "desk:matter_complaint_note": ("matter", {}),
    "person_reveal": ("person", {"field": "phone"}),
    "contact_reveal": ("complaint", {"which": "complainant"}),
    "stats:dashboard": ("station", {}),
    "stats:report": ("station", {"month": MONTH}),
    "stats:report_xlsx": ("station", {"month": MONTH}),
    "stats:report_pdf": ("station", {"month": MONTH}),
    "stats:submit": ("station", {"month": MONTH}),
    "stats:review": ("station", {"month": MONTH}),
    "stats:reopen": ("station", {"month": MONTH}),
    "stats:drill": ("station", {"month": MONTH, "indicator": "visits"}),
    "online:desk_claim": ("matter", {}),
    "public:signage": ("station", {}),
    "public:signage_svg": ("station", {"sign": "a"}),
    "public:signage_pdf": ("station", {}),
    "public:signage_batch": ("district", {}),
    "public:signage_batch_pdf": ("district", {}),
    "api:visit-detail": ("visit", {}),
    "api:matter-detail": ("matter", {}),
    "api:matter-events": ("matter", {}),
    "api:matter-transfer-targets": ("matter", {}),
    "api:matter-accept": ("matter", {}),
    "api:matter-answer": ("matter", {}),
    "api:matter-close": ("matter", {}),
    "api:matter-decline": ("matter", {}),
    "api:matter-outcome": ("matter", {}),
    "api:matter-command-list": ("matter", {}),
    "api:matter-command": ("matter", {"key": "answer"}),
    "api:matter-redirect": ("matter", {}),
    "api:matter-tell-citizen": ("matter", {}),
    "api:matter-transfer": ("matter", {}),
    "api:institution-detail": ("institution", {}),
    "api:slot-detail": ("slot", {}),
    "api:appointment-detail": ("appointment", {}),
    "api:appointment-cancel": ("appointment", {}),
    "api:person-reveal": ("person", {}),
    "api:matter-reveal": ("complaint", {}),
    "quality:index": None,
    "quality:ranking": None,
    "quality:export": None,
    "quality:findings": None,
    "quality:drill": ("station", {"kind": "node", "figure": "service"}),
    "quality:tablet": ("matter", {}),
    "quality:receipt": ("visit", {}),
    "quality:finding": ("complaint", {}),
    "assessment:index": None,
    "assessment:standards": None,
    "assessment:round_new": None,
    "assessment:rectifications": None,
    "assessment:population": None,
    "assessment:board": None,
    "assessment:rules": None,
    "assessment:notices": None,
    "assessment:notices_xlsx": None,
    "assessment:notices_pdf": None,
    "assessment:round": ("round", {}),
    "assessment:round_collect": ("round", {}),
    "assessment:round_publish": ("round", {}),
    "assessment:round_rewards": ("round", {}),
    "assessment:round_report": ("round", {"district": lambda world, side: world.district[side].pk}),
    "assessment:entry": ("entry", {"pk": lambda world, side: world.get("round", side).pk}),
    "assessment:score": ("score", {}),
    "assessment:rectification_new": ("score", {}),
    "assessment:rectification": ("rectification", {}),
    "assessment:file": ("assessment_file", {}),
    "bureau:board": None,
    "bureau:division_new": None,
    "bureau:timetable": None,
    "bureau:timetable_xlsx": None,
    # city-only pages about a division (no platform's record): 404 for all but the city (tests/test_bureau.py)
    "bureau:division": ("list", {"pk": lambda world, side: world.get("division", "a").pk}),
    "bureau:division_edit": ("list", {"pk": lambda world, side: world.get("division", "a").pk}),
    "bureau:supervise": ("list", {"pk": lambda world, side: world.get("division", "a").pk}),
    "bureau:plan": ("district", {}),
    "bureau:milestone": ("milestone", {}),
}
# The assessment standard is one for the whole city, readable by every role: not a record out of anyone's reach.
SHARED_ROUTES = {"assessment:standard"}
# Open to everyone (the login page, the health check, the citizen's side).
# The API's OpenAPI schema and its documentation page describe the interface, not data: open like the login page.
PUBLIC_ROUTES = {"login", "logout", "healthz", "api:schema", "api:docs", "quality:kiosk"}
# The citizen's side of a video consultation: their one-time link and their consent (tests/test_video.py).
PUBLIC_ROUTES |= {"video:join", "video:consent"}
# A station terminal's video page and its one-time pairing link: known by the terminal's signed cookie.
PUBLIC_ROUTES |= {"video:terminal", "video:terminal_pair"}
PUBLIC_PREFIXES = ("public:", "laws:", "online:")  # but the staff pages among them are in ROUTES


def _walk(resolver: URLResolver, namespace: str | None = None) -> Iterator[tuple[str, Any]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def all_route_names() -> set[str]:
    return {name for name, _route in _walk(get_resolver())}


def test_every_route_is_in_the_matrix() -> None:
    covered = set(ROUTES) | PUBLIC_ROUTES | SHARED_ROUTES
    missing = {n for n in all_route_names() - covered if not n.startswith(PUBLIC_PREFIXES)}
    staff_pages = {"online:desk", "online:desk_claim", "public:signage_index"}
    assert staff_pages <= set(ROUTES), "the staff pages of the citizens' side are checked too"
    assert not missing, f"add these routes to tests/test_url_matrix.py ROUTES: {sorted(missing)}"
    assert not set(ROUTES) - all_route_names(), "ROUTES names a route the site no longer has"


def _url(world: World, name: str, side: str | None) -> str:
    spec = ROUTES[name]
    if spec is None:
        return reverse(name)
    kind, extra = spec
    extra = {k: (v(world, side or "a") if callable(v) else v) for k, v in extra.items()}
    if kind == "list":
        return reverse(name, kwargs=extra)
    obj = world.get(kind, side or "a") if kind not in ("station", "district") else getattr(world, kind)[side]
    key = _kwarg_name(name, extra)
    return reverse(name, kwargs={key: obj.pk, **extra})


def _kwarg_name(name: str, extra: dict[str, Any]) -> str:
    """The one URL parameter that names the record (the others come from the route's extra kwargs)."""
    for route_name, pattern in _walk(get_resolver()):
        if route_name == name:
            keys = [k for k in pattern.pattern.regex.groupindex if k not in extra]
            assert len(keys) == 1, f"{name}: parameters {keys} besides {sorted(extra)}"
            return keys[0]
    raise AssertionError(f"no route {name}")


# --- the state fingerprint: what a refused write must leave untouched -----------------------------------

SKIP_MODELS = {"core.auditlog", "sessions.session"}


def fingerprint() -> dict[str, tuple[Any, ...]]:
    """Per model: row count, highest key, and the latest update / state / login where the model has one."""
    tables = set(connection.introspection.table_names())
    result: dict[str, tuple[Any, ...]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP_MODELS or model._meta.db_table not in tables:
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        aggregates: dict[str, Any] = {"n": Count("pk"), "m": Max("pk")}
        for name in ("updated_at", "state", "last_login", "status"):
            if name in fields:
                aggregates[name] = Max(name)
        result[label] = tuple(model._default_manager.aggregate(**aggregates).values())
    return result


# --- the tests ------------------------------------------------------------------------------------------


@pytest.fixture
def world(tree: Tree, personas: Personas, settings: Any) -> World:
    # The matrix sends hundreds of API requests a minute per persona: lift the rate limits (tested in test_api).
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {scope: "100000/min" for scope in rest.get("DEFAULT_THROTTLE_RATES", {})}
    settings.REST_FRAMEWORK = rest
    return _build_world(tree, personas)


def _record_routes() -> list[str]:
    return sorted(name for name, spec in ROUTES.items() if spec is not None and spec[0] != "list")


def _list_routes() -> list[str]:
    return sorted(name for name, spec in ROUTES.items() if spec is None or spec[0] == "list")


def _hidden_markers(user: User, world: World) -> list[str]:
    return [MARKERS[side] for side in SIDES if not may_see_side(user, world, side)]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _body_text(response: Any) -> str:
    """The text a user would read: the page, the JSON, every cell of a workbook, the text of a PDF."""
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith(("text/", "application/json", "image/svg")):
        return content.decode(errors="replace")
    if content_type.startswith(XLSX):
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        )
    if content_type.startswith("application/pdf"):
        import subprocess

        return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True).stdout.decode()
    return ""


def _is_pdf(name: str) -> bool:
    return name.endswith("pdf")


def _assert_no_hidden_marker(user: User, world: World, response: Any, what: str) -> None:
    body = _body_text(response)
    for marker in _hidden_markers(user, world):
        assert marker not in body, f"{user.username} saw {marker} on {what}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_records_out_of_reach_are_refused_for_reading_and_writing(
    world: World, personas: Personas, persona: str
) -> None:
    user = getattr(personas, persona)
    client = client_for(user)
    failures: list[str] = []
    before = fingerprint()  # GETs and refused POSTs change nothing: one comparison at the end
    for name in _record_routes():
        kind = ROUTES[name][0]  # type: ignore[index]
        for side in SIDES:
            url = _url(world, name, side)
            reachable = may_reach(user, world, kind, side)
            if reachable and _is_pdf(name):
                continue  # a PDF the user may print is tested with its feature (and takes seconds to draw)
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"GET {name} [{side}] → {response.status_code}")
            if not reachable and response.status_code not in (403, 404, 405):
                failures.append(f"GET {name} [{side}] out of reach → {response.status_code}")
            if response.status_code == 200:
                _assert_no_hidden_marker(user, world, response, f"{name} [{side}]")
            if reachable:
                continue
            response = client.post(url, {"note": "x", "reason": "x", "answer": "x", "outcome": "x"})
            if response.status_code not in (403, 404, 405):
                failures.append(f"POST {name} [{side}] out of reach → {response.status_code}")
    after = fingerprint()
    changed = {label for label in before if before[label] != after.get(label)}
    assert not changed, f"refused requests changed {sorted(changed)}"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_never_show_a_platform_out_of_reach(world: World, personas: Personas, persona: str) -> None:
    user = getattr(personas, persona)
    client = client_for(user)
    failures: list[str] = []
    for name in _list_routes():
        url = _url(world, name, None)
        queries: list[dict[str, Any]] = [{}]
        queries += [{"node": world.station[side].pk} for side in SIDES]
        queries += [{"district": world.district[side].pk} for side in ("a", "d")]
        if _is_pdf(name):  # only the filters out of reach: those must not draw another platform's records
            queries = [
                q for q in queries if "node" in q and not may_see_side(user, world, _side_of(world, q))
            ]
        for query in queries:
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"GET {name} {query} → {response.status_code}")
                continue
            try:
                _assert_no_hidden_marker(user, world, response, f"{name} {query}")
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n".join(failures)


def _side_of(world: World, query: dict[str, Any]) -> str:
    return next(side for side in SIDES if world.station[side].pk == query["node"])


def _expects_refusal(response: Any) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_after_logout_every_route_refuses_and_changes_nothing(world: World, personas: Personas) -> None:
    client = client_for(personas.city_admin)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    failures: list[str] = []
    before = fingerprint()
    for name in [*_record_routes(), *_list_routes()]:
        for side in SIDES if name in _record_routes() else (None,):
            url = _url(world, name, side)
            response = client.get(url)
            if not _expects_refusal(response):
                failures.append(f"GET {name} after logout → {response.status_code}")
            response = client.post(url, {"note": "x"})
            if not _expects_refusal(response):
                failures.append(f"POST {name} after logout → {response.status_code}")
    after = fingerprint()
    changed = {label for label in before if before[label] != after.get(label)}
    assert not changed, f"requests after logout changed {sorted(changed)}"
    assert not failures, "\n".join(failures)


def test_the_world_is_seen_by_those_who_may(world: World, personas: Personas) -> None:
    """The matrix would pass vacuously if the records were hidden from everyone: the own clerk, the office
    and the city each open their records' pages."""
    for user, side in ((personas.clerk_a, "a"), (personas.office_staff, "b"), (personas.city_admin, "d")):
        client = client_for(user)
        for kind, name in (
            ("matter", "desk:matter"),
            ("complaint", "complaints:detail"),
            ("visit", "desk:visit"),
        ):
            response = client.get(_url(world, name, side))
            assert response.status_code == 200, (user.username, name)
            assert MARKERS[side] in response.content.decode(), (user.username, kind)


def test_anonymous_client_is_a_fresh_client_too(world: World) -> None:
    response = Client().get(_url(world, "desk:matter", "a"))
    assert _expects_refusal(response)
