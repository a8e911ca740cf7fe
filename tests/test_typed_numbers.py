"""Every number a person types is one number, whatever keyboard typed it (issue 16, case 5): full-width digits
(５０, １３９…) and other scripts' digits are read as ASCII before any lookup, limit or lock — at the kiosk, the
online forms, the progress lookup and the window's search; the kiosk's lock is kept on the visit, not the text
typed; and the signed form-start stamp of an online request works for one submission only, remembered in
Django's cache (so on Redis too, where every server sees it)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lawdesk.matters import people_search as selectors
from lawdesk.matters import services as ms
from lawdesk.matters.models import Matter, MatterKind, Visit
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.online.models import OnlineRequest
from tests.conftest import Personas, Tree, client_for

PHONE = "13800138000"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def wide(text: str) -> str:
    return text.translate(FULL_WIDTH)


@pytest.fixture(autouse=True)
def _online(settings: Any) -> None:
    settings.LAWDESK_ONLINE_MIN_FILL_SECONDS = 0
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    cache.clear()


def stamp_of(client: Client, url: str) -> str:
    match = re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode())
    assert match
    return match.group(1)


def ask(tree: Tree, **over: Any) -> dict[str, Any]:
    return {
        "district": tree.district.pk,
        "station": tree.station_a.pk,
        "legal_field": "labour",
        "question": "公司拖欠我三个月工资，我应该怎么办？",
        "name": "王建国",
        "phone": PHONE,
        "website": "",
        **over,
    }


def submit(client: Client, tree: Tree, **over: Any) -> Any:
    url = reverse("online:ask")
    return client.post(url, {**ask(tree, **over), "started": stamp_of(client, url)})


def test_the_shared_helper_reads_every_keyboards_digits() -> None:
    from lawdesk.core import normalise

    assert normalise.digits("１３９ ００００-1111") == "13900001111"
    assert normalise.digits("13".translate(ARABIC_INDIC) + "800138000") == "13800138000"
    assert normalise.number("００５０") == normalise.number("50") == normalise.number(" 5 0") == 50
    assert normalise.number("5a") is None and normalise.number("") is None
    assert normalise.code("dem q４ack-3t") == "DEMQ4ACK3T"


# --- the kiosk -----------------------------------------------------------------------------------------------


def test_full_width_visit_numbers_share_the_visits_kiosk_lock(tree: Tree, personas: Personas) -> None:
    visits = [
        ms.visit_register(
            actor=personas.clerk_a,
            node=tree.station_a,
            person_data=PersonInput(name=f"来访人{i}", phone=PHONE),
            matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="已答复。")],
        )
        for i in range(12)
    ]
    visit: Visit = visits[-1]  # number 12: two digits to write in several ways
    from lawdesk.quality import services

    _record, code = services.kiosk_code_issue(actor=personas.clerk_a, visit=visit)
    wrong = "000000" if code != "000000" else "111111"
    url = reverse("quality:kiosk", args=[tree.station_a.pk])
    seq = str(visit.seq)
    for typed in (seq, "00" + seq, wide(seq), seq.translate(ARABIC_INDIC), wide("0" + seq)):
        Client().post(url, {"visit_seq": typed, "code": wrong, "rating": "5"})
    # Five wrong tries however the number was written: the visit is locked, also for the right code.
    locked = Client().post(url, {"visit_seq": wide(seq), "code": wide(code), "rating": "5"})
    assert locked.status_code == 400 and "尝试次数过多" in locked.content.decode()
    assert Matter.objects.get(visit=visit).rating is None
    cache.clear()  # the lock's 15 minutes pass
    ok = Client().post(url, {"visit_seq": wide(seq), "code": wide(code), "rating": "5"})
    assert ok.status_code == 200 and Matter.objects.get(visit=visit).rating == 5


# --- online forms --------------------------------------------------------------------------------------------


def test_a_full_width_phone_is_the_same_phone_for_the_daily_limit(tree: Tree, settings: Any) -> None:
    settings.LAWDESK_ONLINE_DAILY_PER_PHONE = 1
    assert submit(Client(), tree).status_code == 302
    for variant in ("13" + wide(PHONE[2:]), wide(PHONE), "138 0013 8000", PHONE.translate(ARABIC_INDIC)):
        refused = submit(Client(REMOTE_ADDR="10.9.9.9"), tree, phone=variant)
        assert refused.status_code == 400, variant
        assert "该手机号今天已提交1次" in refused.content.decode()
    assert OnlineRequest.objects.count() == 1


def test_a_full_width_phone_is_stored_and_texted_as_ascii_digits(tree: Tree) -> None:
    assert submit(Client(), tree, phone=wide(PHONE)).status_code == 302
    person = OnlineRequest.objects.get().matter.visit.person
    assert person.phone == PHONE


def test_a_form_start_stamp_works_for_one_submission_only(tree: Tree) -> None:
    client = Client()
    url = reverse("online:ask")
    stamp = stamp_of(client, url)
    first = client.post(url, {**ask(tree), "started": stamp})
    assert first.status_code == 302
    again = Client().post(url, {**ask(tree, phone="13900000001"), "started": stamp})
    assert again.status_code == 400 and "该表单已经提交过" in again.content.decode()
    assert OnlineRequest.objects.count() == 1
    # A form sent back with a mistake keeps its stamp: the corrected one goes through.
    fresh = stamp_of(client, url)
    wrong = client.post(url, {**ask(tree, question="", phone="13900000002"), "started": fresh})
    assert wrong.status_code == 400 and "该表单已经提交过" not in wrong.content.decode()
    corrected = client.post(url, {**ask(tree, phone="13900000002"), "started": fresh})
    assert corrected.status_code == 302
    assert OnlineRequest.objects.count() == 2


def test_a_used_stamp_is_remembered_in_a_shared_redis_cache(tree: Tree, settings: Any) -> None:
    import redis

    location = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    from django.core.cache import caches

    caches["default"].clear()
    try:
        client = Client()
        url = reverse("online:ask")
        stamp = stamp_of(client, url)
        assert client.post(url, {**ask(tree), "started": stamp}).status_code == 302
        # Another server (a fresh connection to the same Redis) sees the stamp used.
        again = Client().post(url, {**ask(tree, phone="13900000003"), "started": stamp})
        assert again.status_code == 400 and "该表单已经提交过" in again.content.decode()
    finally:
        caches["default"].clear()


# --- the progress lookup -------------------------------------------------------------------------------------


def test_the_progress_lookup_reads_full_width_code_and_phone_and_throttles_them_as_one(
    tree: Tree, settings: Any
) -> None:
    assert submit(Client(), tree).status_code == 302
    tracked = OnlineRequest.objects.get()
    typed_code = wide(tracked.code.lower()).replace("3", "３")
    found = Client().post(reverse("online:track"), {"code": typed_code, "phone": wide(PHONE)})
    assert found.status_code == 200 and "已收到您的申请" in found.content.decode()
    settings.LAWDESK_ONLINE_TRACK_PER_CODE = 2
    cache.clear()
    for typed in (tracked.code, tracked.code.lower()):
        Client(REMOTE_ADDR="10.0.0.1").post(reverse("online:track"), {"code": typed, "phone": "13900000000"})
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in tracked.code)  # Ａ…Ｚ, ０…９
    blocked = Client(REMOTE_ADDR="10.0.0.2").post(
        reverse("online:track"), {"code": fullwidth, "phone": PHONE}
    )
    assert blocked.status_code == 429


# --- the window's search -------------------------------------------------------------------------------------


def test_the_window_search_reads_full_width_numbers(tree: Tree, personas: Personas) -> None:
    ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone=PHONE),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="已答复。")],
    )
    for query in (wide(PHONE[-4:]), wide(PHONE), PHONE[-4:].translate(ARABIC_INDIC)):
        assert [p.name for p in selectors.person_search(actor=personas.clerk_a, query=query)] == ["张三"], (
            query
        )
    page = client_for(personas.clerk_a).post(reverse("desk:person_search"), {"q": wide(PHONE[-4:])})
    assert "张三" in page.content.decode()


def test_the_window_stores_a_full_width_phone_as_ascii(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.clerk_a).post(
        reverse("desk:intake"),
        {"name": "李四", "phone": wide("13700137000"), "channel": "on_site", "m0-kind": "consultation",
         "m0-legal_field": "labour", "m0-summary": "咨询", "m0-answer": "已答复。"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Visit.objects.latest("pk").person
    assert person.phone == "13700137000"
    assert [p.name for p in selectors.person_search(actor=personas.clerk_a, query="7000")] == ["李四"]
