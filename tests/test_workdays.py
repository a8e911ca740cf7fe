"""Working days: the package's 2026 holidays and make-up workdays, a year it does not know (2027) counted as
weekends only with a warning, and the days an administrator enters taking over."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from lawdesk.workcal import workdays
from lawdesk.workcal.models import CalendarDay, HolidayNotice
from lawdesk.workcal.workdays import WorkCalendar
from tests.conftest import Personas, client_for

D = datetime.date
pytestmark = pytest.mark.django_db


def enter_2027_new_year() -> HolidayNotice:
    """What an administrator types from the (future) State Council notice: New Year's Day 2027 off."""
    notice = HolidayNotice.objects.create(year=2027, published_on=D(2026, 11, 10), note="2027年节假日安排")
    CalendarDay.objects.create(notice=notice, date=D(2027, 1, 1), is_workday=False, name="元旦")
    return notice


def test_national_day_2026_week_and_its_make_up_saturday() -> None:
    assert not workdays.is_working_day(D(2026, 10, 1))
    assert not workdays.is_working_day(D(2026, 10, 7))  # a Wednesday inside the holiday
    assert workdays.is_working_day(D(2026, 10, 10))  # Saturday, worked to make up
    assert not workdays.is_working_day(D(2026, 10, 11))
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_spring_festival_2026() -> None:
    assert workdays.is_working_day(D(2026, 2, 14))  # make-up Saturday before the festival
    assert not workdays.is_working_day(D(2026, 2, 16))  # a Monday inside the festival
    assert workdays.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert workdays.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_plain_weeks_skip_weekends_and_zero_days_is_the_start() -> None:
    assert workdays.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    assert workdays.add_working_days(D(2026, 11, 20), 0) == D(2026, 11, 20)
    with pytest.raises(ValueError):
        workdays.add_working_days(D(2026, 11, 20), -1)


def test_a_deadline_crossing_into_2027_falls_back_to_weekends_with_a_warning() -> None:
    start = D(2026, 12, 20)  # a Sunday
    due = workdays.add_working_days(start, 10)
    # 21–25 and 28–31 December are 9 working days; 1 January 2027 (a Friday) counts: nobody entered it yet.
    assert due == D(2027, 1, 1)
    assert not workdays.is_known_year(2027)
    assert workdays.unknown_years_between(start, due) == [2027]
    assert workdays.deadline_warning(start, due) == "2027年节假日数据未录入，按周末计算"
    assert workdays.deadline_warning(D(2026, 11, 1), D(2026, 11, 30)) == ""


def test_years_nobody_knows_never_crash() -> None:
    assert workdays.is_working_day(D(2031, 3, 3))  # a Monday
    assert not workdays.is_working_day(D(2031, 3, 2))  # a Sunday
    assert workdays.is_working_day(D(1999, 3, 1))
    assert workdays.unknown_years_between(D(2026, 6, 1), D(2028, 1, 3)) == [2027, 2028]


def test_once_2027_is_entered_its_days_are_used() -> None:
    enter_2027_new_year()
    assert workdays.is_known_year(2027)
    assert not workdays.is_working_day(D(2027, 1, 1))
    assert workdays.add_working_days(D(2026, 12, 20), 10) == D(2027, 1, 4)
    assert workdays.deadline_warning(D(2026, 12, 20), D(2027, 1, 4)) == ""


def test_entered_make_up_workdays_count_and_entered_days_override_the_package() -> None:
    notice = enter_2027_new_year()
    CalendarDay.objects.create(notice=notice, date=D(2027, 1, 2), is_workday=True, name="元旦调休")
    assert workdays.is_working_day(D(2027, 1, 2))  # a Saturday worked
    correction = HolidayNotice.objects.create(year=2026, note="更正")
    CalendarDay.objects.create(notice=correction, date=D(2026, 12, 31), is_workday=False, name="测试更正")
    assert not workdays.is_working_day(D(2026, 12, 31))
    assert workdays.is_working_day(D(2026, 12, 30))  # days not entered still come from the package


def test_working_days_between_counts_after_the_start_up_to_the_end() -> None:
    friday = D(2026, 11, 20)
    assert workdays.working_days_between(friday, D(2026, 11, 21)) == 0  # Saturday
    assert workdays.working_days_between(friday, D(2026, 11, 23)) == 1  # Monday
    assert workdays.working_days_between(friday, friday) == 0
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1  # across National Day


def test_a_calendar_reads_the_database_once_per_span_of_years(django_assert_max_num_queries: Any) -> None:
    calendar = WorkCalendar()
    with django_assert_max_num_queries(2):
        calendar.add_working_days(D(2026, 12, 20), 10)
        calendar.working_days_between(D(2026, 12, 1), D(2027, 1, 20))
        calendar.deadline_warning(D(2026, 12, 20), D(2027, 1, 4))
    with django_assert_max_num_queries(1):
        workdays.add_working_days(D(2026, 3, 2), 15)  # a year the package knows: no notice query


def test_the_admin_enters_a_notice_with_its_days(personas: Personas) -> None:
    client: Client = client_for(personas.system_admin)
    form = {
        "year": "2027",
        "published_on": "2026-11-10",
        "note": "国务院办公厅关于2027年部分节假日安排的通知",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01",
        "days-0-name": "元旦",
        "days-1-date": "2027-02-20",
        "days-1-is_workday": "on",
        "days-1-name": "春节调休",
    }
    wrong_year = {**form, "days-1-date": "2026-12-31"}
    response = client.post("/admin/workcal/holidaynotice/add/", wrong_year)
    assert response.status_code == 200
    assert "日期应在2027年内。" in response.content.decode()
    assert not HolidayNotice.objects.exists()

    response = client.post("/admin/workcal/holidaynotice/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = HolidayNotice.objects.get(year=2027)
    assert sorted((d.date, d.is_workday) for d in notice.days.all()) == [
        (D(2027, 1, 1), False),
        (D(2027, 2, 20), True),
    ]
    assert not workdays.is_working_day(D(2027, 1, 1))
    from lawdesk.core.models import AuditLog

    assert AuditLog.objects.filter(action="holidaynotice.create").exists()
    assert AuditLog.objects.filter(action="holidaynotice.days").exists()
    listing = client.get("/admin/workcal/holidaynotice/").content.decode()
    assert "日历组件无该年数据" in listing
