"""One dispute to a committee and back through the mediation pages: the clerk records the dispute's details with
a party, routes it to the proposed committee, the mediator accepts and records success (written agreement,
amount), and the clerk sees the result on the matter page."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.matters import services as matter_services
from lawdesk.matters.models import MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.mediation.models import DisputeDetail, MediationResult
from tests.conftest import Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser


def test_a_dispute_goes_to_a_committee_and_back(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="周建华", phone="13700137000"),
        matters=[MatterInput(kind="dispute", summary="楼上卫生间漏水，损坏楼下吊顶，协商赔偿未果")],
    )
    matter = visit.matters.get()
    base = f"{live_server.url}/desk/mediation/{matter.pk}"

    # 1. The clerk records the dispute's details with a party; a negative amount is refused first.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{base}/")
    page.select_option("[name=dispute_type]", "neighbourhood")
    page.fill("[name=amount]", "-100")
    page.fill("[name=people_involved]", "2")
    page.fill("[name=parties-0-name]", "李卫东")
    page.fill("[name=parties-0-phone]", "13900139000")
    page.fill("[name=parties-0-address]", "小寨路12号3单元502室")
    page.click("[data-testid=save-dispute]")
    page.wait_for_selector("text=涉及金额不能为负数。")
    screenshot(page, "mediation-1-bad-amount")
    assert not DisputeDetail.objects.exists()
    page.fill("[name=amount]", "6000")
    page.click("[data-testid=save-dispute]")

    # 2. The routing page proposes the place committee; the clerk takes it.
    page.wait_for_selector("[data-testid=proposal]")
    assert page.inner_text("[data-testid=proposed-committee]") == tree.mediation.name
    assert "按属地调解" in page.inner_text("[data-testid=proposal-explanation]")
    assert page.is_checked(f"[data-testid=committee-{tree.mediation.pk}]")
    screenshot(page, "mediation-2-route")
    page.click("[data-testid=do-route]")
    page.wait_for_selector("text=已移交“小寨路街道人民调解委员会”")
    matter.refresh_from_db()
    assert matter.state == MatterState.TRANSFERRED
    logout(page)

    # 3. The mediator accepts on the matter page, then records success with a written agreement.
    login(page, live_server, personas.mediator)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    page.click("[data-testid=do-accept]")
    page.wait_for_selector("text=已承接该事项")
    page.goto(f"{base}/result/")
    page.wait_for_selector("[data-testid=mediation-panel]")
    assert "李卫东" in page.inner_text("[data-testid=dispute-parties]")
    page.check("[name=result][value=success]")
    page.select_option("[name=agreement_form]", "written")
    page.fill("[name=agreed_amount]", "4500")
    page.check("[name=judicial_confirmation_advised]")
    screenshot(page, "mediation-3-result-form")
    page.click("[data-testid=save-result]")
    page.wait_for_selector("text=已登记调解结果，结果已返回受理平台和司法所。")
    result = MediationResult.objects.get()
    assert (result.result, result.agreement_form, str(result.agreed_amount)) == (
        "success",
        "written",
        "4500.00",
    )
    logout(page)

    # 4. The clerk sees the result on the matter page (the outcome text) and on the mediation panel.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    outcome = page.inner_text("[data-testid=outcome]")
    assert "调解成功" in outcome and "书面调解协议" in outcome and "4500.00元" in outcome
    screenshot(page, "mediation-4-matter-page")
    page.goto(f"{base}/")
    assert page.inner_text("[data-testid=mediation-result-value]") == "成功"
    screenshot(page, "mediation-5-panel")
