"""The matters' part of the retention rule 三年无在办事项 (``lawdesk.people.retention``): a person keeps their data
while any of their matters is open or was closed within the period, or they visited within it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q

from lawdesk.matters.models import Matter, MatterState, Visit
from lawdesk.people.models import Person


def keeps_data(cutoff: datetime.datetime) -> Q:
    recent_or_open = Matter.objects.filter(visit__person=OuterRef("pk")).filter(
        ~Q(state=MatterState.CLOSED) | Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)
    )
    recent_visit = Visit.objects.filter(person=OuterRef("pk"), received_at__gte=cutoff)
    return Q(Exists(recent_or_open)) | Q(Exists(recent_visit))


def last_activity(person: Person) -> dict[str, Any]:
    last_closed = person.visits.aggregate(last=Max("matters__closed_at"))["last"]
    return {"last_closed_at": last_closed.isoformat() if last_closed else None}


def clear_said(person: Person) -> None:
    """What the person said at their visits (``Visit.said_*``) goes with their record; the groups stay, like
    the person's own."""
    Visit.objects.filter(person=person).update(
        said_name="", said_phone="", said_id_number="", said_address=""
    )


def register() -> None:
    from lawdesk.people import retention

    retention.register(blocker=keeps_data, anonymiser=clear_said, describer=last_activity)
