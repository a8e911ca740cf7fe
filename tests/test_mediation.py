"""Mediation through the services and the views: bad input refused in Chinese with nothing saved, the
escalation-risk alert, routing with and without an override, the result returning to the station and the office,
ledger 2, the matter-page panel, and every view's 404 for actors out of reach."""

from __future__ import annotations

import decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.ledgers.definitions import DISPUTES, Cell
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.mediation import services
from lawdesk.mediation.ledger import ledger2_values
from lawdesk.mediation.models import DisputeDetail, DisputeParty, MediationResult
from lawdesk.mediation.panel import panel_context
from lawdesk.mediation.services import PartyInput
from lawdesk.notifications.models import Notification
from tests.conftest import Personas, Tree, client_for, make_user

pytestmark = pytest.mark.django_db

D = decimal.Decimal


def new_dispute(personas: Personas, tree: Tree, kind: str = "dispute") -> Matter:
    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone="13800138000"),
        matters=[MatterInput(kind=kind, summary="楼上漏水，协商不成")],
    )
    return visit.matters.get()


def record(personas: Personas, matter: Matter, **overrides: Any) -> DisputeDetail:
    kwargs: dict[str, Any] = {
        "actor": personas.clerk_a,
        "matter": matter,
        "dispute_type": "neighbourhood",
        "parties": [PartyInput(name="李四", phone="13900139000", address="小寨路1号")],
        "people_involved": 2,
        "amount": D("3000"),
        "escalation_risk": False,
    }
    kwargs.update(overrides)
    return services.dispute_record(**kwargs)


def routed(personas: Personas, tree: Tree) -> Matter:
    matter = new_dispute(personas, tree)
    record(personas, matter)
    return services.dispute_route(actor=personas.clerk_a, matter=matter, committee=tree.mediation)


def accepted(personas: Personas, tree: Tree) -> Matter:
    return matter_services.matter_accept(actor=personas.mediator, matter=routed(personas, tree))


