"""The city admin registers a division through the page (a missing area gets a Chinese message), opens the
board of problems traced to the divisions, drills down to a failed indicator and records a 督办; a district admin
reports the opening of its platforms on the construction timetable, where the lagging stage was marked."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from lawdesk.bureau import services
from lawdesk.bureau.models import Area, Division, Milestone, Stage, Supervision
from tests.conftest import Personas, Tree, login, logout, screenshot
from tests.test_bureau import failing_score

pytestmark = pytest.mark.browser

D = datetime.date
PLAN: dict[str, datetime.date] = {
    Stage.SURVEY: D(2026, 10, 20),
    Stage.OPENING: D(2026, 11, 30),
    Stage.INSPECTION: D(2027, 1, 10),
}


def test_the_city_traces_a_problem_to_its_division_and_a_district_reports_progress(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    services.division_create(actor=personas.city_admin, name="办公室", areas=[Area.STATISTICS], head="赵敏")
    score = failing_score(tree, personas)
    for district in (tree.district, tree.other_district):
        services.milestone_plan(actor=personas.city_admin, district=district, planned=PLAN)

    login(page, live_server, personas.city_admin)
    page.goto(f"{live_server.url}/desk/bureau/")
    # The failed legal-aid indicator has no division yet: it is listed apart.
    assert "未明确对口处(室)" in page.inner_text("[data-testid=division-board]")
    page.click("[data-testid=division-new]")
    page.fill("[name=name]", "法律援助处")
    page.fill("[name=head]", "马晓燕")
    page.click("[data-testid=division-form] button[type=submit]")
    page.wait_for_selector("text=请至少选择一个对口负责领域。")
    page.check(f"[name=areas][value={Area.LEGAL_AID}]")
    page.click("[data-testid=division-form] button[type=submit]")
    page.wait_for_selector("text=已保存：法律援助处。")
    division = Division.objects.get(name="法律援助处")

    page.goto(f"{live_server.url}/desk/bureau/")
    assert page.inner_text(f"[data-testid=total-{division.pk}]") == "1"
    screenshot(page, "bureau-1-board")
    page.click(f"[data-testid=count-{division.pk}-score]")
    row = page.wait_for_selector(f"[data-testid='problem-score:{score.pk}']")
    assert f"{tree.station_a.name}“法律援助案件质量”未达标" in row.inner_text()
    row.query_selector("[name=note]").fill("请督促该站10日内完成整改")
    row.query_selector("button").click()
    page.wait_for_selector("text=已督办法律援助处")
    assert "请督促该站10日内完成整改" in page.inner_text("[data-testid=supervisions]")
    assert Supervision.objects.filter(division=division).count() == 1
    screenshot(page, "bureau-2-division")
    logout(page)

    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/bureau/timetable/")
    assert "滞后2项" in page.inner_text(f"[data-testid=district-{tree.district.pk}]")
    assert f"district-{tree.other_district.pk}" not in page.content()
    opening = Milestone.objects.get(district=tree.district, stage=Stage.OPENING)
    page.click(f"[data-testid=cell-{tree.district.pk}-opening] a")
    page.wait_for_selector("[data-testid=lagging]")
    page.fill("[name=progress]", "90")
    page.fill("[name=actual_on]", "2026-12-05")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("text=进度应为100%")
    page.fill("[name=progress]", "100")
    page.fill("[name=note]", "平台已建成并向社会开放")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("[data-testid=timetable]")
    opening.refresh_from_db()
    assert opening.actual_on == D(2026, 12, 5) and opening.progress == 100
    assert "滞后1项" in page.inner_text(f"[data-testid=district-{tree.district.pk}]")
    screenshot(page, "bureau-3-timetable")
