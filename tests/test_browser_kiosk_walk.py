"""The kiosk strands nobody: from the start page into every branch — the guides and their 相关法律, the law
topics, a law article, all laws, the service points, 智慧小司 and the online services — every page shows 首页 and
返回 as large targets, its links are large enough to touch, and every page left alone goes back to the start
(the idle timer waited out on a fake clock, not slept through). The citizens' own pages link to each other and
their logo does not lead to the staff login."""

from __future__ import annotations

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

    def from_start(tile: str) -> None:
        page.goto(start)
        ready(page)
        page.click(f"[data-testid={tile}]")

    # 法律知识 → a topic → the search results → an article; each a kiosk page, each leads home.
    from_start("tile-laws")
    page.wait_for_selector("[data-testid=kiosk-laws]")
    frame_is_whole(page, "法律知识")
    page.locator("[data-testid=kiosk-laws] a", has_text="劳动工资").click()
    page.wait_for_selector("[data-testid=hit]")
    assert "kiosk=1" in page.url
    frame_is_whole(page, "法条检索（自助）")
    screenshot(page, "kiosk-walk-law-search")
    page.locator("[data-testid=hit] h3 a").first.click()
    page.wait_for_selector("[data-testid=law-title]")
    assert "kiosk=1" in page.url
    frame_is_whole(page, "法律全文（自助）")
    screenshot(page, "kiosk-walk-law")
    page.click("[data-testid=kiosk-back]")
    page.wait_for_selector("[data-testid=hit]")
    page.click("[data-testid=kiosk-home]")
    page.wait_for_selector("[data-testid=kiosk-tiles]")
    # 全部法律法规, and the idle timer on a law page.
    from_start("tile-laws")
    page.click("text=全部法律法规")
    page.wait_for_selector("[data-testid=dept]")
    frame_is_whole(page, "全部法律法规（自助）")
    idles_home(page, start)

    # 办事指南 → a guide → its 相关法律 (a kiosk page, not the citizens' site).
    from_start("tile-guides")
    page.click("text=法律援助")
    page.wait_for_selector("[data-testid=guide]")
    frame_is_whole(page, "办事指南")
    page.locator("a", has_text="相关法律").first.click()
    page.wait_for_selector("[data-testid=law-query]")
    assert page.locator("[data-testid=brand]").count() == 0  # not the site's header: the kiosk's
    frame_is_whole(page, "相关法律")
    idles_home(page, start)

    # 服务网点 and a station.
    from_start("tile-points")
    page.wait_for_selector("[data-testid=kiosk-districts]")
    frame_is_whole(page, "服务网点")
    idles_home(page, start)

    # 智慧小司 and the online services: home, back, and the idle return too.
    from_start("tile-assistant")
    ready(page)
    frame_is_whole(page, "智慧小司")
    screenshot(page, "kiosk-walk-assistant")
    page.click("text=全部服务")
    ready(page)
    frame_is_whole(page, "网上服务（自助）")
    page.click("[data-testid=kiosk-start]")
    page.wait_for_selector("[data-testid=kiosk-tiles]")
    from_start("tile-assistant")
    ready(page)
    idles_home(page, start)
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