def texts(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# --- recording the dispute -----------------------------------------------------------------------------


def test_record_dispute_with_parties(personas: Personas, tree: Tree) -> None:
    matter = new_dispute(personas, tree)
    detail = record(
        personas,
        matter,
        parties=[PartyInput(name="李四"), PartyInput(name="某物业公司", party_type="unit", role="other")],
    )
    assert detail.place == tree.station_a
    assert [p.name for p in detail.parties.all()] == ["李四", "某物业公司"]
    assert AuditLog.objects.filter(action="mediation_dispute_recorded", object_id=str(detail.pk)).exists()
    # correcting replaces the parties (remove one)
    record(personas, matter, parties=[PartyInput(name="王五")], amount=None)
    detail.refresh_from_db()
    assert [p.name for p in detail.parties.all()] == ["王五"]
    assert detail.amount is None


BAD = [
    ({"amount": D("-1")}, "amount", "涉及金额不能为负数。"),
    ({"parties": []}, "parties", "请至少登记一位当事人"),
    ({"parties": [PartyInput(name=" ")]}, "parties", "请至少登记一位当事人"),
    ({"parties": [PartyInput(name="", phone="13900139000")]}, "parties", "请填写姓名或名称"),
    ({"parties": [PartyInput(name="李四", phone="abc")]}, "parties", "第1位当事人"),
    ({"people_involved": 0}, "people_involved", "涉及人数至少为1人。"),
    ({"dispute_type": "war"}, "dispute_type", "请选择纠纷类型。"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD)
def test_bad_dispute_input_saves_nothing(
    personas: Personas, tree: Tree, overrides: dict[str, Any], field: str, message: str
) -> None:
    matter = new_dispute(personas, tree)
    with pytest.raises(ValidationError) as exc:
        record(personas, matter, **overrides)
    assert message in exc.value.message_dict[field][0]
    assert not DisputeDetail.objects.exists()
    assert not DisputeParty.objects.exists()


def test_only_disputes_and_only_the_front(personas: Personas, tree: Tree) -> None:
    consultation = new_dispute(personas, tree, kind="consultation")
    with pytest.raises(ValidationError):
        record(personas, consultation)
    matter = new_dispute(personas, tree)
    with pytest.raises(PermissionDenied):
        record(personas, matter, actor=personas.clerk_b)
    # the office above may act on the clerk's behalf
    assert record(personas, matter, actor=personas.office_staff).pk


def test_no_change_after_transfer(personas: Personas, tree: Tree) -> None:
    matter = routed(personas, tree)
    with pytest.raises(ValidationError) as exc:
        record(personas, matter, amount=D("1"))
    assert "已移交" in exc.value.messages[0]


def test_escalation_alert_reaches_office_and_district_only(personas: Personas, tree: Tree) -> None:
    office_sms = make_user("office_sms", "office_staff", tree.office, phone="13700137000")
    office2_staff = make_user("office2_staff", "office_staff", tree.office2)
    matter = new_dispute(personas, tree)
    record(personas, matter)
    assert not Notification.objects.exists()
    record(personas, matter, escalation_risk=True, people_involved=30)
    for user in (personas.office_staff, office_sms, personas.district_admin):
        [text] = texts(user)
        assert "易激化纠纷预警" in text and "涉及30人" in text
    for user in (personas.other_district_admin, office2_staff, personas.clerk_b, personas.city_admin):
        assert texts(user) == []
    assert DisputeDetail.objects.get().escalation_alerted_at is not None
    # saved again while still at risk: no second alert
    record(personas, matter, escalation_risk=True)
    assert len(texts(personas.office_staff)) == 1
    # The alert is part of the recording's one row (lawdesk.core.service), once.
    rows = AuditLog.objects.filter(action="mediation_dispute_recorded").order_by("pk")
    assert [("mediation_escalation_alerted" in r.data.get("also", [])) for r in rows].count(True) == 1


def test_escalation_alert_sends_sms_on_commit(
    personas: Personas, tree: Tree, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "lawdesk.notifications.services._send_sms", lambda phone, text: sent.append((phone, text))
    )
    make_user("office_sms", "office_staff", tree.office, phone="13700137000")
    matter = new_dispute(personas, tree)
    with django_capture_on_commit_callbacks(execute=True):
        record(personas, matter, escalation_risk=True)
    assert [phone for phone, _ in sent] == ["13700137000"]


# --- routing -------------------------------------------------------------------------------------------


def test_route_to_the_proposal(personas: Personas, tree: Tree) -> None:
    matter = routed(personas, tree)
    assert matter.state == MatterState.TRANSFERRED
    assert matter.institution == tree.mediation
    detail = DisputeDetail.objects.get(matter=matter)
    assert detail.routed_committee == detail.proposed_committee == tree.mediation
    assert detail.proposal_basis == "place"
    assert detail.override_reason == ""
    assert matter.events.get(code="transferred").note.startswith("按属地调解：")


def test_route_needs_details_and_reason_to_override(personas: Personas, tree: Tree) -> None:
    other = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="雁塔区人民调解委员会", home_node=tree.district,
        mediation_scope="place",
    )  # fmt: skip
    other.served_nodes.add(tree.district)
    matter = new_dispute(personas, tree)
    with pytest.raises(ValidationError) as exc:
        services.dispute_route(actor=personas.clerk_a, matter=matter, committee=tree.mediation)
    assert "请先登记纠纷详情" in exc.value.message_dict["institution"][0]
    record(personas, matter)
    with pytest.raises(ValidationError) as exc:
        services.dispute_route(actor=personas.clerk_a, matter=matter, committee=other, reason="  ")
    assert exc.value.message_dict["reason"] == ["所选调解组织与系统建议不同，请说明改选原因。"]
    with pytest.raises(ValidationError) as exc:
        services.dispute_route(actor=personas.clerk_a, matter=matter, committee=tree.law_firm, reason="x")
    assert "只能移交人民调解委员会" in exc.value.messages[0]
    matter.refresh_from_db()
    assert matter.state == MatterState.RECEIVED
    services.dispute_route(
        actor=personas.clerk_a, matter=matter, committee=other, reason="当事人均为区属单位职工"
    )
    detail = DisputeDetail.objects.get(matter=matter)
    assert (detail.routed_committee, detail.proposed_committee) == (other, tree.mediation)
    assert detail.override_reason == "当事人均为区属单位职工"


# --- the result ----------------------------------------------------------------------------------------


def test_success_returns_to_station_and_office(personas: Personas, tree: Tree) -> None:
    matter = accepted(personas, tree)
    result = services.mediation_result_record(
        actor=personas.mediator,
        matter=matter,
        result="success",
        agreement_form="written",
        agreed_amount=D("12000"),
        judicial_confirmation_advised=True,
    )
    matter.refresh_from_db()
    assert matter.state == MatterState.OUTCOME_RECORDED
    assert matter.outcome == "调解成功，达成书面调解协议，协议金额12000.00元，建议双方申请司法确认。"
    assert result.returned_to_station_at and result.returned_to_office_at
    assert any("已登记调解结果" in t for t in texts(personas.clerk_a))
    assert any("调解成功" in t for t in texts(personas.office_staff))
    assert texts(personas.district_admin) == []
    assert texts(personas.clerk_b) == []
    assert AuditLog.objects.filter(action="mediation_result_recorded").exists()


def test_failure_with_guidance(personas: Personas, tree: Tree) -> None:
    matter = accepted(personas, tree)
    services.mediation_result_record(
        actor=personas.mediator,
        matter=matter,
        result="failure",
        guidance="court",
        guidance_text="可向雁塔区人民法院起诉",
    )
    matter.refresh_from_db()
    assert "调解不成功" in matter.outcome and "向人民法院起诉" in matter.outcome


BAD_RESULTS = [
    ({"result": ""}, "result", "请选择调解结果"),
    ({"result": "success"}, "agreement_form", "调解成功须注明协议形式"),
    (
        {"result": "success", "agreement_form": "written", "agreed_amount": D("-5")},
        "agreed_amount",
        "不能为负数",
    ),
    ({"result": "failure"}, "guidance", "调解不成功须注明引导当事人的途径"),
    ({"result": "failure", "guidance": "other"}, "guidance_text", "请说明引导当事人"),
    ({"result": "terminated", "agreement_form": "oral"}, "agreement_form", "只有调解成功"),
]


@pytest.mark.parametrize(("kwargs", "field", "message"), BAD_RESULTS)
def test_bad_result_saves_nothing(
    personas: Personas, tree: Tree, kwargs: dict[str, Any], field: str, message: str
) -> None:
    matter = accepted(personas, tree)
    with pytest.raises(ValidationError) as exc:
        services.mediation_result_record(actor=personas.mediator, matter=matter, **kwargs)
    assert message in exc.value.message_dict[field][0]
    assert not MediationResult.objects.exists()
    matter.refresh_from_db()
    assert matter.state == MatterState.ACCEPTED
    assert not Notification.objects.exists()


def test_result_only_by_the_committee_once_accepted(personas: Personas, tree: Tree) -> None:
    matter = routed(personas, tree)
    with pytest.raises(ValidationError) as exc:  # not accepted yet
        services.mediation_result_record(actor=personas.mediator, matter=matter, result="terminated")
    assert "不能办结" in exc.value.messages[0]
    matter = matter_services.matter_accept(actor=personas.mediator, matter=matter)
    for actor in (personas.handler, personas.clerk_a):
        with pytest.raises(PermissionDenied):
            services.mediation_result_record(actor=actor, matter=matter, result="terminated")
    services.mediation_result_record(actor=personas.mediator, matter=matter, result="terminated")
    with pytest.raises(ValidationError):
        services.mediation_result_record(actor=personas.mediator, matter=matter, result="terminated")
    assert MediationResult.objects.count() == 1


# --- ledger 2 and the panel ----------------------------------------------------------------------------


def test_ledger2_values(personas: Personas, tree: Tree) -> None:
    matter = new_dispute(personas, tree)
    assert ledger2_values(matter) == {}
    record(personas, matter, escalation_risk=True, parties=[PartyInput(name="李四"), PartyInput(name="王五")])
    matter = services.dispute_route(actor=personas.clerk_a, matter=matter, committee=tree.mediation)
    matter = matter_services.matter_accept(actor=personas.mediator, matter=matter)
    services.mediation_result_record(
        actor=personas.mediator, matter=matter, result="success", agreement_form="oral"
    )
    values = ledger2_values(Matter.objects.get(pk=matter.pk))
    assert set(values) <= {c.key for c in DISPUTES.columns}
    assert values[Cell.OPPONENT] == "李四、王五"
    assert values[Cell.DISPUTE_TYPE] == "邻里"
    assert values[Cell.AMOUNT] == "3000.00"
    assert values[Cell.PEOPLE_INVOLVED] == 2
    assert values[Cell.ESCALATION_RISK] == "是"
    assert values[Cell.MEDIATION_RESULT] == "成功"
    assert values[Cell.AGREEMENT_FORM] == "口头"
    assert values[Cell.RETURNED_TO_STATION_ON] is not None
    assert values[Cell.RETURNED_TO_OFFICE_ON] is not None


def test_panel_context(personas: Personas, tree: Tree) -> None:
    assert panel_context(actor=personas.clerk_a, matter=new_dispute(personas, tree, "consultation")) is None
    matter = new_dispute(personas, tree)
    panel = panel_context(actor=personas.clerk_a, matter=matter)
    assert panel is not None and panel["can_edit"] and not panel["can_route"]
    record(personas, matter)
    panel = panel_context(actor=personas.clerk_a, matter=matter)
    assert panel is not None and panel["can_route"] and panel["detail"] is not None
    matter = services.dispute_route(actor=personas.clerk_a, matter=matter, committee=tree.mediation)
    panel = panel_context(actor=personas.clerk_a, matter=matter)
    assert panel is not None and not panel["can_edit"] and panel["routed"] == tree.mediation
    matter = matter_services.matter_decline(actor=personas.mediator, matter=matter, reason="不属本会调解范围")
    panel = panel_context(actor=personas.clerk_a, matter=matter)
    assert panel is not None and panel["routed"] is None and panel["can_route"]
    matter = services.dispute_route(actor=personas.clerk_a, matter=matter, committee=tree.mediation)
    matter = matter_services.matter_accept(actor=personas.mediator, matter=matter)
    panel = panel_context(actor=personas.mediator, matter=matter)
    assert panel is not None and panel["can_record_result"]


# --- the views -----------------------------------------------------------------------------------------


def urls(matter: Matter) -> list[str]:
    return [reverse(f"mediation:{name}", args=[matter.pk]) for name in ("detail", "route", "result")]


def test_views_404_out_of_reach(personas: Personas, tree: Tree) -> None:
    other_committee = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="电子城街道人民调解委员会", home_node=tree.office2,
        mediation_scope="place",
    )  # fmt: skip
    other_committee.served_nodes.add(tree.office2)
    other_mediator = make_user("other_mediator", "handler", institution=other_committee)
    station_c_clerk = make_user("clerk_c", "window_clerk", tree.station_c)
    matter = accepted(personas, tree)
    outsiders = [
        personas.clerk_b,
        station_c_clerk,
        personas.other_district_admin,
        personas.handler,
        other_mediator,
    ]
    for user in outsiders:
        client = client_for(user)
        for url in urls(matter):
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {}).status_code == 404, (user, url)
    consultation = new_dispute(personas, tree, "consultation")
    for url in urls(consultation):
        assert client_for(personas.clerk_a).get(url).status_code == 404
    assert client_for(personas.clerk_a).get("/desk/mediation/999999/").status_code == 404


