"""局长驻窗口 in the browser: the district admin draws this week (a bad week first gets a Chinese message), the
leader sees the notice and checks in and out at the window, and the compliance board shows 达标 for last week
(recorded beforehand) and 不足 for this short visit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from lawdesk.leaderwindow import services
from lawdesk.leaderwindow.draw import week_code, week_monday
from lawdesk.leaderwindow.models import WindowDraw, WindowVisit
from tests.conftest import Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser


def test_a_district_draws_and_records_a_leader_at_window_week(
    page: Any, live_server: Any, tree: Tree, personas: Personas, pinned_clock: Any
) -> None:
    # A Tuesday morning: this week still has working days to draw from (the weekend case is in test_dates.py).
    pinned_clock.move_to(
        datetime.datetime(2026, 12, 8, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    )
    today = timezone.localdate()
    this_week = week_monday(today)
    assert [d for d in services.working_days(this_week) if d >= today]
    # Last week, recorded beforehand: 2.5 hours at the window.
    last_week = this_week - datetime.timedelta(weeks=1)
    earlier = services.window_draw(
        actor=personas.district_admin, district=tree.district, week_start=last_week, today=last_week
    )
    at = timezone.make_aware(datetime.datetime.combine(earlier.date, datetime.time(9, 0)))
    services.window_check_in(actor=personas.district_admin, draw=earlier, at=at)
    services.window_check_out(
        actor=personas.district_admin, draw=earlier, at=at + datetime.timedelta(minutes=150)
    )
    code = week_code(this_week)

    # 1. The district admin: a bad week is refused in Chinese, then this week is drawn.
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/leader-window/")
    page.wait_for_selector("[data-testid=lw-district]")
    page.click("[data-testid=lw-draw-other] summary")
    page.fill("[data-testid=lw-week-input]", "下周三")
    page.click("[data-testid=lw-draw-week]")
    page.wait_for_selector("[data-testid=lw-errors]")
    assert "周次格式应为" in page.inner_text("[data-testid=lw-errors]")
    screenshot(page, "leaderwindow-1-bad-week")
    page.goto(f"{live_server.url}/desk/leader-window/")
    page.click(f"[data-testid=lw-draw-{code}]")
    page.wait_for_selector("text=已抽签")
    draw = WindowDraw.objects.get(district=tree.district, week_start=this_week)
    card = page.inner_text(f"[data-testid=lw-week-{code}]")
    assert draw.slot_text in card and str(personas.leader) in card
    screenshot(page, "leaderwindow-2-drawn")
    logout(page)

    # 2. The leader has the notice, checks in and out.
    login(page, live_server, personas.leader)
    page.goto(f"{live_server.url}/desk/notifications/")
    page.wait_for_selector("text=【局长驻窗口】")
    page.goto(f"{live_server.url}/desk/leader-window/")
    page.click("[data-testid=lw-check-in]")
    page.wait_for_selector("text=已签到")
    screenshot(page, "leaderwindow-3-checked-in")
    page.click("[data-testid=lw-check-out]")
    page.wait_for_selector("text=已签退")
    visit = WindowVisit.objects.get(draw=draw)
    assert visit.checked_out_at is not None and visit.minutes is not None and visit.minutes < 120
    assert "不足2小时" in page.inner_text(f"[data-testid=lw-week-{code}]")
    screenshot(page, "leaderwindow-4-checked-out")
    logout(page)

    # 3. The board: 达标 last week, 不足 this week.
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/leader-window/board/")
    page.wait_for_selector("[data-testid=lw-board]")
    cell = f"[data-testid=lw-cell-{tree.district.pk}-"
    assert "达标" in page.inner_text(f"{cell}{last_week:%Y%m%d}]")
    assert "不足" in page.inner_text(f"{cell}{this_week:%Y%m%d}]")
    assert "新城区司法局" not in page.inner_text("[data-testid=lw-board]")
    screenshot(page, "leaderwindow-5-board")
    with page.expect_download() as download:
        page.click("[data-testid=lw-export]")
    assert download.value.suggested_filename.endswith(".xlsx")
