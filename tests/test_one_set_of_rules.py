"""Issue 15's cases, each tried through every door that reaches it (the API, the matter page, the domain page,
the service called directly), and each refused the same way — or, for the steps that were hidden, shown."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from lawdesk.accounts.models import Role
from lawdesk.complaints import services as complaints
from lawdesk.complaints.forms import intake_nodes
from lawdesk.core import clock
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import commands, escalation, services
from lawdesk.matters.models import Matter, MatterEvent, MatterState
from lawdesk.notifications.models import Notification
from tests.builders import World, build, build_world, command_data, fresh, register
from tests.conftest import Personas, Tree, client_for, make_user


@pytest.fixture
def world(tree: Tree, personas: Personas) -> World:
    return build_world(tree, personas)


def api(user: Any) -> Client:
    return client_for(user)


def post_api(user: Any, matter: Matter, path: str, data: dict[str, Any]) -> Any:
    return api(user).post(f"/api/v1/matters/{matter.pk}/{path}/", data, content_type="application/json")


def post_page(user: Any, matter: Matter, key: str, data: dict[str, Any]) -> Any:
    return client_for(user).post(f"/desk/matters/{matter.pk}/{key.replace('_', '-')}/", data)


# --- legal aid without 初审 -------------------------------------------------------------------------------


def test_legal_aid_reaches_a_centre_only_after_a_passed_review_through_every_door(world: World) -> None:
    clerk = world.personas.clerk_a
    matter = register(world, "legal_aid")
    for institution in (world.centre, world.tree.law_firm):
        response = post_api(clerk, matter, "transfer", {"institution": institution.pk})
        assert (
            response.status_code == 400
            and "初审意见为“符合”后才能移交法律援助中心。" in response.json()["detail"]
        )
        page = post_page(clerk, matter, "transfer", {"institution": institution.pk})
        assert page.status_code == 400 and "初审意见为“符合”后才能移交法律援助中心。" in page.content.decode()
        domain = client_for(clerk).post(
            f"/desk/legal-aid/{matter.pk}/transfer/", {"institution": institution.pk}
        )
        assert domain.status_code == 400
        with pytest.raises(ValidationError, match="初审意见为“符合”后"):
            services.matter_transfer(actor=clerk, matter=matter, institution=institution)
    assert fresh(matter).state == MatterState.RECEIVED
    assert not MatterEvent.objects.filter(matter=matter, code="transferred").exists()

    reviewed = build(world, "legal_aid", "reviewed")
    response = post_api(clerk, reviewed, "transfer", {"institution": world.tree.law_firm.pk})
    assert response.status_code == 400
    assert response.json()["errors"]["institution"] == ["法律援助申请只能移交法律援助中心。"]
    elsewhere = Institution.objects.create(
        kind=InstitutionKind.LEGAL_AID_CENTRE, name="新城区法律援助中心", home_node=world.tree.other_district
    )
    elsewhere.served_nodes.add(world.tree.other_district)
    office = world.personas.office_staff  # sees every institution of the district; this one serves another
    with pytest.raises(ValidationError) as exc:
        services.matter_transfer(actor=office, matter=reviewed, institution=elsewhere)
    assert "institution" in exc.value.message_dict
    assert post_api(clerk, reviewed, "transfer", {"institution": world.centre.pk}).status_code == 200
    assert fresh(reviewed).institution == world.centre


def test_a_centre_decides_instead_of_accepting(world: World) -> None:
    matter = build(world, "legal_aid", "transferred")
    response = post_api(world.centre_handler, matter, "accept", {})
    assert response.status_code == 400 and "法律援助申请事项不能承接该事项" in response.json()["detail"]
    data = command_data(world, matter, "legal_aid_decide")
    response = post_api(world.centre_handler, matter, "commands/legal_aid_decide", data)
    assert response.status_code == 200 and response.json()["matter"]["state"] == "accepted"


# --- complaints never reach their subject ----------------------------------------------------------------


def test_a_complaint_is_never_passed_to_where_its_subject_works(
    world: World, tree: Tree, personas: Personas
) -> None:
    clerk = personas.clerk_a
    # About a worker of the legal aid centre: not to the centre (not a department), nor to a department he works in.
    worker = make_user("centre_worker", Role.HANDLER, institution=world.centre)
    detail = complaints.complaint_record(
        actor=clerk,
        node=tree.station_a,
        statement="法援中心工作人员态度恶劣",
        anonymous=True,
        subject_user=worker,
    )
    matter = Matter.objects.get(pk=detail.matter_id)
    response = post_api(clerk, matter, "transfer", {"institution": world.centre.pk})
    assert response.status_code == 400 and response.json()["errors"]["institution"] == [
        "投诉只能转交负责处理投诉的部门。"
    ]
    make_user("worker_also_in_dept", Role.HANDLER, institution=world.department)  # someone else there: fine
    worker_dept = make_user("dept_worker", Role.HANDLER, institution=world.department)
    detail2 = complaints.complaint_record(
        actor=clerk,
        node=tree.station_a,
        statement="科室工作人员推诿",
        anonymous=True,
        subject_user=worker_dept,
    )
    matter2 = Matter.objects.get(pk=detail2.matter_id)
    for door in ("api", "page", "register"):
        if door == "api":
            response = post_api(clerk, matter2, "transfer", {"institution": world.department.pk})
            body = str(response.json())
        elif door == "page":
            response = post_page(clerk, matter2, "transfer", {"institution": world.department.pk})
            body = response.content.decode()
        else:
            response = client_for(clerk).post(
                f"/desk/complaints/{matter2.pk}/pass-on/", {"department": world.department.pk}
            )
            body = response.content.decode()
        assert response.status_code == 400, door
        assert "被投诉人是该部门（机构）的工作人员" in body, door
    assert fresh(matter2).institution is None
    # The department's own picker never offers it.
    from lawdesk.matters import selectors

    assert world.department not in selectors.kind_transfer_targets(actor=clerk, matter=matter2)


def test_the_subject_of_a_complaint_can_issue_nothing_and_is_never_told(world: World) -> None:
    matter = build(world, "complaint", "passed_on")
    subject = world.subject
    assert not commands.available(subject, matter)
    for key in ("accept", "outcome", "tell", "close", "complaint_note"):
        with pytest.raises(PermissionDenied):
            commands.authorize(actor=subject, matter=matter, key=key)
    # 督办: even were the subject among the recipients, they are left out.
    Matter.objects.filter(pk=matter.pk).update(
        owner=subject, accept_due=clock.today() - datetime.timedelta(days=9)
    )
    assert escalation.escalate_overdue() == 1
    assert not Notification.objects.filter(user=subject).exists()
    assert Notification.objects.filter(user=world.department_handler, text__startswith="督办提醒").exists()


def test_the_api_cannot_answer_or_redirect_a_complaint(world: World) -> None:
    matter = build(world, "complaint", "received")
    for path, data in (("answer", {"answer": "x"}), ("redirect", {"reason": "x", "redirect_to": "y"})):
        response = post_api(world.personas.clerk_a, matter, path, data)
        assert response.status_code == 400 and "投诉举报事项不能" in response.json()["detail"], path
    assert fresh(matter).state == MatterState.RECEIVED


# --- write power per role at its node ---------------------------------------------------------------------


def test_a_role_held_elsewhere_gives_no_write_power_here(tree: Tree, personas: Personas) -> None:
    """A clerk of station A who is also an auditor at another district's office sees that office's stations but
    registers visits, and records complaints, only at station A."""
    user = make_user("two_hats", Role.WINDOW_CLERK, tree.station_a)
    from lawdesk.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, node=tree.other_office)
    assert services.can_receive_at(user, tree.station_a)
    assert not services.can_receive_at(user, tree.station_d)
    body = {
        "node": tree.station_d.pk, "channel": "phone", "person": {"name": "李四"},
        "matters": [{"kind": "consultation", "summary": "咨询"}],
    }  # fmt: skip
    response = client_for(user).post("/api/v1/visits/", body, content_type="application/json")
    assert response.status_code in (400, 403)
    page = client_for(user).post(
        "/desk/intake/",
        {"platform": tree.station_d.pk, "name": "李四", "m0-kind": "consultation", "m0-summary": "咨询"},
    )
    assert page.status_code in (400, 403)
    assert [n.pk for n in intake_nodes(user)] == [tree.station_a.pk]
    with pytest.raises(PermissionDenied):
        services.visit_register(
            actor=user, node=tree.station_d, person_data=services.PersonInput(name="李四"),
            matters=[services.MatterInput(kind="consultation", summary="咨询")],
        )  # fmt: skip


# --- the two doors no longer drift ------------------------------------------------------------------------


def test_the_api_records_whether_the_citizen_adopted_the_advice(world: World) -> None:
    matter = build(world, "consultation", "outcome_recorded")
    response = post_api(
        world.personas.clerk_a, matter, "tell-citizen", {"told_via": "phone", "adoption": "partly"}
    )
    assert response.status_code == 200, response.json()
    assert fresh(matter).adoption == "partly"
    listed = api(world.personas.clerk_a).get(f"/api/v1/matters/{matter.pk}/commands/").json()
    assert [c["key"] for c in listed] == [
        c.key for c in commands.available(world.personas.clerk_a, fresh(matter))
    ]


# --- the page shows the next step to whoever takes it -------------------------------------------------------


def _commands_on_page(user: Any, matter: Matter) -> list[str]:
    import re

    body = client_for(user).get(f"/desk/matters/{matter.pk}/").content.decode()
    return re.findall(r'data-command="([a-z_]+)"', body)


def test_each_role_sees_exactly_the_commands_it_may_issue_now(world: World) -> None:
    dispute = build(world, "dispute", "details")
    assert "transfer" in _commands_on_page(world.personas.clerk_a, dispute)
    accepted = build(world, "dispute", "accepted")
    assert "mediation_result" in _commands_on_page(world.personas.mediator, accepted)
    assert "outcome" not in _commands_on_page(world.personas.mediator, accepted)
    aid = build(world, "legal_aid", "transferred")
    centre = _commands_on_page(world.centre_handler, aid)
    assert "legal_aid_decide" in centre and "accept" not in centre
    for kind, state in (("consultation", "received"), ("dispute", "accepted"), ("complaint", "passed_on")):
        matter = build(world, kind, state)
        for name in ("clerk_a", "office_staff", "leader", "auditor", "mediator", "department_handler"):
            user = world.user(name)
            if client_for(user).get(f"/desk/matters/{matter.pk}/").status_code != 200:
                continue
            expected = [c.key for c in commands.available(user, matter)]
            assert _commands_on_page(user, matter) == expected, (kind, name)
