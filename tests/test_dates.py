"""Every date-sensitive part of lawdesk, run at the dates that have broken or could break it.

The clock is pinned (time-machine, through ``pinned_clock``) at each date below in turn, and each part is checked
against an oracle written here independently of ``lawdesk.workcal.workdays``: ``chinese-calendar`` for the years it
knows, weekends only for a year it does not (2027 with chinese-calendar 1.11.0). No test here may skip because of the
weekday: what a part must do on a weekend or a holiday is itself asserted.
"""

from __future__ import annotations

import datetime
from typing import Any

import chinese_calendar
import pytest
from django.core.management import call_command
from django.test import Client

from lawdesk.appointments import services as appointments
from lawdesk.appointments.models import Appointment, SlotKind
from lawdesk.assessment import metrics
from lawdesk.assessment import services as assessment
from lawdesk.assessment.models import Rectification, RoundKind
from lawdesk.assessment.seed import ensure_default_standard
from lawdesk.core import clock
from lawdesk.leaderwindow.models import WindowDraw
from lawdesk.leaderwindow.tasks import draw_next_week
from lawdesk.matters import escalation
from lawdesk.matters import services as loop
from lawdesk.matters.models import Matter, MatterEvent, MatterKind, Visit
from lawdesk.notifications.models import Notification
from lawdesk.outreach import selectors as outreach_selectors
from lawdesk.outreach import services as outreach
from lawdesk.outreach.models import TeamKind
from lawdesk.people.models import Person
from lawdesk.people.retention import PURGED_NAME, purge_personal_data
from lawdesk.stats import services as stats_services
from lawdesk.stats.models import ReportSchedule
from lawdesk.workcal.workdays import deadline_warning
from tests.conftest import Personas, Tree, make_user

TZ = datetime.timezone(datetime.timedelta(hours=8))
ONE_DAY = datetime.timedelta(days=1)

# name → the local instant the clock is pinned at
DATES: dict[str, datetime.datetime] = {
    "saturday": datetime.datetime(2026, 12, 5, 10, 0, tzinfo=TZ),
    "sunday": datetime.datetime(2026, 12, 6, 15, 0, tzinfo=TZ),
    "last_workday_before_national_day": datetime.datetime(2026, 9, 30, 16, 30, tzinfo=TZ),
    "first_workday_after_national_day": datetime.datetime(2026, 10, 8, 9, 0, tzinfo=TZ),
    # 2026-02-14 is a Saturday worked to make up for the Spring Festival week (W08: no working day at all).
    "last_workday_before_spring_festival": datetime.datetime(2026, 2, 14, 10, 0, tzinfo=TZ),
    "first_workday_after_spring_festival": datetime.datetime(2026, 2, 24, 9, 0, tzinfo=TZ),
    # 23:30 and 00:30 in Xi'an are both 2026-12-31 in UTC: the local date must win.
    "new_years_eve_late": datetime.datetime(2026, 12, 31, 23, 30, tzinfo=TZ),
    "new_years_day_early": datetime.datetime(2027, 1, 1, 0, 30, tzinfo=TZ),
    "year_without_holiday_data": datetime.datetime(2027, 3, 10, 10, 0, tzinfo=TZ),
    "leap_day": datetime.datetime(2028, 2, 29, 10, 0, tzinfo=TZ),
    "week_before_week_50": datetime.datetime(2026, 12, 2, 10, 0, tzinfo=TZ),
    "last_week_of_a_53_week_year": datetime.datetime(2026, 12, 30, 10, 0, tzinfo=TZ),
}


@pytest.fixture(params=list(DATES), ids=list(DATES))
def day(request: Any, pinned_clock: Any) -> datetime.date:
    """Pins the clock at one of ``DATES`` and returns that local date."""
    pinned_clock.move_to(DATES[request.param])
    return DATES[request.param].date()


# --- the oracle ----------------------------------------------------------------------------------------------


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(d: datetime.date) -> bool:
    if package_knows(d.year):
        return bool(chinese_calendar.is_workday(d))
    return d.weekday() < 5


def nth_workday_after(d: datetime.date, n: int) -> datetime.date:
    while n:
        d += ONE_DAY
        n -= is_workday(d)
    return d


def previous_workday(d: datetime.date) -> datetime.date:
    d -= ONE_DAY
    while not is_workday(d):
        d -= ONE_DAY
    return d


def workdays_in(first: datetime.date, last: datetime.date) -> int:
    return sum(is_workday(first + ONE_DAY * i) for i in range((last - first).days + 1))


