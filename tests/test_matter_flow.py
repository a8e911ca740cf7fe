"""The core loop through the services: every legal move, illegal moves refused with the registry's message and
nothing changed, the first-responder rule, the back office, one-trip tasks, and the selectors behind the desk."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import access as matter_access
from lawdesk.matters import selectors, services
from lawdesk.matters.events import check_move
from lawdesk.matters.models import Matter, MatterEvent, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from tests.conftest import Personas, Tree, make_user

pytestmark = pytest.mark.django_db

S = MatterState


def new_matter(
    personas: Personas,
    tree: Tree,
    kind: str = "consultation",
    summary: str = "邻里漏水怎么赔偿",
    **extra: Any,
) -> Matter:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone="13800138000"),
        matters=[MatterInput(kind=kind, summary=summary, **extra)],
    )
    return visit.matters.get()


def fresh(matter: Matter) -> Matter:
    return Matter.objects.get(pk=matter.pk)


def codes(matter: Matter) -> list[str]:
    return list(MatterEvent.objects.filter(matter=matter).order_by("id").values_list("code", flat=True))


def to_transferred(p: Personas, t: Tree, m: Matter) -> Matter:
    return services.matter_transfer(actor=p.clerk_a, matter=m, institution=t.mediation)


def to_accepted(p: Personas, t: Tree, m: Matter) -> Matter:
    return services.matter_accept(actor=p.mediator, matter=to_transferred(p, t, m))


def to_outcome(p: Personas, t: Tree, m: Matter) -> Matter:
    return services.matter_record_outcome(actor=p.mediator, matter=to_accepted(p, t, m), outcome="调解成功")


def to_told(p: Personas, t: Tree, m: Matter) -> Matter:
    return services.matter_tell_citizen(actor=p.clerk_a, matter=to_outcome(p, t, m), via="phone")


def to_answered(p: Personas, t: Tree, m: Matter) -> Matter:
    return services.matter_answer(actor=p.clerk_a, matter=m, answer="已当场解答")


def to_closed(p: Personas, t: Tree, m: Matter) -> Matter:
    return services.matter_close(actor=p.clerk_a, matter=to_answered(p, t, m), rating=4)


# --- the legal paths -----------------------------------------------------------------------------------


def test_transfer_path_records_every_move_with_who_where_and_states(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    assert matter.state == S.RECEIVED and matter.owner == personas.clerk_a

    matter = services.matter_transfer(
        actor=personas.clerk_a, matter=matter, institution=tree.mediation, note="属地调解"
    )
    assert matter.state == S.TRANSFERRED and matter.institution == tree.mediation
    assert matter.accept_due is not None and matter.accept_due > timezone.localdate()

    matter = services.matter_accept(actor=personas.mediator, matter=matter)
    assert matter.state == S.ACCEPTED and matter.handler == personas.mediator and matter.outcome_due

    matter = services.matter_record_outcome(
        actor=personas.mediator, matter=matter, outcome="调解成功，达成书面协议"
    )
    assert matter.state == S.OUTCOME_RECORDED and not matter.outcome_by_proxy and matter.feedback_due

    matter = services.matter_tell_citizen(actor=personas.clerk_a, matter=matter, via="phone", note="电话告知")
    assert matter.state == S.CITIZEN_TOLD and matter.told_via == "phone" and matter.told_at

    matter = services.matter_close(actor=personas.clerk_a, matter=matter, rating=5, comment="很满意")
    stored = fresh(matter)
    assert stored.state == S.CLOSED and stored.rating == 5 and stored.rating_comment == "很满意"

    events = list(MatterEvent.objects.filter(matter=matter).order_by("id"))
    assert [e.code for e in events] == [
        "received",
        "transferred",
        "accepted",
        "outcome_recorded",
        "citizen_told",
        "closed",
    ]
    assert events[0].to_state == S.RECEIVED
    assert [(e.from_state, e.to_state) for e in events[1:]] == [
        (S.RECEIVED, S.TRANSFERRED),
        (S.TRANSFERRED, S.ACCEPTED),
        (S.ACCEPTED, S.OUTCOME_RECORDED),
        (S.OUTCOME_RECORDED, S.CITIZEN_TOLD),
        (S.CITIZEN_TOLD, S.CLOSED),
    ]
    by_code = {e.code: e for e in events}
    assert by_code["transferred"].actor == personas.clerk_a and by_code["transferred"].node == tree.station_a
    assert by_code["transferred"].note == "属地调解"
    assert (
        by_code["accepted"].institution == tree.mediation and by_code["accepted"].actor == personas.mediator
    )
    assert by_code["outcome_recorded"].data == {"by_proxy": False}
    assert by_code["citizen_told"].data == {"via": "phone"}
    assert by_code["closed"].data == {"rating": 5}


def test_answered_on_the_spot_then_closed(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree, kind="consultation", summary="劳动合同解除补偿")
    matter = services.matter_answer(actor=personas.clerk_a, matter=matter, answer="依劳动合同法第四十七条")
    assert matter.state == S.ANSWERED and matter.answer.startswith("依劳动合同法")
    services.matter_close(actor=personas.clerk_a, matter=matter, rating=5)
    assert fresh(matter).state == S.CLOSED
    assert codes(matter) == ["received", "answered", "closed"]


def test_redirected_then_closed(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree, kind="consultation", summary="户口迁移")
    matter = services.matter_redirect(
        actor=personas.clerk_a,
        matter=matter,
        reason="户籍事项不属于公共法律服务范围",
        redirect_to="小寨路派出所",
        address="小寨东路1号",
        phone="029-85550110",
    )
    assert (matter.state, matter.redirect_to, matter.redirect_phone) == (
        S.REDIRECTED,
        "小寨路派出所",
        "029-85550110",
    )
    services.matter_close(actor=personas.clerk_a, matter=matter, rating=3)
    assert fresh(matter).state == S.CLOSED
    assert codes(matter) == ["received", "redirected", "closed"]


def test_decline_returns_to_received_with_the_institution_cleared_and_it_can_go_elsewhere(
    personas: Personas, tree: Tree
) -> None:
    matter = to_transferred(personas, tree, new_matter(personas, tree))
    with pytest.raises(ValidationError) as refused:
        services.matter_decline(actor=personas.mediator, matter=matter, reason="  ")
    assert refused.value.message_dict == {"reason": ["退回须说明原因。"]}
    assert fresh(matter).state == S.TRANSFERRED

    services.matter_decline(actor=personas.mediator, matter=matter, reason="不属本委员会调解范围")
    stored = fresh(matter)
    assert stored.state == S.RECEIVED and stored.institution is None and stored.accept_due is None
    declined = MatterEvent.objects.get(matter=matter, code="declined")
    assert declined.institution == tree.mediation and declined.note == "不属本委员会调解范围"
    assert (declined.from_state, declined.to_state) == (S.TRANSFERRED, S.RECEIVED)
    # The mediator no longer sees it; the sender transfers it elsewhere.
    scoping.forget_scope(personas.mediator)
    assert not matter_access.visible_matters(personas.mediator).filter(pk=matter.pk).exists()
    services.matter_transfer(actor=personas.clerk_a, matter=stored, institution=tree.law_firm)
    assert fresh(matter).institution == tree.law_firm


def test_office_staff_records_the_outcome_on_the_handlers_behalf_marked_as_such(
    personas: Personas, tree: Tree
) -> None:
    matter = to_accepted(personas, tree, new_matter(personas, tree))
    services.matter_record_outcome(actor=personas.office_staff, matter=matter, outcome="调解成功（电话核实）")
    stored = fresh(matter)
    assert stored.state == S.OUTCOME_RECORDED and stored.outcome_by_proxy
    event = MatterEvent.objects.get(matter=matter, code="outcome_recorded")
    assert event.actor == personas.office_staff and event.data == {"by_proxy": True}
    assert event.institution is None


def test_only_the_handler_or_those_above_record_an_outcome(personas: Personas, tree: Tree) -> None:
    matter = to_accepted(personas, tree, new_matter(personas, tree))
    for outsider in (personas.clerk_a, personas.handler, personas.other_district_admin):
        with pytest.raises(PermissionDenied):
            services.matter_record_outcome(actor=outsider, matter=matter, outcome="x")
    assert fresh(matter).state == S.ACCEPTED


def test_another_institutions_handler_cannot_accept_or_decline(personas: Personas, tree: Tree) -> None:
    matter = to_transferred(personas, tree, new_matter(personas, tree))
    with pytest.raises(PermissionDenied):
        services.matter_accept(actor=personas.handler, matter=matter)
    with pytest.raises(PermissionDenied):
        services.matter_decline(actor=personas.handler, matter=matter, reason="x")
    assert fresh(matter).state == S.TRANSFERRED


# --- illegal moves -------------------------------------------------------------------------------------

Move = Callable[[Personas, Tree, Matter], Any]
ILLEGAL: list[tuple[str, Callable[[Personas, Tree, Matter], Matter], str, Move]] = [
    ("close a received matter", lambda p, t, m: m, "closed", lambda p, t, m: services.matter_close(
        actor=p.clerk_a, matter=m, rating=5)),
    ("tell before an outcome", lambda p, t, m: m, "citizen_told", lambda p, t, m: services.matter_tell_citizen(
        actor=p.clerk_a, matter=m, via="phone")),
    ("answer a transferred matter", to_transferred, "answered", lambda p, t, m: services.matter_answer(
        actor=p.clerk_a, matter=m, answer="x")),
    ("transfer an answered matter", to_answered, "transferred", lambda p, t, m: services.matter_transfer(
        actor=p.clerk_a, matter=m, institution=t.law_firm)),
    ("redirect a transferred matter", to_transferred, "redirected", lambda p, t, m: services.matter_redirect(
        actor=p.clerk_a, matter=m, reason="r", redirect_to="x")),
    ("accept twice", to_accepted, "accepted", lambda p, t, m: services.matter_accept(actor=p.mediator, matter=m)),
    ("decline an accepted matter", to_accepted, "declined", lambda p, t, m: services.matter_decline(
        actor=p.mediator, matter=m, reason="r")),
    ("outcome before acceptance", to_transferred, "outcome_recorded",
     lambda p, t, m: services.matter_record_outcome(actor=p.mediator, matter=m, outcome="x")),
    ("close before the citizen is told", to_outcome, "closed", lambda p, t, m: services.matter_close(
        actor=p.clerk_a, matter=m, rating=5)),
    ("tell twice", to_told, "citizen_told", lambda p, t, m: services.matter_tell_citizen(
        actor=p.clerk_a, matter=m, via="sms")),
    ("answer a closed matter", to_closed, "answered", lambda p, t, m: services.matter_answer(
        actor=p.clerk_a, matter=m, answer="x")),
    ("close twice", to_closed, "closed", lambda p, t, m: services.matter_close(
        actor=p.clerk_a, matter=m, rating=5)),
    ("hand over a closed matter", to_closed, "handover_offered",
     lambda p, t, m: services.matter_handover_offer(actor=p.clerk_a, matter=m, to_user=p.office_staff)),
    ("one trip on a closed matter", to_closed, "one_trip_marked",
     lambda p, t, m: services.matter_mark_one_trip(actor=p.clerk_a, matter=m, mode="proxy")),
]  # fmt: skip


@pytest.mark.parametrize(("prepare", "code", "move"), [i[1:] for i in ILLEGAL], ids=[i[0] for i in ILLEGAL])
def test_an_illegal_move_is_refused_with_the_registrys_message_and_nothing_changes(
    personas: Personas, tree: Tree, prepare: Callable[..., Matter], code: str, move: Move
) -> None:
    matter = fresh(prepare(personas, tree, new_matter(personas, tree)))
    before = {f.attname: getattr(matter, f.attname) for f in Matter._meta.concrete_fields}
    events_before = codes(matter)
    with pytest.raises(ValidationError) as refused:
        move(personas, tree, matter)
    assert refused.value.code == "illegal_move"
    expected = check_move(code, matter.state)
    assert expected and refused.value.messages == [expected]
    assert f"事项当前为“{S(matter.state).label}”" in expected
    after = fresh(matter)
    assert {f.attname: getattr(after, f.attname) for f in Matter._meta.concrete_fields} == before
    assert codes(matter) == events_before


def test_close_with_a_rating_outside_one_to_five_is_refused(personas: Personas, tree: Tree) -> None:
    matter = to_answered(personas, tree, new_matter(personas, tree))
    for rating in (0, 6, -1):
        with pytest.raises(ValidationError) as refused:
            services.matter_close(actor=personas.clerk_a, matter=matter, rating=rating)
        assert refused.value.message_dict == {"rating": ["满意度评分应为1到5分。"]}
    stored = fresh(matter)
    assert stored.state == S.ANSWERED and stored.rating is None and stored.closed_at is None


def test_invalid_input_is_refused_per_field_before_any_move(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    with pytest.raises(ValidationError) as refused:
        services.matter_redirect(actor=personas.clerk_a, matter=matter, reason="", redirect_to="", phone="12")
    assert set(refused.value.message_dict) == {"redirect_reason", "redirect_to", "redirect_phone"}
    with pytest.raises(ValidationError) as refused:
        services.matter_answer(actor=personas.clerk_a, matter=matter, answer=" ")
    assert refused.value.message_dict == {"answer": ["请填写答复意见。"]}
    with pytest.raises(ValidationError) as refused:
        services.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.other_law_firm)
    assert "institution" in refused.value.message_dict
    assert fresh(matter).state == S.RECEIVED and codes(matter) == ["received"]


# --- first responder -----------------------------------------------------------------------------------


@pytest.fixture
def colleague(tree: Tree) -> User:
    """A second window clerk at station A."""
    return make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)


def test_a_clerk_of_the_sibling_station_cannot_see_or_act(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    assert not matter_access.visible_matters(personas.clerk_b).filter(pk=matter.pk).exists()
    with pytest.raises(PermissionDenied):
        services.matter_answer(actor=personas.clerk_b, matter=matter, answer="x")
    with pytest.raises(PermissionDenied):
        services.matter_transfer(actor=personas.clerk_b, matter=matter, institution=tree.mediation)
    assert fresh(matter).state == S.RECEIVED


def test_a_colleague_acts_only_after_confirming_a_hand_over(
    personas: Personas, tree: Tree, colleague: User
) -> None:
    matter = new_matter(personas, tree)
    with pytest.raises(PermissionDenied):
        services.matter_answer(actor=colleague, matter=matter, answer="x")

    matter = services.matter_handover_offer(
        actor=personas.clerk_a, matter=matter, to_user=colleague, note="调岗"
    )
    assert matter.handover_to == colleague and matter.owner == personas.clerk_a
    with pytest.raises(PermissionDenied):  # offered, not yet confirmed
        services.matter_answer(actor=colleague, matter=matter, answer="x")
    assert [m.pk for m in selectors.handovers_for(actor=colleague)] == [matter.pk]
    assert matter.pk in [m.pk for m in selectors.my_open_matters(actor=colleague)]

    services.matter_handover_confirm(actor=colleague, matter=matter)
    stored = fresh(matter)
    assert stored.owner == colleague and stored.handover_to is None
    with pytest.raises(PermissionDenied):  # the former owner has handed it over
        services.matter_answer(actor=personas.clerk_a, matter=stored, answer="x")
    services.matter_answer(actor=colleague, matter=stored, answer="已解答")
    assert codes(matter) == ["received", "handover_offered", "handover_confirmed", "answered"]
    confirmed = MatterEvent.objects.get(matter=matter, code="handover_confirmed")
    assert confirmed.actor == colleague and confirmed.data == {"from": personas.clerk_a.pk}


def test_refusing_a_hand_over_keeps_the_owner(personas: Personas, tree: Tree, colleague: User) -> None:
    matter = new_matter(personas, tree)
    services.matter_handover_offer(actor=personas.clerk_a, matter=matter, to_user=colleague)
    with pytest.raises(PermissionDenied):  # only the receiver answers the offer
        services.matter_handover_confirm(actor=personas.office_staff, matter=fresh(matter))
    services.matter_handover_confirm(
        actor=colleague, matter=fresh(matter), accept=False, note="不熟悉该类纠纷"
    )
    stored = fresh(matter)
    assert stored.owner == personas.clerk_a and stored.handover_to is None
    assert codes(matter)[-1] == "handover_refused"
    with pytest.raises(PermissionDenied):
        services.matter_answer(actor=colleague, matter=stored, answer="x")


def test_a_hand_over_goes_only_to_someone_working_at_the_platform(
    personas: Personas, tree: Tree, colleague: User
) -> None:
    matter = new_matter(personas, tree)
    for outsider in (personas.clerk_b, personas.mediator, personas.leader):
        with pytest.raises(ValidationError) as refused:
            services.matter_handover_offer(actor=personas.clerk_a, matter=matter, to_user=outsider)
        assert "to_user" in refused.value.message_dict
    names = list(selectors.handover_colleagues(matter=matter))
    assert colleague in names and personas.office_staff in names
    assert personas.clerk_a not in names and personas.clerk_b not in names and personas.leader not in names


def test_the_office_acts_for_its_stations_front_desk(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    services.matter_transfer(actor=personas.office_staff, matter=matter, institution=tree.law_firm)
    assert fresh(matter).state == S.TRANSFERRED


# --- at most one trip ----------------------------------------------------------------------------------


def test_one_trip_marks_a_task_for_the_office_with_a_due_date(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    due = timezone.localdate() + datetime.timedelta(days=5)
    services.matter_mark_one_trip(actor=personas.clerk_a, matter=matter, mode="home_visit", due=due)
    stored = fresh(matter)
    assert (stored.one_trip_mode, stored.one_trip_due) == ("home_visit", due)
    assert [m.pk for m in selectors.one_trip_tasks(actor=personas.office_staff)] == [matter.pk]
    assert not selectors.one_trip_tasks(actor=personas.other_district_admin).exists()
    assert not selectors.one_trip_tasks(actor=personas.clerk_b).exists()

    with pytest.raises(ValidationError) as refused:
        services.matter_mark_one_trip(
            actor=personas.clerk_a,
            matter=matter,
            mode="proxy",
            due=timezone.localdate() - datetime.timedelta(1),
        )
    assert "one_trip_due" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.matter_mark_one_trip(actor=personas.clerk_a, matter=matter, mode="teleport")
    assert "one_trip_mode" in refused.value.message_dict
    assert fresh(matter).one_trip_mode == "home_visit"

    services.matter_answer(actor=personas.clerk_a, matter=stored, answer="上门解答")
    assert not selectors.one_trip_tasks(actor=personas.office_staff).exists()
    assert selectors.one_trip_tasks(actor=personas.office_staff, include_done=True).count() == 1


def test_one_trip_tasks_come_earliest_due_first(personas: Personas, tree: Tree) -> None:
    today = timezone.localdate()
    later, sooner = new_matter(personas, tree, summary="后"), new_matter(personas, tree, summary="先")
    services.matter_mark_one_trip(
        actor=personas.clerk_a, matter=later, mode="proxy", due=today + datetime.timedelta(9)
    )
    services.matter_mark_one_trip(actor=personas.clerk_a, matter=sooner, mode="proxy", due=today)
    Matter.objects.filter(pk=sooner.pk).update(one_trip_due=today - datetime.timedelta(days=2))  # now overdue
    assert [m.summary for m in selectors.one_trip_tasks(actor=personas.office_staff)] == ["先", "后"]


# --- the selectors behind the desk ---------------------------------------------------------------------


def test_handler_inbox_lists_what_awaits_acceptance_and_what_awaits_an_outcome(
    personas: Personas, tree: Tree
) -> None:
    waiting = to_transferred(personas, tree, new_matter(personas, tree, summary="待承接"))
    working = to_accepted(personas, tree, new_matter(personas, tree, summary="办理中"))
    to_outcome(personas, tree, new_matter(personas, tree, summary="已办结"))
    services.matter_transfer(
        actor=personas.clerk_a, matter=new_matter(personas, tree, summary="给律所"), institution=tree.law_firm
    )
    inbox = selectors.handler_inbox(actor=personas.mediator)
    assert [m.pk for m in inbox["to_accept"]] == [waiting.pk]
    assert [m.pk for m in inbox["to_finish"]] == [working.pk]
    other = selectors.handler_inbox(actor=personas.handler)
    assert [m.summary for m in other["to_accept"]] == ["给律所"] and not other["to_finish"].exists()


def test_matter_list_puts_the_actors_open_matters_first_and_filters(
    personas: Personas, tree: Tree, colleague: User
) -> None:
    mine_closed = to_closed(personas, tree, new_matter(personas, tree, summary="我的已归档"))
    theirs = services.visit_register(
        actor=colleague,
        node=tree.station_a,
        person_data=PersonInput(name="王五"),
        matters=[MatterInput(kind="consultation", summary="同事的")],
    ).matters.get()
    mine_open = new_matter(personas, tree, summary="我的未办结")
    listed = list(selectors.matter_list(actor=personas.clerk_a))
    assert [m.pk for m in listed] == [mine_open.pk, theirs.pk, mine_closed.pk]
    assert [m.is_mine for m in listed] == [True, False, False]  # type: ignore[attr-defined]
    assert [m.pk for m in selectors.matter_list(actor=personas.clerk_a, state="closed")] == [mine_closed.pk]
    assert not selectors.matter_list(actor=personas.clerk_a, kind="dispute").exists()
    assert [m.pk for m in selectors.matter_list(actor=personas.clerk_a, kind="consultation")] == [
        mine_open.pk, theirs.pk, mine_closed.pk,
    ]  # fmt: skip
    assert not selectors.matter_list(actor=personas.clerk_b).exists()
    assert [m.pk for m in selectors.my_open_matters(actor=personas.clerk_a)] == [mine_open.pk]


def test_transfer_targets_serve_the_matters_node_or_above_and_default_by_kind(
    personas: Personas, tree: Tree
) -> None:
    matter = new_matter(personas, tree)
    targets = list(selectors.transfer_targets(actor=personas.clerk_a, matter=matter))
    assert tree.mediation in targets and tree.law_firm in targets and tree.other_law_firm not in targets
    assert list(selectors.transfer_targets(actor=personas.clerk_a, matter=matter, kind="law_firm")) == [
        tree.law_firm
    ]
    # A committee serving another office does not serve station A; an inactive one is not offered.
    elsewhere = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="电子城街道人民调解委员会", home_node=tree.office2,
        mediation_scope="place",
    )  # fmt: skip
    elsewhere.served_nodes.add(tree.office2)
    Institution.objects.filter(pk=tree.law_firm.pk).update(is_active=False)
    targets = list(selectors.transfer_targets(actor=personas.office_staff, matter=matter))
    assert targets == [tree.mediation]

    dispute = new_matter(personas, tree, kind="dispute", summary="邻里漏水纠纷")
    assert selectors.default_institution_kind(dispute) == "mediation_committee"
    aid = new_matter(personas, tree, kind="legal_aid", summary="讨薪")
    assert selectors.default_institution_kind(aid) == "legal_aid_centre"
    for service_type, kind in (
        ("lawyer", "law_firm"),
        ("notary", "notary_office"),
        ("forensic", "forensic_office"),
        ("grassroots_legal", "grassroots_legal_office"),
        ("judicial_office", ""),
    ):
        transfer = new_matter(
            personas, tree, kind="service_transfer", summary="业务", service_type=service_type
        )
        assert selectors.default_institution_kind(transfer) == kind
    assert selectors.default_institution_kind(new_matter(personas, tree, kind="consultation")) == ""


def test_overdue_is_the_running_stages_deadline_in_the_past(personas: Personas, tree: Tree) -> None:
    matter = to_transferred(personas, tree, new_matter(personas, tree))
    assert selectors.current_due(matter) == matter.accept_due and not selectors.is_overdue(matter)
    Matter.objects.filter(pk=matter.pk).update(accept_due=timezone.localdate() - datetime.timedelta(days=1))
    assert selectors.is_overdue(fresh(matter))
    assert selectors.current_due(new_matter(personas, tree)) is None
