"""The kiosk strands nobody: from the start page into every branch — the guides and their 相关法律, the law
topics, a law article, all laws, the service points, 智慧小司 and the online services — every page shows 首页 and
返回 as large targets, its links are large enough to touch, and every page left alone goes back to the start
(the idle timer waited out on a fake clock, not slept through). The citizens' own pages link to each other and
their logo does not lead to the staff login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lawdesk.laws.search import reset_index
from lawdesk.laws.services import import_corpus
from tests.conftest import Tree, ready, screenshot

pytestmark = pytest.mark.browser

MIN_TOUCH_PX = 44  # the smallest link or button a finger can hit (the kiosk's own are 64 and more)


@pytest.fixture
def corpus(transactional_db: Any) -> Any:
    import_corpus(actor=None, only=("劳动合同法", "民法典", "法律援助法"), force=True)
    yield
    reset_index()


def frame_is_whole(page: Any, where: str) -> None:
    """首页 and 返回 are on the page and big; no visible link or button of the page is too small to touch."""
    ready(page)
    home = page.locator("[data-testid=kiosk-home], [data-testid=kiosk-start]").first
    assert home.is_visible(), f"{where}: 没有首页按钮"
    assert "首页" in page.inner_text("header"), where
    assert page.locator("[data-testid=kiosk-back]").count() == 1, f"{where}: 没有返回按钮"
    for box in page.evaluate(
        """() => [...document.querySelectorAll('main a, main button, header a, header button')]
              .filter(e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
              .map(e => ({text: e.innerText.trim().slice(0, 20), h: e.getBoundingClientRect().height}))"""
    ):
        assert box["h"] >= MIN_TOUCH_PX, f"{where}: “{box['text']}” 只有 {box['h']:.0f}px 高"


def idles_home(page: Any, start: str) -> None:
    """Left alone for 100 s (the default idle time is 90 s), the page returns to the kiosk start."""
    page.clock.fast_forward(100_000)
    page.wait_for_url(start)
    page.wait_for_selector("[data-testid=kiosk-tiles]")


def test_every_kiosk_branch_has_home_and_back_and_returns_to_the_start_when_idle(
    page: Any, live_server: Any, tree: Tree, corpus: Any
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.clock.install()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = f"{live_server.url}/public/kiosk/"

    def tile(name: str) -> Callable[[], None]:
        def go() -> None:
            page.goto(start)
            ready(page)
            page.click(f"[data-testid={name}]")
            ready(page)

        return go

    def then(first: Callable[[], None], *clicks: str, wait: str = "") -> Callable[[], None]:
        def go() -> None:
            first()
            for selector in clicks:
                page.locator(selector).first.click()
                ready(page)
            if wait:
                page.wait_for_selector(wait)

        return go

    law_topic = then(
        tile("tile-laws"), "[data-testid=kiosk-laws] a:has-text('劳动工资')", wait="[data-testid=hit]"
    )
    guide = then(tile("tile-guides"), "text=法律援助", wait="[data-testid=guide]")
    points = then(tile("tile-points"), wait="[data-testid=kiosk-districts]")
    district = then(
        points, "[data-testid=kiosk-districts] a:has-text('雁塔区')", wait="[data-testid=kiosk-point-list]"
    )
    assistant = then(tile("tile-assistant"))
    branches: list[tuple[str, Callable[[], None]]] = [
        ("法律知识", then(tile("tile-laws"), wait="[data-testid=kiosk-laws]")),
        ("法条检索（自助）", law_topic),
        ("法律全文（自助）", then(law_topic, "[data-testid=hit] h3 a", wait="[data-testid=law-title]")),
        ("全部法律法规（自助）", then(tile("tile-laws"), "text=全部法律法规", wait="[data-testid=dept]")),
        ("办事指南", then(tile("tile-guides"), wait="text=法律援助")),
        ("法律援助指南", guide),
        ("相关法律", then(guide, "a:has-text('相关法律')", wait="[data-testid=law-query]")),
        ("服务网点", points),
        ("区(县)网点", district),
        ("网点页面", then(district, "[data-testid=kiosk-point-list] a", wait="[data-testid=platform-name]")),
        ("智慧小司", assistant),
        ("网上服务（自助）", then(assistant, "text=全部服务")),
    ]
    for where, go in branches:
        go()
        if "kiosk" not in page.url and "/public/" not in page.url:
            raise AssertionError(f"{where}: 离开了自助模式 {page.url}")
        frame_is_whole(page, where)
        screenshot(page, f"kiosk-walk-{where}")
        idles_home(page, start)

    # 返回 goes back one page; 首页 goes to the start from deep inside.
    then(law_topic, "[data-testid=hit] h3 a", wait="[data-testid=law-title]")()
    page.click("[data-testid=kiosk-back]")
    page.wait_for_selector("[data-testid=hit]")
    page.click("[data-testid=kiosk-home]")
    page.wait_for_selector("[data-testid=kiosk-tiles]")
    assistant()
    page.click("[data-testid=kiosk-start]")
    page.wait_for_selector("[data-testid=kiosk-tiles]")
    assert page.locator("[data-testid=brand]").count() == 0  # never the site's header in the kiosk
    assert errors == []


def test_citizen_pages_lead_to_each_other_and_the_logo_not_to_the_staff_login(
    page: Any, live_server: Any, tree: Tree, corpus: Any
) -> None:
    base = live_server.url
    for path, links in (
        ("/public/", ("网上服务", "法律法规", "办事指南")),
        ("/online/", ("服务网点", "法律法规")),
        ("/laws/", ("服务网点", "网上服务")),
        ("/laws/search/?q=工资", ("服务网点", "网上服务")),
    ):
        page.goto(base + path)
        ready(page)
        nav = page.inner_text("nav.public-nav")
        for label in links:
            assert label in nav, f"{path} 没有“{label}”"
        assert page.get_attribute("[data-testid=brand]", "href") == "/public/", path
        assert page.locator("[data-testid=staff-login-link]").is_visible()
    page.goto(base + "/online/")
    page.click("nav.public-nav >> text=法律法规")
    page.wait_for_selector("[data-testid=law-query]")
    page.click("nav.public-nav >> text=服务网点")
    page.wait_for_selector("[data-testid=public-map]")
    assert "echarts" not in page.inner_text("main")  # no developer's note about the map's data source
    screenshot(page, "citizen-directory-nav")


def test_on_a_phone_the_directory_list_is_within_reach_of_the_map(
    page: Any, live_server: Any, tree: Tree
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/public/")
    ready(page)
    first = page.locator("[data-testid=platforms] article").first
    top = first.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert top < 844 * 1.5, top  # the first station within a short scroll, not far below the map
    page.click("[data-testid=to-list]")
    page.wait_for_function("() => window.scrollY > 0")
    screenshot(page, "public-directory-phone")
