"""Retention of community correction and resettlement identities.

A supervisee's identity (name, ID number, phone, address, workplace) and what the records say of them (notes,
destinations, the correction team's names) are removed ``settings.LAWDESK_CORRECTION_RETENTION_DAYS`` days
after the correction ended (解除、终止、收监); a released person's, that many days after the help was closed.
Removing is anonymising in place, like ``lawdesk.people.retention``: the rows, dates, kinds and hours stay, so the
ledgers' counts and the monthly figures do not change. Each anonymised person writes a ``correction.anonymised``
audit row. Run daily by Celery beat (``lawdesk.correction.tasks``) or ``manage.py purge_correction_data``.

The period: neither 社区矫正法 nor the corpus of laws lawdesk holds fixes how long a correction file is kept
(档案 rules of the justice ministry do); the default of five years is a placeholder the bureau must set.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.correction.models import END_STATUSES, ReleasedPerson, Supervisee

PURGED_NAME = "已清除"


def cutoff(today: datetime.date | None = None) -> datetime.date:
    return (today or clock.today()) - datetime.timedelta(days=settings.LAWDESK_CORRECTION_RETENTION_DAYS)


def _clear_identity(person: Any, now: datetime.datetime) -> None:
    person.name = PURGED_NAME
    person.id_number = ""
    person.phone = ""
    person.address = ""
    if person.birth_date:
        person.birth_date = person.birth_date.replace(month=1, day=1)
    person.anonymised_at = now


def purge_correction_data(*, today: datetime.date | None = None) -> int:
    """Anonymise every supervisee and released person past retention; returns how many."""
    limit = cutoff(today)
    now = clock.now()
    count = 0
    due = Supervisee.objects.filter(anonymised_at__isnull=True, status__in=END_STATUSES, ended_on__lt=limit)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            person = Supervisee.objects.select_for_update().get(pk=pk)
            _clear_identity(person, now)
            person.workplace = ""
            person.save()
            person.records.update(note="", destination="")
            person.team.update(name=PURGED_NAME)
            audit(actor=None, action=AuditAction.CORRECTION_ANONYMISED, obj=person, node=person.office,
                  data={"ended_on": person.ended_on.isoformat() if person.ended_on else None,
                        "retention_days": settings.LAWDESK_CORRECTION_RETENTION_DAYS})  # fmt: skip
            count += 1
    due_released = ReleasedPerson.objects.filter(anonymised_at__isnull=True, closed_on__lt=limit)
    for pk in list(due_released.values_list("pk", flat=True)):
        with transaction.atomic():
            helped = ReleasedPerson.objects.select_for_update().get(pk=pk)
            _clear_identity(helped, now)
            helped.assessment = ""
            helped.help_plan = ""
            helped.save()
            helped.records.update(note="")
            audit(actor=None, action=AuditAction.CORRECTION_ANONYMISED, obj=helped, node=helped.office,
                  data={"closed_on": helped.closed_on.isoformat() if helped.closed_on else None,
                        "retention_days": settings.LAWDESK_CORRECTION_RETENTION_DAYS})  # fmt: skip
            count += 1
    return count