def at(d: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(d, datetime.time(hour), tzinfo=TZ)


def test_the_dates_are_what_their_names_say() -> None:
    """The list above is only as good as its dates: check each claim against the calendar itself."""
    national_day, spring = datetime.date(2026, 10, 1), datetime.date(2026, 2, 17)
    assert DATES["saturday"].weekday() == 5 and DATES["sunday"].weekday() == 6
    before, after = (
        DATES["last_workday_before_national_day"].date(),
        DATES["first_workday_after_national_day"].date(),
    )
    assert is_workday(before) and is_workday(after) and before < national_day < after
    assert not any(is_workday(before + ONE_DAY * i) for i in range(1, (after - before).days))
    before, after = (DATES["last_workday_before_spring_festival"].date(),
                     DATES["first_workday_after_spring_festival"].date())  # fmt: skip
    assert is_workday(before) and before.weekday() == 5 and before < spring < after
    assert not any(is_workday(before + ONE_DAY * i) for i in range(1, (after - before).days))
    assert not package_knows(2027) and package_knows(2026)
    assert DATES["leap_day"].date() == datetime.date(2028, 2, 29)
    assert (DATES["week_before_week_50"].date() + 7 * ONE_DAY).isocalendar()[1] == 50
    assert DATES["last_week_of_a_53_week_year"].date().isocalendar()[:2] == (2026, 53)
    assert DATES["new_years_eve_late"].astimezone(datetime.UTC).date() == datetime.date(2026, 12, 31)
    assert DATES["new_years_day_early"].astimezone(datetime.UTC).date() == datetime.date(2026, 12, 31)


# --- the clock itself ------------------------------------------------------------------------------------------


def test_the_clock_gives_the_local_date_and_every_page_carries_it(day: datetime.date, db: Any) -> None:
    assert clock.today() == day
    page = Client().get("/accounts/login/").content.decode()
    assert f'data-today="{day.isoformat()}"' in page  # the date the pages' scripts read


# --- visits, numbering and stage deadlines --------------------------------------------------------------------


def new_matter(personas: Personas, tree: Tree, kind: str = MatterKind.SERVICE_TRANSFER) -> Matter:
    visit = loop.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=loop.PersonInput(name="王五", phone="13912340000"),
        matters=[loop.MatterInput(kind=kind, summary="咨询公证", service_type="notary")],
    )
    return visit.matters.get()


def test_a_visit_is_numbered_in_the_local_year_and_its_deadline_counts_working_days(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    matter = new_matter(personas, tree)
    visit = Visit.objects.get(pk=matter.visit_id)
    assert visit.year == day.year and visit.seq == 1 and matter.ledger_year == day.year
    assert clock.localnow().date() == day

    matter = loop.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.law_firm)
    due = matter.accept_due
    assert due == nth_workday_after(day, 3)  # three working days to accept, today not counted
    assert is_workday(due) and workdays_in(day + ONE_DAY, due) == 3
    unknown = [y for y in range(day.year, due.year + 1) if not package_knows(y)]
    assert (deadline_warning(day, due) != "") == bool(unknown)
    if unknown:
        assert f"{unknown[0]}年节假日数据未录入，按周末计算" in deadline_warning(day, due)


# --- escalation of overdue matters (督办) ----------------------------------------------------------------------


