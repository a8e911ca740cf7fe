"""Working days: China's public holidays and make-up workdays from the ``chinese-calendar`` package.

A year the package does not know yet falls back to weekends only (``is_known_year`` tells callers so they can
warn on the deadline).
"""

from __future__ import annotations

import datetime

import chinese_calendar


def is_known_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
