"""Issue 9, retention: a person whose every matter was closed more than the retention period ago loses their
personal data (rule 三年无在办事项); recent and open ones keep it; matters and counts stay for the statistics."""

from __future__ import annotations

import datetime
import decimal
import io
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lawdesk.core.models import AuditLog
from lawdesk.legalaid.models import LegalAidApplication
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterState, Visit
from lawdesk.people.models import Person
from lawdesk.people.retention import PURGED_NAME, people_past_retention, purge_personal_data
from lawdesk.people.tasks import purge_personal_data as purge_task
from tests.conftest import Personas, Tree

DAY = datetime.timedelta(days=1)


def person_with_matter(
    personas: Personas, tree: Tree, *, name: str, phone: str, id_number: str = "", age_days: int, closed: bool
) -> Person:
    """A person registered ``age_days`` ago whose one matter is closed (then too) or still open."""
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name=name, phone=phone, id_number=id_number, address="长安南路1号"),
        matters=[services.MatterInput(kind="consultation", summary="咨询劳动争议")],
    )
    then = timezone.now() - age_days * DAY
    Person.objects.filter(pk=visit.person_id).update(created_at=then)
    Visit.objects.filter(pk=visit.pk).update(received_at=then)
    if closed:
        Matter.objects.filter(visit=visit).update(state=MatterState.CLOSED, closed_at=then + DAY)
    else:
        Matter.objects.filter(visit=visit).update(state=MatterState.RECEIVED)
    return Person.objects.get(pk=visit.person_id)


def test_old_closed_people_are_anonymised_and_recent_or_open_ones_kept(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS = 1095
    old = person_with_matter(
        personas,
        tree,
        name="张三",
        phone="13912345678",
        id_number="610113199003071237",
        age_days=1500,
        closed=True,
    )
    recent = person_with_matter(personas, tree, name="李四", phone="13800001111", age_days=400, closed=True)
    still_open = person_with_matter(
        personas, tree, name="王五", phone="13700002222", age_days=2000, closed=False
    )
    LegalAidApplication.objects.create(
        matter=old.visits.get().matters.get(), applied_on=datetime.date(2022, 1, 5), case_facts="欠薪",
        monthly_income=decimal.Decimal("1800.00"), recorded_by=personas.clerk_a,
    )  # fmt: skip
    matters_before = Matter.objects.count()

    assert set(people_past_retention()) == {old}
    assert purge_personal_data() == 1

    gone = Person.objects.get(pk=old.pk)
    assert (gone.name, gone.phone, gone.id_number, gone.address, gone.name_initials) == (
        PURGED_NAME,
        "",
        "",
        "",
        "",
    )
    assert gone.id_number_bidx == gone.phone_bidx == gone.phone_tail_bidx == gone.id_tail_bidx == ""
    assert gone.birth_date == datetime.date(1990, 1, 1) and gone.gender == "male"  # kept for statistics
    assert gone.anonymised_at is not None
    assert not Person.objects.by_phone("13912345678").exists()
    assert LegalAidApplication.objects.get(matter__visit__person=gone).monthly_income is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, id_number FROM people_person WHERE id = %s", [old.pk])
        assert cursor.fetchone() == (PURGED_NAME, "", "")
        # What was said at the visits goes too (issue 16 keeps it on the visit).
        cursor.execute(
            "SELECT said_name, said_phone, said_id_number FROM matters_visit WHERE person_id = %s", [old.pk]
        )
        assert cursor.fetchone() == ("", "", "")

    assert Person.objects.get(pk=recent.pk).phone == "13800001111"
    assert Person.objects.get(pk=still_open.pk).name == "王五"
    assert Matter.objects.count() == matters_before  # the statistics keep every matter
    row = AuditLog.objects.get(action="personal_data.purged")
    assert row.object_id == str(old.pk) and row.data["rule"] == "三年无在办事项"
    assert purge_personal_data() == 0  # nothing twice


def test_a_recent_visit_keeps_the_data_even_if_old_matters_are_closed(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS = 1095
    person = person_with_matter(personas, tree, name="张三", phone="13912345678", age_days=1500, closed=True)
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="张三"),
        person=person,
        matters=[services.MatterInput(kind="consultation", summary="再次咨询", answer="已解答")],
    )
    Matter.objects.filter(visit__person=person).update(state=MatterState.CLOSED)
    assert purge_personal_data() == 0
    assert Person.objects.get(pk=person.pk).phone == "13912345678"


def test_the_period_is_configurable_and_the_command_and_task_run_it(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    person = person_with_matter(personas, tree, name="张三", phone="13912345678", age_days=40, closed=True)
    settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS = 1095
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "有0人" in out.getvalue()
    settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS = 30
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "有1人" in out.getvalue() and Person.objects.get(pk=person.pk).phone == "13912345678"
    assert purge_task.delay().get() == 1
    assert Person.objects.get(pk=person.pk).name == PURGED_NAME
    call_command("purge_personal_data", stdout=out)
    assert "已清除0人" in out.getvalue()


def test_the_retention_job_is_in_the_beat_schedule() -> None:
    from lawdesk.celery import PERIODIC_APPS
    from lawdesk.people.tasks import BEAT_SCHEDULE

    assert "lawdesk.people" in PERIODIC_APPS
    assert BEAT_SCHEDULE["lawdesk-purge-personal-data"]["task"] == "lawdesk.people.tasks.purge_personal_data"
