"""Issue 9, personal data: ID numbers, phones and financial figures encrypted at rest, found through blind
indexes, masked by default on screens, revealed only to roles that may see them and then audited; no personal
data in URLs, logs or error pages."""

from __future__ import annotations

import datetime
import decimal
import logging
import re
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from lawdesk.core import crypto
from lawdesk.core.management.commands.rotate_field_keys import rotate_all
from lawdesk.core.models import AuditLog
from lawdesk.legalaid.models import LegalAidApplication
from lawdesk.matters import services
from lawdesk.matters.models import Visit
from lawdesk.people.logfilter import MaskPersonalDataFilter, mask_text
from lawdesk.people.models import Person
from tests.conftest import Personas, Tree, client_for

PHONE = "13912345678"
ID_NUMBER = "610113199003071237"


def register(
    actor: Any, node: Any, *, name: str = "张三", phone: str = PHONE, id_number: str = ID_NUMBER
) -> Visit:
    return services.visit_register(
        actor=actor,
        node=node,
        person_data=services.PersonInput(name=name, phone=phone, id_number=id_number),
        matters=[services.MatterInput(kind="consultation", summary="咨询离婚财产分割")],
    )


def raw_row(table: str, pk: int, *columns: str) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


# --- at rest -------------------------------------------------------------------------------------------------


def test_the_database_holds_ciphertext_and_python_the_plaintext(tree: Tree, personas: Personas) -> None:
    person = register(personas.clerk_a, tree.station_a).person
    stored_id, stored_phone, id_bidx, phone_bidx = raw_row(
        "people_person", person.pk, "id_number", "phone", "id_number_bidx", "phone_bidx"
    )
    assert ID_NUMBER not in stored_id and PHONE not in stored_phone
    assert stored_id.startswith("gAAAAA") and stored_phone.startswith("gAAAAA")
    # Nothing of the number can be read from the blind index either: a keyed hash, not the value.
    assert PHONE not in phone_bidx and "5678" not in phone_bidx and len(phone_bidx) == 64
    assert id_bidx == crypto.blind_index("id_number", ID_NUMBER)
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.id_number, fresh.phone) == (ID_NUMBER, PHONE)


def test_a_financial_figure_is_encrypted_and_comes_back_as_a_decimal(tree: Tree, personas: Personas) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    application = LegalAidApplication.objects.create(
        matter=matter,
        applied_on=datetime.date(2026, 11, 2),
        case_facts="被拖欠工资",
        monthly_income=decimal.Decimal("2345.60"),
        recorded_by=personas.clerk_a,
    )
    (stored,) = raw_row("legalaid_legalaidapplication", application.pk, "monthly_income")
    assert "2345" not in str(stored) and str(stored).startswith("gAAAAA")
    assert LegalAidApplication.objects.get(pk=application.pk).monthly_income == decimal.Decimal("2345.60")


def test_lookups_go_through_the_blind_index_and_plaintext_filters_are_refused(
    tree: Tree, personas: Personas
) -> None:
    person = register(personas.clerk_a, tree.station_a).person
    assert list(Person.objects.by_phone("139 1234 5678")) == [person]
    assert list(Person.objects.by_id_number(ID_NUMBER.lower())) == [person]
    assert not Person.objects.by_phone("13912345679").exists()
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone=PHONE))
    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number__endswith="1237"))
    assert Person.objects.filter(phone="").count() == 0  # emptiness may still be asked


def test_the_same_id_number_cannot_be_registered_twice(tree: Tree, personas: Personas) -> None:
    register(personas.clerk_a, tree.station_a)
    twin = Person(name="李四", id_number=ID_NUMBER, first_node=tree.station_a)
    with pytest.raises(Exception, match="已登记过该身份证号"):
        twin.full_clean(exclude=["first_node"])


def test_key_rotation_keeps_data_readable_and_re_encrypts_under_the_new_key(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    person = register(personas.clerk_a, tree.station_a).person
    old_key = settings.LAWDESK_FIELD_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.LAWDESK_FIELD_KEYS = [new_key, old_key]
    assert Person.objects.get(pk=person.pk).phone == PHONE  # old tokens still read
    done = rotate_all()
    assert done["people.Person"] >= 1
    (stored,) = raw_row("people_person", person.pk, "phone")
    assert Fernet(new_key.encode()).decrypt(stored.encode()).decode() == PHONE
    settings.LAWDESK_FIELD_KEYS = [new_key]  # the old key retired: everything still reads
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.id_number) == (PHONE, ID_NUMBER)
    assert list(Person.objects.by_phone(PHONE)) == [fresh]  # the blind index does not depend on these keys


# --- masked on screen, revealed on request and audited ----------------------------------------------------


def test_the_matter_page_masks_numbers_and_a_clerk_reveals_one_with_an_audit_row(
    tree: Tree, personas: Personas
) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    matter = visit.matters.get()
    client = client_for(personas.clerk_a)
    page = client.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert PHONE not in page and ID_NUMBER not in page
    assert "139****5678" in page and "6101**********1237" in page
    url = reverse("person_reveal", args=[visit.person_id, "id_number"])
    assert url in page  # the 显示完整 button
    assert client.get(url).status_code == 405  # a read that is recorded is a POST
    response = client.post(url)
    assert response.status_code == 200 and ID_NUMBER in response.content.decode()
    row = AuditLog.objects.get(action="personal_data.read")
    assert (row.actor, row.object_type, row.object_id, row.data) == (
        personas.clerk_a, "people.Person", str(visit.person_id), {"field": "id_number"},
    )  # fmt: skip
    assert row.node == tree.station_a


