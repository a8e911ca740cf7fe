"""An appointment through the browser: the clerk opens a slot (a non-working day is refused in Chinese), books a
citizen by phone (a bad phone number is refused first), the reminder runs the working day before and sends one
SMS, and on the day the clerk serves it; the matter is answered and ledger 4 shows the appointment."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from lawdesk.appointments import services
from lawdesk.appointments.ledger import ledger4_values
from lawdesk.appointments.models import Appointment, AppointmentStatus, Slot
from lawdesk.ledgers.definitions import Cell
from lawdesk.matters.models import MatterState
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.workcal.workdays import add_working_days, is_working_day
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def test_book_remind_and_serve(page: Any, live_server: Any, tree: Tree, personas: Personas) -> None:
    ConsoleSmsBackend.outbox.clear()
    today = timezone.localdate()
    day = add_working_days(today, 2)
    holiday = today + datetime.timedelta(days=1)
    while is_working_day(holiday):
        holiday += datetime.timedelta(days=1)
    base = f"{live_server.url}/desk/appointments"

    # 1. The clerk opens a slot: first on a non-working day (refused), then on a working day.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{base}/slots/")
    page.click("[data-testid=open-slot]")
    page.fill("[name=day]", f"{holiday:%Y-%m-%d}")
    page.fill("[name=start_time]", "09:00")
    page.fill("[name=end_time]", "10:00")
    page.fill("[name=capacity]", "2")
    page.click("[data-testid=save-slot]")
    page.wait_for_selector("text=不是工作日，不能开放预约。")
    screenshot(page, "appointments-1-non-working-day")
    assert not Slot.objects.exists()
    page.fill("[name=day]", f"{day:%Y-%m-%d}")
    page.click("[data-testid=save-slot]")
    page.wait_for_selector("text=已开放预约时段。")
    slot = Slot.objects.get()
    screenshot(page, "appointments-2-week")

    # 2. A citizen phones in: a bad phone number is refused, then the booking is made.
    page.click(f"[data-testid=book-{slot.pk}]")
    page.fill("[name=name]", "王秀英")
    page.fill("[name=phone]", "1380013")
    page.select_option("[name=channel]", "phone")
    page.fill("[name=summary]", "儿子不支付赡养费，想咨询如何起诉")
    page.click("[data-testid=do-book]")
    page.wait_for_selector("text=格式不正确")
    screenshot(page, "appointments-3-bad-phone")
    assert not Appointment.objects.exists()
    page.fill("[name=phone]", "13800138000")
    page.click("[data-testid=do-book]")
    page.wait_for_selector("text=预约成功")
    appointment = Appointment.objects.get()
    assert page.inner_text("[data-testid=appointment-status]") == "已预约"
    screenshot(page, "appointments-4-booked")

    # 3. The working day before, the reminder goes out once.
    eve = add_working_days(today, 1)
    assert services.send_due_reminders(today=eve) == 1
    assert services.send_due_reminders(today=eve) == 0
    assert [m.phone for m in ConsoleSmsBackend.outbox] == ["13800138000"]
    page.reload()
    assert "已发送" in page.inner_text("[data-testid=reminder]")

    # 4. On the day (the slot moved to now), the clerk serves it: an empty result is refused first.
    now = timezone.now()
    Slot.objects.filter(pk=slot.pk).update(
        start=now - datetime.timedelta(minutes=5), end=now + datetime.timedelta(minutes=55)
    )
    page.reload()
    page.click("[data-testid=do-serve]")
    page.wait_for_selector("text=请填写服务结果。")
    page.fill("[name=result]", "已解答：可向人民法院起诉要求支付赡养费，已告知所需材料")
    screenshot(page, "appointments-5-serve")
    page.click("[data-testid=do-serve]")
    page.wait_for_selector("text=已登记服务结果，预约已履约。")
    assert page.inner_text("[data-testid=appointment-status]") == "已履约"
    screenshot(page, "appointments-6-served")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SERVED
    assert appointment.matter.state == MatterState.ANSWERED
    assert ledger4_values(appointment.matter)[Cell.ATTENDANCE] == "已履约"

    # 5. The day's list shows it.
    page.goto(f"{base}/?day=today")
    assert "王秀英" in page.inner_text(f"[data-testid=appointment-{appointment.pk}]")
    screenshot(page, "appointments-7-today")