def test_overdue_matters_are_escalated_once_on_working_days_only(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    late = loop.matter_transfer(
        actor=personas.clerk_a, matter=new_matter(personas, tree), institution=tree.law_firm
    )
    on_time = loop.matter_transfer(
        actor=personas.clerk_a, matter=new_matter(personas, tree), institution=tree.law_firm
    )
    Matter.objects.filter(pk=late.pk).update(accept_due=previous_workday(day))
    Matter.objects.filter(pk=on_time.pk).update(accept_due=day)

    listed = {i.matter.pk: i.days_overdue for i in escalation.overdue_matters(actor=personas.district_admin)}
    expected_days = workdays_in(previous_workday(day) + ONE_DAY, day)
    assert listed == ({late.pk: expected_days} if expected_days else {})

    sent = escalation.escalate_overdue()
    assert sent == (1 if is_workday(day) else 0)  # nothing is sent on a weekend or a holiday
    escalated = MatterEvent.objects.filter(code="escalated")
    assert list(escalated.values_list("matter_id", flat=True)) == ([late.pk] if is_workday(day) else [])
    if sent:
        assert escalated.get().data["on"] == day.isoformat()
        assert Notification.objects.filter(user=personas.clerk_a, text__startswith="督办提醒").count() == 1
    assert escalation.escalate_overdue() == 0  # twice on one day: nothing new


# --- appointment reminders -------------------------------------------------------------------------------------


def test_appointment_reminders_cover_the_days_up_to_the_next_working_day(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    next_workday = nth_workday_after(day, 1)
    after_that = nth_workday_after(day, 2)
    booked = {}
    for when in (next_workday, after_that):
        slot = appointments.slot_create(
            actor=personas.clerk_a, node=tree.station_a, kind=SlotKind.STATION,
            start=at(when, 9), end=at(when, 10),
        )  # fmt: skip
        booked[when] = appointments.appointment_book(
            actor=personas.clerk_a, slot=slot, summary="咨询遗产继承",
            person_data=loop.PersonInput(name="赵六", phone="13700001234"), node=tree.station_a,
            phone="13700001234",
        )  # fmt: skip
    sent = appointments.send_due_reminders()
    reminded = set(Appointment.objects.filter(reminder_sent_at__isnull=False).values_list("pk", flat=True))
    if is_workday(day):
        assert sent == 1 and reminded == {booked[next_workday].pk}
    else:
        assert sent == 0 and reminded == set()


# --- leader at the window: next week's draw --------------------------------------------------------------------


def test_the_periodic_draw_takes_the_iso_week_after_today(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    make_user("xc_leader", "leader", tree.other_district)
    monday = day + ONE_DAY * (7 - day.weekday())
    assert monday.weekday() == 0 and monday.isocalendar()[:2] == (day + 7 * ONE_DAY).isocalendar()[:2]
    workdays = [monday + ONE_DAY * i for i in range(7) if is_workday(monday + ONE_DAY * i)]
    drawn = draw_next_week()
    draws = WindowDraw.objects.filter(week_start=monday)
    if not workdays:  # e.g. the Spring Festival week: nothing to draw, and no crash
        assert drawn == 0 and not draws.exists()
        return
    assert drawn == 2 and draws.count() == 2
    for draw in draws:
        assert draw.date in workdays
    assert not WindowDraw.objects.exclude(week_start=monday).exists()  # never this week, never a week later
    assert draw_next_week() == 0
    call_command("draw_leader_window")  # the command draws the same week
    assert WindowDraw.objects.count() == 2


# --- poverty-area service quarters -----------------------------------------------------------------------------


def test_the_quarter_board_and_its_reminders_follow_the_calendar_quarter(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    quarter = outreach_selectors.Quarter.of(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.start.month in (1, 4, 7, 10) and quarter.start.day == 1
    assert quarter.end + ONE_DAY == quarter.next().start and quarter.previous().end + ONE_DAY == quarter.start
    village = outreach.village_create(
        actor=personas.district_admin, district=tree.district, name="东村", region_code="610113001201"
    )
    outreach.team_create(
        actor=personas.district_admin, district=tree.district, name="法律服务团", kind=TeamKind.SERVICE_GROUP,
        lead=personas.office_staff,
    )  # fmt: skip
    board = outreach_selectors.board(outreach_selectors.villages_for(personas.district_admin), quarter, day)
    assert [r.village for r in board.unserved] == [village]
    assert board.days_left == (quarter.end - day).days + 1
    assert board.working_days_left == workdays_in(day, quarter.end)
    assert (board.warning != "") == (not package_knows(quarter.end.year))
    sent = outreach.send_reminders()
    assert sent == (1 if day.month in (3, 6, 9, 12) else 0)  # the quarter's last month only
    assert outreach.send_reminders() == 0  # once a week


# --- monthly report deadlines ----------------------------------------------------------------------------------


def test_report_reminders_are_for_last_month_by_each_levels_deadline(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    period_year, period_month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    schedule = ReportSchedule.current()
    # Stations have no deadline of their own unless their district sets one (the plan, 七(八), sets none).
    assert schedule.due_date("station", period_year, period_month) is None
    stats_services.station_deadline_set(actor=personas.district_admin, district=tree.district, station_day=20)
    due = schedule.due_date("station", period_year, period_month, station_day=20)
    assert due is not None
    assert (due.year, due.month) == (
        day.year,
        day.month,
    )  # due in the month after the period, i.e. this month
    assert due.day == min(20, 28 if day.month == 2 and day.year % 4 else 31)
    district_due = schedule.due_date("district", period_year, period_month)
    assert district_due is not None
    if day.month == 2:
        assert district_due.day == (29 if day.year % 4 == 0 else 28)
    stats_services.send_report_reminders()
    texts = list(Notification.objects.filter(user=personas.clerk_a).values_list("text", flat=True))
    if day < due - datetime.timedelta(days=schedule.remind_days_before):
        assert texts == []
    else:
        assert len(texts) == 1 and f"{period_year}年{period_month}月" in texts[0]
        assert f"{due:%m月%d日}" in texts[0]
        assert ("超过报送期限" in texts[0]) == (day > due)


# --- retention of personal data --------------------------------------------------------------------------------


def test_retention_removes_exactly_who_has_been_inactive_longer_than_the_period(
    day: datetime.date, personas: Personas, tree: Tree, settings: Any, pinned_clock: Any
) -> None:
    settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS = 1095
    now = clock.now()
    people = {}
    for name, days_ago in (("过期人", 1096), ("未过期人", 1094)):
        pinned_clock.move_to(now - datetime.timedelta(days=days_ago))
        visit = loop.visit_register(
            actor=personas.clerk_a, node=tree.station_a, person_data=loop.PersonInput(name=name),
            matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="已解答")],
        )  # fmt: skip
        matter = visit.matters.get()
        loop.matter_close(actor=personas.clerk_a, matter=matter)
        people[name] = visit.person_id
    pinned_clock.move_to(now)
    assert purge_personal_data() == 1
    assert Person.objects.get(pk=people["过期人"]).name == PURGED_NAME
    assert Person.objects.get(pk=people["未过期人"]).name == "未过期人"


# --- assessment cut-off ----------------------------------------------------------------------------------------


def test_the_assessment_cut_off_day_counts_until_local_midnight(
    day: datetime.date, personas: Personas, tree: Tree
) -> None:
    within = loop.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person_data=loop.PersonInput(name="甲"),
        matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="咨询")],
        received_at=at(day, 0) + datetime.timedelta(hours=23, minutes=59),
    )  # fmt: skip
    after = loop.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person_data=loop.PersonInput(name="乙"),
        matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="咨询")],
        received_at=at(day + ONE_DAY, 0),
    )  # fmt: skip
    before = loop.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person_data=loop.PersonInput(name="丙"),
        matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="咨询")],
        received_at=at(day - 30 * ONE_DAY, 0) - datetime.timedelta(minutes=1),
    )  # fmt: skip
    context = metrics.Context(start=day - 30 * ONE_DAY, cut_off=day)
    counted = set(metrics.period_matters(tree.station_a, context).values_list("visit_id", flat=True))
    assert counted == {within.pk}
    assert after.pk not in counted and before.pk not in counted


