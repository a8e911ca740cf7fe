"""Working days: China's public holidays and make-up workdays.

Three sources, most authoritative first:

1. days an administrator entered from a State Council holiday notice (``lawdesk.workcal``: ``CalendarDay``);
2. the ``chinese-calendar`` package (it knows 2004–2026 and raises ``NotImplementedError`` for later years);
3. weekends only, for a year neither knows — never a crash, but every deadline reaching into such a year carries
   the warning of ``deadline_warning`` ("2027年节假日数据未录入，按周末计算").

A ``WorkCalendar`` reads the entered days of the years it touches once (one query per span of years), so a loop
over many matters asks the database once, not once per day.
"""

from __future__ import annotations

import datetime
import functools

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


def fallback_warning(year: int) -> str:
    return f"{year}年节假日数据未录入，按周末计算"


@functools.cache
def package_knows(year: int) -> bool:
    """Whether the ``chinese-calendar`` package has the holidays of ``year`` (its data is fixed per release)."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=8192)
def package_workday(day: datetime.date) -> bool:
    """The package's answer for ``day`` (fixed per release). Its ``is_workday`` scans all its holidays for the
    years it knows on every call; a board of weeks asks it hundreds of times a request."""
    return bool(chinese_calendar.is_workday(day))


class WorkCalendar:
    """Working days as entered by administrators over the package. Reads each year it is asked about once."""

    def __init__(self) -> None:
        self._years: set[int] = set()
        self._entered: dict[datetime.date, bool] = {}
        self._noticed: set[int] = set()

    def load(self, first_year: int, last_year: int) -> WorkCalendar:
        """Read the entered days of ``first_year``–``last_year`` (skipping years already read)."""
        wanted = [y for y in range(first_year, last_year + 1) if y not in self._years]
        if not wanted:
            return self
        self._years.update(wanted)
        from lawdesk.workcal.models import CalendarDay, HolidayNotice

        first, last = datetime.date(min(wanted), 1, 1), datetime.date(max(wanted), 12, 31)
        rows = CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_workday")
        self._entered.update(dict(rows))
        unknown = [y for y in wanted if not package_knows(y)]
        if unknown:
            self._noticed.update(
                HolidayNotice.objects.filter(year__in=unknown).values_list("year", flat=True)
            )
        return self

    def is_known_year(self, year: int) -> bool:
        self.load(year, year)
        return year in self._noticed or package_knows(year)

    def is_working_day(self, day: datetime.date) -> bool:
        self.load(day.year, day.year)
        entered = self._entered.get(day)
        if entered is not None:
            return entered
        if package_knows(day.year):
            return package_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        # A generous bound on the span (weekends plus the longest holiday), so the years are read in one go.
        self.load(start.year, (start + datetime.timedelta(days=days * 2 + 30)).year)
        day = start
        counted = 0
        while counted < days:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days fall after ``start`` up to and including ``end`` (0 when ``end <= start``).
        A matter due on a Friday is 1 working day overdue on the Monday after."""
        if end <= start:
            return 0
        self.load(start.year, end.year)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def unknown_years_between(self, start: datetime.date, end: datetime.date) -> list[int]:
        """The years from ``start`` to ``end`` whose holidays nobody knows (counted as weekends only)."""
        first, last = sorted((start.year, end.year))
        return [y for y in range(first, last + 1) if not self.is_known_year(y)]

    def deadline_warning(self, start: datetime.date, end: datetime.date) -> str:
        """The warning to show next to a deadline counted from ``start`` to ``end``, or ``""``."""
        return "；".join(fallback_warning(y) for y in self.unknown_years_between(start, end))


# --- the one-shot functions the services call (each reads what it needs in one or two queries) ---------


def is_known_year(year: int) -> bool:
    return WorkCalendar().is_known_year(year)


def is_working_day(day: datetime.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    return WorkCalendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkCalendar().working_days_between(start, end)


def unknown_years_between(start: datetime.date, end: datetime.date) -> list[int]:
    return WorkCalendar().unknown_years_between(start, end)


def deadline_warning(start: datetime.date, end: datetime.date) -> str:
    """E.g. ``deadline_warning(today, matter.accept_due)`` → ``"2027年节假日数据未录入，按周末计算"`` or ``""``."""
    return WorkCalendar().deadline_warning(start, end)
