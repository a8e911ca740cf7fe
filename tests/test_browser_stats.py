"""A station's October report walks up to the city: the station clerk submits by the 20th, a second station
submits late (flagged), the judicial office reviews them and submits its roll-up before the 25th, the district
reviews the office and submits by the 29th (the office that did not submit is flagged), and the city sees and
accepts it; then the city's dashboard with the Xi'an map. The statistics' clock is moved for each step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from lawdesk.matters import services as loop
from lawdesk.matters.models import Channel, Matter, MatterEvent, MatterKind
from lawdesk.stats import services as stats_services
from lawdesk.stats.fill import fill_counts
from lawdesk.stats.models import MonthlyReport, ReportStatus
from tests.conftest import Personas, Tree, login, ready, screenshot

pytestmark = pytest.mark.browser

TZ = datetime.timezone(datetime.timedelta(hours=8))


def _visit(
    clerk: Any, node: Any, day: int, kind: str = MatterKind.CONSULTATION, channel: str = Channel.ON_SITE
) -> None:
    when = datetime.datetime(2026, 10, day, 10, 0, tzinfo=TZ)
    visit = loop.visit_register(
        actor=clerk,
        node=node,
        person_data=loop.PersonInput(name="李四", groups=["elderly"] if day % 2 else []),
        matters=[loop.MatterInput(kind=kind, summary="咨询工伤认定")],
        channel=channel,
        received_at=when,
    )
    for matter in visit.matters.all():
        Matter.objects.filter(pk=matter.pk).update(created_at=when)
        MatterEvent.objects.filter(matter=matter).update(created_at=when)


def _at(pinned_clock: Any, day: int) -> None:
    pinned_clock.move_to(datetime.datetime(2026, 11, day, 10, 0, tzinfo=TZ))


def _as(page: Any, live_server: Any, user: Any) -> None:
    page.context.clear_cookies()
    login(page, live_server, user)


def test_a_station_report_walks_up_to_the_city(
    page: Any, live_server: Any, tree: Tree, personas: Personas, pinned_clock: Any
) -> None:
    p = personas
    for day in (3, 8, 15):
        _visit(p.clerk_a, tree.station_a, day)
    _visit(p.clerk_a, tree.station_a, 9, kind=MatterKind.DISPUTE, channel=Channel.PHONE)
    _visit(p.clerk_b, tree.station_b, 12)
    fill_counts()
    # the plan sets stations no deadline (七(八)); this district sets the 20th
    stats_services.station_deadline_set(actor=p.district_admin, district=tree.district, station_day=20)
    base = live_server.url

    # 1. 18 November: the clerk opens 统计 (last month) and submits on time.
    _at(pinned_clock, 18)
    _as(page, live_server, p.clerk_a)
    page.click("[data-testid=stats-link]")
    page.wait_for_selector("[data-testid=report-table]")
    assert "2026年10月" in page.inner_text("h1")
    assert page.inner_text("[data-testid=fig-visits]") == "4"
    assert "2026年11月20日" in page.inner_text("[data-testid=due-on]")
    screenshot(page, "stats-station-draft")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("text=已报送2026年10月统计月报。")
    assert page.inner_text("[data-testid=status-label]") == "已报送"
    assert page.locator("[data-testid=late-flag]").count() == 0
    screenshot(page, "stats-station-submitted")

    # 2. 22 November: the second station submits after its 20th deadline: flagged late.
    _at(pinned_clock, 22)
    _as(page, live_server, p.clerk_b)
    page.goto(f"{base}/desk/stats/{tree.station_b.pk}/2026-10/")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=late-flag]")

    # 3. 24 November: the office reviews its stations (returns one, which is corrected and resubmitted) and
    #    submits its own roll-up before the 25th.
    _at(pinned_clock, 24)
    _as(page, live_server, p.office_staff)
    page.goto(f"{base}/desk/stats/{tree.office.pk}/2026-10/")
    rollup = page.locator("[data-testid=rollup-table]")
    assert "逾期报送" in rollup.locator(f"[data-testid=child-{tree.station_b.pk}]").inner_text()
    assert page.inner_text("[data-testid=fig-visits]") == "5"
    screenshot(page, "stats-office-rollup")
    page.click(f"[data-testid=child-{tree.station_a.pk}] a")
    page.click("[data-testid=accept-report]")
    page.wait_for_selector("text=已审核通过。")
    page.goto(f"{base}/desk/stats/{tree.station_b.pk}/2026-10/")
    page.click("[data-testid=return-report]")
    page.wait_for_selector("text=请填写原因。")
    page.fill("[data-testid=return-reason-input]", "请核对来访方式")
    page.click("[data-testid=return-report]")
    page.wait_for_selector("[data-testid=return-reason]")
    page.goto(f"{base}/desk/stats/{tree.office.pk}/2026-10/")
    # The returned station has not submitted again: the page names it, and reporting without it is confirmed.
    assert tree.station_b.name in page.inner_text("[data-testid=missing-below]")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("text=请先催报")
    ready(page)
    assert page.locator("[data-testid=submit-report]").is_visible()  # refused: still to be submitted
    screenshot(page, "stats-office-confirm-missing")
    page.check("[data-testid=confirm-missing]")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("text=已报送2026年10月统计月报。")
    assert "2026年11月25日" in page.inner_text("[data-testid=due-on]")
    assert page.locator("[data-testid=late-flag]").count() == 0
    screenshot(page, "stats-office-submitted")

    # 4. 28 November: the district sees the office submitted and the other office overdue, accepts, submits.
    _at(pinned_clock, 28)
    _as(page, live_server, p.district_admin)
    page.goto(f"{base}/desk/stats/{tree.district.pk}/2026-10/")
    assert page.locator(f"[data-testid=overdue-{tree.office2.pk}]").is_visible()
    screenshot(page, "stats-district-rollup")
    page.click(f"[data-testid=child-{tree.office.pk}] a")
    page.click("[data-testid=accept-report]")
    page.wait_for_selector("text=已审核通过。")
    page.goto(f"{base}/desk/stats/{tree.district.pk}/2026-10/")
    assert tree.office2.name in page.inner_text("[data-testid=missing-below]")
    page.check("[data-testid=confirm-missing]")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("text=已报送2026年10月统计月报。")
    assert "2026年11月29日" in page.inner_text("[data-testid=due-on]")
    assert page.locator("[data-testid=late-flag]").count() == 0

    # 5. 30 November: the city sees the district's report (the other district is overdue) and accepts it.
    _at(pinned_clock, 30)
    _as(page, live_server, p.city_admin)
    page.goto(f"{base}/desk/stats/{tree.city.pk}/2026-10/")
    row = page.locator(f"[data-testid=child-{tree.district.pk}]").inner_text()
    assert "已报送" in row
    assert page.locator(f"[data-testid=overdue-{tree.other_district.pk}]").is_visible()
    assert page.inner_text("[data-testid=fig-visits]") == "5"
    screenshot(page, "stats-city-rollup")
    page.click(f"[data-testid=child-{tree.district.pk}] a")
    page.click("[data-testid=accept-report]")
    page.wait_for_selector("text=已审核通过。")
    statuses = dict(MonthlyReport.objects.values_list("node__name", "status"))
    assert statuses == {
        tree.station_a.name: ReportStatus.REVIEWED,
        tree.station_b.name: ReportStatus.RETURNED,
        tree.office.name: ReportStatus.REVIEWED,
        tree.district.name: ReportStatus.REVIEWED,
    }
    assert MonthlyReport.objects.get(node=tree.station_b).late

    # 6. The drill-down behind the city's figure, and the dashboard with the map of Xi'an.
    page.goto(f"{base}/desk/stats/{tree.city.pk}/2026-10/drill/visits/")
    assert page.inner_text("[data-testid=drill-count]") == "5"
    screenshot(page, "stats-drill")
    page.goto(f"{base}/desk/stats/{tree.city.pk}/dashboard/?month=2026-10")
    page.wait_for_selector("#chart-map[data-ready='1']")
    assert page.evaluate("document.body.getAttribute('data-charts')") == "6"
    assert int(page.get_attribute("#chart-map", "data-regions") or 0) >= 13  # the city: all its districts
    screenshot(page, "stats-city-dashboard")
    # A district's dashboard draws that district alone.
    _as(page, live_server, p.district_admin)
    page.goto(f"{base}/desk/stats/{tree.district.pk}/dashboard/?month=2026-10")
    page.wait_for_selector("#chart-map[data-ready='1']")
    assert page.get_attribute("#chart-map", "data-regions") == "1"
    screenshot(page, "stats-district-dashboard")
