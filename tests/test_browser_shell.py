"""The UI shell in headless Chromium: login, per-role home, the tree browser and platform cards."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.orgs import services
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def test_station_clerk_logs_in_and_sees_only_their_station(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    services.facility_set(actor=None, node=tree.station_a, item="computer", present=True)
    login(page, live_server, personas.clerk_a)
    assert page.locator("[data-testid=home-node]").all_inner_texts() == [tree.station_a.name]
    card = page.locator("[data-testid=platform-card]")
    assert card.count() == 1
    assert "设施 1/14" in card.inner_text()
    assert "复印机" in page.locator("[data-testid=lacking]").inner_text()
    screenshot(page, "clerk-home")

    page.click("text=组织机构")
    page.wait_for_selector("[data-testid=node-name]")
    assert tree.station_a.name in page.locator("[data-testid=node-name]").inner_text()
    body = page.content()
    assert tree.station_b.name not in body and tree.office.name not in body
    screenshot(page, "clerk-station")

    # Typing the sibling station's address gives the same answer as a station that does not exist.
    page.goto(f"{live_server.url}/org/{tree.station_b.pk}/")
    assert page.locator("[data-testid=error-404]").is_visible()
    assert "没有找到" in page.inner_text("h1")


def test_district_admin_browses_the_district_tree(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.district_admin)
    assert "雁塔区司法局" in page.locator("[data-testid=home-node]").inner_text()
    assert "设施不全的平台" in page.locator("[data-testid=summary]").first.inner_text()
    screenshot(page, "district-home")

    page.click("text=组织机构")
    page.wait_for_selector(".tree-panel .expander")
    # Expand the judicial office in the side tree (htmx loads one level), then open its station.
    page.click(f".tree-panel button[aria-label='展开{tree.office.name}']")
    page.click(f".tree-panel a:text-is('{tree.station_a.name}')")
    page.wait_for_selector("[data-testid=platform-card]")
    assert tree.station_a.name in page.inner_text("[data-testid=node-name]")
    crumbs = page.inner_text(".crumbs")
    assert tree.district.name in crumbs and tree.office.name in crumbs and tree.city.name not in crumbs
    screenshot(page, "district-station-card")

    # The other district is not in the tree and cannot be searched for.
    page.goto(f"{live_server.url}/org/?q=新城")
    assert "没有找到匹配的节点" in page.inner_text("[data-testid=search-results]")


def test_district_admin_records_facilities_and_the_card_updates(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/org/{tree.station_a.pk}/facilities/")
    page.check("input[name=copier__present]")
    page.check("input[name=printer__present]")
    page.click("button:text('保存')")
    page.wait_for_selector("[data-testid=platform-card]")
    assert "已更新2项设施" in page.inner_text(".flash")
    assert "设施 2/14" in page.inner_text("[data-testid=platform-card]")
    screenshot(page, "facilities-saved")


def test_wrong_password_is_refused_in_chinese(page: Any, live_server: Any, personas: Personas) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", personas.clerk_a.username)
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "请输入一个正确的" in page.inner_text("[role=alert]")
    screenshot(page, "login-refused")
