"""Appointments through the services and the views: slots only on future working days, capacity under concurrent
booking, rescheduling with history, cancellation, no-show, serving that answers the matter, the day-before
reminder sent once, ledger 4 values, the matter-page panel, and 404s for actors out of reach."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lawdesk.appointments import services
from lawdesk.appointments.ledger import ledger4_values
from lawdesk.appointments.models import Appointment, AppointmentStatus, Slot
from lawdesk.appointments.panel import panel_context
from lawdesk.core.models import AuditLog
from lawdesk.ledgers.definitions import APPOINTMENTS, Cell
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.orgs.models import OrgNode
from lawdesk.workcal.workdays import add_working_days, is_working_day
from tests.conftest import Personas, Tree, client_for

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def next_working(n: int = 1) -> datetime.date:
    return add_working_days(timezone.localdate(), n)


def a_non_working_day() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def make_slot(
    actor: Any, node: OrgNode | None = None, capacity: int = 1, n: int = 1, hour: int = 9, **kw: Any
) -> Slot:
    return services.slot_create(
        actor=actor,
        node=node,
        start=at(next_working(n), hour),
        end=at(next_working(n), hour + 1),
        kind=kw.pop("kind", "station"),
        capacity=capacity,
        **kw,
    )


def book(actor: Any, slot: Slot, name: str = "王秀英", phone: str = "13800138000") -> Appointment:
    return services.appointment_book(
        actor=actor,
        slot=slot,
        summary="咨询赡养费纠纷",
        person_data=PersonInput(name=name, phone=phone),
        channel=Channel.PHONE,
    )


def arrive(appointment: Appointment) -> None:
    """Time passes: the slot began ten minutes ago (as on the day itself)."""
    now = timezone.now()
    Slot.objects.filter(pk=appointment.slot_id).update(
        start=now - datetime.timedelta(minutes=10), end=now + datetime.timedelta(minutes=50)
    )
    appointment.refresh_from_db()


# --- slots ---------------------------------------------------------------------------------------------------


def test_slot_on_a_non_working_day_or_in_the_past_is_refused(personas: Personas, tree: Tree) -> None:
    day = a_non_working_day()
    with pytest.raises(ValidationError) as exc:
        services.slot_create(
            actor=personas.clerk_a, node=tree.station_a, start=at(day, 9), end=at(day, 10), kind="station"
        )
    assert "不是工作日" in exc.value.message_dict["start"][0]
    past = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.slot_create(
            actor=personas.clerk_a,
            node=tree.station_a,
            start=past,
            end=past + datetime.timedelta(hours=1),
            kind="station",
        )
    assert exc.value.message_dict["start"] == ["不能开放已经过去的时段。"]
    with pytest.raises(ValidationError) as exc:
        make_slot(personas.clerk_a, tree.station_a, capacity=0)
    assert exc.value.message_dict["capacity"] == ["可预约人数至少为1人。"]
    assert not Slot.objects.exists()


def test_slot_places_and_permissions(personas: Personas, tree: Tree) -> None:
    with pytest.raises(PermissionDenied):
        make_slot(personas.clerk_b, tree.station_a)
    with pytest.raises(ValidationError) as exc:
        make_slot(personas.mediator, institution=tree.mediation, kind="law_firm")
    assert exc.value.message_dict["kind"] == ["律所面谈只能开放在律师事务所的时段。"]
    with pytest.raises(PermissionDenied):
        make_slot(personas.handler, institution=tree.mediation, kind="station")
    firm_slot = make_slot(personas.handler, institution=tree.law_firm, kind="law_firm")
    assert firm_slot.place_name == tree.law_firm.name
    assert AuditLog.objects.filter(action="appointment_slot_created").count() == 1


def test_weekly_generator_skips_non_working_days(personas: Personas, tree: Tree) -> None:
    first = timezone.localdate() + datetime.timedelta(days=1)
    last = first + datetime.timedelta(days=27)
    made = services.slots_generate(
        actor=personas.clerk_a,
        node=tree.station_a,
        first_day=first,
        last_day=last,
        weekdays=list(range(7)),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        kind="station",
        capacity=3,
    )
    days = [timezone.localdate(s.start) for s in made]
    expected = [d for d in (first + datetime.timedelta(days=i) for i in range(28)) if is_working_day(d)]
    assert days == expected
    again = services.slots_generate(
        actor=personas.clerk_a, node=tree.station_a, first_day=first, last_day=last, weekdays=list(range(7)),
        start_time=datetime.time(9), end_time=datetime.time(11), kind="station",
    )  # fmt: skip
    assert again == []


# --- booking -------------------------------------------------------------------------------------------------


def test_booking_registers_an_appointment_matter_in_ledger_4(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a, capacity=2)
    appointment = book(personas.clerk_a, slot)
    matter = appointment.matter
    assert matter.kind == MatterKind.APPOINTMENT and matter.node == tree.station_a
    assert matter.visit.channel == Channel.PHONE and matter.ledger_seq == 1
    assert appointment.phone == "13800138000" and appointment.status == AppointmentStatus.BOOKED
    assert list(appointment.moves.values_list("code", flat=True)) == ["booked"]
    values = ledger4_values(matter)
    assert values[Cell.APPOINTMENT_TIME] == f"{timezone.localtime(slot.start):%Y-%m-%d %H:%M}"
    assert values[Cell.SERVICE_MODE] == "到站"
    assert values[Cell.ATTENDANCE] == "已预约"
    assert values[Cell.HANDLER_OR_INSTITUTION] == tree.station_a.name
    assert set(values) <= {c.key for c in APPOINTMENTS.columns}


def test_capacity_is_enforced_with_a_chinese_message(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a, capacity=1)
    book(personas.clerk_a, slot)
    with pytest.raises(ValidationError) as exc:
        book(personas.clerk_a, slot, name="李四", phone="13900139000")
    assert exc.value.message_dict["slot"] == ["该时段已约满（1人），请选择其他时段。"]
    assert Matter.objects.filter(kind=MatterKind.APPOINTMENT).count() == 1  # the refused booking left nothing


def test_bad_booking_input_gets_chinese_messages(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a)
    with pytest.raises(ValidationError) as exc:
        services.appointment_book(
            actor=personas.clerk_a, slot=slot, summary="", person_data=PersonInput(name="王五"), phone="123"
        )
    errors = exc.value.message_dict
    assert errors["summary"] == ["请填写预约事项。"]
    assert "格式不正确" in errors["phone"][0]


def test_a_slot_that_has_begun_cannot_be_booked(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a)
    Slot.objects.filter(pk=slot.pk).update(start=timezone.now() - datetime.timedelta(minutes=1))
    slot.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        book(personas.clerk_a, slot)
    assert exc.value.message_dict["slot"] == ["该时段已经开始或已过去，不能预约。"]


def test_clerk_books_only_own_platform_and_serving_institutions(personas: Personas, tree: Tree) -> None:
    slot_a = make_slot(personas.clerk_a, tree.station_a)
    with pytest.raises(PermissionDenied):
        book(personas.clerk_b, slot_a)
    firm_slot = make_slot(personas.handler, institution=tree.law_firm, kind="law_firm")
    appointment = book(personas.clerk_a, firm_slot)
    assert appointment.matter.node == tree.station_a  # registered at the clerk's own window
    other_firm_slot = make_slot(
        personas.other_district_admin, institution=tree.other_law_firm, kind="law_firm"
    )
    with pytest.raises(PermissionDenied):
        book(personas.clerk_a, other_firm_slot)


def test_a_consultation_is_booked_straight_into_a_law_firm_slot(personas: Personas, tree: Tree) -> None:
    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="赵敏", phone="13700137000"),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="公司股权转让合同纠纷，较复杂")],
    )
    consultation = visit.matters.get()
    firm_slot = make_slot(personas.handler, institution=tree.law_firm, kind="law_firm")
    appointment = services.appointment_book(actor=personas.clerk_a, slot=firm_slot, matter=consultation)
    assert appointment.matter == consultation and appointment.phone == "13700137000"
    assert Matter.objects.filter(kind=MatterKind.APPOINTMENT).count() == 0
    with pytest.raises(ValidationError) as exc:
        services.appointment_book(actor=personas.clerk_a, slot=firm_slot, matter=consultation)
    assert exc.value.message_dict["matter"] == ["该事项已有预约，请改约。"]
    # the law firm's handler serves it; the consultation stays with the front desk to answer
    arrive(appointment)
    services.appointment_serve(
        actor=personas.handler, appointment=appointment, result="已当面解答并出具书面意见"
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SERVED
    assert ledger4_values(consultation)[Cell.HANDLER_OR_INSTITUTION] == f"{tree.law_firm.name}，handler"


def _book_in_thread(actor: Any, slot_pk: int, index: int, barrier: threading.Barrier) -> str:
    try:
        barrier.wait(timeout=30)
        try:
            book(actor, Slot.objects.get(pk=slot_pk), name=f"并发{index:02d}", phone=f"139{index:08d}")
        except ValidationError as exc:
            return exc.messages[0]
        return "ok"
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_overbook(tree: Tree, personas: Personas) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a, capacity=3)
    threads = 12
    barrier = threading.Barrier(threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [
            pool.submit(_book_in_thread, personas.clerk_a, slot.pk, i, barrier) for i in range(threads)
        ]
        results = [f.result(timeout=120) for f in futures]
    assert results.count("ok") == 3
    assert all(r == "该时段已约满（3人），请选择其他时段。" for r in results if r != "ok")
    assert Appointment.objects.filter(slot=slot).count() == 3
    assert Matter.objects.filter(kind=MatterKind.APPOINTMENT).count() == 3


# --- moves ---------------------------------------------------------------------------------------------------


def test_reschedule_keeps_history_and_frees_the_place(personas: Personas, tree: Tree) -> None:
    first = make_slot(personas.clerk_a, tree.station_a, capacity=1)
    second = make_slot(personas.clerk_a, tree.station_a, capacity=1, n=2)
    appointment = book(personas.clerk_a, first)
    services.appointment_reschedule(
        actor=personas.clerk_a, appointment=appointment, slot=second, note="家中有事"
    )
    appointment.refresh_from_db()
    assert appointment.slot == second and appointment.status == AppointmentStatus.RESCHEDULED
    move = appointment.moves.get(code="rescheduled")
    assert move.from_slot == first and move.to_slot == second and move.note == "家中有事"
    assert services.taken(first) == 0
    book(personas.clerk_a, first, name="钱七", phone="13600136000")  # the place is free again
    with pytest.raises(ValidationError) as exc:
        services.appointment_reschedule(actor=personas.clerk_a, appointment=appointment, slot=first)
    assert "约满" in exc.value.message_dict["slot"][0]


def test_cancel_needs_a_reason_and_ends_the_appointment(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a)
    appointment = book(personas.clerk_a, slot)
    with pytest.raises(ValidationError) as exc:
        services.appointment_cancel(actor=personas.clerk_a, appointment=appointment, reason=" ")
    assert exc.value.message_dict["reason"] == ["请填写取消原因。"]
    services.appointment_cancel(actor=personas.clerk_a, appointment=appointment, reason="已自行和解")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and services.taken(slot) == 0
    assert ledger4_values(appointment.matter)[Cell.ATTENDANCE] == "已取消"
    with pytest.raises(ValidationError) as exc:
        services.appointment_serve(actor=personas.clerk_a, appointment=appointment, result="x")
    assert exc.value.messages == ["该预约当前为“已取消”，不能登记服务结果。"]


def test_no_show_only_once_the_slot_has_begun(personas: Personas, tree: Tree) -> None:
    appointment = book(personas.clerk_a, make_slot(personas.clerk_a, tree.station_a))
    with pytest.raises(ValidationError) as exc:
        services.appointment_no_show(actor=personas.clerk_a, appointment=appointment)
    assert exc.value.messages == ["预约时间还没到，不能登记爽约。"]
    arrive(appointment)
    services.appointment_no_show(actor=personas.clerk_a, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert ledger4_values(appointment.matter)[Cell.ATTENDANCE] == "未到(爽约)"


def test_serving_answers_the_appointment_matter(personas: Personas, tree: Tree) -> None:
    appointment = book(personas.clerk_a, make_slot(personas.clerk_a, tree.station_a))
    with pytest.raises(ValidationError):
        services.appointment_serve(actor=personas.clerk_a, appointment=appointment, result="解答")
    arrive(appointment)
    with pytest.raises(ValidationError) as exc:
        services.appointment_serve(actor=personas.clerk_a, appointment=appointment, result="")
    assert exc.value.message_dict["result"] == ["请填写服务结果。"]
    services.appointment_serve(
        actor=personas.clerk_a, appointment=appointment, result="已解答：可起诉要求支付赡养费"
    )
    matter = Matter.objects.get(pk=appointment.matter_id)
    assert matter.state == MatterState.ANSWERED and matter.answer == "已解答：可起诉要求支付赡养费"
    values = ledger4_values(matter)
    assert (
        values[Cell.ATTENDANCE] == "已履约" and values[Cell.SERVICE_RESULT] == "已解答：可起诉要求支付赡养费"
    )
    assert values[Cell.HANDLER_OR_INSTITUTION] == f"{tree.station_a.name}，clerk_a"


def test_another_platforms_clerk_cannot_move_an_appointment(personas: Personas, tree: Tree) -> None:
    appointment = book(personas.clerk_a, make_slot(personas.clerk_a, tree.station_a))
    with pytest.raises(PermissionDenied):
        services.appointment_cancel(actor=personas.clerk_b, appointment=appointment, reason="x")


# --- the reminder --------------------------------------------------------------------------------------------


def test_reminder_is_sent_once_the_working_day_before(personas: Personas, tree: Tree, settings: Any) -> None:
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    ConsoleSmsBackend.outbox.clear()
    day = next_working(3)
    slot = services.slot_create(
        actor=personas.clerk_a, node=tree.station_a, start=at(day, 9), end=at(day, 10), kind="station"
    )
    later = services.slot_create(
        actor=personas.clerk_a,
        node=tree.station_a,
        start=at(next_working(4), 9),
        end=at(next_working(4), 10),
        kind="station",
    )
    appointment = book(personas.clerk_a, slot)
    book(personas.clerk_a, later, name="孙八", phone="13500135000")
    cancelled = book(personas.clerk_a, services.slot_create(
        actor=personas.clerk_a, node=tree.station_a, start=at(day, 14), end=at(day, 15), kind="station"
    ), name="周九", phone="13400134000")  # fmt: skip
    services.appointment_cancel(actor=personas.clerk_a, appointment=cancelled, reason="不来了")
    eve = next_working(2)
    assert services.send_due_reminders(today=eve) == 1
    assert services.send_due_reminders(today=eve) == 0  # once
    assert [m.phone for m in ConsoleSmsBackend.outbox] == ["13800138000"]
    text = ConsoleSmsBackend.outbox[0].text
    assert "王秀英" in text and f"{timezone.localtime(slot.start):%m月%d日 %H:%M}" in text
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None
    assert appointment.moves.filter(code="reminded").count() == 1
    # a non-working day sends nothing
    assert services.send_due_reminders(today=a_non_working_day()) == 0


def test_reminder_command_and_task(personas: Personas, tree: Tree, capsys: Any) -> None:
    ConsoleSmsBackend.outbox.clear()
    book(personas.clerk_a, make_slot(personas.clerk_a, tree.station_a, n=2))
    eve = next_working(1)
    call_command("send_appointment_reminders", "--date", f"{eve:%Y-%m-%d}")
    assert f"{eve.year}年{eve.month}月{eve.day}日：发送预约提醒短信1条。" in capsys.readouterr().out
    call_command("send_appointment_reminders", "--date", f"{a_non_working_day():%Y-%m-%d}")
    assert "不是工作日，不发送预约提醒。" in capsys.readouterr().out
    from lawdesk.appointments.tasks import BEAT_SCHEDULE, send_appointment_reminders

    assert BEAT_SCHEDULE["lawdesk-send-appointment-reminders"]["task"] == send_appointment_reminders.name
    assert send_appointment_reminders() == 0  # already reminded
    assert len(ConsoleSmsBackend.outbox) == 1


# --- views ---------------------------------------------------------------------------------------------------


def test_views_book_and_act(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a, capacity=1)
    client = client_for(personas.clerk_a)
    page = client.get(reverse("appointments:slots"), {"week": f"{timezone.localdate(slot.start):%Y-%m-%d}"})
    assert page.status_code == 200 and f"slot-{slot.pk}" in page.content.decode()
    url = reverse("appointments:book", args=[slot.pk])
    bad = client.post(url, {"name": "", "phone": "13800138000", "summary": "x", "channel": "phone"})
    assert bad.status_code == 400 and "请填写预约人姓名。" in bad.content.decode()
    ok = client.post(url, {"name": "王秀英", "phone": "13800138000", "summary": "赡养费", "channel": "phone"})
    appointment = Appointment.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("appointments:detail", args=[appointment.pk])
    full = client.post(url, {"name": "李四", "phone": "13900139000", "summary": "x", "channel": "phone"})
    assert "该时段已约满（1人），请选择其他时段。" in full.content.decode()
    cancel = client.post(reverse("appointments:action", args=[appointment.pk, "cancel"]), {"reason": ""})
    assert cancel.status_code == 400 and "请填写取消原因。" in cancel.content.decode()
    detail = client.get(reverse("appointments:detail", args=[appointment.pk]))
    assert "已预约" in detail.content.decode()
    panel = panel_context(actor=personas.clerk_a, matter=appointment.matter)
    assert panel is not None and panel["can_act"]


def test_views_answer_404_out_of_reach(personas: Personas, tree: Tree) -> None:
    slot = make_slot(personas.clerk_a, tree.station_a)
    appointment = book(personas.clerk_a, slot)
    outsider = client_for(personas.other_district_admin)
    assert outsider.get(reverse("appointments:detail", args=[appointment.pk])).status_code == 404
    assert (
        outsider.post(
            reverse("appointments:action", args=[appointment.pk, "cancel"]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert outsider.get(reverse("appointments:book", args=[slot.pk])).status_code == 404
    assert outsider.get(reverse("appointments:slots"), {"node": tree.station_a.pk}).status_code == 404
    sibling = client_for(personas.clerk_b)
    assert sibling.get(reverse("appointments:detail", args=[appointment.pk])).status_code == 404
    assert sibling.get(reverse("appointments:book", args=[slot.pk])).status_code == 404
    assert (
        client_for(personas.office_staff)
        .get(reverse("appointments:detail", args=[appointment.pk]))
        .status_code
        == 200
    )
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED


def test_a_consultation_is_booked_from_the_matter_page_into_a_law_firm_slot(
    personas: Personas, tree: Tree
) -> None:
    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="赵敏", phone="13700137000"),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="股权转让合同纠纷，较复杂")],
    )
    consultation = visit.matters.get()
    panel = panel_context(actor=personas.clerk_a, matter=consultation)
    assert panel is not None and panel["book_url"].endswith(f"?matter={consultation.pk}")
    assert panel_context(actor=personas.clerk_b, matter=consultation) is None
    firm_slot = make_slot(personas.handler, institution=tree.law_firm, kind="law_firm")
    client = client_for(personas.clerk_a)
    week = client.get(
        reverse("appointments:slots"),
        {
            "institution": str(tree.law_firm.pk),
            "matter": str(consultation.pk),
            "week": f"{timezone.localdate(firm_slot.start):%Y-%m-%d}",
        },
    )
    book_url = reverse("appointments:book", args=[firm_slot.pk]) + f"?matter={consultation.pk}"
    assert book_url in week.content.decode()
    assert consultation.summary in client.get(book_url).content.decode()
    response = client.post(book_url, {"matter": consultation.pk, "phone": ""})
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and appointment.matter == consultation
    assert appointment.slot == firm_slot and appointment.phone == "13700137000"
    # the law firm's handler sees it (the slot is theirs) but another district's admin does not
    assert (
        client_for(personas.handler).get(reverse("appointments:detail", args=[appointment.pk])).status_code
        == 200
    )
    assert client_for(personas.other_district_admin).get(book_url).status_code == 404


def test_a_cancelled_appointment_is_on_the_timeline_and_its_matter_archived(
    personas: Personas, tree: Tree
) -> None:
    appointment = book(personas.clerk_a, make_slot(personas.clerk_a, tree.station_a))
    services.appointment_cancel(actor=personas.clerk_a, appointment=appointment, reason="已和解")
    matter = appointment.matter
    matter.refresh_from_db()
    codes = list(matter.events.values_list("code", flat=True))
    assert codes == ["received", "appointment_booked", "appointment_cancelled", "appointment_closed"]
    assert matter.state == "closed" and matter.closed_at is not None
