"""The 督办 list and the notices page in headless Chromium."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from lawdesk.matters import services
from lawdesk.matters.escalation import escalate_overdue
from lawdesk.matters.models import Matter, MatterKind, ServiceType
from lawdesk.workcal import workdays
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def overdue_transfer(personas: Personas, tree: Tree) -> int:
    """A matter transferred to the law firm whose accept deadline passed; returns its working days overdue."""
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="赵六", phone="13900000011"),
        matters=[
            services.MatterInput(
                kind=MatterKind.SERVICE_TRANSFER,
                summary="劳务合同纠纷，需要律师代理",
                service_type=ServiceType.LAWYER,
            )
        ],
    )
    matter = services.matter_transfer(
        actor=personas.clerk_a, matter=visit.matters.get(), institution=tree.law_firm
    )
    due = timezone.localdate() - datetime.timedelta(days=10)
    Matter.objects.filter(pk=matter.pk).update(accept_due=due)  # only a test moves a deadline by hand
    return workdays.working_days_between(due, timezone.localdate())


def last_working_day() -> datetime.date:
    """Today, or the last working day before it (reminders go out on working days only)."""
    day = timezone.localdate()
    while not workdays.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def test_district_admin_sees_the_overdue_transfer(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    days = overdue_transfer(personas, tree)
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/overdue/")
    section = page.locator("[data-testid=stage-accept]")
    assert "承接超期" in section.inner_text()
    row = page.locator("[data-testid=overdue-row]")
    assert row.count() == 1
    text = row.inner_text()
    assert "小寨路街道公共法律服务站" in text and "陕西雁塔测试律师事务所" in text
    assert page.inner_text("[data-testid=days-overdue]") == f"{days}个工作日"
    assert "待督办" in text
    assert page.inner_text("[data-testid=overdue-total]") == "1"
    assert "小寨路街道司法所" in page.inner_text("[data-testid=overdue-children]")
    screenshot(page, "overdue-list")

    # The next day's run: escalated, and the history column says so.
    escalate_overdue(today=last_working_day())
    page.reload()
    assert "已督办1次" in page.inner_text("[data-testid=overdue-row]")
    screenshot(page, "overdue-list-escalated")

    page.click("[data-testid=overdue-children] a:text('小寨路街道司法所')")
    page.wait_for_selector("[data-testid=overdue-node]:text('小寨路街道司法所')")
    assert page.locator("[data-testid=overdue-row]").count() == 1


def test_the_owner_reads_the_reminder(page: Any, live_server: Any, tree: Tree, personas: Personas) -> None:
    overdue_transfer(personas, tree)
    escalate_overdue(today=last_working_day())
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/notifications/")
    assert "1条未读" in page.inner_text("[data-testid=unread-total]")
    notice = page.locator("[data-testid=notification]")
    assert "督办提醒" in notice.inner_text() and "已超过承接期限" in notice.inner_text()
    screenshot(page, "notifications-unread")
    page.click("[data-testid=notification] button:text-is('标为已读')")
    page.wait_for_selector("[data-testid=notification] :text('已读')")
    assert page.locator("[data-testid=unread-total]").count() == 0
    assert page.locator("[role=status]").count() == 0  # one notice read: no "all read" message
    screenshot(page, "notifications-read")