def test_roles_that_see_masked_data_cannot_reveal_and_strangers_get_404(
    tree: Tree, personas: Personas
) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    url = reverse("person_reveal", args=[visit.person_id, "phone"])
    page = client_for(personas.leader).get(reverse("desk:matter", args=[visit.matters.get().pk])).content
    assert url.encode() not in page
    assert client_for(personas.leader).post(url).status_code == 403
    assert client_for(personas.auditor).post(url).status_code == 403
    assert client_for(personas.clerk_b).post(url).status_code == 404  # a sibling station's person
    assert client_for(personas.other_district_admin).post(url).status_code == 404
    assert (
        client_for(personas.clerk_a)
        .post(reverse("person_reveal", args=[visit.person_id, "name"]))
        .status_code
        == 404
    )
    assert not AuditLog.objects.filter(action="personal_data.read").exists()
    assert AuditLog.objects.filter(action="access.denied").count() == 5


def test_the_confirmation_page_after_intake_is_masked(tree: Tree, personas: Personas) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    html = client_for(personas.clerk_a).get(reverse("desk:visit", args=[visit.pk])).content.decode()
    assert PHONE not in html and ID_NUMBER not in html and "139****5678" in html


def test_ledger_screens_are_masked_for_everyone_and_exports_are_full_only_for_those_who_may(
    tree: Tree, personas: Personas
) -> None:
    register(personas.clerk_a, tree.station_a)
    screen = client_for(personas.clerk_a).get(reverse("desk:ledger", args=[1])).content.decode()
    assert PHONE not in screen and "139****5678" in screen
    clerk_xlsx = client_for(personas.clerk_a).get(reverse("desk:ledger_xlsx", args=[1]))
    leader_xlsx = client_for(personas.leader).get(reverse("desk:ledger_xlsx", args=[1]))
    assert clerk_xlsx.status_code == 200 and leader_xlsx.status_code == 200
    exports = {str(r.actor): r.data for r in AuditLog.objects.filter(action="export").select_related("actor")}
    assert exports["clerk_a"]["personal_data"] == "full" and exports["clerk_a"]["format"] == "xlsx"
    assert exports["leader"]["personal_data"] == "masked"


# --- no personal data in URLs, logs or error pages -------------------------------------------------------


def test_the_intake_flow_puts_no_phone_or_id_number_in_any_url(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    urls: list[str] = []
    html = client.get(reverse("desk:intake")).content.decode()
    assert 'hx-post="/desk/intake/people/"' in html and 'hx-get="/desk/intake/people/"' not in html
    assert client.get(reverse("desk:person_search"), {"q": PHONE}).status_code == 405
    for query in (PHONE, ID_NUMBER, "5678"):
        response = client.post(reverse("desk:person_search"), {"q": query})
        assert response.status_code == 200
        urls += re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', response.content.decode())
    response = client.post(
        reverse("desk:intake"),
        {
            "client_token": "7b0c5d2e-3f6a-4c1e-9d0b-2a4e6f8c1b3d",
            "name": "张三", "phone": PHONE, "id_number": ID_NUMBER, "address": "", "channel": "on_site",
            "m0-kind": "consultation", "m0-legal_field": "labour", "m0-service_type": "",
            "m0-summary": "咨询工资", "m0-answer": "", "m0-one_trip_mode": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    urls.append(response["Location"])
    page = client.get(response["Location"]).content.decode()
    urls += re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', page)
    assert urls
    for url in urls:
        assert PHONE not in url and ID_NUMBER not in url and "5678" not in url, url


def test_the_log_filter_masks_id_numbers_and_phones_in_every_record() -> None:
    assert mask_text(f"来访人 {ID_NUMBER} 电话 {PHONE}，座机 029-85551234，热线 12348") == (
        "来访人 6101**********1237 电话 139****5678，座机 029-****1234，热线 12348"
    )
    record = logging.LogRecord(
        "lawdesk.sms", logging.INFO, __file__, 1, "短信发往%s：%s", (PHONE, "您好"), None
    )
    try:
        raise ValueError(f"bad id {ID_NUMBER}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "短信发往139****5678：您好"
    assert record.exc_text and ID_NUMBER not in record.exc_text and "6101**********1237" in record.exc_text


def test_the_configured_handlers_carry_the_filter() -> None:
    handlers = [
        h
        for h in logging.getLogger().handlers + logging.getLogger("django").handlers
        if type(h) is logging.StreamHandler  # the configured console handler (pytest adds its own)
    ]
    assert len(handlers) == 2
    assert logging.getLogger("django").propagate is False
    for handler in handlers:
        assert any(isinstance(f, MaskPersonalDataFilter) for f in handler.filters), handler


def test_the_500_page_shows_nothing_from_the_request(db: Any) -> None:
    from django.conf import settings

    request = RequestFactory().get(f"/desk/matters/?phone={PHONE}&id={ID_NUMBER}")
    html = server_error(request).content.decode()
    assert PHONE not in html and ID_NUMBER not in html and "/desk/matters/" not in html
    assert "系统出错" in html
    assert settings.DEBUG is False


def test_a_crashing_view_answers_the_plain_500_page(tree: Tree, personas: Personas, monkeypatch: Any) -> None:
    from lawdesk.matters import views_intake

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"failed for {PHONE}")

    monkeypatch.setattr(views_intake.people, "person_hits", boom)
    client = client_for(personas.clerk_a)
    client.raise_request_exception = False
    response = client.post(reverse("desk:person_search"), {"q": PHONE})
    assert response.status_code == 500
    body = response.content.decode()
    assert PHONE not in body and "failed for" not in body and "Traceback" not in body


def test_anonymous_reveal_is_sent_to_login(tree: Tree, personas: Personas) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    response = Client().post(reverse("person_reveal", args=[visit.person_id, "phone"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
