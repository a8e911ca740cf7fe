"""The personal data and audit controls in headless Chromium: a clerk sees a person's numbers masked and
reveals one (recorded); a sibling clerk is refused the matter (recorded); the auditor finds both in the audit
log by action and user, and exports the search as JSON lines (recorded too)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lawdesk.core.models import AuditLog
from lawdesk.matters import services
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser

PHONE = "13912345678"


def test_a_reveal_and_a_denial_are_found_by_the_auditor(
    page: Any, live_server: Any, tree: Tree, personas: Personas, tmp_path: Path
) -> None:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="张三", phone=PHONE, id_number="610113199003071237"),
        matters=[services.MatterInput(kind="consultation", summary="咨询离婚财产分割")],
    )
    matter = visit.matters.get()

    # 1. The clerk: masked by default, 显示完整 reveals the phone in place.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    assert page.inner_text("[data-testid=person-phone]").startswith("139****5678")
    assert PHONE not in page.content()
    page.click("[data-testid=reveal-phone]")
    page.wait_for_selector("[data-testid=revealed-phone]")
    assert PHONE in page.inner_text("[data-testid=person-phone]")
    screenshot(page, "audit-reveal")
    assert PHONE not in page.url

    # 2. A sibling station's clerk is refused the matter.
    page.context.clear_cookies()
    login(page, live_server, personas.clerk_b)
    response = page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    assert response is not None and response.status == 404

    # 3. The auditor searches the log.
    page.context.clear_cookies()
    login(page, live_server, personas.auditor)
    page.click("[data-testid=audit-link]")
    page.wait_for_selector("[data-testid=audit-rows]")
    page.select_option("[name=action]", "personal_data.read")
    page.click("[data-testid=audit-search]")
    page.wait_for_selector("[data-testid=audit-count]:has-text('共 1 条')")
    row = page.inner_text("[data-testid=audit-row]")
    assert "clerk_a" in row and "查看完整个人信息" in row and "查看项: phone" in row and PHONE not in row
    page.select_option("[name=action]", "")
    page.fill("[name=user]", "clerk_b")
    page.click("[data-testid=audit-search]")
    page.wait_for_selector("[data-testid=audit-row] >> text=拒绝访问")
    rows = page.locator("[data-testid=audit-row]").all_inner_texts()
    assert any("拒绝访问" in r and f"/desk/matters/{matter.pk}/" in r for r in rows)
    assert any("登录" in r for r in rows)
    screenshot(page, "audit-search")

    with page.expect_download() as download_info:
        page.click("[data-testid=audit-export]")
    target = tmp_path / "audit.jsonl"
    download_info.value.save_as(target)
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert lines and all(line["actor"] == "clerk_b" for line in lines)
    assert AuditLog.objects.filter(action="export", actor=personas.auditor).exists()
