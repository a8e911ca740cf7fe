"""The deadlines of community correction and resettlement, counted with the working-day calendar.

- 报到 (``report_due``): 社区矫正法 第二十一条 — a person sentenced to 管制, 缓刑 or 假释 reports to the
  correction body "自判决、裁定生效之日起十日内"; for 暂予监外执行 the prison, detention house or police hand the
  person over within ten days of the decision (same article, 第二、三款). The law counts ten days; a deadline
  whose last day falls on a rest day or holiday runs to the next working day (刑事诉讼法 第一百零五条 on
  periods), which ``law_days`` applies through ``lawdesk.workcal``.
- 请假外出 return: the date the approved leave (第二十七条) ends; overdue the working day after it.
- 期满解除: 第四十四条 — at the end of the term the office issues the release certificate; reminded
  ``REMIND_WORKING_DAYS`` working days before ``term_end``.
- 走访 (periodic visits): 第二十六条 asks the body to know the supervisee's activities through 实地查访; the
  interval is not in the law (the implementing measures and provincial rules set it). lawdesk uses
  ``VISIT_WORKING_DAYS`` working days after the last visit (or the reception) — local practice, not verified
  against the law.
- 衔接 of a released person: the prison's notice starts it; the hand-over period is set by the resettlement
  rules (安置帮教 documents are not in the law corpus): ``HANDOVER_WORKING_DAYS`` working days from the
  notice — local practice, not verified against the law.
- 帮教期满: the help period of a released person (``help_until``) ends; reminded before it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from lawdesk.correction.models import (
    OPEN_STATUSES,
    VISIT_KINDS,
    RecordKind,
    ReleasedPerson,
    Supervisee,
    SuperviseeRecord,
    SuperviseeStatus,
)
from lawdesk.workcal.workdays import WorkCalendar

REPORT_DAYS = 10  # 社区矫正法 第二十一条
HANDOVER_WORKING_DAYS = 10  # local practice (see the module docstring)
VISIT_WORKING_DAYS = 20  # local practice (see the module docstring)
REMIND_WORKING_DAYS = 3  # how many working days before a deadline the officers are reminded


def law_days(start: datetime.date, days: int, calendar: WorkCalendar | None = None) -> datetime.date:
    """``days`` calendar days after ``start``; a last day that is not a working day runs to the next one."""
    calendar = calendar or WorkCalendar()
    due = start + datetime.timedelta(days=days)
    while not calendar.is_working_day(due):
        due += datetime.timedelta(days=1)
    return due


def report_due(decision_date: datetime.date) -> datetime.date:
    return law_days(decision_date, REPORT_DAYS)


def handover_due(notice_date: datetime.date) -> datetime.date:
    return WorkCalendar().add_working_days(notice_date, HANDOVER_WORKING_DAYS)


class DeadlineKind:
    REPORT = "report"
    VISIT = "visit"
    LEAVE_RETURN = "leave_return"
    TERM_END = "term_end"
    HANDOVER = "handover"
    HELP_END = "help_end"


LABELS = {
    DeadlineKind.REPORT: "报到（社区矫正法第二十一条）",
    DeadlineKind.VISIT: "定期走访",
    DeadlineKind.LEAVE_RETURN: "请假外出到期销假",
    DeadlineKind.TERM_END: "矫正期满解除（社区矫正法第四十四条）",
    DeadlineKind.HANDOVER: "刑满释放人员衔接",
    DeadlineKind.HELP_END: "帮教期满解除",
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: datetime.date
    supervisee: Supervisee | None = None
    released: ReleasedPerson | None = None
    record: SuperviseeRecord | None = None

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def office(self) -> object:
        return self.supervisee.office if self.supervisee is not None else self.released.office  # type: ignore[union-attr]

    @property
    def subject_id(self) -> int:
        return self.supervisee.pk if self.supervisee is not None else self.released.pk  # type: ignore[union-attr]

    @property
    def key(self) -> str:
        obj = self.record.pk if self.record is not None else self.subject_id
        return f"{self.kind}:{obj}:{self.due.isoformat()}"

    @property
    def subject_label(self) -> str:
        return str(self.supervisee) if self.supervisee is not None else str(self.released)


def _open_person_deadlines(
    person: Supervisee, last_visit: datetime.date | None, calendar: WorkCalendar
) -> list[Deadline]:
    """The report, visit and term-end deadlines of one supervisee whose status is open."""
    if person.status == SuperviseeStatus.PENDING:
        return [Deadline(DeadlineKind.REPORT, person.report_due, supervisee=person)]
    since = last_visit or person.received_on or person.term_start
    return [
        Deadline(DeadlineKind.VISIT, calendar.add_working_days(since, VISIT_WORKING_DAYS), supervisee=person),
        Deadline(DeadlineKind.TERM_END, person.term_end, supervisee=person),
    ]


def person_deadlines(person: Supervisee, records: list[SuperviseeRecord]) -> list[Deadline]:
    """``open_deadlines`` of one supervisee from their records already read (all of them): no query."""
    if person.status not in OPEN_STATUSES:
        return []
    visits = [r.date for r in records if r.kind in VISIT_KINDS and r.date is not None]
    items = _open_person_deadlines(person, max(visits) if visits else None, WorkCalendar())
    for leave in records:
        if leave.kind == RecordKind.LEAVE and leave.returned_on is None and leave.leave_to is not None:
            items.append(Deadline(DeadlineKind.LEAVE_RETURN, leave.leave_to, supervisee=person, record=leave))
    items.sort(key=lambda d: (d.due, d.kind, d.subject_id))
    return items


def open_deadlines(
    supervisees: QuerySet[Supervisee],
    released: QuerySet[ReleasedPerson],
    calendar: WorkCalendar | None = None,
) -> list[Deadline]:
    """Every deadline still to be met, earliest first."""
    calendar = calendar or WorkCalendar()
    items: list[Deadline] = []
    open_people = supervisees.filter(status__in=OPEN_STATUSES).annotate(
        last_visit=Max("records__date", filter=Q(records__kind__in=VISIT_KINDS))
    )
    for person in open_people.select_related("office"):
        items.extend(_open_person_deadlines(person, person.last_visit, calendar))
    leaves = SuperviseeRecord.objects.filter(
        supervisee__in=open_people, kind=RecordKind.LEAVE, returned_on__isnull=True, leave_to__isnull=False
    ).select_related("supervisee", "supervisee__office")
    for leave in leaves:
        assert leave.leave_to is not None
        items.append(
            Deadline(DeadlineKind.LEAVE_RETURN, leave.leave_to, supervisee=leave.supervisee, record=leave)
        )
    for helped in released.filter(closed_on__isnull=True).select_related("office"):
        if helped.handover_on is None:
            items.append(Deadline(DeadlineKind.HANDOVER, helped.handover_due, released=helped))
        else:
            items.append(Deadline(DeadlineKind.HELP_END, helped.help_until, released=helped))
    items.sort(key=lambda d: (d.due, d.kind, d.subject_id))
    return items


def overdue_and_upcoming(
    supervisees: QuerySet[Supervisee], released: QuerySet[ReleasedPerson], today: datetime.date
) -> tuple[list[Deadline], list[Deadline]]:
    """The deadlines already missed and those due within ``REMIND_WORKING_DAYS`` working days, each earliest first
    (one working calendar read for all of them)."""
    calendar = WorkCalendar()
    items = open_deadlines(supervisees, released, calendar)
    overdue = [d for d in items if is_overdue(d, today)]
    upcoming = [d for d in items if is_upcoming(d, today, calendar)]
    return overdue, upcoming


def is_overdue(deadline: Deadline, today: datetime.date) -> bool:
    return deadline.due < today


def is_upcoming(deadline: Deadline, today: datetime.date, calendar: WorkCalendar | None = None) -> bool:
    """Due today or within ``REMIND_WORKING_DAYS`` working days."""
    calendar = calendar or WorkCalendar()
    return today <= deadline.due <= calendar.add_working_days(today, REMIND_WORKING_DAYS)
