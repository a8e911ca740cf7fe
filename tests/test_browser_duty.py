"""Office staff build a week's duty roster at a station: bad input gets a Chinese message, a person already on duty
at the sibling station at the same time is refused, the gap list shows the sessions still uncovered, and the
roster prints to a PDF for the window."""

from __future__ import annotations

import datetime
import decimal
import shutil
import subprocess
from typing import Any

import pytest

from lawdesk.duty.models import DutyShift, SubsidyStandard
from tests.conftest import SCREENSHOTS, Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser

MONDAY = datetime.date(2026, 11, 30)
T = datetime.time


def add_shift(
    page: Any, day: str, session: str, person: Any, post: str = "reception", duty: str = ""
) -> None:
    page.fill("[name=date]", day)
    page.select_option("[name=session]", session)
    page.select_option("[name=person]", str(person.pk))
    page.select_option("[name=post]", post)
    page.fill("[name=duty]", duty)
    page.click("[data-testid=add-shift]")


def test_office_staff_build_a_roster_and_a_conflict_is_caught(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    for node in (tree.station_a, tree.station_b):
        node.morning_open, node.morning_close = T(9), T(12)
        node.afternoon_open, node.afternoon_close = T(14), T(17, 30)
        node.save()
    login(page, live_server, personas.office_staff)
    page.goto(f"{live_server.url}/desk/duty/")
    page.click(f"[data-testid=roster-{tree.station_a.pk}]")
    page.goto(f"{page.url}?week={MONDAY.isoformat()}")
    page.wait_for_selector("[data-testid=roster-grid]")
    assert "无人值班时段（10）" in page.inner_text("[data-testid=gaps]")

    # Bad input: no person, and a public holiday.
    page.fill("[name=date]", "2026-10-01")
    page.click("[data-testid=add-shift]")
    page.wait_for_selector("text=请选择值班人员。")
    page.wait_for_selector("text=2026年10月01日不是工作日（周末或法定节假日），不安排值班。")
    screenshot(page, "duty-1-bad-input")
    assert not DutyShift.objects.exists()

    # A week at station A: clerk_a every morning, clerk_b every afternoon but Wednesday's.
    for offset in range(5):
        day = (MONDAY + datetime.timedelta(days=offset)).isoformat()
        add_shift(page, day, "morning", personas.clerk_a, duty="接待来访、登记台帐")
        page.wait_for_selector("text=已安排")
        if offset != 2:
            add_shift(page, day, "afternoon", personas.clerk_b, post="consultation", duty="解答法律咨询")
            page.wait_for_selector("text=已安排")
    assert DutyShift.objects.count() == 9
    gaps = page.inner_text("[data-testid=gaps]")
    assert "无人值班时段（1）" in gaps and "2026年12月02日（星期三）下午 14:00—17:30 无人值班" in gaps
    assert "clerk_a" in page.inner_text("[data-testid=cell-2026-11-30-morning]")
    screenshot(page, "duty-2-week")

    # At the sibling station clerk_a is already on duty at station A on Monday morning: refused.
    page.goto(f"{live_server.url}/desk/duty/{tree.station_b.pk}/?week={MONDAY.isoformat()}")
    add_shift(page, MONDAY.isoformat(), "morning", personas.clerk_a)
    message = page.wait_for_selector("text=一人不能同时在两处值班")
    assert "小寨路街道公共法律服务站 09:00—12:00" in message.inner_text()
    screenshot(page, "duty-3-conflict")
    assert DutyShift.objects.count() == 9
    # Only the last hour of the morning still overlaps station A's shift: refused too.
    page.fill("[name=start]", "11:00")
    page.click("[data-testid=add-shift]")
    page.wait_for_selector("text=一人不能同时在两处值班")
    assert DutyShift.objects.count() == 9

    # The roster prints to a PDF with the platform's name and week.
    page.goto(f"{live_server.url}/desk/duty/{tree.station_a.pk}/?week={MONDAY.isoformat()}")
    response = page.request.get(f"{live_server.url}/desk/duty/{tree.station_a.pk}/roster.pdf?week=2026-11-30")
    assert response.ok and response.body().startswith(b"%PDF")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "duty-roster.pdf"
    pdf.write_bytes(response.body())
    # The district's subsidy sheet for December (1–4 December: 7 sessions at 50 yuan; 30 November is not in it).
    SubsidyStandard.objects.create(
        node=tree.district, per_session=decimal.Decimal("50"), effective_from=datetime.date(2026, 1, 1)
    )
    page.click("button:text('退出')")
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/duty/")
    page.click("text=雁塔区司法局值班补助发放表")
    page.fill("[data-testid=month]", "2026-12")
    page.click("button:text('查询')")
    page.wait_for_selector("text=期间：2026年12月")
    assert page.inner_text("[data-testid=subsidy-total]") == "350.00"
    screenshot(page, "duty-5-subsidy")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SCREENSHOTS / "duty-4-pdf")],
                       check=True)  # fmt: skip
