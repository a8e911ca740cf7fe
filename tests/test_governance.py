"""Grassroots governance (plan 三(四)): the 民主法治示范村(社区) creation (apply, inspect against the configured
criteria, name at a level, review: kept or revoked; states enforced in the services), legal opinions to the town
party committee and government (adopted or not), 平安创建 activities; scoping and another organisation refused,
the Excel lists, the figures and their drill-down."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.governance import selectors, services
from lawdesk.governance.criteria import CRITERIA, CRITERIA_CODES
from lawdesk.governance.models import CaseState, LegalOpinion, ModelVillageCase, SafetyActivity
from lawdesk.orgs.models import Village
from lawdesk.stats.fill import fill_counts
from lawdesk.stats.selectors import drill_down, monthly_report
from tests.conftest import Personas, Tree, client_for

DAY = datetime.date(2026, 11, 20)
ALL = sorted(CRITERIA_CODES)


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def village(tree: Tree) -> Village:
    return Village.objects.create(office=tree.office, name="长延堡村", region_code="610113001201")


def apply(personas: Personas, village: Village, level: str = "district") -> ModelVillageCase:
    return services.case_apply(
        actor=personas.office_staff,
        village=village,
        level=level,
        applied_on=DAY,
        summary="四议两公开落实到位",
    )


def inspect(personas: Personas, case: ModelVillageCase, met: list[str]) -> None:
    services.case_inspect(
        actor=personas.office_staff, case=case, date=DAY, inspector="区司法局基层科", findings="现场查看台账",
        criteria_met=met,
    )  # fmt: skip


def opinion(personas: Personas, tree: Tree, subject: str = "征收补偿方案") -> LegalOpinion:
    return services.opinion_record(
        actor=personas.office_staff, office=tree.office, requester="小寨路街道办事处", subject=subject,
        requested_on=DAY, opinion_on=DAY, opinion="补偿标准应依法公示",
    )  # fmt: skip


# --- the model village ----------------------------------------------------------------------------------------


def test_the_criteria_are_a_configured_list() -> None:
    assert len(CRITERIA) >= 8
    assert len(CRITERIA_CODES) == len(CRITERIA)
    assert any("村规民约" in label for _code, label in CRITERIA)


def test_a_village_is_named_only_after_an_inspection_meeting_every_criterion(
    personas: Personas, village: Village
) -> None:
    case = apply(personas, village)
    assert case.state == CaseState.APPLYING and case.office == village.office
    with pytest.raises(ValidationError) as caught:
        services.case_decide(actor=personas.district_admin, case=case, named=True, date=DAY, document="文号")
    assert "尚未检查验收" in str(caught.value)
    inspect(personas, case, ALL[:-2])
    with pytest.raises(ValidationError) as caught:
        services.case_decide(actor=personas.district_admin, case=case, named=True, date=DAY, document="文号")
    assert "尚有2项标准未达到" in str(caught.value)
    inspect(personas, case, ALL)
    with pytest.raises(PermissionDenied):  # the office does not name
        services.case_decide(actor=personas.office_staff, case=case, named=True, date=DAY, document="文号")
    with pytest.raises(ValidationError) as caught:
        services.case_decide(actor=personas.district_admin, case=case, named=True, date=DAY, document="")
    assert "document" in caught.value.message_dict
    services.case_decide(
        actor=personas.district_admin, case=case, named=True, date=DAY, document="雁司发〔2026〕9号"
    )
    case.refresh_from_db()
    assert case.state == CaseState.NAMED and case.decided_by == personas.district_admin
    with pytest.raises(ValidationError):  # no more inspections or decisions once named
        inspect(personas, case, ALL)
    with pytest.raises(ValidationError):
        services.case_decide(actor=personas.district_admin, case=case, named=False, date=DAY)


def test_levels_above_the_district_need_the_title_below_and_the_city(
    personas: Personas, village: Village
) -> None:
    with pytest.raises(ValidationError) as caught:
        apply(personas, village, "city")
    assert "须先获得下一级" in str(caught.value)
    district = apply(personas, village)
    with pytest.raises(ValidationError):
        apply(personas, village)  # one open application per level
    inspect(personas, district, ALL)
    services.case_decide(actor=personas.district_admin, case=district, named=True, date=DAY, document="区级")
    city = apply(personas, village, "city")
    inspect(personas, city, ALL)
    with pytest.raises(PermissionDenied):
        services.case_decide(actor=personas.district_admin, case=city, named=True, date=DAY, document="市级")
    services.case_decide(actor=personas.city_admin, case=city, named=True, date=DAY, document="市级")
    city.refresh_from_db()
    assert city.state == CaseState.NAMED


def test_the_review_keeps_or_revokes_the_title(personas: Personas, village: Village) -> None:
    case = apply(personas, village)
    with pytest.raises(ValidationError):  # only a named village is reviewed
        services.case_review(actor=personas.district_admin, case=case, date=DAY, result="kept", notes="x")
    inspect(personas, case, ALL)
    services.case_decide(actor=personas.district_admin, case=case, named=True, date=DAY, document="文号")
    services.case_review(actor=personas.district_admin, case=case, date=DAY, result="kept", notes="复核合格")
    assert ModelVillageCase.objects.get().state == CaseState.NAMED
    services.case_review(
        actor=personas.district_admin, case=case, date=DAY, result="revoked", notes="发生群体性事件"
    )
    case.refresh_from_db()
    assert case.state == CaseState.REVOKED and case.revoked_on == DAY
    again = apply(personas, village)  # a revoked village may apply again
    assert again.state == CaseState.APPLYING


def test_a_rejected_application_is_closed(personas: Personas, village: Village) -> None:
    case = apply(personas, village)
    services.case_decide(actor=personas.district_admin, case=case, named=False, date=DAY)
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED
    with pytest.raises(ValidationError):
        inspect(personas, case, ALL)


def test_another_office_cannot_apply_or_inspect(personas: Personas, tree: Tree, village: Village) -> None:
    with pytest.raises(PermissionDenied):
        services.case_apply(
            actor=personas.other_district_admin,
            village=village,
            level="district",
            applied_on=DAY,
            summary="x",
        )
    case = apply(personas, village)
    with pytest.raises(PermissionDenied):
        services.case_inspect(
            actor=personas.clerk_a, case=case, date=DAY, inspector="x", findings="x", criteria_met=ALL
        )
    with pytest.raises(ValidationError) as caught:
        services.case_inspect(
            actor=personas.office_staff, case=case, date=DAY, inspector="", findings="", criteria_met=["nope"]
        )
    assert set(caught.value.message_dict) == {"inspector", "findings", "criteria_met"}


# --- opinions and 平安创建 -------------------------------------------------------------------------------------


def test_an_opinion_is_adopted_once(personas: Personas, tree: Tree) -> None:
    record = opinion(personas, tree)
    assert record.given_by == personas.office_staff and record.adoption == ""
    with pytest.raises(ValidationError) as caught:
        services.opinion_adoption(actor=personas.office_staff, opinion=record, adoption="", date=DAY)
    assert "adoption" in caught.value.message_dict
    services.opinion_adoption(actor=personas.office_staff, opinion=record, adoption="partly", date=DAY)
    with pytest.raises(ValidationError):
        services.opinion_adoption(actor=personas.office_staff, opinion=record, adoption="adopted", date=DAY)
    assert LegalOpinion.objects.get().adoption == "partly"
    assert AuditLog.objects.filter(action="governance.opinion_adoption").count() == 1


def test_opinion_dates_and_who(personas: Personas, tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        services.opinion_record(
            actor=personas.office_staff, office=tree.office, requester="", subject="x",
            requested_on=DAY, opinion_on=DAY - datetime.timedelta(days=1), opinion="x",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"requester", "opinion_on"}
    for who, office in (
        ("clerk_a", tree.office),
        ("other_district_admin", tree.office),
        ("office_staff", tree.office2),
    ):
        with pytest.raises(PermissionDenied):
            services.opinion_record(
                actor=getattr(personas, who), office=office, requester="x", subject="x", requested_on=DAY,
                opinion_on=DAY, opinion="x",
            )  # fmt: skip


def test_safety_activity(personas: Personas, tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        services.safety_record(
            actor=personas.office_staff, office=tree.office, date=DAY, kind="x", participants=0, summary=""
        )
    assert set(caught.value.message_dict) == {"kind", "participants", "summary"}
    services.safety_record(
        actor=personas.office_staff,
        office=tree.office,
        date=DAY,
        kind="patrol",
        participants=30,
        summary="联防",
    )
    assert SafetyActivity.objects.get().participants == 30


# --- scoping and pages ----------------------------------------------------------------------------------------


def test_each_sees_its_offices_and_others_get_404(personas: Personas, tree: Tree, village: Village) -> None:
    case, record = apply(personas, village), opinion(personas, tree)
    assert list(selectors.cases_for(personas.district_admin)) == [case]
    assert not selectors.opinions_for(personas.other_district_admin).exists()
    for who in ("other_district_admin", "clerk_a", "leader", "handler", "adviser"):
        client = client_for(getattr(personas, who))
        for url in (f"/desk/governance/cases/{case.pk}/", f"/desk/governance/opinions/{record.pk}/"):
            assert client.get(url).status_code == 404, (who, url)
            assert client.post(url, {"adoption": "adopted", "date": "2026-11-20"}).status_code == 404
    for who in ("clerk_a", "leader", "handler"):
        client = client_for(getattr(personas, who))
        for url in ("/desk/governance/", "/desk/governance/opinions/", "/desk/governance/safety/"):
            assert client.get(url).status_code == 404, (who, url)
    assert LegalOpinion.objects.get().adoption == ""
    page = client_for(personas.other_district_admin).get("/desk/governance/opinions/").content.decode()
    assert "征收补偿方案" not in page


def test_the_pages_walk_a_case_and_an_opinion(personas: Personas, tree: Tree, village: Village) -> None:
    staff = client_for(personas.office_staff)
    response = staff.post(
        "/desk/governance/",
        {"village": village.pk, "level": "district", "applied_on": "2026-11-20", "summary": "创建情况"},
    )
    case = ModelVillageCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/governance/cases/{case.pk}/"
    response = staff.post(
        f"/desk/governance/cases/{case.pk}/",
        {"action": "inspect", "date": "2026-11-21", "inspector": "王", "findings": "好", "criteria_met": ALL},
    )
    assert response.status_code == 302
    assert 'data-testid="decide-form"' not in staff.get(f"/desk/governance/cases/{case.pk}/").content.decode()
    admin = client_for(personas.district_admin)
    response = admin.post(
        f"/desk/governance/cases/{case.pk}/",
        {"action": "decide", "named": "1", "date": "2026-11-22", "document": ""},
    )
    assert response.status_code == 400 and "请填写命名文号" in response.content.decode()
    admin.post(
        f"/desk/governance/cases/{case.pk}/",
        {"action": "decide", "named": "1", "date": "2026-11-22", "document": "雁司发〔2026〕9号"},
    )
    case.refresh_from_db()
    assert case.state == CaseState.NAMED
    response = staff.post(
        "/desk/governance/opinions/",
        {"office": tree.office.pk, "requester": "街道党工委", "subject": "村规民约", "requested_on": "2026-11-20",
         "opinion_on": "2026-11-21", "opinion": "删去违法条款"},
    )  # fmt: skip
    record = LegalOpinion.objects.get()
    assert response.status_code == 302
    response = staff.post(
        f"/desk/governance/opinions/{record.pk}/", {"adoption": "adopted", "date": "2026-11-24"}
    )
    assert response.status_code == 302
    assert "采纳" in staff.get(f"/desk/governance/opinions/{record.pk}/").content.decode()


def test_the_excel_lists(personas: Personas, tree: Tree, village: Village) -> None:
    apply(personas, village)
    opinion(personas, tree, subject="=1+1")
    client = client_for(personas.district_admin)
    for url, cell, value in (
        ("/desk/governance/export.xlsx", (3, 2), "长延堡村"),
        ("/desk/governance/opinions/export.xlsx", (3, 3), "=1+1"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and sheet.cell(*cell).value == value
        assert sheet.cell(*cell).data_type == "s"
    assert client.get("/desk/governance/safety/export.xlsx").status_code == 200
    assert AuditLog.objects.filter(action="export").count() == 3


# --- figures ------------------------------------------------------------------------------------------------


def test_figures_and_drill_down(personas: Personas, tree: Tree, village: Village) -> None:
    adopted, _pending = opinion(personas, tree), opinion(personas, tree, subject="另一事项")
    services.opinion_adoption(actor=personas.office_staff, opinion=adopted, adoption="adopted", date=DAY)
    services.safety_record(
        actor=personas.office_staff,
        office=tree.office,
        date=DAY,
        kind="patrol",
        participants=30,
        summary="联防",
    )
    case = apply(personas, village)
    inspect(personas, case, ALL)
    services.case_decide(actor=personas.district_admin, case=case, named=True, date=DAY, document="文号")
    fill_counts()
    figures = monthly_report(actor=personas.district_admin, node=tree.district, year=2026, month=11).figures
    assert figures["legal_opinions"] == 2
    assert figures["legal_opinions_adopted"] == 1
    assert figures["safety_activities"] == 1 and figures["safety_participants"] == 30
    assert figures["model_villages_district"] == 1 and figures["model_villages_city"] == 0
    _item, rows = drill_down(
        actor=personas.office_staff, node=tree.office, indicator="legal_opinions_adopted", year=2026, month=11
    )
    assert list(rows) == [adopted]
    with pytest.raises(Exception):  # noqa: B017 - Http404
        drill_down(
            actor=personas.other_district_admin,
            node=tree.office,
            indicator="legal_opinions",
            year=2026,
            month=11,
        )
    response = client_for(personas.office_staff).get(
        reverse("stats:drill", args=[tree.office.pk, "2026-11", "model_villages_district"])
    )
    assert response.status_code == 200
    assert f"/desk/governance/cases/{case.pk}/" in response.content.decode()
