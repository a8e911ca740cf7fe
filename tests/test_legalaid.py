"""The legal-aid application, its preliminary review, the transfer to the legal aid centre, the centre's decision,
the PDFs and ledger 3's cells; every page 404s for users of other nodes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lawdesk.accounts.models import Role, User
from lawdesk.core.models import AuditLog
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.ledgers.definitions import LEGAL_AID, Cell
from lawdesk.legalaid import services
from lawdesk.legalaid.ledger import HEADERS, ledger3_values
from lawdesk.legalaid.models import HardshipStandard, LegalAidApplication, standard_for
from lawdesk.legalaid.panel import panel_context
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.workcal.workdays import add_working_days
from tests.conftest import Personas, Tree, client_for, make_user

ALL_MATERIALS = ["id_proof", "hardship_statement", "evidence", "application"]


@pytest.fixture
def centre(tree: Tree) -> Institution:
    institution = Institution.objects.create(
        kind=InstitutionKind.LEGAL_AID_CENTRE,
        name="西安市雁塔区法律援助中心",
        home_node=tree.district,
        phone="029-85550148",
    )
    institution.served_nodes.add(tree.district)
    return institution


@pytest.fixture
def centre_handler(centre: Institution) -> User:
    return make_user("aid_handler", Role.HANDLER, institution=centre)


@pytest.fixture
def standard(tree: Tree) -> HardshipStandard:
    return HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("1500"),
        effective_from=datetime.date(2020, 1, 1),
    )


def new_matter(
    p: Personas, t: Tree, groups: list[str] | None = None, id_number: str = "610113199001011230"
) -> Matter:
    visit = matter_services.visit_register(
        actor=p.clerk_a,
        node=t.station_a,
        person_data=PersonInput(name="王五", phone="13800138001", id_number=id_number, groups=groups or []),
        matters=[MatterInput(kind=MatterKind.LEGAL_AID, summary="被拖欠工资三个月，申请法律援助")],
    )
    return visit.matters.get()


def app_input(**overrides: Any) -> services.ApplicationInput:
    data: dict[str, Any] = {
        "case_facts": "在某建筑公司务工，被拖欠工资三个月共计一万二千元。",
        "category": "labour",
        "opponent_name": "某建筑公司",
        "opponent_type": "unit",
        "household_size": 3,
        "monthly_income": Decimal("2400"),
        "materials": ALL_MATERIALS,
    }
    data.update(overrides)
    return services.ApplicationInput(**data)


def fresh(matter: Matter) -> Matter:
    return Matter.objects.get(pk=matter.pk)


# --- hardship standards ---------------------------------------------------------------------------------


def test_standard_in_force_walks_up_the_tree_and_periods(tree: Tree) -> None:
    city = HardshipStandard.objects.create(
        node=tree.city,
        monthly_income_per_head=Decimal("900"),
        lowered_for_vulnerable=Decimal("1200"),
        effective_from=datetime.date(2020, 1, 1),
    )
    old = HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("1500"),
        effective_from=datetime.date(2021, 1, 1),
        effective_to=datetime.date(2024, 12, 31),
    )
    new = HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1100"),
        lowered_for_vulnerable=Decimal("1600"),
        effective_from=datetime.date(2025, 1, 1),
    )
    assert standard_for(tree.station_a, datetime.date(2024, 12, 31)) == old
    assert standard_for(tree.station_a, datetime.date(2025, 1, 1)) == new
    assert standard_for(tree.station_a, datetime.date(2020, 6, 1)) == city  # before the district had one
    assert standard_for(tree.station_d, datetime.date(2025, 6, 1)) == city  # another district
    assert standard_for(tree.station_a, datetime.date(2019, 6, 1)) is None


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (datetime.date(2024, 6, 1), datetime.date(2024, 12, 31), True),  # inside the open-ended one
        (datetime.date(2019, 1, 1), datetime.date(2020, 1, 1), True),  # ends on its first day
        (datetime.date(2019, 1, 1), None, True),  # open-ended across it
        (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31), False),  # ends the day before
    ],
)
def test_standards_of_a_district_do_not_overlap(
    tree: Tree, standard: HardshipStandard, start: datetime.date, end: datetime.date | None, clash: bool
) -> None:
    other = HardshipStandard(
        node=tree.district,
        monthly_income_per_head=Decimal("800"),
        lowered_for_vulnerable=Decimal("900"),
        effective_from=start,
        effective_to=end,
    )
    if clash:
        with pytest.raises(ValidationError, match="有效期重叠"):
            other.full_clean()
    else:
        other.full_clean()


def test_standard_checks_its_figures_and_node(tree: Tree) -> None:
    bad = HardshipStandard(
        node=tree.station_a,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("900"),
        effective_from=datetime.date(2025, 1, 2),
        effective_to=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert exc.value.message_dict["node"] == ["经济困难标准应由区(县)司法局（或市局）设定。"]
    assert exc.value.message_dict["lowered_for_vulnerable"] == ["特殊群体放宽标准不能低于一般标准。"]
    assert exc.value.message_dict["effective_to"] == ["截止日期不能早于起始日期。"]


# --- the flow -------------------------------------------------------------------------------------------


def test_whole_flow_fills_ledger_3(
    personas: Personas, tree: Tree, centre: Institution, centre_handler: User, standard: HardshipStandard
) -> None:
    p, t = personas, tree
    matter = new_matter(p, t)
    values = ledger3_values(matter)
    assert set(values) == set(HEADERS) and set(values.values()) == {None}

    application = services.application_record(actor=p.clerk_a, matter=matter, data=app_input())
    assert application.standard == standard
    assert application.hardship == "passed" and application.in_scope and not application.fast_track
    assert application.applied_on == timezone.localdate()
    review = services.preliminary_review(actor=p.clerk_a, matter=matter, opinion="eligible", note="材料齐全")
    assert review.reviewed_by == p.clerk_a
    services.transfer_to_centre(actor=p.office_staff, matter=matter, institution=centre, note="请审查")
    assert fresh(matter).state == MatterState.TRANSFERRED
    today = timezone.localdate()
    services.centre_decision(
        actor=centre_handler, matter=fresh(matter), decision="grant", decided_on=today, lawyer_name="李律师"
    )
    m = fresh(matter)
    assert m.state == MatterState.ACCEPTED and m.handler == centre_handler
    matter_services.matter_record_outcome(actor=centre_handler, matter=m, outcome="已调解结案，追回工资")
    matter_services.matter_tell_citizen(actor=p.clerk_a, matter=fresh(matter), via="phone")
    m = fresh(matter)
    assert m.state == MatterState.CITIZEN_TOLD
    assert [e.code for e in m.events.all()] == [
        "received", "legal_aid_applied", "legal_aid_reviewed", "transferred", "accepted", "legal_aid_decided",
        "outcome_recorded", "citizen_told",
    ]  # fmt: skip
    assert ledger3_values(m) == {
        Cell.CATEGORY: "请求确认劳动关系或者支付劳动报酬",
        Cell.HARDSHIP: "核查：符合经济困难标准",
        Cell.MATERIALS_COMPLETE: "齐全",
        Cell.REVIEW_OPINION: "符合：材料齐全",
        Cell.REVIEWER: str(p.clerk_a),
        Cell.DECISION: f"给予（{today:%Y-%m-%d}），指派李律师",
    }
    actions = set(
        AuditLog.objects.filter(object_type="legalaid.LegalAidApplication").values_list("action", flat=True)
    )
    assert actions == {
        "legalaid.application_recorded", "legalaid.reviewed", "legalaid.transferred", "legalaid.decided"
    }  # fmt: skip


def test_ledger_helper_keys_are_ledger_3_columns() -> None:
    keys = [c.key for c in LEGAL_AID.columns]
    assert all(k in keys for k in HEADERS)


def test_deny_records_the_reason_as_outcome(
    personas: Personas, tree: Tree, centre: Institution, centre_handler: User, standard: HardshipStandard
) -> None:
    matter = new_matter(personas, tree)
    services.application_record(actor=personas.clerk_a, matter=matter, data=app_input())
    services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="eligible")
    services.transfer_to_centre(actor=personas.clerk_a, matter=matter, institution=centre)
    with pytest.raises(ValidationError) as exc:
        services.centre_decision(
            actor=centre_handler, matter=fresh(matter), decision="deny", decided_on=timezone.localdate()
        )
    assert "须说明理由" in exc.value.message_dict["reason"][0]
    services.centre_decision(
        actor=centre_handler,
        matter=fresh(matter),
        decision="deny",
        decided_on=timezone.localdate(),
        reason="经核查家庭收入高于标准",
    )
    m = fresh(matter)
    assert m.state == MatterState.OUTCOME_RECORDED
    assert m.outcome == "决定不予法律援助。理由：经核查家庭收入高于标准"
    assert "不予" in ledger3_values(m)[Cell.DECISION]
    with pytest.raises(ValidationError, match="事项当前为“已办结”，不能"):  # decided once: never again
        services.centre_decision(
            actor=centre_handler, matter=m, decision="grant", decided_on=timezone.localdate(), lawyer_name="x"
        )


def test_a_poor_applicant_gets_lowered_threshold_and_fast_track(
    personas: Personas, tree: Tree, standard: HardshipStandard
) -> None:
    matter = new_matter(personas, tree, groups=["poor"])
    application = services.application_record(
        actor=personas.clerk_a, matter=matter, data=app_input(monthly_income=Decimal("4200"))
    )
    assert application.hardship == "passed" and application.fast_track


def test_the_left_behind_get_the_lowered_threshold_only_in_a_registered_poverty_area(
    personas: Personas, tree: Tree, standard: HardshipStandard
) -> None:
    from lawdesk.outreach.models import PoorVillage

    # 4200 for 3 is 1400 a head: above the general standard, within the lowered one (五(四)4).
    elderly = new_matter(personas, tree, groups=["elderly"])  # not named by 五(四)4 at all
    application = services.application_record(
        actor=personas.clerk_a, matter=elderly, data=app_input(monthly_income=Decimal("4200"))
    )
    assert application.hardship == "failed" and not application.fast_track
    woman = new_matter(personas, tree, groups=["left_behind_women"], id_number="")
    application = services.application_record(
        actor=personas.clerk_a, matter=woman, data=app_input(monthly_income=Decimal("4200"))
    )
    assert application.hardship == "failed" and not application.fast_track  # no poverty area recorded
    with pytest.raises(ValidationError) as exc:  # only a poor village registered in the district counts
        services.application_record(
            actor=personas.clerk_a,
            matter=woman,
            data=app_input(monthly_income=Decimal("4200"), poverty_area="东村"),
        )
    assert "贫困村" in exc.value.message_dict["poverty_area"][0]
    PoorVillage.objects.create(
        district=tree.district,
        office=tree.office,
        name="东村",
        region_code="610113001201",
        station=tree.station_a,
    )
    application = services.application_record(
        actor=personas.clerk_a,
        matter=woman,
        data=app_input(monthly_income=Decimal("4200"), poverty_area="东村"),
    )
    assert application.hardship == "passed" and application.fast_track
    cited = [r.article for r in application.assessment().reasons]
    assert "实施方案五(四)4" in cited
    from lawdesk.orgs import places

    assert places.own_poverty_area(tree.station_a) == "东村" and places.poverty_areas(tree.station_a) == [
        "东村"
    ]
    assert places.poverty_areas(tree.station_b) == []  # 东村 has its own station: it is station A's
    PoorVillage.objects.create(
        district=tree.district, office=tree.office, name="西村", region_code="610113001202"
    )
    assert places.poverty_areas(tree.station_a) == ["东村", "西村"] and places.poverty_areas(
        tree.station_b
    ) == ["西村"]
    assert places.poverty_areas(tree.station_c) == [] and places.poverty_areas(tree.station_d) == []


def test_a_fast_track_application_must_be_accepted_by_the_next_working_day(
    personas: Personas, tree: Tree, centre: Institution, standard: HardshipStandard
) -> None:
    matter = new_matter(personas, tree, groups=["poor"])
    application = services.application_record(actor=personas.clerk_a, matter=matter, data=app_input())
    assert application.fast_track
    services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="eligible")
    services.transfer_to_centre(actor=personas.office_staff, matter=matter, institution=centre)
    today = timezone.localdate()
    assert fresh(matter).accept_due == add_working_days(today, 1)


def test_exempt_applicant_needs_no_income_but_the_proof(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    application = services.application_record(
        actor=personas.clerk_a,
        matter=matter,
        data=app_input(
            exempt_group="migrant_worker", monthly_income=None, materials=["id_proof", "evidence"]
        ),
    )
    assert application.hardship == "exempt_art42"
    assert application.missing_materials == ["免予核查经济困难状况的证明材料"]
    assert (
        ledger3_values(fresh(matter))[Cell.HARDSHIP]
        == "免予核查：《中华人民共和国法律援助法》第四十二条第（三）项"
    )
    with pytest.raises(ValidationError) as exc:
        services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="eligible")
    assert "材料不齐全" in exc.value.message_dict["opinion"][0]
    services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="supplement")
    assert LegalAidApplication.objects.get().review_note == "免予核查经济困难状况的证明材料"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"case_facts": " "}, "case_facts", "请填写案情及申请理由。"),
        ({"category": ""}, "category", "请选择事项类别"),
        ({"category": "other"}, "category_basis", "须注明依据"),
        ({"household_size": 0}, "household_size", "家庭人口数应为1到50之间的整数。"),
        ({"monthly_income": None}, "monthly_income", "请填写家庭月收入"),
        ({"monthly_income": Decimal("-5")}, "monthly_income", "不能为负数"),
        ({"materials": ["bogus"]}, "materials", "材料清单中有无效项目。"),
        ({"applied_on": datetime.date(2099, 1, 1)}, "applied_on", "申请日期不能晚于今天。"),
    ],
)
def test_bad_application_input_is_refused_in_chinese(
    personas: Personas, tree: Tree, overrides: dict[str, Any], field: str, message: str
) -> None:
    matter = new_matter(personas, tree)
    with pytest.raises(ValidationError) as exc:
        services.application_record(actor=personas.clerk_a, matter=matter, data=app_input(**overrides))
    assert message in exc.value.message_dict[field][0]
    assert not LegalAidApplication.objects.exists()


def test_permissions_and_order(
    personas: Personas, tree: Tree, centre: Institution, centre_handler: User, standard: HardshipStandard
) -> None:
    p, t = personas, tree
    matter = new_matter(p, t)
    with pytest.raises(PermissionDenied):
        services.application_record(actor=p.clerk_b, matter=matter, data=app_input())
    with pytest.raises(ValidationError, match="请先填写"):
        services.preliminary_review(actor=p.clerk_a, matter=matter, opinion="eligible")
    services.application_record(actor=p.clerk_a, matter=matter, data=app_input())
    with pytest.raises(ValidationError, match="初审意见为“符合”后"):
        services.transfer_to_centre(actor=p.clerk_a, matter=matter, institution=centre)
    with pytest.raises(
        ValidationError, match="初审意见为“符合”后"
    ):  # the review comes first, whatever the target
        services.transfer_to_centre(actor=p.clerk_a, matter=matter, institution=t.law_firm)
    with pytest.raises(ValidationError) as exc:
        services.preliminary_review(actor=p.clerk_a, matter=matter, opinion="ineligible")
    assert "须说明理由" in exc.value.message_dict["note"][0]
    services.preliminary_review(actor=p.clerk_a, matter=matter, opinion="eligible")
    # Changing the form after the review clears the review.
    services.application_record(actor=p.clerk_a, matter=matter, data=app_input(household_size=4))
    assert LegalAidApplication.objects.get().review_opinion == ""
    services.preliminary_review(actor=p.clerk_a, matter=matter, opinion="eligible")
    with pytest.raises(PermissionDenied):
        services.centre_decision(
            actor=centre_handler,
            matter=matter,
            decision="grant",
            decided_on=timezone.localdate(),
            lawyer_name="x",
        )
    services.transfer_to_centre(actor=p.clerk_a, matter=matter, institution=centre)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.application_record(actor=p.clerk_a, matter=fresh(matter), data=app_input())
    with pytest.raises(PermissionDenied):
        services.centre_decision(
            actor=p.handler,
            matter=fresh(matter),
            decision="grant",
            decided_on=timezone.localdate(),
            lawyer_name="x",
        )
    with pytest.raises(ValidationError) as exc:
        services.centre_decision(
            actor=centre_handler, matter=fresh(matter), decision="grant", decided_on=timezone.localdate()
        )
    assert exc.value.message_dict["lawyer_name"] == ["决定给予法律援助的，请填写指派的法律援助人员。"]


def test_non_legal_aid_matter_is_refused(personas: Personas, tree: Tree) -> None:
    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="赵六"),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="咨询")],
    )
    matter = visit.matters.get()
    with pytest.raises(ValidationError, match="只有法律援助申请事项"):
        services.application_record(actor=personas.clerk_a, matter=matter, data=app_input())
    assert panel_context(actor=personas.clerk_a, matter=matter) is None
    response = client_for(personas.clerk_a).get(reverse("legalaid:application", args=[matter.pk]))
    assert response.status_code == 404


# --- views ----------------------------------------------------------------------------------------------


def _post_application(client: Any, matter: Matter, **overrides: Any) -> Any:
    data = {
        "applied_on": timezone.localdate().isoformat(),
        "category": "labour",
        "case_facts": "被拖欠工资",
        "opponent_name": "某公司",
        "opponent_type": "unit",
        "household_size": "3",
        "monthly_income": "2400",
        "materials": ALL_MATERIALS,
    }
    data.update(overrides)
    return client.post(reverse("legalaid:application", args=[matter.pk]), data)


def test_views_walk_the_flow_and_print(
    personas: Personas, tree: Tree, centre: Institution, centre_handler: User, standard: HardshipStandard
) -> None:
    p, t = personas, tree
    matter = new_matter(p, t)
    clerk = client_for(p.clerk_a)
    page = clerk.get(reverse("legalaid:application", args=[matter.pk]))
    assert page.status_code == 200 and "填写法律援助申请表" in page.content.decode()
    bad = _post_application(clerk, matter, monthly_income="abc", household_size="0")
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "家庭月收入应为数字（单位：元）。" in body and "家庭人口数至少为1人。" in body
    assert _post_application(clerk, matter).status_code == 302
    html = clerk.get(reverse("legalaid:application", args=[matter.pk])).content.decode()
    assert "符合法律援助条件。" in html and "第三十一条第（五）项" in html
    assert (
        clerk.post(reverse("legalaid:review", args=[matter.pk]), {"opinion": "eligible"}).status_code == 302
    )
    office = client_for(p.office_staff)
    response = office.post(reverse("legalaid:transfer", args=[matter.pk]), {"institution": t.law_firm.pk})
    assert (
        response.status_code == 400 and "该法律援助中心不在可移交的机构名录中。" in response.content.decode()
    )
    response = office.post(reverse("legalaid:transfer", args=[matter.pk]), {"institution": centre.pk})
    assert response.status_code == 302
    handler = client_for(centre_handler)
    decision_url = reverse("legalaid:decision", args=[matter.pk])
    response = handler.post(
        decision_url, {"decision": "grant", "decided_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400 and "请填写指派的法律援助人员" in response.content.decode()
    response = handler.post(
        decision_url,
        {"decision": "grant", "decided_on": timezone.localdate().isoformat(), "lawyer_name": "李律师"},
    )
    assert response.status_code == 302
    assert LegalAidApplication.objects.get().lawyer_name == "李律师"
    for name in ("application_pdf", "receipt_pdf"):
        pdf = handler.get(reverse(f"legalaid:{name}", args=[matter.pk]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")


def test_every_view_404s_for_another_node(
    personas: Personas, tree: Tree, centre: Institution, standard: HardshipStandard
) -> None:
    matter = new_matter(personas, tree)
    services.application_record(actor=personas.clerk_a, matter=matter, data=app_input())
    outsider_clients = [
        client_for(personas.clerk_b),
        client_for(personas.other_district_admin),
        client_for(personas.handler),
        client_for(make_user("d_clerk", Role.WINDOW_CLERK, tree.station_d)),
    ]
    for client in outsider_clients:
        for name in ("application", "application_pdf", "receipt_pdf"):
            assert client.get(reverse(f"legalaid:{name}", args=[matter.pk])).status_code == 404
        for name in ("application", "review", "transfer", "decision"):
            assert client.post(reverse(f"legalaid:{name}", args=[matter.pk]), {}).status_code == 404
    # A user who sees the matter but may not change it gets 403 on a change.
    leader = client_for(personas.leader)
    assert leader.get(reverse("legalaid:application", args=[matter.pk])).status_code == 200
    assert _post_application(leader, matter).status_code == 403


def test_panel_context_for_each_actor(
    personas: Personas, tree: Tree, centre: Institution, centre_handler: User, standard: HardshipStandard
) -> None:
    matter = new_matter(personas, tree)
    panel = panel_context(actor=personas.clerk_a, matter=matter)
    assert panel is not None and panel["can_edit"] and panel["application"] is None
    services.application_record(actor=personas.clerk_a, matter=matter, data=app_input())
    services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="eligible")
    panel = panel_context(actor=personas.office_staff, matter=matter)
    assert panel is not None and panel["can_transfer"] and panel["assessment"].eligible is True
    leader_panel = panel_context(actor=personas.leader, matter=matter)
    assert leader_panel is not None and not leader_panel["can_edit"] and not leader_panel["can_transfer"]
    services.transfer_to_centre(actor=personas.clerk_a, matter=matter, institution=centre)
    panel = panel_context(actor=centre_handler, matter=fresh(matter))
    assert panel is not None and panel["can_decide"] and not panel["can_edit"]


def test_choices_carry_the_article_texts() -> None:
    from lawdesk.legalaid import rules
    from lawdesk.legalaid.models import Art32Situation, Category, ExemptGroup

    assert dict(Category.choices) == rules.ART31_ITEMS
    assert dict(Art32Situation.choices) == rules.ART32_ITEMS
    assert dict(ExemptGroup.choices) == rules.ART42_ITEMS


def test_matter_panel_template_renders(
    personas: Personas, tree: Tree, centre: Institution, standard: HardshipStandard
) -> None:
    from django.template.loader import render_to_string

    matter = new_matter(personas, tree)
    html = render_to_string(
        "legalaid/_matter_panel.html", {"panel": panel_context(actor=personas.clerk_a, matter=matter)}
    )
    assert "尚未填写法律援助申请表。" in html and "填写申请表" in html
    services.application_record(actor=personas.clerk_a, matter=matter, data=app_input())
    services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="eligible")
    html = render_to_string(
        "legalaid/_matter_panel.html", {"panel": panel_context(actor=personas.office_staff, matter=matter)}
    )
    assert "符合法律援助条件。" in html and "未初审" not in html
    assert f"/desk/legal-aid/{matter.pk}/receipt.pdf" in html


def test_the_panel_does_not_say_eligible_while_the_review_would_refuse_eligible_for_missing_materials(
    personas: Personas, tree: Tree, centre: Institution, standard: HardshipStandard
) -> None:
    from django.template.loader import render_to_string

    matter = new_matter(personas, tree)
    missing_one = [m for m in ALL_MATERIALS if m != "evidence"]
    services.application_record(actor=personas.clerk_a, matter=matter, data=app_input(materials=missing_one))
    with pytest.raises(ValidationError):  # the rule: 符合 is refused while a material is missing
        services.preliminary_review(actor=personas.clerk_a, matter=matter, opinion="eligible")
    html = render_to_string(
        "legalaid/_matter_panel.html", {"panel": panel_context(actor=personas.clerk_a, matter=matter)}
    )
    assert "符合法律援助条件。" not in html
    assert "材料不齐全" in html and "补齐后才能初审为“符合”" in html
