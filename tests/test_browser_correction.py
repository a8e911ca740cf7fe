"""The correction officer registers a supervisee (a bad ID number is refused in Chinese first), records the first
report and a public-benefit activity, reveals the full ID number (audited), and sees the deadline board; a window
clerk has no 社区矫正 menu and gets 404 on the page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.models import AuditLog
from lawdesk.correction import services
from lawdesk.correction.models import RecordKind, Supervisee, SuperviseeStatus
from tests.conftest import Personas, Tree, login, logout, screenshot
from tests.test_correction import id_number

pytestmark = pytest.mark.browser


def test_officer_registers_records_and_sees_the_board_and_a_clerk_is_shut_out(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    base = f"{live_server.url}/desk/correction"
    login(page, live_server, personas.correction_officer)

    # 1. The menu leads to the register.
    page.click("[data-testid=correction-link]")
    page.wait_for_selector("[data-testid=register-table]")

    # 2. Register a supervisee: a wrong ID number is refused in Chinese, then taken.
    page.click("[data-testid=tab-new]")
    page.wait_for_selector("[data-testid=supervisee-form]")
    page.fill("[name=name]", "王某某")
    page.fill("[name=id_number]", "610113198001010000")
    page.fill("[name=address]", "雁塔区小寨东路1号")
    page.select_option("[name=correction_type]", label="缓刑")
    page.fill("[name=crime]", "危险驾驶罪")
    page.fill("[name=court]", "西安市雁塔区人民法院")
    page.fill("[name=decision_date]", "2026-12-03")
    page.fill("[name=term_start]", "2026-12-03")
    page.fill("[name=term_end]", "2027-06-02")
    page.click("[data-testid=save-supervisee]")
    page.wait_for_selector("text=身份证号码校验位不正确")
    screenshot(page, "correction-register-error")
    page.fill("[name=id_number]", id_number(7))
    page.click("[data-testid=save-supervisee]")
    page.wait_for_selector("[data-testid=timeline]")
    person = Supervisee.objects.get()
    assert page.inner_text("[data-testid=status]") == "待报到"
    assert id_number(7) not in page.content()

    # 3. The first report puts the person on the register; then a public-benefit activity with its hours.
    form = "[data-testid=record-form]"
    page.select_option(f"{form} [name=kind]", RecordKind.REPORT.value)
    page.fill(f"{form} [name=note]", "本人到司法所报到，宣告矫正")
    page.click("[data-testid=save-record]")
    page.wait_for_selector("[data-testid=status]:text('在册')")
    page.select_option(f"{form} [name=kind]", RecordKind.PUBLIC_BENEFIT.value)
    page.click("[data-testid=save-record]")
    page.wait_for_selector("text=教育学习和公益活动须填写时长")
    page.fill(f"{form} [name=hours]", "4")
    page.fill(f"{form} [name=note]", "社区清扫")
    page.click("[data-testid=save-record]")
    page.wait_for_selector("[data-testid=timeline] >> text=4.0小时")
    person.refresh_from_db()
    assert person.status == SuperviseeStatus.ACTIVE
    assert person.records.filter(kind=RecordKind.PUBLIC_BENEFIT, hours=4).exists()

    # 4. The full ID number only on an explicit, audited reveal.
    page.click("[data-testid=reveal-id]")
    page.wait_for_selector(f"[data-testid=id-number]:text('{id_number(7)}')")
    assert (
        AuditLog.objects.filter(action=AuditAction.CORRECTION_REVEAL, object_id=str(person.pk)).count() == 1
    )
    screenshot(page, "correction-person")

    # 5. The deadline board: another supervisee, not yet reported, is due on Friday 2026-12-11 (第二十一条: ten
    # days from 12-01) — within the three working days; nothing is overdue.
    services.supervisee_create(
        actor=personas.correction_officer, office=tree.office, name="李某某", id_number=id_number(8),
        correction_type="control", court="西安市雁塔区人民法院", crime="寻衅滋事罪",
        decision_date=datetime.date(2026, 12, 1), term_start=datetime.date(2026, 12, 1),
        term_end=datetime.date(2027, 6, 1),
    )  # fmt: skip
    page.click("[data-testid=tab-deadlines]")
    page.wait_for_selector("[data-testid=overdue-table]")
    assert "没有逾期的期限" in page.inner_text("[data-testid=overdue-table]")
    upcoming = page.inner_text("[data-testid=upcoming-table]")
    assert "李某某" in upcoming and "2026-12-11" in upcoming and "报到" in upcoming
    screenshot(page, "correction-deadlines")
    assert AuditLog.objects.filter(
        action=AuditAction.CORRECTION_READ, actor=personas.correction_officer
    ).exists()
    logout(page)

    # 6. A window clerk: no menu, and the page answers 404.
    login(page, live_server, personas.clerk_a)
    assert page.locator("[data-testid=correction-link]").count() == 0
    response = page.goto(f"{base}/{person.pk}/")
    assert response is not None and response.status == 404
    assert "王某某" not in page.content()
    screenshot(page, "correction-clerk-404")


def test_the_demo_register_and_released_persons_as_the_officer_sees_them(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    from lawdesk.correction.demo import load_correction_demo

    load_correction_demo(office=tree.office)
    login(page, live_server, personas.correction_officer)
    page.goto(f"{live_server.url}/desk/correction/")
    page.wait_for_selector("[data-testid=register-table] >> text=刘建军")
    assert "3" in page.inner_text("[data-testid=on-register]")
    screenshot(page, "correction-register")
    page.click("[data-testid=tab-released]")
    page.wait_for_selector("[data-testid=released-table] >> text=周海")
    page.click("text=周海")
    page.wait_for_selector("[data-testid=released-timeline]")
    screenshot(page, "correction-released-person")
    page.click("[data-testid=tab-deadlines]")
    page.wait_for_selector("[data-testid=overdue-table] >> text=请假外出到期销假")
    screenshot(page, "correction-deadlines-demo")
