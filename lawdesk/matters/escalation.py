"""Escalation (督办): matters past the working-day deadline of their current stage.

``overdue_matters`` is the scoped selector behind the 督办 list; ``escalate_overdue`` is the periodic job
(Celery beat, the ``send_reminders`` command, or in-process in development) that records the ``escalated`` event
once per matter, stage and day, and notifies the owner (and, for a transfer, the institution's handlers).

Overdue means at least one whole working day has passed since the due date: a matter due on a Friday is not yet
overdue on the Saturday, and is 1 working day overdue on the Monday. Nothing is sent on a non-working day.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.core import clock
from lawdesk.matters import access as matter_access
from lawdesk.matters import commands
from lawdesk.matters.models import Matter, MatterEvent, MatterState
from lawdesk.matters.services import record_event
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.workcal.workdays import WorkCalendar

logger = logging.getLogger(__name__)

# The stages a matter can be overdue in, in the order the 督办 list shows them.
STAGE_LABELS = {
    "accept": "承接",
    "outcome": "办结",
    "feedback": "反馈群众",
    "one_trip": "代办/上门服务",
}
STAGE_ORDER = list(STAGE_LABELS)

# Open states with a running stage clock, and the due-date field each one is measured against.
_STAGE_OF_STATE: dict[str, tuple[str, str]] = {
    MatterState.TRANSFERRED: ("accept", "accept_due"),
    MatterState.ACCEPTED: ("outcome", "outcome_due"),
    MatterState.OUTCOME_RECORDED: ("feedback", "feedback_due"),
}


@dataclass(frozen=True)
class OverdueItem:
    matter: Matter
    stage: str
    due: datetime.date
    days_overdue: int  # working days after the due date, up to and including today
    warning: str  # "" or "2027年节假日数据未录入，按周末计算"

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]


def _due_stages(matter: Matter) -> list[tuple[str, datetime.date]]:
    """The stage clocks running on ``matter`` now, with their due dates."""
    stages = []
    current = _STAGE_OF_STATE.get(matter.state)
    if current is not None:
        due = getattr(matter, current[1])
        if due is not None:
            stages.append((current[0], due))
    if matter.one_trip_due is not None and matter.state != MatterState.CLOSED:
        stages.append(("one_trip", matter.one_trip_due))
    return stages


def _past_due_q(today: datetime.date) -> Q:
    return (
        Q(state=MatterState.TRANSFERRED, accept_due__lt=today)
        | Q(state=MatterState.ACCEPTED, outcome_due__lt=today)
        | Q(state=MatterState.OUTCOME_RECORDED, feedback_due__lt=today)
        | (Q(one_trip_due__lt=today) & ~Q(state=MatterState.CLOSED))
    )


def _overdue(matters: Iterable[Matter], today: datetime.date, calendar: WorkCalendar) -> list[OverdueItem]:
    items = []
    for matter in matters:
        for stage, due in _due_stages(matter):
            days = calendar.working_days_between(due, today)
            if days >= 1:
                items.append(OverdueItem(matter, stage, due, days, calendar.deadline_warning(due, today)))
    items.sort(key=lambda i: (STAGE_ORDER.index(i.stage), -i.days_overdue, i.due, i.matter.pk))
    return items


def _candidates(queryset: QuerySet[Matter], today: datetime.date) -> QuerySet[Matter]:
    return (
        queryset.filter(_past_due_q(today))
        .select_related("node", "institution", "owner", "handler", "visit")
        .order_by("pk")
    )


def overdue_matters(
    *, actor: Any, node: OrgNode | None = None, today: datetime.date | None = None
) -> list[OverdueItem]:
    """The overdue stages of the matters ``actor`` may see (within ``node``'s subtree when given), most overdue
    first within each stage. A node outside the actor's reach yields nothing (the view answers 404 first)."""
    today = today or clock.today()
    queryset = matter_access.visible_matters(actor)
    if node is not None:
        queryset = queryset.filter(subtree_q(node.path, "node__"))
    calendar = WorkCalendar()
    return _overdue(_candidates(queryset, today), today, calendar)


def matter_reference(matter: Matter) -> str:
    """How a reminder names a matter without personal data: platform, kind and ledger number."""
    if matter.ledger_seq:
        number = f"〔{matter.ledger_year}〕第{matter.ledger_seq:04d}号"
    else:
        number = f"（事项编号{matter.pk}）"
    return f"“{matter.node.name}”{matter.get_kind_display()}{number}"


def _institution_handlers(matter: Matter) -> list[User]:
    if matter.institution_id is None:
        return []
    return list(scoping.users_holding(Role.HANDLER, institution_id=matter.institution_id))


def _recipients(matter: Matter, stage: str) -> list[User]:
    """The owner always; for a transfer not yet accepted, the institution's handlers; once accepted, its
    handler (or the institution's handlers when none is named)."""
    users: list[User] = [matter.owner]
    if stage == "accept":
        users += _institution_handlers(matter)
    elif stage == "outcome":
        users += [matter.handler] if matter.handler is not None else _institution_handlers(matter)
    seen: set[int] = set(commands.never_notify(matter))  # a complaint's subject is never told of it
    unique = []
    for user in users:
        if user.is_active and user.pk not in seen:
            seen.add(user.pk)
            unique.append(user)
    return unique


def _escalate_one(item: OverdueItem, today: datetime.date) -> bool:
    """Record and notify one overdue stage under a row lock; False when it was done already or no longer due."""
    with transaction.atomic():
        matter = (
            Matter.objects.select_for_update(of=("self",))
            .select_related("node", "institution", "owner", "handler", "visit")
            .get(pk=item.matter.pk)
        )
        if (item.stage, item.due) not in _due_stages(matter):
            return False  # moved on since it was read
        done = MatterEvent.objects.filter(
            matter=matter, code="escalated", data__stage=item.stage, data__on=today.isoformat()
        ).exists()
        if done:
            return False
        recipients = _recipients(matter, item.stage)
        text = (
            f"督办提醒：{matter_reference(matter)}已超过{item.stage_label}期限"
            f"（{item.due.year}年{item.due.month}月{item.due.day}日）{item.days_overdue}个工作日，请尽快办理。"
        )
        record_event(
            matter,
            "escalated",
            actor=None,
            note=f"超过{item.stage_label}期限{item.days_overdue}个工作日",
            data={
                "stage": item.stage,
                "due": item.due.isoformat(),
                "on": today.isoformat(),
                "days_overdue": item.days_overdue,
                "notified": [u.pk for u in recipients],
            },
        )
        for user in recipients:
            notify(user=user, text=text, matter=matter)
    return True


def escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Escalate every overdue stage not escalated yet today; returns how many were escalated now. Runs on
    working days only, and twice on one day escalates nothing new."""
    today = today or clock.today()
    calendar = WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    done_today = {
        (matter_id, stage)
        for matter_id, stage in MatterEvent.objects.filter(
            code="escalated", data__on=today.isoformat()
        ).values_list("matter_id", "data__stage")
    }
    items = _overdue(_candidates(Matter.objects.all(), today), today, calendar)
    count = 0
    for item in items:
        if (item.matter.pk, item.stage) in done_today:
            continue
        try:
            escalated = _escalate_one(item, today)
        except Exception:
            # One bad matter must not stop the reminders of the others.
            logger.exception("escalating matter %s (%s) failed", item.matter.pk, item.stage)
            continue
        count += escalated
    return count
