"""Community correction and resettlement (lawdesk.correction): the services, deadlines, need-to-know access with
every read audited, masked identities with an audited reveal, the exports and the reminders."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.accounts.models import Role
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.models import AuditLog
from lawdesk.correction import deadlines, selectors, services, tasks
from lawdesk.correction.models import (
    RecordKind,
    ReleasedPerson,
    Supervisee,
    SuperviseeStatus,
)
from lawdesk.notifications.models import Notification
from lawdesk.people.identity import check_digit
from tests.conftest import Personas, Tree, client_for, make_user

TODAY = datetime.date(2026, 12, 8)


def id_number(seq: int = 1) -> str:
    first17 = f"61011319800101{seq:03d}"
    return first17 + check_digit(first17)


def register(actor: Any, office: Any, seq: int = 1, **kw: Any) -> Supervisee:
    data: dict[str, Any] = dict(
        actor=actor, office=office, name="王矫正", id_number=id_number(seq), correction_type="probation",
        court="雁塔区人民法院", crime="危险驾驶罪", decision_date=TODAY - datetime.timedelta(days=5),
        term_start=TODAY - datetime.timedelta(days=5), term_end=TODAY + datetime.timedelta(days=180),
        address="雁塔区小寨东路1号", phone="13800001111",
    )  # fmt: skip
    data.update(kw)
    return services.supervisee_create(**data)


def released(actor: Any, office: Any, seq: int = 50, **kw: Any) -> ReleasedPerson:
    data: dict[str, Any] = dict(
        actor=actor, office=office, name="李释放", id_number=id_number(seq), prison="陕西省某监狱",
        notice_date=TODAY - datetime.timedelta(days=3), release_date=TODAY - datetime.timedelta(days=1),
        help_until=TODAY + datetime.timedelta(days=365 * 3),
    )  # fmt: skip
    data.update(kw)
    return services.released_create(**data)


# --- services ---------------------------------------------------------------------------------------------


def test_registering_computes_the_report_deadline_and_encrypts_identity(
    tree: Tree, personas: Personas
) -> None:
    person = register(personas.correction_officer, tree.office)
    assert person.status == SuperviseeStatus.PENDING
    # 第二十一条: ten days from 2026-12-03 is 2026-12-13, a Sunday: it runs to Monday 12-14
    assert person.report_due == datetime.date(2026, 12, 14)
    assert person.gender == "male" and person.birth_date == datetime.date(1980, 1, 1)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, address FROM correction_supervisee WHERE id = %s", [person.pk])
        stored_id, stored_address = cursor.fetchone()
    assert id_number(1) not in stored_id and "小寨东路" not in stored_address
    assert Supervisee.objects.by_id_number(id_number(1)).get() == person
    row = AuditLog.objects.get(action=AuditAction.CORRECTION_SUPERVISEE_CREATE)
    assert "王矫正" not in row.object_repr and id_number(1) not in str(row.data)


def test_first_report_puts_a_pending_supervisee_on_the_register(tree: Tree, personas: Personas) -> None:
    officer = personas.correction_officer
    person = register(officer, tree.office)
    with pytest.raises(ValidationError) as exc:
        services.record_add(actor=officer, supervisee=person, kind=RecordKind.PHONE, date=TODAY)
    assert "尚未报到" in str(exc.value)
    services.record_add(actor=officer, supervisee=person, kind=RecordKind.REPORT, date=TODAY)
    person.refresh_from_db()
    assert person.status == SuperviseeStatus.ACTIVE and person.received_on == TODAY


def test_hours_are_required_for_education_and_public_benefit(tree: Tree, personas: Personas) -> None:
    officer = personas.correction_officer
    person = register(officer, tree.office, received_on=TODAY - datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as exc:
        services.record_add(actor=officer, supervisee=person, kind=RecordKind.PUBLIC_BENEFIT, date=TODAY)
    assert "hours" in exc.value.error_dict
    record = services.record_add(
        actor=officer, supervisee=person, kind=RecordKind.PUBLIC_BENEFIT, date=TODAY, hours=Decimal("4"),
        note="社区清扫",
    )  # fmt: skip
    assert record.hours == Decimal("4")
    with pytest.raises(ValidationError) as exc:
        services.record_add(actor=officer, supervisee=person, kind=RecordKind.HELP, date=TODAY, note="x")
    assert "help_kind" in exc.value.error_dict


def test_leave_and_return(tree: Tree, personas: Personas) -> None:
    officer = personas.correction_officer
    person = register(officer, tree.office, received_on=TODAY - datetime.timedelta(days=2))
    leave = services.record_add(
        actor=officer, supervisee=person, kind=RecordKind.LEAVE, date=TODAY - datetime.timedelta(days=1),
        leave_from=TODAY - datetime.timedelta(days=1), leave_to=TODAY - datetime.timedelta(days=1),
        destination="咸阳市", note="探亲",
    )  # fmt: skip
    items = deadlines.open_deadlines(Supervisee.objects.all(), ReleasedPerson.objects.none())
    overdue = [d for d in items if d.kind == deadlines.DeadlineKind.LEAVE_RETURN]
    assert overdue and deadlines.is_overdue(overdue[0], TODAY)
    services.leave_return(actor=officer, record=leave, returned_on=TODAY)
    items = deadlines.open_deadlines(Supervisee.objects.all(), ReleasedPerson.objects.none())
    assert not [d for d in items if d.kind == deadlines.DeadlineKind.LEAVE_RETURN]


def test_release_only_after_the_term_and_imprisonment_only_for_outside_execution(
    tree: Tree, personas: Personas
) -> None:
    officer = personas.correction_officer
    person = register(officer, tree.office, received_on=TODAY - datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.supervisee_end(
            actor=officer, supervisee=person, status=SuperviseeStatus.RELEASED, date=TODAY
        )
    with pytest.raises(ValidationError):
        services.supervisee_end(
            actor=officer, supervisee=person, status=SuperviseeStatus.IMPRISONED, date=TODAY
        )
    services.supervisee_end(
        actor=officer, supervisee=person, status=SuperviseeStatus.TERMINATED, date=TODAY, note="撤销缓刑"
    )
    person.refresh_from_db()
    assert person.status == SuperviseeStatus.TERMINATED and person.ended_on == TODAY
    assert person.records.filter(kind=RecordKind.END).count() == 1


def test_only_the_officers_of_the_office_may_change_records(tree: Tree, personas: Personas) -> None:
    officer_elsewhere = make_user("officer2", Role.CORRECTION_OFFICER, tree.office2)
    for actor in (personas.office_staff, personas.district_admin, personas.clerk_a, officer_elsewhere):
        with pytest.raises(PermissionDenied):
            register(actor, tree.office)
    person = register(personas.correction_officer, tree.office)
    with pytest.raises(PermissionDenied):
        services.record_add(
            actor=personas.office_staff, supervisee=person, kind=RecordKind.REPORT, date=TODAY
        )


def test_district_officer_reaches_every_office_of_the_district(tree: Tree, personas: Personas) -> None:
    district_officer = make_user("district_officer", Role.CORRECTION_OFFICER, tree.district)
    register(personas.correction_officer, tree.office, seq=1)
    register(district_officer, tree.office2, seq=2)
    make_user("far_officer", Role.CORRECTION_OFFICER, tree.other_office)
    assert selectors.supervisees_for(district_officer).count() == 2
    assert selectors.supervisees_for(personas.correction_officer).count() == 1


def test_released_person_handover_and_close(tree: Tree, personas: Personas) -> None:
    officer = personas.correction_officer
    person = released(officer, tree.office)
    # ten working days from 2026-12-05 (a Saturday)
    assert person.handover_due == datetime.date(2026, 12, 18)
    services.released_handover(
        actor=officer,
        person=person,
        date=TODAY,
        assessment="家庭支持良好",
        help_plan="推荐就业",
        key_person=True,
    )
    services.released_record_add(
        actor=officer, person=person, kind="help", help_kind="employment", date=TODAY, note="推荐到物业公司"
    )
    with pytest.raises(ValidationError):
        services.released_close(actor=officer, person=person, date=TODAY)
    person.refresh_from_db()
    assert person.key_person and person.handover_on == TODAY


# --- pages: need to know, every read audited ----------------------------------------------------------------


@pytest.fixture
def world(tree: Tree, personas: Personas) -> dict[str, Any]:
    officer = personas.correction_officer
    person = register(officer, tree.office, received_on=TODAY - datetime.timedelta(days=2))
    other = register(
        make_user("officer_far", Role.CORRECTION_OFFICER, tree.other_office), tree.other_office, seq=9
    )
    return {"person": person, "other": other, "released": released(officer, tree.office)}


def _pages(world: dict[str, Any]) -> list[str]:
    return [
        reverse("correction:index"), reverse("correction:supervisee_new"), reverse("correction:deadlines"),
        reverse("correction:released"), reverse("correction:supervisee", args=[world["person"].pk]),
        reverse("correction:released_person", args=[world["released"].pk]), reverse("correction:ledger_export"),
        reverse("correction:national_export"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "persona", ["clerk_a", "office_staff", "district_admin", "other_district_admin", "city_admin", "leader",
                "auditor", "system_admin", "adviser"],
)  # fmt: skip
def test_every_other_role_gets_404_on_every_page(
    world: dict[str, Any], personas: Personas, persona: str
) -> None:
    client = client_for(getattr(personas, persona))
    for url in _pages(world):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("correction:supervisee", args=[world["person"].pk]), {"act": "reveal", "field": "id_number"}
    )
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action=AuditAction.CORRECTION_REVEAL).exists()


def test_an_officer_of_another_office_gets_404_for_the_record(
    world: dict[str, Any], personas: Personas
) -> None:
    client = client_for(personas.correction_officer)
    assert client.get(reverse("correction:supervisee", args=[world["other"].pk])).status_code == 404
    assert "王矫正" in client.get(reverse("correction:index")).content.decode()
    rows = AuditLog.objects.filter(action=AuditAction.CORRECTION_READ)
    assert all(f"#{world['other'].pk}" not in str(r.data) for r in rows)


def test_every_page_showing_a_person_writes_a_read_row(world: dict[str, Any], personas: Personas) -> None:
    client = client_for(personas.correction_officer)
    person = world["person"]
    before = AuditLog.objects.filter(action=AuditAction.CORRECTION_READ).count()
    page = client.get(reverse("correction:supervisee", args=[person.pk])).content.decode()
    assert id_number(1) not in page and "6101**********" in page
    client.get(reverse("correction:index"))
    client.get(reverse("correction:released"))
    rows = AuditLog.objects.filter(action=AuditAction.CORRECTION_READ).order_by("id")[before:]
    assert len(rows) == 3
    assert rows[0].object_id == str(person.pk) and rows[0].actor_id == personas.correction_officer.pk
    assert "王矫正" not in str(rows[0].data) + rows[0].object_repr


def test_full_id_number_only_through_the_audited_reveal(world: dict[str, Any], personas: Personas) -> None:
    client = client_for(personas.correction_officer)
    url = reverse("correction:supervisee", args=[world["person"].pk])
    page = client.post(url, {"act": "reveal", "field": "id_number"}).content.decode()
    assert id_number(1) in page
    row = AuditLog.objects.get(action=AuditAction.CORRECTION_REVEAL)
    assert row.data == {"field": "id_number"} and row.actor_id == personas.correction_officer.pk


def test_officer_records_through_the_page(world: dict[str, Any], personas: Personas) -> None:
    client = client_for(personas.correction_officer)
    url = reverse("correction:supervisee", args=[world["person"].pk])
    response = client.post(url, {"act": "record", "kind": "education", "date": "2026-12-08", "hours": "2",
                                 "note": "法治教育"})  # fmt: skip
    assert response.status_code == 302
    response = client.post(url, {"act": "record", "kind": "education", "date": "2026-12-08"})
    assert "教育学习和公益活动须填写时长" in response.content.decode()
    assert world["person"].records.filter(kind="education").count() == 1


def test_exports_are_audited_and_the_ledger_is_masked(world: dict[str, Any], personas: Personas) -> None:
    client = client_for(personas.correction_officer)
    ledger = client.get(reverse("correction:ledger_export"))
    sheet: Any = openpyxl.load_workbook(io.BytesIO(ledger.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert id_number(1) not in cells and any(c.startswith("6101**") for c in cells)
    national = client.get(reverse("correction:national_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(national.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    from lawdesk.correction.exports import NATIONAL_COLUMNS

    assert list(rows[0]) == NATIONAL_COLUMNS and rows[1][3] == id_number(1)
    exports = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=personas.correction_officer).order_by(
        "id"
    )
    assert [e.data.get("personal_data") for e in exports] == ["masked", "full"]
    assert {e.node_id for e in exports} == {world["person"].office_id}


# --- reminders and 督办 ---------------------------------------------------------------------------------------


def test_reminders_before_and_escalation_after_a_deadline_each_once(
    tree: Tree, personas: Personas, pinned_clock: Any
) -> None:
    officer = personas.correction_officer
    district_officer = make_user("district_officer", Role.CORRECTION_OFFICER, tree.district)
    register(
        officer, tree.office
    )  # due 2026-12-14: within three working days of 12-09? no: 12-08 + 3 = 12-11
    assert tasks.send_correction_reminders() == 0
    pinned_clock.move_to(datetime.datetime(2026, 12, 11, 10, tzinfo=datetime.UTC))
    assert tasks.send_correction_reminders() == 1
    assert tasks.send_correction_reminders() == 0
    assert Notification.objects.filter(user=officer, text__contains="报到").count() == 1
    assert not Notification.objects.filter(user=district_officer).exists()
    pinned_clock.move_to(datetime.datetime(2026, 12, 15, 10, tzinfo=datetime.UTC))
    assert tasks.send_correction_reminders() == 1
    assert tasks.send_correction_reminders() == 0
    assert Notification.objects.filter(user=district_officer, text__contains="督办").count() == 1
    assert AuditLog.objects.filter(action=AuditAction.CORRECTION_ESCALATED).count() == 1


def test_menu_shows_correction_only_to_the_role(world: dict[str, Any], personas: Personas) -> None:
    assert "correction-link" in client_for(personas.correction_officer).get("/").content.decode()
    for persona in ("clerk_a", "office_staff", "district_admin"):
        assert "correction-link" not in client_for(getattr(personas, persona)).get("/").content.decode()


def test_demo_data_is_made_through_the_services_and_a_second_run_makes_nothing(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.correction.demo import load_correction_demo

    assert load_correction_demo(office=tree.office) == 6
    assert Supervisee.objects.filter(office=tree.office).count() == 4
    assert ReleasedPerson.objects.filter(office=tree.office).count() == 2
    rows = AuditLog.objects.filter(action=AuditAction.CORRECTION_SUPERVISEE_CREATE)
    assert rows.count() == 4 and {r.actor_id for r in rows} == {personas.correction_officer.pk}
    assert load_correction_demo(office=tree.office) == 0
    assert Supervisee.objects.count() == 4


def test_identities_are_anonymised_after_the_retention_period(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    from lawdesk.correction.retention import PURGED_NAME, purge_correction_data

    settings.LAWDESK_CORRECTION_RETENTION_DAYS = 30
    officer = personas.correction_officer
    old = register(officer, tree.office, seq=1, decision_date=TODAY - datetime.timedelta(days=400),
                   term_start=TODAY - datetime.timedelta(days=400), term_end=TODAY - datetime.timedelta(days=40),
                   received_on=TODAY - datetime.timedelta(days=398))  # fmt: skip
    services.record_add(actor=officer, supervisee=old, kind=RecordKind.PUBLIC_BENEFIT,
                        date=TODAY - datetime.timedelta(days=100), hours=Decimal(3), note="在某小区清扫")  # fmt: skip
    services.supervisee_end(actor=officer, supervisee=old, status=SuperviseeStatus.RELEASED,
                            date=TODAY - datetime.timedelta(days=39))  # fmt: skip
    recent = register(officer, tree.office, seq=2, received_on=TODAY)
    assert purge_correction_data() == 1
    old.refresh_from_db()
    assert old.name == PURGED_NAME and old.id_number == "" and old.address == "" and old.id_number_bidx == ""
    assert old.records.get(kind=RecordKind.PUBLIC_BENEFIT).hours == Decimal(3)
    assert old.records.get(kind=RecordKind.PUBLIC_BENEFIT).note == ""
    recent.refresh_from_db()
    assert recent.name == "王矫正"
    assert (
        AuditLog.objects.filter(action=AuditAction.CORRECTION_ANONYMISED, object_id=str(old.pk)).count() == 1
    )
    assert purge_correction_data() == 0


def test_released_person_through_the_pages(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.correction_officer)
    response = client.post(
        reverse("correction:released"),
        {"office": tree.office.pk, "name": "周某", "id_number": id_number(60), "prison": "陕西省某监狱",
         "notice_date": "2026-12-07", "release_date": "2026-12-07", "help_until": "2029-12-06"},
    )  # fmt: skip
    assert response.status_code == 302
    person = ReleasedPerson.objects.get()
    url = reverse("correction:released_person", args=[person.pk])
    page = client.post(url, {"act": "handover", "date": "2026-12-08", "assessment": "", "help_plan": "x"})
    assert "请填写衔接评估" in page.content.decode()
    client.post(url, {"act": "handover", "date": "2026-12-08", "assessment": "稳定", "help_plan": "就业",
                      "key_person": "on"})  # fmt: skip
    client.post(url, {"act": "record", "kind": "help", "help_kind": "housing", "date": "2026-12-08",
                      "note": "协助申请公租房"})  # fmt: skip
    person.refresh_from_db()
    assert person.handover_on == TODAY and person.key_person and person.records.count() == 1
    listing = client.get(reverse("correction:released") + "?key=1").content.decode()
    assert "周某" in listing and id_number(60) not in listing


def test_a_female_supervisees_page_asks_for_a_female_team_member(tree: Tree, personas: Personas) -> None:
    first17 = "61011319900101002"  # an even 17th digit: female
    officer = personas.correction_officer
    person = register(officer, tree.office, id_number=first17 + check_digit(first17), received_on=TODAY)
    client = client_for(officer)
    url = reverse("correction:supervisee", args=[person.pk])
    assert "team-female" in client.get(url).content.decode()
    services.team_add(actor=officer, supervisee=person, name="张某", role="committee", is_female=True)
    assert "team-female" not in client.get(url).content.decode()


def test_contact_details_and_level_change_with_the_fields_named_not_their_values(
    world: dict[str, Any], personas: Personas
) -> None:
    client = client_for(personas.correction_officer)
    person = world["person"]
    url = reverse("correction:supervisee", args=[person.pk])
    response = client.post(
        url, {"act": "update", "level": "strict", "address": "雁塔区新地址9号", "phone": ""}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.level == "strict" and person.address == "雁塔区新地址9号" and person.phone == "13800001111"
    row = AuditLog.objects.get(action=AuditAction.CORRECTION_SUPERVISEE_UPDATE)
    assert row.data == {"fields": ["level", "address"], "level": "strict"}
    assert "新地址" not in str(row.data)
    page = client.post(url, {"act": "update", "level": "strict"}).content.decode()
    assert "没有需要保存的变更" in page


def test_the_deadline_board_reads_the_working_calendar_once_however_many_deadlines(
    tree: Tree, personas: Personas, pinned_clock: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = personas.correction_officer
    url = reverse("correction:deadlines")
    pinned_clock.move_to(
        datetime.datetime(2026, 12, 11, 10, tzinfo=datetime.UTC)
    )  # reports due 12-14: upcoming
    register(officer, tree.office, seq=1)
    with CaptureQueriesContext(connection) as few:
        first = client_for(officer).get(url)
    for seq in range(2, 8):
        register(officer, tree.office, seq=seq)
    with CaptureQueriesContext(connection) as many:
        second = client_for(officer).get(url)
    assert first.status_code == second.status_code == 200, second
    shown = len(second.context["overdue"]) + len(second.context["upcoming"])
    assert shown > len(first.context["overdue"]) + len(first.context["upcoming"]) >= 1
    assert len(many) == len(few)  # no query per deadline (the calendar was read once per deadline before)