def party_post(**extra: Any) -> dict[str, Any]:
    data = {
        "dispute_type": "neighbourhood",
        "amount": "3000",
        "people_involved": "2",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": "respondent",
        "parties-0-party_type": "person",
        "parties-0-name": "李四",
        "parties-0-phone": "",
        "parties-0-address": "",
    }
    data.update(extra)
    return data


VIEW_BAD = [
    ({"amount": "-10"}, "涉及金额不能为负数。"),
    ({"amount": "abc"}, "请填写数字。"),
    ({"parties-0-name": ""}, "请至少登记一位当事人"),
    ({"parties-0-DELETE": "on"}, "请至少登记一位当事人"),
    ({"dispute_type": ""}, "请选择纠纷类型。"),
]


@pytest.mark.parametrize(("extra", "message"), VIEW_BAD)
def test_detail_view_bad_input(personas: Personas, tree: Tree, extra: dict[str, Any], message: str) -> None:
    matter = new_dispute(personas, tree)
    response = client_for(personas.clerk_a).post(urls(matter)[0], party_post(**extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DisputeDetail.objects.exists()


def test_detail_route_result_views(personas: Personas, tree: Tree) -> None:
    matter = new_dispute(personas, tree)
    clerk = client_for(personas.clerk_a)
    detail_url, route_url, result_url = urls(matter)
    page = clerk.get(detail_url).content.decode()
    assert "纠纷类型" in page and "增加当事人" in page
    # add a party row without saving
    response = clerk.post(detail_url, party_post(add_party="1"))
    assert response.status_code == 200 and response.content.decode().count('data-testid="party-row"') == 2
    assert not DisputeDetail.objects.exists()
    response = clerk.post(detail_url, party_post())
    assert response.status_code == 302 and response["Location"] == route_url
    page = clerk.get(route_url).content.decode()
    assert "小寨路街道人民调解委员会" in page and "按属地" in page
    response = clerk.post(route_url, {"committee": ""})
    assert response.status_code == 400 and "请选择调解组织。" in response.content.decode()
    response = clerk.post(route_url, {"committee": str(tree.mediation.pk)})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == MatterState.TRANSFERRED
    # the clerk cannot record the result; the mediator must accept first
    assert clerk.post(result_url, {"result": "terminated"}).status_code == 403
    mediator = client_for(personas.mediator)
    assert "请先承接" in mediator.get(result_url).content.decode()
    matter_services.matter_accept(actor=personas.mediator, matter=matter)
    response = mediator.post(result_url, {"result": "success"})
    assert response.status_code == 400 and "调解成功须注明协议形式" in response.content.decode()
    response = mediator.post(
        result_url, {"result": "success", "agreement_form": "written", "agreed_amount": "800"}
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == MatterState.OUTCOME_RECORDED
    page = clerk.get(detail_url).content.decode()
    assert 'data-testid="mediation-result-value">成功' in page
    assert clerk.post(detail_url, party_post()).status_code == 403


def test_route_view_override_needs_reason(personas: Personas, tree: Tree) -> None:
    other = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="雁塔区人民调解委员会", home_node=tree.district,
        mediation_scope="place",
    )  # fmt: skip
    other.served_nodes.add(tree.district)
    matter = new_dispute(personas, tree)
    record(personas, matter)
    clerk = client_for(personas.clerk_a)
    route_url = urls(matter)[1]
    response = clerk.post(route_url, {"committee": str(other.pk)})
    assert response.status_code == 400
    assert "所选调解组织与系统建议不同，请说明改选原因。" in response.content.decode()
    assert Matter.objects.get(pk=matter.pk).state == MatterState.RECEIVED
    response = clerk.post(route_url, {"committee": str(other.pk), "reason": "当事人要求"})
    assert response.status_code == 302
    assert Matter.objects.get(pk=matter.pk).institution == other
