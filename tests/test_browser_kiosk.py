"""The touch kiosk: four big tiles, a how-to guide, a district picked from a list (no typing) leading to a
station, and the reset to the start page after the idle time."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Tree, screenshot

pytestmark = pytest.mark.browser


def test_kiosk_guides_points_and_idle_reset(page: Any, live_server: Any, tree: Tree) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    base = f"{live_server.url}/public/kiosk/"

    page.goto(base)
    tiles = page.locator("[data-testid=kiosk-tiles] a")
    assert tiles.count() == 4
    for i in range(4):
        box = tiles.nth(i).bounding_box()
        assert box["height"] >= 64 and box["width"] >= 64
    assert page.get_attribute("[data-testid=tile-assistant]", "href") == "/online/assistant/?kiosk=1"
    screenshot(page, "kiosk-home")

    # A how-to guide: legal aid.
    page.click("[data-testid=tile-guides]")
    page.click("text=法律援助")
    page.wait_for_selector("[data-testid=guide]")
    assert "经济困难状况说明表" in page.inner_text("[data-testid=guide]")
    screenshot(page, "kiosk-guide-legal-aid")

    # Where to go: pick the district from a list, then the station.
    page.click("[data-testid=guide-points]")
    page.wait_for_selector("[data-testid=kiosk-districts]")
    district_button = page.locator("[data-testid=kiosk-districts] a", has_text="新城区")
    assert district_button.bounding_box()["height"] >= 64
    district_button.click()
    page.wait_for_selector("[data-testid=kiosk-point-list]")
    assert "西一路街道公共法律服务站" in page.inner_text("[data-testid=kiosk-point-list]")
    assert "小寨路" not in page.inner_text("[data-testid=kiosk-point-list]")
    screenshot(page, "kiosk-points")
    page.click("text=西一路街道公共法律服务站")
    page.wait_for_selector("[data-testid=platform-name]")
    screenshot(page, "kiosk-platform")

    # Law topics come from a pick-list into the law search.
    page.click("[data-testid=kiosk-home]")
    page.click("[data-testid=tile-laws]")
    assert (
        page.locator("[data-testid=kiosk-laws] a").first.get_attribute("href").startswith("/laws/search/?q=")
    )
    screenshot(page, "kiosk-laws")

    # Idle: with a 10-second idle time, a page left alone goes back to the start.
    page.goto(f"{base}points/?idle=10")
    page.wait_for_selector("[data-testid=kiosk-districts]")
    page.wait_for_url(f"{base}?idle=10", timeout=15_000)
    assert page.locator("[data-testid=kiosk-tiles]").is_visible()
    assert errors == []
