"""An address typed by a district admin is text on the public map (issue 16, case 7): the tooltip of a station
whose address holds HTML shows the HTML as it was typed — no link, no heading, no image — under the site's CSP
without a violation or script error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lawdesk.orgs.services import org_node_update
from tests.conftest import Personas, Tree, screenshot

pytestmark = pytest.mark.browser

EVIL = '<a href="/evil/" data-testid="evil-link">点我领补贴</a><h1 data-testid="evil-h1">大标题</h1><img src="/x.png">'


def test_a_station_address_with_html_shows_as_literal_text_in_the_map_tooltip(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    org_node_update(
        actor=personas.district_admin,
        node=tree.station_a,
        address=EVIL,
        longitude=Decimal("108.953000"),
        latitude=Decimal("34.223000"),
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    # Tall enough for the whole page: the full-page screenshot then does not resize (and redraw) the map.
    page.set_viewport_size({"width": 1366, "height": 1700})
    page.goto(f"{live_server.url}/public/")
    page.wait_for_selector("[data-testid=public-map][data-ready]")
    # Station A is the one point drawn at its own coordinates (series 0): show its tooltip.
    page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('public-map'))"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})"
    )
    tip = page.locator("[data-testid=public-map] div", has_text="镇(街道)公共法律服务站").last
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "小寨路街道公共法律服务站" in text
    assert EVIL in text.replace("\n", "")  # the address, character for character
    assert page.locator("[data-testid=evil-link]").count() == 0
    assert page.locator("[data-testid=evil-h1]").count() == 0
    assert page.locator("[data-testid=public-map] a, [data-testid=public-map] h1").count() == 0
    assert page.locator("[data-testid=public-map] img").count() == 0
    screenshot(page, "public-map-tooltip-text")
    assert errors == []
