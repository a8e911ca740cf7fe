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
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.people.models import Person

PURGED_NAME = "已清除"

# What keeps a person's data, and what else to clear with it, are registered by the apps that hold the records
# (this app sits below them): ``lawdesk.matters`` keeps anyone with a matter still open or closed within the
# period, or a visit within it; the domain apps clear the numbers they keep beside a person's matters.
Blocker = Callable[[datetime.datetime], Q]  # cutoff → a filter on Person of those who must keep their data
Anonymiser = Callable[[Person], Any]  # clears what an app keeps of the person
Describer = Callable[[Person], dict[str, Any]]  # what the audit row says of the person's last activity
_BLOCKERS: list[Blocker] = []
_ANONYMISERS: list[Anonymiser] = []
_DESCRIBERS: list[Describer] = []


def register(
    *,
    blocker: Blocker | None = None,
    anonymiser: Anonymiser | None = None,
    describer: Describer | None = None,
) -> None:
    """Register an app's part of the retention rule (call from an ``AppConfig.ready``)."""
    for item, registry in ((blocker, _BLOCKERS), (anonymiser, _ANONYMISERS), (describer, _DESCRIBERS)):
        if item is not None and item not in registry:
            registry.append(item)  # type: ignore[arg-type]


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or clock.now()) - datetime.timedelta(days=settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS)


def people_past_retention(now: datetime.datetime | None = None) -> QuerySet[Person]:
    """People whose personal data is due for removal (not yet anonymised)."""
    cutoff = retention_cutoff(now)
    people = Person.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
    for blocker in _BLOCKERS:
        people = people.exclude(blocker(cutoff))
    return people


def _anonymise(person: Person, now: datetime.datetime) -> None:
    for anonymiser in _ANONYMISERS:
        anonymiser(person)
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
            described: dict[str, Any] = {}
            for describer in _DESCRIBERS:
                described.update(describer(person))
            _anonymise(person, now)
            audit(
                actor=None,
                action="personal_data.purged",
                obj=person,
                node=person.first_node,
                data={
                    "rule": "三年无在办事项",
                    "retention_days": settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS,
                    **described,
                },
            )
            count += 1
    return count
