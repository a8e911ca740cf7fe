"""Reading rosters: the week grid of a platform, the uncovered sessions (gaps), and the monthly subsidy sheet."""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field

from django.db.models import Q

from lawdesk.accounts.models import User
from lawdesk.duty.models import DutyShift, Session, SubsidyStandard
from lawdesk.duty.services import ONE_DAY, session_hours, sessions_of
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import PLATFORM_KINDS
from lawdesk.workcal.workdays import WorkCalendar

WEEKDAYS = "一二三四五六日"


@dataclass
class Cell:
    session: str
    label: str
    hours: str  # the hall hours, "" when closed
    shifts: list[DutyShift] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return bool(self.hours) and not self.shifts


@dataclass
class Day:
    date: datetime.date
    is_working_day: bool
    cells: list[Cell]

    @property
    def label(self) -> str:
        return f"{self.date:%m月%d日} 星期{WEEKDAYS[self.date.weekday()]}"


@dataclass(frozen=True)
class Gap:
    date: datetime.date
    session: str
    hours: str

    @property
    def text(self) -> str:
        return f"{self.date:%Y年%m月%d日}（星期{WEEKDAYS[self.date.weekday()]}）{Session(self.session).label} {self.hours} 无人值班"


def week_label(monday: datetime.date) -> str:
    sunday = monday + datetime.timedelta(days=6)
    return f"{monday:%Y年%m月%d日}—{sunday:%m月%d日}"


def week_grid(node: OrgNode, monday: datetime.date) -> list[Day]:
    """Rows are the days of the week, columns the sessions; a non-working day has no open cells."""
    calendar = WorkCalendar().load(monday.year, (monday + 6 * ONE_DAY).year)
    shifts = DutyShift.objects.filter(
        node=node, date__gte=monday, date__lt=monday + 7 * ONE_DAY
    ).select_related("person")
    by_cell: dict[tuple[datetime.date, str], list[DutyShift]] = {}
    for shift in shifts:
        by_cell.setdefault((shift.date, shift.session), []).append(shift)
    days = []
    for i in range(7):
        day = monday + i * ONE_DAY
        working = calendar.is_working_day(day)
        cells = []
        for session in Session.values:
            hours = session_hours(node, session)
            text = f"{hours[0]:%H:%M}—{hours[1]:%H:%M}" if hours and working else ""
            cells.append(Cell(session, Session(session).label, text, by_cell.get((day, session), [])))
        days.append(Day(day, working, cells))
    return days


def gaps(node: OrgNode, first: datetime.date, last: datetime.date) -> list[Gap]:
    """The working-day sessions of ``first``–``last`` (inclusive) during the platform's hall hours with nobody
    on duty for the whole session (a shift covering only part of a session leaves a gap too)."""
    calendar = WorkCalendar().load(first.year, last.year)
    covered: dict[tuple[datetime.date, str], list[tuple[datetime.time, datetime.time]]] = {}
    for shift in DutyShift.objects.filter(node=node, date__gte=first, date__lte=last):
        covered.setdefault((shift.date, shift.session), []).append((shift.start, shift.end))
    found = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            for session in sessions_of(node):
                hours = session_hours(node, session)
                assert hours is not None
                if not _covers(covered.get((day, session), []), hours):
                    found.append(Gap(day, session, f"{hours[0]:%H:%M}—{hours[1]:%H:%M}"))
        day += ONE_DAY
    return found


def _covers(
    spans: list[tuple[datetime.time, datetime.time]], hours: tuple[datetime.time, datetime.time]
) -> bool:
    reached = hours[0]
    for start, end in sorted(spans):
        if start > reached:
            return False
        reached = max(reached, end)
        if reached >= hours[1]:
            return True
    return reached >= hours[1]


def conflicts(node: OrgNode, first: datetime.date, last: datetime.date) -> list[str]:
    """Overlapping shifts of the platform's people anywhere in the city (the services refuse them, but shifts
    entered through the admin or before a change of hall hours may still clash)."""
    mine = list(DutyShift.objects.filter(node=node, date__gte=first, date__lte=last).select_related("person"))
    found = []
    for shift in mine:
        others = (
            DutyShift.objects.filter(
                person=shift.person, date=shift.date, start__lt=shift.end, end__gt=shift.start
            )
            .exclude(pk=shift.pk)
            .select_related("node")
        )
        for other in others:
            found.append(
                f"{shift.person}在{shift.date:%m月%d日}{shift.hours_text}同时安排在{other.node.name}（{other.hours_text}）"
            )
    return found


# --- subsidy ------------------------------------------------------------------------------------------


@dataclass
class SubsidyLine:
    person: User
    category: str
    sessions: int
    amount: decimal.Decimal
    unpriced: int  # sessions with no standard in force
    platforms: str


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - ONE_DAY


def standards_for(node: OrgNode) -> list[SubsidyStandard]:
    """The standards that may apply at ``node``: its district's first, then the city's (nearest first)."""
    paths = [*node.ancestor_paths(), node.path]
    return sorted(
        SubsidyStandard.objects.filter(node__path__in=paths).select_related("node"),
        key=lambda s: -s.node.depth,
    )


def rate(standards: list[SubsidyStandard], category: str, day: datetime.date) -> decimal.Decimal | None:
    """The per-session amount in force on ``day`` for ``category``: the nearest bureau's standard wins; within one
    bureau a standard for the category wins over the general one."""
    depths = sorted({s.node.depth for s in standards}, reverse=True)
    for depth in depths:
        level = [s for s in standards if s.node.depth == depth and s.covers(day)]
        specific = [s for s in level if s.staff_category and s.staff_category == category]
        general = [s for s in level if not s.staff_category]
        for group in (specific, general):
            if group:
                return max(group, key=lambda s: s.effective_from).per_session
    return None


def subsidy_sheet(district: OrgNode, year: int, month: int) -> list[SubsidyLine]:
    """Per person, the month's sessions on duty at the district's platforms × the standard in force each day."""
    first, last = month_bounds(year, month)
    standards = standards_for(district)
    shifts = (
        DutyShift.objects.filter(subtree_q(district.path, "node__"), date__gte=first, date__lte=last)
        .filter(Q(node__kind__in=PLATFORM_KINDS))
        .select_related("person", "node")
        .order_by("person__full_name", "person__username", "date")
    )
    lines: dict[int, SubsidyLine] = {}
    places: dict[int, list[str]] = {}
    for shift in shifts:
        person = shift.person
        line = lines.get(person.pk)
        if line is None:
            line = lines[person.pk] = SubsidyLine(
                person, person.get_staff_category_display(), 0, decimal.Decimal("0.00"), 0, ""
            )
        line.sessions += 1
        amount = rate(standards, person.staff_category, shift.date)
        if amount is None:
            line.unpriced += 1
        else:
            line.amount += amount
        names = places.setdefault(person.pk, [])
        if shift.node.name not in names:
            names.append(shift.node.name)
    for pk, line in lines.items():
        line.platforms = "、".join(places[pk])
    return list(lines.values())
