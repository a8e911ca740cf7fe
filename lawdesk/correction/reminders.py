"""Reminders before a deadline and 督办 after it (not a service: a periodic job writing a row per notice).

``REMIND_WORKING_DAYS`` working days before a deadline, the correction officers of the office are reminded; once
it is overdue, the correction officers of the district bureau above the office are told (督办), and the office's
officers again. Each (deadline, stage) is sent once (``DeadlineNotice``). Notices name records by number only.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core import clock
from lawdesk.core.audit import audit_event
from lawdesk.core.audit_actions import AuditAction
from lawdesk.correction import deadlines
from lawdesk.correction.models import DeadlineNotice, ReleasedPerson, Supervisee
from lawdesk.notifications.services import notify
from lawdesk.workcal.workdays import WorkCalendar


def _send(deadline: deadlines.Deadline, stage: str, today: datetime.date) -> bool:
    office = deadline.office
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(key=deadline.key, stage=stage)
            recipients = list(scoping.users_holding(Role.CORRECTION_OFFICER, at=office))
            if stage == "escalate":
                district = getattr(office, "parent", None)
                if district is not None:
                    recipients += list(scoping.users_holding(Role.CORRECTION_OFFICER, at=district))
                text = (
                    f"【督办】{deadline.subject_label}的“{deadline.label}”已于{deadline.due:%Y-%m-%d}到期未办，"
                    f"请{getattr(office, 'name', '')}及时办理。"
                )
                action = AuditAction.CORRECTION_ESCALATED
            else:
                text = (
                    f"【提醒】{deadline.subject_label}的“{deadline.label}”将于{deadline.due:%Y-%m-%d}到期。"
                )
                action = AuditAction.CORRECTION_REMINDED
            for user in {u.pk: u for u in recipients}.values():
                notify(user=user, text=text, sms=False)
            audit_event(
                actor=None, action=action, object_type="correction.Deadline", object_id=deadline.key[:40],
                object_repr=deadline.subject_label, node=office,
                data={"kind": deadline.kind, "due": deadline.due.isoformat(), "recipients": len(recipients)},
            )  # fmt: skip
    except IntegrityError:
        return False  # already sent
    return True


def send_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders and 督办 due today; returns how many deadlines were notified."""
    today = today or clock.today()
    calendar = WorkCalendar()
    items = deadlines.open_deadlines(Supervisee.objects.all(), ReleasedPerson.objects.all())
    sent = 0
    for deadline in items:
        if deadlines.is_overdue(deadline, today):
            stage = "escalate"
        elif deadlines.is_upcoming(deadline, today, calendar):
            stage = "remind"
        else:
            continue
        if DeadlineNotice.objects.filter(key=deadline.key, stage=stage).exists():
            continue
        sent += int(_send(deadline, stage, today))
    return sent
