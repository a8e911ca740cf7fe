"""Retention of personal data (issue 9), rule "三年无在办事项" (no open matter for the retention period).

A person's personal data is removed when the person was registered, last visited and had every matter closed
(归档, ``MatterState.CLOSED``) more than ``settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS`` days ago (default
1095, three years). A person with any matter not yet closed, or closed more recently, keeps everything.

Removing means anonymising in place, so that the ledgers' counts and the statistics stay as they were: the
person row stays (name → "已清除", phone, ID number and address emptied, blind indexes cleared, birth date
kept to its year, gender and vulnerable groups kept), the visits and matters stay; the numbers kept beside the
person's matters go too (the appointment's reminder phone, the complainant's name and phone, the dispute
parties' phones and addresses, the legal-aid household income). Each anonymised person writes a
``personal_data.purged`` audit row. Run daily by Celery beat (``lawdesk.people.tasks``) or
``manage.py purge_personal_data``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.people.models import Person

PURGED_NAME = "已清除"


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or clock.now()) - datetime.timedelta(days=settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS)


def people_past_retention(now: datetime.datetime | None = None) -> QuerySet[Person]:
    """People whose personal data is due for removal (not yet anonymised)."""
    from lawdesk.matters.models import Matter, MatterState, Visit

    cutoff = retention_cutoff(now)
    recent_or_open = Matter.objects.filter(visit__person=OuterRef("pk")).filter(
        ~Q(state=MatterState.CLOSED) | Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)
    )
    recent_visit = Visit.objects.filter(person=OuterRef("pk"), received_at__gte=cutoff)
    return (
        Person.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .annotate(blocked=Exists(recent_or_open), visited=Exists(recent_visit))
        .filter(blocked=False, visited=False)
    )


def _anonymise(person: Person, now: datetime.datetime) -> None:
    from lawdesk.appointments.models import Appointment
    from lawdesk.complaints.models import ComplaintDetail
    from lawdesk.legalaid.models import LegalAidApplication
    from lawdesk.mediation.models import DisputeParty

    matters = {"matter__visit__person": person}
    Appointment.objects.filter(**matters).update(phone="")
    ComplaintDetail.objects.filter(**matters).update(contact_name="", contact_phone="")
    DisputeParty.objects.filter(detail__matter__visit__person=person).update(phone="", address="")
    LegalAidApplication.objects.filter(**matters).update(monthly_income=None)
    person.name = PURGED_NAME
    person.name_initials = ""
    person.id_number = ""
    person.phone = ""
    person.address = ""
    if person.birth_date:
        person.birth_date = person.birth_date.replace(month=1, day=1)
    person.anonymised_at = now
    person.save()


def purge_personal_data(*, now: datetime.datetime | None = None) -> int:
    """Anonymise every person past retention; returns how many. Each in its own transaction, audited."""
    now = now or clock.now()
    count = 0
    for pk in list(people_past_retention(now).values_list("pk", flat=True)):
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=pk)
            if person.anonymised_at is not None or not people_past_retention(now).filter(pk=pk).exists():
                continue  # changed meanwhile (a new visit)
            last_closed = person.visits.aggregate(last=Max("matters__closed_at"))["last"]
            _anonymise(person, now)
            audit(
                actor=None,
                action="personal_data.purged",
                obj=person,
                node=person.first_node,
                data={
                    "rule": "三年无在办事项",
                    "retention_days": settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS,
                    "last_closed_at": last_closed.isoformat() if last_closed else None,
                },
            )
            count += 1
    return count