# --- rectification escalation ----------------------------------------------------------------------------------


def test_overdue_rectifications_escalate_on_the_first_working_day_after_the_deadline(
    day: datetime.date, personas: Personas, tree: Tree, pinned_clock: Any
) -> None:
    now = clock.now()
    start = day - 120 * ONE_DAY
    pinned_clock.move_to(at(day - 40 * ONE_DAY))
    round_ = assessment.round_create(
        actor=personas.district_admin, organiser=tree.district, title="考核", kind=RoundKind.QUARTER,
        period_start=start, cut_off=day - 41 * ONE_DAY, standard=ensure_default_standard(),
    )  # fmt: skip
    assessment.round_collect(actor=personas.district_admin, round_=round_)
    scores = [
        s
        for e in round_.entries.filter(platform=tree.station_a)
        for s in e.scores.select_related("indicator")
    ]
    below = [s for s in scores if s.points is not None and not s.is_full][:2]
    assert len(below) == 2
    due_yesterday = assessment.rectification_create(
        actor=personas.district_admin, score=below[0], owner=personas.clerk_a,
        deadline=day - ONE_DAY, description="补齐标识", today=clock.today(),
    )  # fmt: skip
    due_today = assessment.rectification_create(
        actor=personas.district_admin, score=below[1], owner=personas.clerk_a,
        deadline=day, description="补齐设备", today=clock.today(),
    )  # fmt: skip
    pinned_clock.move_to(now)
    escalated = assessment.escalate_overdue()
    flagged = set(Rectification.objects.filter(escalated_at__isnull=False).values_list("pk", flat=True))
    if is_workday(day):
        assert escalated == 1 and flagged == {due_yesterday.pk}
    else:  # nothing is sent on a weekend or a holiday; the next working day sends it
        assert escalated == 0 and flagged == set()
    assert due_today.pk not in flagged
