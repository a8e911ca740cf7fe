"""A district admin, in the browser: opens a window worker's account, grants the window clerk role at a station
of the district, records the worker's training on a course, and finds them on the board of staff below the year's
hours (the default 40 学时)."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.accounts.models import RoleAssignment, User
from lawdesk.staff.models import Attendance
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def test_a_district_admin_opens_an_account_grants_a_role_and_records_training(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.district_admin)
    page.click("summary:text('工作')")
    page.click("[data-testid=staff-link]")
    page.wait_for_selector("[data-testid=staff-table]")

    # 1. A new account: a weak password is refused in Chinese, then saved.
    page.click("[data-testid=staff-new]")
    page.wait_for_selector("[data-testid=staff-form]")
    page.fill("[name=username]", "sunli")
    page.fill("[name=full_name]", "孙丽")
    page.fill("[name=phone]", "13709112345")
    page.select_option("[name=staff_category]", "contracted")
    page.select_option("[name=node]", str(tree.station_a.pk))
    page.fill("[name=post]", "窗口接待")
    page.fill("[name=duty]", "来访登记、咨询解答")
    page.fill("[name=password]", "abc")
    page.click("[data-testid=save-staff]")
    page.wait_for_selector("text=初始密码：密码太短")
    page.fill("[name=password]", "Sunli-window-2026")
    page.click("[data-testid=save-staff]")
    page.wait_for_selector("[data-testid=worker-name]")
    worker = User.objects.get(username="sunli")
    assert "137****2345" in page.content() and "13709112345" not in page.content()

    # 2. A role: the window clerk at station A.
    page.select_option("#id_role", "window_clerk")
    page.select_option("form[data-testid=grant-form] [name=node]", str(tree.station_a.pk))
    page.click("[data-testid=grant-role]")
    page.wait_for_selector("text=已分配角色。")
    assert "窗口接待人员" in page.inner_text("[data-testid=roles-table]")
    assert RoleAssignment.objects.filter(user=worker, role="window_clerk", node=tree.station_a).exists()

    # 3. A course of the district and her attendance.
    page.click("[data-testid=tab-courses]")
    page.click("[data-testid=course-new]")
    page.fill("[name=title]", "窗口服务规范培训")
    page.select_option("[name=organiser]", str(tree.district.pk))
    page.select_option("[name=kind]", "business")
    page.fill("[name=hours]", "12")
    page.fill("[name=place]", "区局会议室")
    page.click("[data-testid=save-course]")
    page.wait_for_selector("[data-testid=attendance-form]")
    page.select_option("[name=user]", str(worker.pk))
    page.fill("[name=hours]", "12")
    page.fill("[name=certificate_number]", "YT-2026-001")
    page.click("[data-testid=save-attendance]")
    page.wait_for_selector("text=已登记孙丽的参训记录。")
    assert "孙丽" in page.inner_text("[data-testid=attendance-table]")
    assert Attendance.objects.get(user=worker).hours == 12

    # 4. The board: 12 of 40 学时, 28 missing.
    page.click("[data-testid=tab-board]")
    page.wait_for_selector("[data-testid=board-table]")
    row = page.locator("[data-testid=board-table] tr", has_text="孙丽")
    assert "28.0" in row.inner_text()
    shot = screenshot(page, "staff-board")
    assert shot.exists()
