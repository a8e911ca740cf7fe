"""The whole core loop through the screens, as the issue asks: a clerk registers a dispute at the window,
transfers it to the mediation committee, the committee's handler accepts and records success, the clerk records
that the citizen was told, and the matter appears in ledgers 1 and 2 and in their Excel exports."""

from __future__ import annotations

from typing import Any

import openpyxl
import pytest

from lawdesk.matters.models import Matter, MatterState
from tests.conftest import Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser

SUMMARY = "邻居装修占用公共楼道，多次协商未果"


def ledger_rows(page: Any, tmp_path: Any, code: int) -> list[list[Any]]:
    page.goto(page.url.split("/desk/")[0] + f"/desk/ledgers/{code}/")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-xlsx]")
    path = tmp_path / f"ledger-{code}.xlsx"
    download_info.value.save_as(str(path))
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_a_dispute_goes_round_the_whole_loop_and_into_the_ledgers(
    page: Any, live_server: Any, tree: Tree, personas: Personas, tmp_path: Any
) -> None:
    # 1. The window: a new person with a dispute.
    login(page, live_server, personas.clerk_a)
    page.click("text=来访登记")
    page.wait_for_selector("[name=name]")
    page.fill("[name=name]", "周建华")
    page.fill("[name=phone]", "13700137000")
    page.select_option("[name=m0-kind]", "dispute")
    page.fill("[name=m0-summary]", SUMMARY)
    page.click("[data-testid=save]")
    number = page.inner_text("[data-testid=visit-number]")
    assert number.startswith("小寨路街道公共法律服务站〔") and number.endswith("来访第0001号")
    screenshot(page, "loop-1-registered")
    page.click("[data-testid=visit-matters] >> text=查看事项")

    # 2. The dispute's details (type, a party, amount), then routing to the proposed committee.
    page.wait_for_selector("[data-testid=mediation-panel]")
    page.click("[data-testid=mediation-detail-link]")
    page.select_option("[name=dispute_type]", "neighbourhood")
    page.fill("[name=people_involved]", "2")
    page.fill("[name=parties-0-name]", "吴家明")
    page.click("[data-testid=save-dispute]")
    page.wait_for_selector("[data-testid=proposal]")
    assert page.inner_text("[data-testid=proposed-committee]") == tree.mediation.name
    page.click("[data-testid=do-route]")
    page.wait_for_selector("text=已移交“小寨路街道人民调解委员会”")
    matter = Matter.objects.get(summary=SUMMARY)
    logout(page)

    # 3. The committee accepts from its inbox and records success.
    login(page, live_server, personas.mediator)
    page.click("text=待承接")
    page.click("[data-testid=inbox-to-accept] >> text=矛盾纠纷")
    page.click("[data-testid=do-accept]")
    page.wait_for_selector("text=已承接该事项")
    page.click("[data-testid=mediation-result-link]")
    page.check("[name=result][value=success]")
    page.select_option("[name=agreement_form]", "oral")
    page.click("[data-testid=save-result]")
    page.wait_for_selector("text=已登记调解结果")
    screenshot(page, "loop-2-outcome")
    logout(page)

    # 4. The clerk tells the citizen.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    page.check("#act-tell input[name=told_via][value=phone]")
    page.click("[data-testid=do-tell]")
    page.wait_for_selector("text=已登记告知群众（电话）")
    matter.refresh_from_db()
    assert matter.state == MatterState.CITIZEN_TOLD and matter.institution == tree.mediation

    # 5. Ledgers 1 and 2, on screen and in Excel.
    page.goto(f"{live_server.url}/desk/ledgers/1/")
    assert number in page.inner_text("[data-testid=ledger-table]")
    page.goto(f"{live_server.url}/desk/ledgers/2/")
    table = page.inner_text("[data-testid=ledger-table]")
    assert "纠纷第0001号" in table and SUMMARY in table and tree.mediation.name in table
    assert "吴家明" in table and "邻里" in table and "成功" in table and "口头" in table
    screenshot(page, "loop-3-ledger-2")
    visits = ledger_rows(page, tmp_path, 1)
    assert any(number in row for row in visits)
    disputes = ledger_rows(page, tmp_path, 2)
    dispute_rows = [row for row in disputes if SUMMARY in row]
    assert len(dispute_rows) == 1
    assert tree.mediation.name in dispute_rows[0]
    assert "成功" in dispute_rows[0] and "口头" in dispute_rows[0]
