"""督办: overdue matters counted in working days, escalated once per stage and day, the owner and the handlers
notified in the app and by SMS; the Celery task and the cron command; the 督办 list and the notices pages."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from lawdesk.accounts.models import User
from lawdesk.matters import escalation, services
from lawdesk.matters.escalation import escalate_overdue, overdue_matters
from lawdesk.matters.models import Matter, MatterEvent, MatterKind, MatterState, OneTripMode, ServiceType
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.notifications.models import Notification
from lawdesk.notifications.services import notify
from lawdesk.workcal import workdays
from lawdesk.workcal.models import CalendarDay, HolidayNotice
from tests.conftest import Personas, Tree, client_for

TZ = datetime.timezone(datetime.timedelta(hours=8))

D = datetime.date
FRIDAY, SATURDAY, MONDAY, TUESDAY = D(2026, 11, 20), D(2026, 11, 21), D(2026, 11, 23), D(2026, 11, 24)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox() -> None:
    ConsoleSmsBackend.outbox.clear()


class RecordingBackend:
    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        RecordingBackend.sent.append((phone, text))


class BrokenBackend:
    def send(self, *, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


def new_matter(personas: Personas, tree: Tree, *, summary: str = "拖欠工资需要律师") -> Matter:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="李四", phone="13900000009"),
        matters=[
            services.MatterInput(
                kind=MatterKind.SERVICE_TRANSFER, summary=summary, service_type=ServiceType.LAWYER
            )
        ],
    )
    return visit.matters.get()


def transferred(personas: Personas, tree: Tree, due: D, **kwargs: Any) -> Matter:
    """A matter transferred to the law firm, its accept deadline then moved (tests only) to ``due``."""
    matter = services.matter_transfer(
        actor=personas.clerk_a, matter=new_matter(personas, tree, **kwargs), institution=tree.law_firm
    )
    Matter.objects.filter(pk=matter.pk).update(accept_due=due)
    matter.refresh_from_db()
    return matter


def stages(actor: User, today: D, **kwargs: Any) -> list[tuple[int, str, int]]:
    return [
        (i.matter.pk, i.stage, i.days_overdue) for i in overdue_matters(actor=actor, today=today, **kwargs)
    ]


# --- the selector ---------------------------------------------------------------------------------------


def test_due_friday_is_one_working_day_overdue_on_monday(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree, FRIDAY)
    admin = personas.district_admin
    assert stages(admin, FRIDAY) == []
    assert stages(admin, SATURDAY) == []  # no working day has passed yet
    assert stages(admin, MONDAY) == [(matter.pk, "accept", 1)]
    assert stages(admin, TUESDAY) == [(matter.pk, "accept", 2)]


def test_overdue_days_skip_the_national_day_week(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree, D(2026, 9, 30))
    assert stages(personas.district_admin, D(2026, 10, 7)) == []
    assert stages(personas.district_admin, D(2026, 10, 8)) == [(matter.pk, "accept", 1)]
    assert stages(personas.district_admin, D(2026, 10, 10)) == [(matter.pk, "accept", 3)]  # make-up Saturday


def test_each_stage_has_its_clock(personas: Personas, tree: Tree) -> None:
    waiting = transferred(personas, tree, FRIDAY)
    accepted = services.matter_accept(actor=personas.handler, matter=transferred(personas, tree, FRIDAY))
    recorded = services.matter_record_outcome(
        actor=personas.handler,
        matter=services.matter_accept(actor=personas.handler, matter=transferred(personas, tree, FRIDAY)),
        outcome="已代写起诉状",
    )
    Matter.objects.filter(pk=accepted.pk).update(outcome_due=D(2026, 11, 19))
    Matter.objects.filter(pk=recorded.pk).update(feedback_due=D(2026, 11, 18))
    one_trip = services.matter_mark_one_trip(
        actor=personas.clerk_a, matter=new_matter(personas, tree), mode=OneTripMode.HOME_VISIT
    )
    Matter.objects.filter(pk=one_trip.pk).update(one_trip_due=FRIDAY)
    closed = new_matter(personas, tree)
    Matter.objects.filter(pk=closed.pk).update(state=MatterState.CLOSED, one_trip_due=FRIDAY)
    assert stages(personas.district_admin, MONDAY) == [
        (waiting.pk, "accept", 1),
        (accepted.pk, "outcome", 2),
        (recorded.pk, "feedback", 3),
        (one_trip.pk, "one_trip", 1),
    ]


def test_the_list_is_scoped(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree, FRIDAY)
    expected = [(matter.pk, "accept", 1)]
    assert stages(personas.office_staff, MONDAY) == expected
    assert stages(personas.city_admin, MONDAY) == expected
    assert stages(personas.handler, MONDAY) == expected  # transferred to their law firm
    assert stages(personas.clerk_b, MONDAY) == []  # the sibling station
    assert stages(personas.other_district_admin, MONDAY) == []
    assert stages(personas.mediator, MONDAY) == []
    assert stages(personas.district_admin, MONDAY, node=tree.office2) == []
    assert stages(personas.district_admin, MONDAY, node=tree.office) == expected
    assert stages(personas.other_district_admin, MONDAY, node=tree.station_a) == []  # outside their reach


def test_overdue_in_a_year_nobody_entered_carries_the_warning(personas: Personas, tree: Tree) -> None:
    transferred(personas, tree, D(2026, 12, 31))
    [item] = overdue_matters(actor=personas.district_admin, today=D(2027, 1, 4))
    assert item.days_overdue == 2  # 1 January 2027 counts: weekends only
    assert item.warning == "2027年节假日数据未录入，按周末计算"
    notice = HolidayNotice.objects.create(year=2027)
    CalendarDay.objects.create(notice=notice, date=D(2027, 1, 1), name="元旦")
    [item] = overdue_matters(actor=personas.district_admin, today=D(2027, 1, 4))
    assert (item.days_overdue, item.warning) == (1, "")


# --- escalating ------------------------------------------------------------------------------------------


def test_escalation_records_the_event_and_notifies_owner_and_handlers(
    personas: Personas, tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=personas.clerk_a.pk).update(phone="13800000001")
    User.objects.filter(pk=personas.handler.pk).update(phone="13800000002")
    matter = transferred(personas, tree, FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(today=MONDAY) == 1

    event = MatterEvent.objects.get(matter=matter, code="escalated")
    assert event.actor is None and event.node == tree.station_a
    assert event.data["stage"] == "accept" and event.data["on"] == "2026-11-23"
    assert event.data["days_overdue"] == 1
    assert event.note == "超过承接期限1个工作日"
    matter.refresh_from_db()
    assert matter.state == MatterState.TRANSFERRED  # escalation does not move the matter

    notices = Notification.objects.filter(matter=matter)
    assert {n.user for n in notices} == {personas.clerk_a, personas.handler}
    text = notices.first().text  # type: ignore[union-attr]
    number = f"〔{matter.ledger_year}〕第0001号"
    assert text.startswith(f"督办提醒：“小寨路街道公共法律服务站”业务移交{number}已超过承接期限")
    assert "（2026年11月20日）1个工作日" in text
    assert "拖欠工资" not in text  # no matter details in a text message
    assert sorted(s.phone for s in ConsoleSmsBackend.outbox) == ["13800000001", "13800000002"]


def test_escalating_twice_a_day_escalates_nothing_new(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree, FRIDAY)
    assert escalate_overdue(today=MONDAY) == 1
    assert escalate_overdue(today=MONDAY) == 0
    assert escalate_overdue(today=SATURDAY) == 0  # no reminders on a non-working day
    assert escalate_overdue(today=TUESDAY) == 1  # still overdue the next working day
    assert MatterEvent.objects.filter(matter=matter, code="escalated").count() == 2
    assert Notification.objects.filter(user=personas.clerk_a).count() == 2


def test_a_matter_that_moved_on_is_not_escalated(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree, FRIDAY)
    [item] = overdue_matters(actor=personas.district_admin, today=MONDAY)
    services.matter_accept(actor=personas.handler, matter=matter)  # accepted after the list was read
    assert escalation._escalate_one(item, MONDAY) is False
    assert not MatterEvent.objects.filter(code="escalated").exists()


def test_sms_goes_through_the_configured_backend(
    personas: Personas, tree: Tree, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LAWDESK_SMS_BACKEND = "tests.test_escalation.RecordingBackend"
    RecordingBackend.sent.clear()
    User.objects.filter(pk=personas.clerk_a.pk).update(phone="13800000001")
    personas.clerk_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=personas.clerk_a, text="测试短信")
        notify(user=personas.clerk_a, text="只在站内", sms=False)
        notify(user=personas.office_staff, text="没有手机号")
    assert RecordingBackend.sent == [("13800000001", "测试短信")]
    assert ConsoleSmsBackend.outbox == []
    assert Notification.objects.count() == 3


def test_a_broken_gateway_does_not_undo_the_escalation(
    personas: Personas, tree: Tree, settings: Any, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    settings.LAWDESK_SMS_BACKEND = "tests.test_escalation.BrokenBackend"
    User.objects.filter(pk=personas.clerk_a.pk).update(phone="13800000001")
    transferred(personas, tree, FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(today=MONDAY) == 1
    assert MatterEvent.objects.filter(code="escalated").count() == 1
    assert Notification.objects.filter(user=personas.clerk_a).count() == 1
    assert "短信发送失败" in caplog.text


def test_no_sms_is_sent_when_the_transaction_rolls_back(personas: Personas, tree: Tree) -> None:
    User.objects.filter(pk=personas.clerk_a.pk).update(phone="13800000001")
    personas.clerk_a.refresh_from_db()
    notify(user=personas.clerk_a, text="测试")  # inside the test's transaction, never committed
    assert ConsoleSmsBackend.outbox == []


# --- the periodic task and the command -------------------------------------------------------------------


def test_the_celery_task_runs_eagerly(personas: Personas, tree: Tree) -> None:
    from lawdesk.celery import app
    from lawdesk.matters import tasks

    transferred(personas, tree, timezone.localdate() - datetime.timedelta(days=20))
    today_is_working = workdays.is_working_day(timezone.localdate())
    assert tasks.send_reminders.apply().get() == (1 if today_is_working else 0)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # LAWDESK_CELERY_EAGER=1, the default outside production
    try:
        assert tasks.send_reminders.delay().get() == 0  # the same day again
    finally:
        app.conf.task_always_eager = eager
    schedule = app.conf.beat_schedule["lawdesk-send-reminders"]
    assert schedule["task"] == tasks.send_reminders.name
    assert (schedule["schedule"].hour, schedule["schedule"].minute) == ({8}, {30})


def test_the_command_prints_and_is_idempotent_for_a_day(personas: Personas, tree: Tree) -> None:
    transferred(personas, tree, FRIDAY)
    transferred(personas, tree, FRIDAY, summary="第二件")

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("send_reminders", *args, stdout=out)
        return out.getvalue().strip()

    assert run("--date", "2026-11-23") == "2026年11月23日：新督办2项超期事项，已通知负责人。"
    assert run("--date", "2026-11-23") == "2026年11月23日：没有需要新督办的超期事项。"
    assert run("--date", "2026-11-21") == "2026年11月21日不是工作日，不发送督办提醒。"
    assert run("--date", "2026-10-10") == "2026年10月10日：没有需要新督办的超期事项。"  # make-up Saturday
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式"):
        run("--date", "23/11/2026")


def test_celery_cli_finds_the_app() -> None:
    celery = Path(sys.executable).parent / "celery"
    result = subprocess.run(
        [str(celery), "-A", "lawdesk", "inspect", "--help"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


# --- the pages -------------------------------------------------------------------------------------------


def overdue_matter_for_today(personas: Personas, tree: Tree) -> tuple[Matter, int]:
    due = timezone.localdate() - datetime.timedelta(days=14)
    return transferred(personas, tree, due), workdays.working_days_between(due, timezone.localdate())


def test_the_overdue_page_groups_by_stage_in_working_days(personas: Personas, tree: Tree) -> None:
    matter, days = overdue_matter_for_today(personas, tree)
    response = client_for(personas.district_admin).get("/desk/overdue/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "承接超期" in page and "办结超期" not in page
    assert f"{days}个工作日" in page
    assert f"业务移交〔{matter.ledger_year}〕第0001号" in page and "陕西雁塔测试律师事务所" in page
    assert response.context["node"] == tree.district
    assert response.context["total"] == 1
    office = client_for(personas.district_admin).get(f"/desk/overdue/?node={tree.office.pk}")
    assert office.context["total"] == 1
    assert (
        client_for(personas.district_admin).get(f"/desk/overdue/?node={tree.office2.pk}").context["total"]
        == 0
    )
    assert client_for(personas.handler).get("/desk/overdue/").context["total"] == 1


@pytest.mark.parametrize("node_attr", ["district", "station_a"])
def test_another_nodes_user_gets_404(personas: Personas, tree: Tree, node_attr: str) -> None:
    overdue_matter_for_today(personas, tree)
    node = getattr(tree, node_attr)
    assert client_for(personas.other_district_admin).get(f"/desk/overdue/?node={node.pk}").status_code == 404
    assert client_for(personas.clerk_b).get(f"/desk/overdue/?node={tree.station_a.pk}").status_code == 404
    assert client_for(personas.district_admin).get("/desk/overdue/?node=abc").status_code == 404
    other = client_for(personas.other_district_admin).get("/desk/overdue/")
    assert other.status_code == 200 and other.context["total"] == 0


def test_the_overdue_page_needs_a_login(tree: Tree) -> None:
    from django.test import Client

    assert Client().get("/desk/overdue/").status_code == 302
    assert Client().get("/desk/notifications/").status_code == 302


def test_notifications_show_only_the_actors_own(personas: Personas) -> None:
    mine = notify(user=personas.clerk_a, text="给我的督办提醒", sms=False)
    theirs = notify(user=personas.clerk_b, text="给别人的督办提醒", sms=False)
    client = client_for(personas.clerk_a)
    page = client.get("/desk/notifications/").content.decode()
    assert "给我的督办提醒" in page and "给别人的督办提醒" not in page
    assert "1条未读" in page

    assert client.post("/desk/notifications/read/", {"id": theirs.pk}).status_code == 404
    assert client.post("/desk/notifications/read/", {"id": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get("/desk/notifications/read/").status_code == 405

    assert client.post("/desk/notifications/read/", {"id": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "给我的督办提醒" not in client.get("/desk/notifications/?unread=1").content.decode()


def test_mark_all_read_touches_only_the_actors_notices(personas: Personas) -> None:
    for i in range(3):
        notify(user=personas.clerk_a, text=f"提醒{i}", sms=False)
    theirs = notify(user=personas.clerk_b, text="别人的", sms=False)
    response = client_for(personas.clerk_a).post("/desk/notifications/read/", {"all": "1"}, follow=True)
    assert "已将3条通知标为已读。" in response.content.decode()
    assert not Notification.objects.filter(user=personas.clerk_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_overdue_page_warns_about_a_year_without_holiday_data(
    personas: Personas, tree: Tree, pinned_clock: Any
) -> None:
    transferred(personas, tree, D(2026, 12, 31))
    pinned_clock.move_to(datetime.datetime(2027, 1, 4, 10, 0, tzinfo=TZ))
    page = client_for(personas.district_admin).get("/desk/overdue/").content.decode()
    assert 'data-testid="calendar-warning">2027年节假日数据未录入，按周末计算' in page
    assert "2个工作日" in page


def test_in_process_reminders_run_until_stopped(monkeypatch: Any) -> None:
    import threading

    from lawdesk.matters import tasks

    calls: list[int] = []
    twice = threading.Event()

    def fake_escalate(*, today: D | None = None) -> int:
        calls.append(1)
        if len(calls) >= 2:
            twice.set()
        return 0

    monkeypatch.setattr(escalation, "escalate_overdue", fake_escalate)
    stop = tasks.start_in_process(interval_seconds=0.01)
    try:
        assert twice.wait(5)
    finally:
        stop.set()
