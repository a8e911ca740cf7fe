"""The mediator records a screening round whose finding the office turns into a matter routed back to the
committee; the warning job finds the builder that three workers brought disputes against, and the office and the
district open the warning, drill down to its records, and the office marks it handled."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.matters import services as matter_services
from lawdesk.mediation import services as mediation
from lawdesk.orgs.services import village_create
from lawdesk.screening.models import ScreeningFinding, Signal, SignalKind, SignalState
from lawdesk.screening.warning import compute_signals
from tests.conftest import Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser


def _dispute(clerk: Any, station: Any, name: str, phone: str, counterpart: str) -> None:
    visit = matter_services.visit_register(
        actor=clerk, node=station, person_data=matter_services.PersonInput(name=name, phone=phone),
        matters=[matter_services.MatterInput(kind="dispute", summary="讨要拖欠工资")],
    )  # fmt: skip
    mediation.dispute_record(
        actor=clerk, matter=visit.matters.get(), dispute_type="labour", people_involved=1,
        parties=[mediation.PartyInput(name=counterpart, role="respondent", party_type="unit")],
    )  # fmt: skip


def test_a_round_becomes_a_matter_and_a_cluster_becomes_a_warning(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    village_create(
        actor=personas.district_admin, office=tree.office, name="长延堡社区", region_code="610113001001",
        kind="community", station=tree.station_b,
    )  # fmt: skip

    # 1. The mediator: the board shows the committee has not screened this month; record a round.
    login(page, live_server, personas.mediator)
    page.click("[data-testid=screening-link]")
    page.wait_for_selector(f"[data-testid=unscreened-{tree.mediation.pk}]")
    screenshot(page, "screening-board-before")
    page.click("[data-testid=new-round]")
    page.wait_for_selector("[data-testid=round-form]")
    page.select_option("[name=village]", label="小寨路街道司法所·长延堡社区")
    page.fill("[name=households]", "42")
    page.fill("[name=summary]", "月度排查：走访在建工地及周边住户")
    page.select_option("[name=f0_disposition]", "to_matter")
    page.select_option("[name=f0_dispute_type]", "labour")
    page.fill("[name=f0_description]", "工地拖欠钢筋工工资两个月")
    page.fill("[name=f0_counterpart]", "宏达建筑有限公司")
    page.fill("[name=f0_people_involved]", "3")
    page.click("[data-testid=save-round]")
    page.wait_for_selector("text=转为事项须填写当事人姓名")  # refused in Chinese first
    screenshot(page, "screening-round-error")
    page.fill("[name=f0_applicant]", "高建军")
    page.click("[data-testid=save-round]")
    page.wait_for_selector("[data-testid=round-facts]")
    finding = ScreeningFinding.objects.get()
    assert page.locator(f"[data-testid=awaiting-{finding.pk}]").is_visible()
    screenshot(page, "screening-round-mediator")
    page.goto(f"{live_server.url}/desk/screening/")
    page.wait_for_selector("[data-testid=all-screened]")
    logout(page)

    # 2. The office registers the finding: a dispute at the community's station, routed to the committee.
    login(page, live_server, personas.office_staff)
    page.goto(f"{live_server.url}/desk/screening/")
    page.click(f"[data-testid=pending-{finding.pk}] a")
    page.fill(f"[data-testid=register-{finding.pk}] [name=phone]", "13991230001")
    page.click(f"[data-testid=register-button-{finding.pk}]")
    page.wait_for_selector(f"[data-testid=finding-matter-{finding.pk}]")
    finding.refresh_from_db()
    assert finding.matter is not None and finding.matter.institution == tree.mediation
    screenshot(page, "screening-round-registered")

    # 3. Two more workers complain about the same builder at the stations; the hourly job runs.
    _dispute(personas.clerk_a, tree.station_a, "雷振华", "13991230002", "宏达建筑公司")
    _dispute(personas.clerk_b, tree.station_b, "冯小兵", "13991230003", "宏达建筑（西安）工地")
    compute_signals()
    signal = Signal.objects.get(kind=SignalKind.CLUSTER)

    # 4. The office opens the warning from the menu, drills down to the three disputes, marks it handled.
    page.goto(f"{live_server.url}/")
    page.click("details.dropdown summary")
    page.click("[data-testid=warnings-link]")
    page.wait_for_selector(f"[data-testid=signal-{signal.pk}]")
    screenshot(page, "warnings-list-office")
    page.click(f"[data-testid=signal-{signal.pk}] a")
    page.wait_for_selector("[data-testid=signal-records]")
    for matter_id in signal.matter_ids:
        assert page.locator(f"[data-testid=record-matter-{matter_id}]").is_visible()
    assert "13991230002" not in page.content()
    screenshot(page, "warning-detail-office")
    page.fill("[data-testid=handle-form] [name=note]", "已约谈宏达建筑项目负责人，督促一周内结清工资")
    page.click("[data-testid=handle-button]")
    page.wait_for_selector("text=已标记为已处置")
    signal.refresh_from_db()
    assert signal.state == SignalState.HANDLED
    logout(page)

    # 5. The district sees the same warning and its records.
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/warnings/?state=all")
    page.click(f"[data-testid=signal-{signal.pk}] a")
    page.wait_for_selector("[data-testid=signal-records]")
    assert "已处置" in page.inner_text("[data-testid=signal-state]")
    screenshot(page, "warning-detail-district")
