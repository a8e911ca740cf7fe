"""Issue 9, audit: an append-only log (refused by the ORM and by the database's triggers) of logins and
failures, permission denials, exports, full reads and state changes; shipped as JSON lines without duplicates;
searchable by auditors only."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from lawdesk.accounts.models import Role
from lawdesk.core.audit import audit_event
from lawdesk.core.models import AppendOnlyError, AuditLog, AuditShipMark
from lawdesk.core.shipping import ship_to_path
from lawdesk.matters import services
from lawdesk.matters.models import Visit
from lawdesk.orgs import services as org_services
from tests.conftest import Personas, Tree, client_for, make_user

LATER = datetime.timedelta(minutes=5)


def register(personas: Personas, tree: Tree) -> Visit:
    return services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="张三", phone="13912345678"),
        matters=[services.MatterInput(kind="consultation", summary="咨询离婚财产分割")],
    )


def a_row() -> AuditLog:
    return audit_event(actor=None, action="export", object_type="test", object_id="1", data={"n": 1})


# --- append-only -----------------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_audit_rows(db: Any) -> None:
    row = a_row()
    row.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(action="test.changed")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.bulk_update([row], ["action"])
    assert AuditLog.objects.get(pk=row.pk).action == "export"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditlog SET action = 'test.changed' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_of_audit_rows(db: Any, sql: str) -> None:
    row = a_row()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [row.pk])
    assert AuditLog.objects.get(pk=row.pk).action == "export"


def test_the_database_refuses_truncate_on_postgresql(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    a_row()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditlog")
    assert AuditLog.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditlog'::regclass AND NOT tgisinternal"
        )
        assert {r[0] for r in cursor.fetchall()} == {"core_auditlog_no_change", "core_auditlog_no_truncate"}


def test_removing_a_node_or_user_with_audit_rows_is_refused(tree: Tree, personas: Personas) -> None:
    from django.db.models import ProtectedError

    audit_event(actor=personas.clerk_a, action="export", node=tree.station_b)
    with pytest.raises(ProtectedError):
        personas.clerk_a.delete()
    assert AuditLog.objects.filter(actor=personas.clerk_a, node=tree.station_b).exists()


# --- what is recorded --------------------------------------------------------------------------------------


def test_logins_failures_and_logouts_are_recorded(tree: Tree, personas: Personas) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.1.2.3")
    assert authenticate(request, username="clerk_a", password="wrong-password") is None
    failed = AuditLog.objects.get(action="auth.login_failed")
    assert failed.actor is None and failed.data == {"username": "clerk_a"} and failed.ip_address == "10.1.2.3"
    assert "wrong-password" not in json.dumps(failed.data)
    client = Client()
    client.force_login(personas.clerk_a)  # fires user_logged_in like the login view
    assert AuditLog.objects.filter(action="auth.login", actor=personas.clerk_a).exists()
    client.post(reverse("logout"))
    assert AuditLog.objects.filter(action="auth.logout", actor=personas.clerk_a).exists()


def test_permission_denials_are_recorded(tree: Tree, personas: Personas) -> None:
    matter = register(personas, tree).matters.get()
    url = reverse("desk:matter", args=[matter.pk])
    assert client_for(personas.clerk_b).get(f"{url}?phone=13912345678").status_code == 404  # out of reach
    assert client_for(personas.leader).get(reverse("desk:intake")).status_code == 403  # no window
    rows = {
        str(r.actor): r.data for r in AuditLog.objects.filter(action="access.denied").select_related("actor")
    }
    assert rows["clerk_b"] == {
        "path": url,
        "method": "GET",
        "status": 404,
        "reason": "not_found_or_out_of_reach",
    }
    assert rows["leader"]["status"] == 403 and rows["leader"]["path"] == reverse("desk:intake")
    assert not any("13912345678" in json.dumps(d) for d in rows.values())  # the query string is not kept
    client_for(personas.clerk_a).get("/no-such-page/")
    assert AuditLog.objects.filter(action="access.denied").count() == 2  # an unknown URL is no denial


def test_every_export_is_recorded(tree: Tree, personas: Personas) -> None:
    register(personas, tree)
    client = client_for(personas.clerk_a)
    assert client.get(reverse("desk:ledger_xlsx", args=[1])).status_code == 200
    assert client.get(reverse("orgs:export")).status_code == 200
    rows = list(AuditLog.objects.filter(action="export", actor=personas.clerk_a).order_by("id"))
    assert [r.data["format"] for r in rows] == ["xlsx", "xlsx"]
    assert rows[0].data["path"] == reverse("desk:ledger_xlsx", args=[1]) and rows[0].object_repr.endswith(
        ".xlsx"
    )


def test_state_changes_of_several_services_are_recorded(tree: Tree, personas: Personas) -> None:
    visit = register(personas, tree)
    matter = visit.matters.get()
    services.matter_answer(actor=personas.clerk_a, matter=matter, answer="可申请劳动仲裁")
    # One row per act (lawdesk.core.service): the registration, naming the visit and the events it recorded;
    # then the answer, naming the matter.
    registered = AuditLog.objects.get(action="visit.registered")
    assert (registered.object_type, registered.object_id, registered.actor) == (
        "matters.Visit",
        str(visit.pk),
        personas.clerk_a,
    )
    assert [e["code"] for e in registered.data["events"]] == ["received"]
    answered = AuditLog.objects.get(action="matter.answered")
    assert (answered.object_type, answered.object_id) == ("matters.Matter", str(matter.pk))
    assert [e["code"] for e in answered.data["events"]] == ["answered"]
    org_services.org_node_update(actor=personas.district_admin, node=tree.station_b, address="新址1号")
    assert AuditLog.objects.filter(action="org_node_update", object_id=str(tree.station_b.pk)).exists()


# --- shipping ------------------------------------------------------------------------------------------------


def test_shipping_appends_json_lines_once_each(tmp_path: Path, db: Any) -> None:
    path = str(tmp_path / "audit.jsonl")
    first = [a_row() for _ in range(3)]
    now = timezone.now() + LATER
    assert ship_to_path(path, now=now) == 3
    assert ship_to_path(path, now=now) == 0  # nothing twice
    later = a_row()
    assert ship_to_path(path, now=timezone.now() + LATER) == 1
    lines = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [r.pk for r in [*first, later]]
    assert lines[0]["action"] == "export" and lines[0]["data"] == {"n": 1}
    assert AuditShipMark.objects.get(destination=path).last_id == later.pk


def test_rows_younger_than_the_settle_time_wait_for_the_next_run(tmp_path: Path, db: Any) -> None:
    path = str(tmp_path / "audit.jsonl")
    a_row()
    assert ship_to_path(path) == 0
    assert ship_to_path(path, now=timezone.now() + LATER) == 1


def test_the_command_writes_json_lines_since_a_date(tmp_path: Path, db: Any, settings: Any) -> None:
    from django.core.management import call_command

    a_row()
    out = io.StringIO()
    call_command("ship_audit", "--since", timezone.localdate().isoformat(), stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["action"] == "export"
    target = tmp_path / "out.jsonl"
    call_command("ship_audit", "--since", "2999-01-01", "--output", str(target), stderr=io.StringIO())
    assert target.read_text() == ""
    settings.LAWDESK_AUDIT_SHIP_PATH = str(tmp_path / "shipped.jsonl")
    from lawdesk.core.tasks import ship_audit

    ship_audit.delay().get()  # the periodic task (the row is too fresh yet: nothing, but no error)
    assert AuditShipMark.objects.filter(destination=settings.LAWDESK_AUDIT_SHIP_PATH).exists()


# --- the auditors' search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["clerk_a", "office_staff", "district_admin", "leader", "handler"])
def test_only_auditors_and_city_or_system_admins_may_search(personas: Personas, persona: str) -> None:
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("audit_search")).status_code == 403
    assert client.get(reverse("audit_export")).status_code == 403


def test_the_auditor_searches_by_user_action_date_and_object(tree: Tree, personas: Personas) -> None:
    visit = register(personas, tree)
    client_for(personas.clerk_b).get(reverse("desk:matter", args=[visit.matters.get().pk]))
    client = client_for(personas.auditor)
    page = client.get(reverse("audit_search"), {"user": "clerk_b", "action": "access.denied"})
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert rows and all(r.actor == personas.clerk_b and r.action == "access.denied" for r in rows)
    today = timezone.localdate()
    by_object = client.get(
        reverse("audit_search"), {"object": "matters.Visit", "date_from": today.isoformat()}
    )
    assert {r.action for r in by_object.context["page"]} >= {"visit.registered"}
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert list(client.get(reverse("audit_search"), {"date_from": tomorrow}).context["page"]) == []
    bad = client.get(reverse("audit_search"), {"date_from": "2026-13-01"})
    assert "起始日期“2026-13-01”格式不正确" in bad.content.decode()
    for persona in (personas.city_admin, personas.system_admin):
        assert client_for(persona).get(reverse("audit_search")).status_code == 200


def test_a_district_auditor_sees_only_their_district(tree: Tree, personas: Personas) -> None:
    register(personas, tree)
    audit_event(actor=personas.other_district_admin, action="download", node=tree.other_district)
    auditor = make_user("district_auditor", Role.AUDITOR, tree.district)
    rows = list(
        client_for(auditor).get(reverse("audit_search"), {"page": 1}).context["page"].paginator.object_list
    )
    actions = {r.action for r in rows}
    assert "visit.registered" in actions and "download" not in actions
    assert "download" in {r.action for r in AuditLog.objects.all()}


def test_the_search_export_is_json_lines_and_is_itself_audited(tree: Tree, personas: Personas) -> None:
    register(personas, tree)
    response = client_for(personas.auditor).get(reverse("audit_export"), {"action": "visit."})
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert lines and all(line["action"].startswith("visit.") for line in lines)
    export = AuditLog.objects.get(action="export", actor=personas.auditor)
    assert export.data["path"] == reverse("audit_export") and export.data["format"] == "file"
