"""The kiosk rates with something staff never see (issue 16, case 4): the one-time code of the visit slip (来访回执),
printed once by the window and sent by SMS, stored only as a keyed hash, single use, void after a reprint or
too many wrong tries, expiring with the rating window. The last digits of the phone, which every staff page
shows, rate nothing; the window tablet and the SMS link still work."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.matters import services as ms
from lawdesk.matters.models import Matter, MatterKind, MatterState, Visit
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import ConsoleSmsBackend
from tests.conftest import Personas, Tree, client_for

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _sms(settings: Any) -> None:
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    ConsoleSmsBackend.outbox.clear()
    cache.clear()


def visit_with(
    personas: Personas, tree: Tree, *, answer: str = "可申请劳动仲裁。", phone: str = PHONE
) -> Visit:
    return ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="王建国", phone=phone),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="工资被拖欠", answer=answer)],
    )


def print_slip(client: Client, visit: Visit) -> str:
    """The clerk prints the slip: the code is on the printed page, this once."""
    response = client.post(reverse("quality:receipt", args=[visit.pk]))
    assert response.status_code == 200, response.status_code
    match = re.search(r'data-testid="receipt-code">(\d{3}) (\d{3})<', response.content.decode())
    assert match, "the slip shows the code"
    return match.group(1) + match.group(2)


def kiosk(tree: Tree, visit: Visit, code: str, rating: int = 5) -> Any:
    return Client().post(
        reverse("quality:kiosk", args=[tree.station_a.pk]),
        {"visit_seq": str(visit.seq), "code": code, "rating": str(rating)},
    )


def rating_of(visit: Visit) -> int | None:
    return Matter.objects.get(visit=visit).rating


def other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_the_phone_digits_staff_see_rate_nothing_at_the_kiosk(tree: Tree, personas: Personas) -> None:
    visit = visit_with(personas, tree)
    page = client_for(personas.clerk_a).get(reverse("desk:visit", args=[visit.pk])).content.decode()
    assert PHONE[-4:] in page  # the masked phone every staff page shows: 139****5678
    response = Client().post(
        reverse("quality:kiosk", args=[tree.station_a.pk]),
        {"visit_seq": str(visit.seq), "phone_last4": PHONE[-4:], "rating": "5"},
    )
    assert response.status_code == 400
    assert rating_of(visit) is None
    assert not AuditLog.objects.filter(action="quality.kiosk_rated").exists()
    kiosk_page = Client().get(reverse("quality:kiosk", args=[tree.station_a.pk])).content.decode()
    assert "手机号后4位" not in kiosk_page and "评价码" in kiosk_page


def test_the_slips_code_rates_once_and_is_kept_only_as_a_hash(tree: Tree, personas: Personas) -> None:
    from lawdesk.quality.models import KioskCode

    visit = visit_with(personas, tree)
    clerk = client_for(personas.clerk_a)
    code = print_slip(clerk, visit)
    record = KioskCode.objects.get(visit=visit)
    assert code not in record.code_digest and len(record.code_digest) == 64
    issued = AuditLog.objects.get(action="quality.kiosk_code_issued")
    assert issued.actor == personas.clerk_a and code not in str(issued.data)
    # Never shown again: not on the slip page (GET), not on the visit's page.
    assert code not in clerk.get(reverse("quality:receipt", args=[visit.pk])).content.decode()
    assert code not in clerk.get(reverse("desk:visit", args=[visit.pk])).content.decode()
    ok = kiosk(tree, visit, code, rating=4)
    assert ok.status_code == 200 and "感谢您的评价" in ok.content.decode()
    matter = Matter.objects.get(visit=visit)
    assert matter.rating == 4 and matter.events.get(code="citizen_rated").data["via"] == "kiosk"
    record.refresh_from_db()
    assert record.used_at is not None
    assert kiosk(tree, visit, code, rating=1).status_code == 400  # single use
    assert rating_of(visit) == 4


def test_the_code_goes_by_sms_to_the_citizens_mobile(tree: Tree, personas: Personas) -> None:
    visit = visit_with(personas, tree)
    code = print_slip(client_for(personas.clerk_a), visit)
    [sms] = ConsoleSmsBackend.outbox
    assert sms.phone == PHONE and code in sms.text and f"{visit.seq:04d}" in sms.text
    landline = visit_with(personas, tree, phone="029-85551234")
    print_slip(client_for(personas.clerk_a), landline)
    assert len(ConsoleSmsBackend.outbox) == 1  # no SMS to a landline; the printed slip carries the code


def test_a_reprint_makes_a_new_code_and_voids_the_old_one(tree: Tree, personas: Personas) -> None:
    visit = visit_with(personas, tree)
    clerk = client_for(personas.clerk_a)
    first = print_slip(clerk, visit)
    second = print_slip(clerk, visit)
    if first != second:
        assert kiosk(tree, visit, first).status_code == 400
        assert rating_of(visit) is None
    assert kiosk(tree, visit, second).status_code == 200


def test_the_code_expires_with_the_rating_window(
    tree: Tree, personas: Personas, settings: Any, pinned_clock: Any
) -> None:
    settings.LAWDESK_ONLINE_RATING_DAYS = 30
    visit = visit_with(personas, tree)
    code = print_slip(client_for(personas.clerk_a), visit)
    pinned_clock.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31))
    assert kiosk(tree, visit, code).status_code == 400
    assert rating_of(visit) is None


def test_a_right_code_before_the_matter_is_finished_is_kept_for_later(tree: Tree, personas: Personas) -> None:
    visit = visit_with(personas, tree, answer="")
    matter = Matter.objects.get(visit=visit)
    assert matter.state == MatterState.RECEIVED
    code = print_slip(client_for(personas.clerk_a), visit)
    early = kiosk(tree, visit, code)
    assert early.status_code == 400 and "尚未办结" in early.content.decode()
    ms.matter_answer(actor=personas.clerk_a, matter=matter, answer="可申请劳动仲裁。")
    assert kiosk(tree, visit, code, rating=5).status_code == 200
    assert rating_of(visit) == 5


def test_twenty_wrong_tries_void_the_code(tree: Tree, personas: Personas) -> None:
    visit = visit_with(personas, tree)
    code = print_slip(client_for(personas.clerk_a), visit)
    for attempt in range(20):
        if attempt % 5 == 0:
            cache.clear()  # the 15-minute lock passes; the tries on the code still add up
        assert kiosk(tree, visit, other_than(code)).status_code == 400
    cache.clear()
    assert kiosk(tree, visit, code).status_code == 400
    assert rating_of(visit) is None
    assert AuditLog.objects.filter(action="quality.kiosk_code_voided").exists()


def test_only_the_platforms_window_prints_a_slip(tree: Tree, personas: Personas) -> None:
    visit = visit_with(personas, tree)
    url = reverse("quality:receipt", args=[visit.pk])
    assert client_for(personas.clerk_b).post(url).status_code == 404  # a sibling station: out of reach
    assert client_for(personas.leader).post(url).status_code == 403  # sees it, is not the window
    assert Client().post(url).status_code == 302  # not logged in
    assert client_for(personas.office_staff).post(url).status_code == 200
    assert not ConsoleSmsBackend.outbox or all(s.phone == PHONE for s in ConsoleSmsBackend.outbox)


def test_the_window_tablet_and_the_sms_link_still_rate(tree: Tree, personas: Personas) -> None:
    from lawdesk.online import rating
    from lawdesk.quality import services

    visit = visit_with(personas, tree)
    services.tablet_rate(handed_by=personas.clerk_a, matter=Matter.objects.get(visit=visit), rating=5)
    assert rating_of(visit) == 5
    phoned = ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        channel="phone",
        person_data=PersonInput(name="李秀英", phone="13700000077"),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="已答复。")],
    )
    token = rating.rating_link_send(matter_id=Matter.objects.get(visit=phoned).pk)
    assert token
    assert Client().post(reverse("online:rate", args=[token]), {"rating": "4"}).status_code == 200
    assert rating_of(phoned) == 4
