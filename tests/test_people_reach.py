"""Issue 16, case 2: a phone number must not unlock another district's citizen.

A clerk of 新城区 who knew only the phone of a citizen received in 雁塔区 posted a visit with her ``person_id``
and that phone: the answer held her full ID number and her shared record was overwritten (groups 老年人 and 残疾人
wiped, the name changed). Now a full number outside the clerk's reach yields a reference to register the visit
against: the person's stored fields stay as they were, groups are only added, the visit keeps what was said at
it, and nothing of the person beyond a masked reference is shown. An id alone attaches nothing.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lawdesk.accounts.models import Role, User
from lawdesk.matters import people_search, services
from lawdesk.matters.models import Visit
from lawdesk.people.models import Person
from tests.conftest import Personas, Tree, client_for, make_user

ELDER_ID = "610113195001010029"  # born 1950-01-01, female
PHONE = "13912345678"
ADDRESS = "雁塔区小寨东路1号"


@pytest.fixture
def clerk_d(tree: Tree) -> User:
    """A window clerk of 西一路街道公共法律服务站 in 新城区."""
    return make_user("clerk_d", Role.WINDOW_CLERK, tree.station_d)


@pytest.fixture
def citizen(tree: Tree, personas: Personas) -> Person:
    """王秀英, received in 雁塔区 (station A): elderly and disabled."""
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(
            name="王秀英",
            phone=PHONE,
            id_number=ELDER_ID,
            address=ADDRESS,
            groups=["elderly", "disabled"],
        ),
        matters=[services.MatterInput(kind="consultation", summary="咨询赡养费")],
    )
    return visit.person


def _unchanged(person: Person) -> None:
    person.refresh_from_db()
    assert person.name == "王秀英"
    assert person.phone == PHONE and person.id_number == ELDER_ID and person.address == ADDRESS
    assert {"elderly", "disabled"} <= set(person.groups)


def _api_visit(clerk: User, node: Any, person_id: int, **person: Any) -> Any:
    body = {
        "node": node.pk,
        "person_id": person_id,
        "person": {"name": "王英", **person},
        "matters": [{"kind": "consultation", "summary": "咨询房屋租赁"}],
    }
    return client_for(clerk).post("/api/v1/visits/", json.dumps(body), content_type="application/json")


def test_the_api_registers_against_a_reference_and_changes_nothing_of_the_person(
    tree: Tree, clerk_d: User, citizen: Person
) -> None:
    response = _api_visit(clerk_d, tree.station_d, citizen.pk, phone=PHONE, groups=["migrant_worker"])
    assert response.status_code == 201, response.content.decode()
    text = response.content.decode()
    # The answer never holds the person's stored ID number, address or name: only what was said at this visit.
    assert ELDER_ID not in text and ADDRESS not in text and "王秀英" not in text
    body = response.json()
    assert body["person"]["id"] == citizen.pk and body["person"]["name"] == "王英"
    # Her shared record: name, numbers, address unchanged; groups added, never wiped by omission.
    _unchanged(citizen)
    assert citizen.groups == ["elderly", "disabled", "migrant_worker"]
    # The visit keeps what was said at it.
    visit = Visit.objects.get(pk=body["id"])
    assert visit.person_id == citizen.pk and visit.by_reference
    assert (visit.said_name, visit.said_phone, visit.said_id_number) == ("王英", PHONE, "")
    assert visit.vulnerable_groups == ",migrant_worker,"
    # The visit does not bring her into the clerk's reach: her record stays unreadable by name or reveal.
    assert not people_search.in_reach(clerk_d, citizen)
    assert not people_search.person_search(actor=clerk_d, query="王秀英").exists()
    reveal = client_for(clerk_d).post(reverse("person_reveal", args=[citizen.pk, "id_number"]))
    assert reveal.status_code == 404
    again = client_for(clerk_d).get(f"/api/v1/visits/{visit.pk}/").content.decode()
    assert ELDER_ID not in again and "王秀英" not in again


def test_the_exact_scenario_with_no_groups_keeps_hers(tree: Tree, clerk_d: User, citizen: Person) -> None:
    """The reported request: her id, her phone, another name and no groups."""
    response = _api_visit(clerk_d, tree.station_d, citizen.pk, phone=PHONE)
    assert response.status_code == 201
    assert ELDER_ID not in response.content.decode()
    _unchanged(citizen)
    assert citizen.groups == ["elderly", "disabled"]


def test_an_id_alone_attaches_nothing(tree: Tree, clerk_d: User, citizen: Person) -> None:
    """A person_id outside the reach with no matching full number: the same answer as a missing person."""
    wrong = _api_visit(clerk_d, tree.station_d, citizen.pk, phone="13800001111")
    missing = _api_visit(clerk_d, tree.station_d, citizen.pk + 1000, phone="13800001111")
    assert wrong.status_code == missing.status_code == 400
    assert wrong.json()["errors"] == missing.json()["errors"]
    assert "person_id" in json.dumps(wrong.json()["errors"])
    assert not Visit.objects.filter(node=tree.station_d).exists()
    _unchanged(citizen)
    # The service itself refuses the same, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=clerk_d,
            node=tree.station_d,
            person=citizen,
            person_data=services.PersonInput(name="王英"),
            matters=[services.MatterInput(kind="consultation", summary="咨询")],
        )
    assert "person_id" in str(refused.value)


def test_the_page_registers_against_a_reference_the_same_way(
    tree: Tree, clerk_d: User, citizen: Person
) -> None:
    client = client_for(clerk_d)
    found = client.post(reverse("desk:person_search"), {"q": PHONE}).content.decode()
    # The search yields a reference: the id and the matched number masked, nothing else of her.
    assert f'data-person-id="{citizen.pk}"' in found and "139****5678" in found
    assert "王秀英" not in found and ELDER_ID not in found and "1950" not in found
    assert 'data-groups=""' in found and 'data-gender=""' in found
    response = client.post(
        reverse("desk:intake"),
        {
            "client_token": str(uuid.uuid4()),
            "person_id": str(citizen.pk),
            "name": "王英",
            "phone": PHONE,
            "channel": "on_site",
            "groups": ["poor"],
            "m0-kind": "consultation",
            "m0-summary": "咨询房屋租赁",
        },
    )
    assert response.status_code == 302, response.content.decode()
    visit = Visit.objects.get(node=tree.station_d)
    assert visit.person_id == citizen.pk and visit.by_reference
    _unchanged(citizen)
    assert citizen.groups == ["elderly", "disabled", "poor"]
    page = client.get(response["Location"]).content.decode()
    assert "王英" in page and "王秀英" not in page and ELDER_ID not in page and ADDRESS not in page
    assert "reveal-" not in page
    # An id alone is refused on the page too, with the answer of a missing person.
    refused = client.post(
        reverse("desk:intake"),
        {
            "client_token": str(uuid.uuid4()),
            "person_id": str(citizen.pk),
            "name": "王英",
            "phone": "13800001111",
            "channel": "on_site",
            "m0-kind": "consultation",
            "m0-summary": "咨询",
        },
    )
    assert refused.status_code == 400 and "不存在或您无权选用" in refused.content.decode()
    assert Visit.objects.filter(node=tree.station_d).count() == 1


def test_in_reach_groups_are_added_by_the_api_and_edited_on_the_page(
    tree: Tree, personas: Personas, citizen: Person
) -> None:
    """In reach the record is updated from what was said; groups left out are kept (API), while the page, which
    shows her groups ticked, removes one the clerk unticks."""
    response = _api_visit(personas.clerk_a, tree.station_a, citizen.pk, name="王秀英", groups=["poor"])
    assert response.status_code == 201
    citizen.refresh_from_db()
    assert citizen.groups == ["elderly", "disabled", "poor"]
    assert not Visit.objects.get(pk=response.json()["id"]).by_reference
    page = client_for(personas.clerk_a).post(
        reverse("desk:intake"),
        {
            "client_token": str(uuid.uuid4()),
            "person_id": str(citizen.pk),
            "name": "王秀英",
            "channel": "on_site",
            "groups": ["elderly"],
            "m0-kind": "consultation",
            "m0-summary": "咨询",
        },
    )
    assert page.status_code == 302
    citizen.refresh_from_db()
    assert citizen.groups == ["elderly"]


def test_the_visits_matters_ledgers_and_legal_aid_page_show_only_what_was_said(
    tree: Tree, clerk_d: User, citizen: Person
) -> None:
    """Everywhere the clerk reads the visit registered by reference — the matter in the API, ledgers 1 and 3
    exported in full, the legal-aid application page — shows what was said at it, never her stored record."""
    body = {
        "node": tree.station_d.pk,
        "person_id": citizen.pk,
        "person": {"name": "王英", "phone": PHONE},
        "matters": [{"kind": "legal_aid", "summary": "申请法律援助"}],
    }
    client = client_for(clerk_d)
    response = client.post("/api/v1/visits/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    matter_id = response.json()["matters"][0]["id"]
    pages = [
        client.get(f"/api/v1/matters/{matter_id}/"),
        client.get(f"/api/v1/ledgers/1/rows/?node={tree.station_d.pk}"),
        client.get(f"/desk/ledgers/1.xlsx?node={tree.station_d.pk}"),
        client.get(f"/desk/ledgers/3.xlsx?node={tree.station_d.pk}"),
        client.get(f"/desk/matters/{matter_id}/"),
    ]
    for page in pages:
        assert page.status_code == 200, page
        if page["Content-Type"].startswith("application/vnd"):
            sheet = openpyxl.load_workbook(io.BytesIO(page.content)).active
            assert sheet is not None
            text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        else:
            text = page.content.decode()
        assert ELDER_ID not in text and ADDRESS not in text and "王秀英" not in text, page
        assert "王英" in text
