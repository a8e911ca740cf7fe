"""A citizen without a login finds a service point: the directory with its map of Xi'an's districts, a filter by
district and service, then a platform's page with its address, hours, phones and the materials to bring."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from lawdesk.orgs.models import OrgNode
from tests.conftest import Tree, screenshot

pytestmark = pytest.mark.browser


def test_a_citizen_finds_a_station_on_the_map_and_reads_its_page(
    page: Any, live_server: Any, tree: Tree
) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        address="小寨路街道便民服务中心一楼",
        morning_open=datetime.time(9),
        morning_close=datetime.time(12),
        afternoon_open=datetime.time(14),
        afternoon_close=datetime.time(17, 30),
        office_phone="029-85550001",
        appointment_phone="029-85550002",
        supervision_phone="029-85550003",
        longitude=Decimal("108.953000"),
        latitude=Decimal("34.223000"),
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)

    # 1. The login page leads to the public pages.
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("[data-testid=public-link]")
    page.wait_for_selector("[data-testid=public-map][data-ready]")
    assert page.get_attribute("[data-testid=public-map]", "data-ready") == "6"
    assert page.locator("[data-testid=public-map] canvas").count() >= 1
    drawn = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('public-map')).getOption()"
        ".series.map(s => s.data.length)"
    )
    assert drawn == [1, 5]  # station A at its coordinates; the others near their district's centre
    assert page.inner_text("[data-testid=platform-count]") == "6个"
    screenshot(page, "public-directory")

    # 2. Filter: 雁塔区, mediation.
    page.select_option("[name=district]", "雁塔区")
    page.select_option("[name=service]", "mediation")
    page.click("[data-testid=directory-search]")
    page.wait_for_selector("[data-testid=public-map][data-ready]")
    assert page.get_attribute("[data-testid=public-map]", "data-ready") == "4"
    assert page.inner_text("[data-testid=platform-count]") == "4个"
    assert "西一路街道公共法律服务站" not in page.inner_text("[data-testid=platforms]")
    assert "小寨路街道人民调解委员会" in page.inner_text("[data-testid=institutions]")
    assert page.is_visible("[data-testid=approximate-note]")
    screenshot(page, "public-directory-filtered")

    # 3. The platform's page.
    page.click(f"[data-testid=platform-{tree.station_a.pk}] header a")
    page.wait_for_selector("[data-testid=platform-name]")
    assert page.url.endswith(f"/public/p/{tree.station_a.pk}/")
    facts = page.inner_text("[data-testid=platform-facts]")
    for text in (
        "小寨路街道便民服务中心一楼",
        "09:00—12:00，14:00—17:30",
        "029-85550002",
        "029-85550003",
        "12348",
    ):
        assert text in facts
    assert "人民调解" in page.inner_text("[data-testid=platform-services]")
    assert "小寨路街道人民调解委员会" in page.inner_text("[data-testid=platform-institutions]")
    screenshot(page, "public-platform")
    assert errors == []
