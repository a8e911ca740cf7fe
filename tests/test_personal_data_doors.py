"""Issue 16: one personal-data policy at every door (``lawdesk.people.policy``). The API masks ID numbers and phones
for every role and every token; a full value comes only from an explicit reveal (page or API) that writes
``personal_data.read``; every API response carrying personal data writes one ``personal_data.bulk_read`` row
naming the rows it returned; the intake person search holds no full number; page and API answer alike."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lawdesk.accounts.models import Role, User
from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Appointment
from lawdesk.core.models import AuditLog
from lawdesk.matters.models import Visit
from lawdesk.matters.services import PersonInput
from lawdesk.people.policy import Door, disclose
from tests.conftest import Personas, Tree, client_for
from tests.test_api import Api, open_slot, register, service_client

pytestmark = pytest.mark.django_db

PHONE = "13912345678"  # register()'s defaults (tests.test_api)
ID_NUMBER = "610113199001011230"
BOOKED_PHONE = "13800138000"
FULL_ID = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

SESSION_ROLES = ["clerk_a", "office_staff", "district_admin", "city_admin"]


@pytest.fixture(autouse=True)
def _no_throttle(settings: Any) -> None:
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "api_client": "10000/min",
            "api_user": "10000/min",
            "api_anon": "10000/min",
        },
    }


class Session:
    """A logged-in browser session speaking JSON to the API (CSRF is not enforced by the test client)."""

    def __init__(self, user: User) -> None:
        self.client = client_for(user)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, json.dumps(body or {}), content_type="application/json")


def world(personas: Personas, tree: Tree) -> tuple[Visit, Appointment]:
    """A visit at station A (its person with a full phone and ID number) and an appointment with a reminder
    phone booked there."""
    visit = register(personas.clerk_a, tree.station_a, kind="dispute")
    slot = open_slot(personas.clerk_a, tree.station_a)
    appointment = appointment_services.appointment_book(
        actor=personas.clerk_a,
        slot=slot,
        summary="遗嘱咨询",
        person_data=PersonInput(name="王秀英", phone=BOOKED_PHONE),
        phone=BOOKED_PHONE,
    )
    return visit, appointment


def reader(name: str, personas: Personas, tree: Tree) -> Api | Session:
    if name == "token":
        return Api(service_client("hotline", Role.WINDOW_CLERK, tree.station_a)[1])
    return Session(getattr(personas, name))


def full_numbers(text: str) -> list[str]:
    return FULL_ID.findall(text) + FULL_PHONE.findall(text)


def bulk_rows() -> list[AuditLog]:
    return list(AuditLog.objects.filter(action="personal_data.bulk_read").order_by("pk"))


# --- the API masks for everyone ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*SESSION_ROLES, "token"])
def test_api_lists_and_details_hold_no_full_id_number_or_phone_for_any_role_or_token(
    who: str, personas: Personas, tree: Tree
) -> None:
    visit, appointment = world(personas, tree)
    matter = visit.matters.get()
    api = reader(who, personas, tree)
    paths = [
        "/api/v1/visits/?page_size=200",
        f"/api/v1/visits/{visit.pk}/",
        "/api/v1/matters/",
        f"/api/v1/matters/{matter.pk}/",
        "/api/v1/appointments/",
        f"/api/v1/appointments/{appointment.pk}/",
        f"/api/v1/ledgers/1/rows/?node={tree.station_a.pk}",
        f"/api/v1/ledgers/2/rows/?node={tree.station_a.pk}",
    ]
    for path in paths:
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        text = response.content.decode()
        assert full_numbers(text) == [], (who, path)
        assert PHONE not in text and ID_NUMBER not in text and BOOKED_PHONE not in text, (who, path)
    person = api.get(f"/api/v1/visits/{visit.pk}/").json()["person"]
    assert (person["phone"], person["id_number"]) == ("139****5678", "6101**********1230")
    assert person["masked"] is True and person["can_reveal"] is True
    assert api.get(f"/api/v1/appointments/{appointment.pk}/").json()["phone"] == "138****8000"
    rows = api.get("/api/v1/ledgers/1/rows/", node=tree.station_a.pk).json()["results"]
    assert rows and all(row["masked"] is True for row in rows)


# --- one audit row per API response -----------------------------------------------------------------------


def test_one_api_page_read_writes_exactly_one_bulk_read_row_naming_the_returned_rows(
    personas: Personas, tree: Tree
) -> None:
    visits = [
        register(personas.clerk_a, tree.station_a, name=f"来访人{n}", phone=f"1391234560{n}", id_number="")
        for n in range(3)
    ]
    client, token = service_client("hotline", Role.WINDOW_CLERK, tree.station_a)
    api = Api(token)
    before = AuditLog.objects.count()
    body = api.get("/api/v1/visits/", page_size=2).json()
    returned = [v["id"] for v in body["results"]]
    assert len(returned) == 2 and body["count"] == 3
    assert AuditLog.objects.count() == before + 1  # one row for the page, not one per record
    (row,) = bulk_rows()
    assert (row.actor, row.object_type, row.node) == (client.user, "matters.Visit", tree.station_a)
    assert row.data["ids"] == returned and row.data["count"] == 2
    assert sorted(row.data["people"]) == sorted(v.person_id for v in visits if v.pk in returned)
    assert row.data["path"] == "/api/v1/visits/"  # never the query string
    assert row.data["client"] == {"id": client.pk, "name": "hotline"}
    assert row.data["door"] == "api"


def test_a_detail_a_ledger_page_and_an_appointment_list_each_write_one_bulk_read_row(
    personas: Personas, tree: Tree
) -> None:
    visit, appointment = world(personas, tree)
    matter = visit.matters.get()
    session = Session(personas.city_admin)
    session.get(f"/api/v1/matters/{matter.pk}/")
    session.get("/api/v1/ledgers/2/rows/", node=tree.station_a.pk)
    session.get("/api/v1/appointments/")
    detail, ledger, appointments = bulk_rows()
    assert (detail.actor, detail.object_type, detail.data["ids"]) == (
        personas.city_admin, "matters.Matter", [matter.pk],
    )  # fmt: skip
    assert detail.object_id == str(matter.pk) and detail.data["people"] == [visit.person_id]
    assert (ledger.object_type, ledger.data["ids"], ledger.data["count"]) == (
        "matters.Matter",
        [matter.pk],
        1,
    )
    assert ledger.data["path"] == "/api/v1/ledgers/2/rows/"
    assert (appointments.object_type, appointments.data["ids"]) == (
        "appointments.Appointment",
        [appointment.pk],
    )


def test_api_responses_without_personal_data_write_no_bulk_read_row(personas: Personas, tree: Tree) -> None:
    world(personas, tree)
    session = Session(personas.clerk_a)
    assert session.get("/api/v1/institutions/").status_code == 200
    assert session.get("/api/v1/appointments/slots/").status_code == 200
    assert session.get("/api/v1/visits/", date_from="2000-01-01", date_to="2000-01-31").json()["count"] == 0
    assert bulk_rows() == []


def test_an_export_keeps_full_numbers_for_those_who_may_and_its_one_row_names_the_rows(
    personas: Personas, tree: Tree
) -> None:
    visit, _ = world(personas, tree)
    response = client_for(personas.clerk_a).get(reverse("desk:ledger_xlsx", args=[1]))
    assert response.status_code == 200
    (row,) = AuditLog.objects.filter(action="export")
    numbers = sorted(v.number for v in Visit.objects.all())  # the visit and the appointment's visit
    assert visit.number in numbers and len(numbers) == 2
    assert (row.data["personal_data"], row.data["count"], sorted(row.data["rows"])) == ("full", 2, numbers)
    assert row.node == tree.station_a  # the unit exported: its auditors see the row
    assert not bulk_rows()  # an export is audited as an export, once


# --- the explicit, audited reveal -------------------------------------------------------------------------


def test_api_person_reveal_returns_the_full_value_and_writes_one_personal_data_read_row(
    personas: Personas, tree: Tree
) -> None:
    visit, _ = world(personas, tree)
    api = Session(personas.clerk_a)
    before = AuditLog.objects.count()
    response = api.post(f"/api/v1/people/{visit.person_id}/reveal/", {"field": "id_number"})
    assert response.status_code == 200, response.content
    assert response.json() == {"field": "id_number", "value": ID_NUMBER}
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.latest("pk")
    assert (row.action, row.actor, row.object_type, row.object_id, row.data) == (
        "personal_data.read", personas.clerk_a, "people.Person", str(visit.person_id), {"field": "id_number"},
    )  # fmt: skip
    phone = Api(service_client("hotline", Role.WINDOW_CLERK, tree.station_a)[1]).post(
        f"/api/v1/people/{visit.person_id}/reveal/", {"field": "phone"}
    )
    assert phone.json() == {"field": "phone", "value": PHONE}
    assert AuditLog.objects.filter(action="personal_data.read").count() == 2


def test_api_contact_reveal_returns_the_full_reminder_phone_and_writes_one_personal_data_read_row(
    personas: Personas, tree: Tree
) -> None:
    _, appointment = world(personas, tree)
    response = Session(personas.office_staff).post(
        f"/api/v1/matters/{appointment.matter_id}/reveal/", {"which": "appointment"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"field": "appointment_phone", "value": BOOKED_PHONE}
    (row,) = AuditLog.objects.filter(action="personal_data.read")
    assert (row.actor, row.object_id, row.data) == (
        personas.office_staff,
        str(appointment.matter_id),
        {"field": "appointment_phone"},
    )


def test_api_reveal_of_a_person_of_another_district_is_404_and_writes_no_read_row(
    personas: Personas, tree: Tree
) -> None:
    visit, appointment = world(personas, tree)
    stranger = Session(personas.other_district_admin)
    for path, body in (
        (f"/api/v1/people/{visit.person_id}/reveal/", {"field": "phone"}),
        (f"/api/v1/matters/{appointment.matter_id}/reveal/", {"which": "appointment"}),
    ):
        response = stranger.post(path, body)
        # The endpoint's own 404 (out of reach answers like a missing record), not "no such endpoint".
        assert response.status_code == 404 and response.json()["detail"].startswith("没有找到"), path
    other_token = Api(service_client("xincheng", Role.WINDOW_CLERK, tree.station_d)[1])
    assert (
        other_token.post(f"/api/v1/people/{visit.person_id}/reveal/", {"field": "phone"}).status_code == 404
    )
    assert not AuditLog.objects.filter(action="personal_data.read").exists()
    # The same person, in district: revealed.
    own = Session(personas.district_admin).post(
        f"/api/v1/people/{visit.person_id}/reveal/", {"field": "phone"}
    )
    assert own.status_code == 200 and own.json()["value"] == PHONE


def test_api_reveal_by_a_role_that_sees_masked_only_is_403(personas: Personas, tree: Tree) -> None:
    visit, appointment = world(personas, tree)
    leader = Api(service_client("leader", Role.LEADER, tree.district)[1])
    person = leader.post(f"/api/v1/people/{visit.person_id}/reveal/", {"field": "phone"})
    assert person.status_code == 403 and person.json()["detail"] == "您的角色只能查看隐去部分的个人信息。"
    contact = leader.post(f"/api/v1/matters/{appointment.matter_id}/reveal/", {"which": "appointment"})
    assert contact.status_code == 403
    assert PHONE not in person.content.decode() and BOOKED_PHONE not in contact.content.decode()
    assert not AuditLog.objects.filter(action="personal_data.read").exists()


def test_api_reveal_with_a_bad_field_is_400_naming_the_field_in_chinese(
    personas: Personas, tree: Tree
) -> None:
    visit, appointment = world(personas, tree)
    api = Session(personas.clerk_a)
    bad = api.post(f"/api/v1/people/{visit.person_id}/reveal/", {"field": "name"})
    assert bad.status_code == 400
    assert bad.json()["errors"]["field"] == [
        "查看项：“name”不是可查看的项，应为 phone（联系电话）或 id_number（身份证号）。"
    ]
    missing = api.post(f"/api/v1/people/{visit.person_id}/reveal/", {})
    assert missing.status_code == 400 and missing.json()["errors"]["field"][0].startswith("查看项：请说明")
    which = api.post(f"/api/v1/matters/{appointment.matter_id}/reveal/", {"which": "spouse"})
    assert which.status_code == 400
    assert which.json()["errors"]["which"][0].startswith("联系电话类别：“spouse”不是事项上的联系电话")
    assert not AuditLog.objects.filter(action="personal_data.read").exists()


def test_the_reveal_endpoints_are_in_the_api_schema() -> None:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    assert "/api/v1/people/{id}/reveal/" in schema and "/api/v1/matters/{id}/reveal/" in schema
    assert "personal_data.read" in schema


# --- the intake search -------------------------------------------------------------------------------------


def test_the_intake_person_search_html_holds_no_full_number_for_any_query(
    personas: Personas, tree: Tree
) -> None:
    register(personas.clerk_a, tree.station_a, name="张三")
    client = client_for(personas.clerk_a)
    for query in ("z", "张", "zs", "5678", "1230", PHONE, ID_NUMBER):
        html = client.post(reverse("desk:person_search"), {"q": query}).content.decode()
        assert 'role="option"' in html, query
        assert full_numbers(html) == [], query
        assert "data-phone=" not in html and "data-id-number=" not in html, query
        assert "139****5678" in html and "6101**********1230" in html, query


# --- every door, the same answer --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk_a", "office_staff", "city_admin", "leader", "auditor", "clerk_b"])
def test_page_and_api_give_the_same_answer_for_each_role(who: str, personas: Personas, tree: Tree) -> None:
    visit, _ = world(personas, tree)
    matter = visit.matters.get()
    user = getattr(personas, who)
    page_client = client_for(user)
    api = Session(user)
    reveal_url = reverse("person_reveal", args=[visit.person_id, "phone"])
    page = page_client.get(reverse("desk:matter", args=[matter.pk]))
    detail = api.get(f"/api/v1/matters/{matter.pk}/")
    assert page.status_code == detail.status_code  # 200 in reach, 404 out of it
    if page.status_code == 200:
        html = page.content.decode()
        assert PHONE not in html and "139****5678" in html
        person = detail.json()["person"]
        assert person["phone"] == "139****5678" and person["masked"] is True
        assert (reveal_url in html) == person["can_reveal"]
    page_reveal = page_client.post(reveal_url).status_code
    api_reveal = api.post(f"/api/v1/people/{visit.person_id}/reveal/", {"field": "phone"}).status_code
    assert page_reveal == api_reveal
    shown = {door: disclose(user, tree.station_a, door) for door in Door}
    assert not any(shown[door].full for door in (Door.PAGE, Door.SEARCH, Door.API))
    assert shown[Door.EXPORT].full == shown[Door.PAGE].may_reveal == shown[Door.API].may_reveal
    assert (page_reveal == 200) == shown[Door.API].may_reveal
