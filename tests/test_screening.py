"""Regular dispute screening (经常性排查, 三(二)): a committee records a round and its findings; a found dispute
becomes a matter through the normal intake and mediation services, routed to the committee that found it; the
board shows committees that have not screened this month; who may see and do what."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.core import clock
from lawdesk.matters.models import Channel, MatterKind, MatterState
from lawdesk.mediation.models import DisputeDetail, PartyRole
from lawdesk.notifications.models import Notification
from lawdesk.orgs.models import Village
from lawdesk.orgs.services import village_create
from lawdesk.screening import selectors, services
from lawdesk.screening.models import Disposition, ScreeningFinding, ScreeningRound
from lawdesk.screening.services import FindingInput
from tests.conftest import Personas, Tree, client_for

pytestmark = pytest.mark.django_db


def changyanbao(personas: Personas, tree: Tree) -> Village:
    return village_create(
        actor=personas.district_admin, office=tree.office, name="长延堡社区", region_code="610113001001",
        kind="community", station=tree.station_b,
    )  # fmt: skip


def a_round(personas: Personas, tree: Tree, **extra: Any) -> ScreeningRound:
    findings = extra.pop("findings", None) or [
        FindingInput(
            disposition=Disposition.TO_MATTER, description="工地拖欠三名农民工工资", dispute_type="labour",
            applicant="王建国", counterpart="宏达建筑有限公司", people_involved=3, escalation_risk=True,
        ),
        FindingInput(disposition=Disposition.RESOLVED, description="邻里漏水，当场化解", dispute_type="neighbourhood"),
        FindingInput(disposition=Disposition.NO_DISPUTE),
    ]  # fmt: skip
    return services.round_record(
        actor=personas.mediator, committee=tree.mediation, village=extra.pop("village", None),
        date=clock.today(), households=40, summary="入户走访", findings=findings, **extra,
    )  # fmt: skip


def test_the_mediator_records_a_round_and_the_office_is_told_of_disputes_to_register(
    tree: Tree, personas: Personas
) -> None:
    village = changyanbao(personas, tree)
    record = a_round(personas, tree, village=village)
    assert record.node == tree.office and record.period == clock.today().replace(day=1)
    assert record.findings.count() == 3 and record.disputes_found == 2
    assert Notification.objects.filter(
        user=personas.office_staff, text__contains="1件纠纷待转为事项"
    ).exists()


def test_a_round_is_refused_to_others_and_for_bad_input(tree: Tree, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.round_record(actor=personas.handler, committee=tree.mediation, date=clock.today())
    with pytest.raises(PermissionDenied):
        services.round_record(actor=personas.clerk_a, committee=tree.mediation, date=clock.today())
    far = village_create(
        actor=personas.district_admin, office=tree.office2, name="电子城村", region_code="610113002001"
    )
    with pytest.raises(ValidationError) as caught:
        services.round_record(
            actor=personas.mediator, committee=tree.mediation, village=far, date=clock.today()
        )
    assert "不在" in caught.value.message_dict["village"][0]
    with pytest.raises(ValidationError) as caught:
        services.round_record(
            actor=personas.mediator, committee=tree.mediation, date=clock.today() + datetime.timedelta(days=1)
        )
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        a_round(personas, tree, findings=[FindingInput(disposition=Disposition.TO_MATTER, description="欠薪",
                                                       dispute_type="labour")])  # fmt: skip
    assert "当事人" in caught.value.message_dict["findings"][0]
    assert not ScreeningRound.objects.exists()


def test_the_office_staff_records_a_round_on_the_committees_behalf(tree: Tree, personas: Personas) -> None:
    record = services.round_record(actor=personas.office_staff, committee=tree.mediation, date=clock.today())
    assert record.screened_by == personas.office_staff


def test_a_found_dispute_becomes_a_matter_routed_to_the_committee(tree: Tree, personas: Personas) -> None:
    village = changyanbao(personas, tree)
    finding = a_round(personas, tree, village=village).findings.get(disposition=Disposition.TO_MATTER)
    with pytest.raises(PermissionDenied):
        services.finding_register(actor=personas.mediator, finding=finding)
    matter = services.finding_register(actor=personas.office_staff, finding=finding, phone="13912345678")
    assert matter.kind == MatterKind.DISPUTE and matter.node == tree.station_b
    assert matter.visit.channel == Channel.SCREENING
    assert matter.state == MatterState.TRANSFERRED and matter.institution == tree.mediation
    detail = DisputeDetail.objects.get(matter=matter)
    assert detail.escalation_risk and detail.escalation_alerted_at is not None  # the usual 易激化 alert
    assert detail.parties.get(role=PartyRole.RESPONDENT).name == "宏达建筑有限公司"
    finding.refresh_from_db()
    assert finding.matter == matter and finding.registered_by == personas.office_staff
    with pytest.raises(ValidationError):
        services.finding_register(actor=personas.office_staff, finding=finding)
    # the committee sees it in its inbox like any transferred dispute
    assert matter in selectors.matter_access.visible_matters(personas.mediator)


def test_a_round_of_the_whole_area_registers_at_the_offices_town_station(
    tree: Tree, personas: Personas
) -> None:
    finding = a_round(personas, tree).findings.get(disposition=Disposition.TO_MATTER)
    assert selectors.intake_node(finding) == tree.station_a
    assert selectors.can_register(personas.clerk_a, finding)
    assert not selectors.can_register(personas.clerk_b, finding)


def test_the_board_lists_committees_that_have_not_screened_this_month(tree: Tree, personas: Personas) -> None:
    month = clock.today().replace(day=1)
    rows = selectors.board(personas.district_admin, month)
    assert [r.committee for r in rows if not r.screened] == [tree.mediation]
    a_round(personas, tree)
    rows = selectors.board(personas.district_admin, month)
    assert [r.committee for r in rows if not r.screened] == []
    assert rows[0].findings == 2
    # last month's round does not count for this month
    assert not selectors.board(personas.district_admin, month - datetime.timedelta(days=1))[0].screened


def test_rounds_are_seen_by_the_committee_and_the_offices_above_only(tree: Tree, personas: Personas) -> None:
    from tests.conftest import make_user

    record = a_round(personas, tree)
    office2_staff = make_user("office2_staff", "office_staff", tree.office2)
    for user in (personas.mediator, personas.office_staff, personas.district_admin, personas.city_admin):
        assert client_for(user).get(f"/desk/screening/{record.pk}/").status_code == 200, user
    for user in (office2_staff, personas.other_district_admin, personas.clerk_a, personas.handler,
                 personas.adviser, personas.correction_officer):  # fmt: skip
        assert client_for(user).get(f"/desk/screening/{record.pk}/").status_code == 404, user
    finding = record.findings.get(disposition=Disposition.TO_MATTER)
    response = client_for(office2_staff).post(f"/desk/screening/findings/{finding.pk}/register/")
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.matter is None


def test_the_screening_pages_for_the_mediator_and_the_office(tree: Tree, personas: Personas) -> None:
    village = changyanbao(personas, tree)
    mediator = client_for(personas.mediator)
    home = mediator.get("/").content.decode()
    assert "/desk/screening/" in home and "/desk/warnings/" not in home
    assert mediator.get("/desk/screening/").status_code == 200
    page = mediator.get("/desk/screening/new/")
    assert page.status_code == 200 and "长延堡社区" in page.content.decode()
    response = mediator.post(
        "/desk/screening/new/",
        {
            "committee": tree.mediation.pk, "village": village.pk, "date": clock.today().isoformat(),
            "households": "12", "summary": "月度排查",
            "f0_disposition": "to_matter", "f0_dispute_type": "labour", "f0_description": "欠薪",
            "f0_applicant": "李四", "f0_counterpart": "宏达建筑", "f0_people_involved": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    record = ScreeningRound.objects.get()
    office = client_for(personas.office_staff)
    detail = office.get(f"/desk/screening/{record.pk}/").content.decode()
    finding = ScreeningFinding.objects.get()
    assert f"register-button-{finding.pk}" in detail
    assert office.post(f"/desk/screening/findings/{finding.pk}/register/", {"phone": ""}).status_code == 302
    finding.refresh_from_db()
    assert finding.matter is not None
    assert client_for(personas.handler).get("/desk/screening/").status_code == 404
    assert client_for(personas.handler).get("/desk/screening/new/").status_code == 404
    assert "/desk/screening/" not in client_for(personas.handler).get("/").content.decode()
    assert client_for(personas.clerk_a).get("/desk/screening/new/").status_code == 404


def test_a_bad_round_form_says_why_in_chinese(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.mediator).post(
        "/desk/screening/new/",
        {"committee": tree.mediation.pk, "date": "2099-01-01", "households": "0",
         "f0_disposition": "to_matter", "f0_description": "欠薪"},
    )  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "排查日期不能晚于今天" in text
    assert not ScreeningRound.objects.exists()


def test_the_monthly_report_counts_rounds_and_findings_and_drills_down_to_them(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.stats import indicators
    from lawdesk.stats import selectors as stats_selectors

    record = a_round(personas, tree)
    services.finding_register(
        actor=personas.office_staff, finding=record.findings.get(disposition=Disposition.TO_MATTER)
    )
    services.round_record(actor=personas.mediator, committee=tree.mediation, date=clock.today())
    today = clock.today()
    start, end = today.replace(day=1), today + datetime.timedelta(days=1)
    figures = {
        code: indicators.get(code).total(tree.office.path, start, end)  # type: ignore[union-attr]
        for code in ("screening_rounds", "screening_disputes", "screening_resolved", "screening_to_matter")
    }
    assert figures == {
        "screening_rounds": 2, "screening_disputes": 2, "screening_resolved": 1, "screening_to_matter": 1
    }  # fmt: skip
    assert indicators.get("screening_rounds").total(tree.office2.path, start, end) == 0  # type: ignore[union-attr]
    _item, rows = stats_selectors.drill_down(
        actor=personas.district_admin, node=tree.office, indicator="screening_to_matter",
        year=today.year, month=today.month,
    )  # fmt: skip
    assert [r.round_id for r in rows] == [record.pk]
    page = client_for(personas.office_staff).get(
        f"/desk/stats/{tree.office.pk}/{today:%Y-%m}/drill/screening_disputes/"
    )
    assert page.status_code == 200
    assert f"/desk/screening/{record.pk}/" in page.content.decode()
    assert (
        "矛盾排查"
        in client_for(personas.office_staff)
        .get(f"/desk/stats/{tree.office.pk}/{today:%Y-%m}/")
        .content.decode()
    )
