"""Citizens' online requests: each becomes a visit (channel 网上) and matter through the window's services, a
tracking code answers a POST of code and phone (the same "not found" for a wrong code and a wrong phone, rate
limited), submissions are limited per phone and per address, and no personal data ever appears in a URL."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lawdesk.accounts.models import Role
from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Appointment, Slot, SlotKind
from lawdesk.complaints.models import ComplaintDetail
from lawdesk.legalaid.models import HardshipStandard, LegalAidApplication
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind, MatterState
from lawdesk.notifications.models import Notification
from lawdesk.online import services
from lawdesk.online.models import IntakeAccount, OnlineRequest
from lawdesk.online.security import CODE_ALPHABET, CODE_LENGTH
from lawdesk.workcal.workdays import add_working_days
from tests.conftest import Personas, Tree, client_for, make_user

PHONE = "13800138000"
NAME = "王建国"


@pytest.fixture(autouse=True)
def online_settings(settings: Any) -> None:
    settings.LAWDESK_ONLINE_MIN_FILL_SECONDS = 0
    cache.clear()


def post(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    """A form as the browser sends it: the signed start time from the page, the honeypot empty."""
    page = client.get(url)
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode())
    payload = {"started": started.group(1) if started else "", "website": "", **data}
    return client.post(url, payload, **extra)


def ask_data(tree: Tree, **over: Any) -> dict[str, Any]:
    data = {
        "district": tree.district.pk,
        "station": tree.station_a.pk,
        "legal_field": "labour",
        "question": "公司拖欠我三个月工资，我应该怎么办？",
        "name": NAME,
        "phone": PHONE,
    }
    data.update(over)
    return data


def assert_no_personal_data(*urls: str) -> None:
    for url in urls:
        assert PHONE not in url and NAME not in url and "phone" not in url, url


def submit_question(client: Client, tree: Tree, **over: Any) -> OnlineRequest:
    response = post(client, reverse("online:ask"), ask_data(tree, **over))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_no_personal_data(response["Location"])
    return OnlineRequest.objects.latest("id")


# --- requests become visits and matters ---------------------------------------------------------------


def test_a_question_becomes_an_online_consultation_at_the_chosen_station(tree: Tree) -> None:
    client = Client()
    tracked = submit_question(client, tree)
    matter = tracked.matter
    assert matter.kind == MatterKind.CONSULTATION and matter.state == MatterState.RECEIVED
    assert matter.node == tree.station_a and matter.legal_field == "labour"
    assert matter.visit.channel == Channel.ONLINE
    assert matter.visit.person.name == NAME and matter.visit.person.phone == PHONE
    account = IntakeAccount.objects.get(node=tree.station_a)
    assert matter.owner == account.user and not account.user.has_usable_password()
    assert len(tracked.code) == CODE_LENGTH and set(tracked.code) <= set(CODE_ALPHABET)
    # The code is shown once, after the redirect, from the session.
    done = client.get(reverse("online:done"))
    assert tracked.code in done.content.decode()
    assert PHONE not in tracked.phone_digest


def test_without_a_station_the_request_lands_at_the_district_centre(tree: Tree) -> None:
    tracked = submit_question(Client(), tree, station="")
    assert tracked.matter.node == tree.centre


def test_the_question_form_promises_the_days_the_progress_page_then_counts(tree: Tree) -> None:
    days = services.answer_days()
    form = Client().get(reverse("online:ask")).content.decode()
    assert f'data-testid="answer-days">{days}个工作日<' in form
    citizen = Client()
    tracked = submit_question(citizen, tree)
    due = add_working_days(timezone.localdate(tracked.matter.created_at), days)
    page = citizen.get(reverse("online:done")).content.decode()
    assert f"{due:%Y-%m-%d}" in page or f"{due.year}年{due.month}月{due.day}日" in page


def test_a_station_of_another_district_is_refused_in_chinese(tree: Tree) -> None:
    response = post(Client(), reverse("online:ask"), ask_data(tree, station=tree.station_d.pk))
    assert response.status_code == 400
    assert "不在该区(县)" in response.content.decode()
    assert not OnlineRequest.objects.exists() and not Matter.objects.exists()


def test_missing_fields_are_named_and_nothing_is_saved(tree: Tree) -> None:
    response = post(Client(), reverse("online:ask"), ask_data(tree, question="", phone="12345"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "请把您的问题写清楚" in body and "手机" in body
    assert not Matter.objects.exists()


def test_legal_aid_self_check_uses_the_districts_standard_and_the_pre_application_records_the_form(
    tree: Tree,
) -> None:
    HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("1500"),
        effective_from=datetime.date(2020, 1, 1),
    )
    client = Client()
    base = {
        "district": tree.district.pk,
        "station": tree.station_a.pk,
        "category": "labour",
        "household_size": 3,
    }
    rich = client.post(reverse("online:legal_aid"), {**base, "monthly_income": "9000", "action": "check"})
    assert "可能不符合法律援助条件" in rich.content.decode()
    poor = client.post(reverse("online:legal_aid"), {**base, "monthly_income": "2400", "action": "check"})
    body = poor.content.decode()
    assert "符合法律援助条件" in body and "第三十一条" in body and "人均800.00元" in body
    response = post(
        client,
        reverse("online:legal_aid"),
        {
            **base,
            "monthly_income": "2400",
            "action": "submit",
            "case_facts": "在工地干了半年活，老板拖欠工资两万元不给。",
            "opponent_name": "某建筑公司",
            "name": NAME,
            "phone": PHONE,
        },
    )
    assert response.status_code == 302
    matter = OnlineRequest.objects.get().matter
    assert matter.kind == MatterKind.LEGAL_AID and matter.visit.channel == Channel.ONLINE
    application = LegalAidApplication.objects.get(matter=matter)
    assert application.category == "labour" and application.hardship == "passed"
    assert application.monthly_income == Decimal("2400") and application.household_size == 3


def _slot(tree: Tree, personas: Personas, capacity: int = 1) -> Slot:
    day = add_working_days(timezone.localdate(), 2)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    return appointment_services.slot_create(
        actor=personas.clerk_a,
        node=tree.station_a,
        kind=SlotKind.STATION,
        start=start,
        end=start + datetime.timedelta(hours=1),
        capacity=capacity,
    )


def test_online_booking_takes_a_real_slot_and_respects_its_capacity(tree: Tree, personas: Personas) -> None:
    slot = _slot(tree, personas)
    client = Client()
    listing = client.get(reverse("online:appointments"), {"district": tree.district.pk})
    assert tree.station_a.name in listing.content.decode()
    slots_page = client.get(reverse("online:appointment_slots", args=[tree.station_a.pk]))
    assert f"slot-{slot.pk}" in slots_page.content.decode()
    url = reverse("online:appointment_book", args=[slot.pk])
    response = post(client, url, {"summary": "想咨询房屋租赁合同纠纷", "name": NAME, "phone": PHONE})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.slot == slot and appointment.matter.visit.channel == Channel.ONLINE
    assert appointment.matter.kind == MatterKind.APPOINTMENT and appointment.phone == PHONE
    # Full now: no longer offered, and a second booking is refused by the booking service.
    assert (
        f"slot-{slot.pk}"
        not in client.get(reverse("online:appointment_slots", args=[tree.station_a.pk])).content.decode()
    )
    again = Client().post(url, {"summary": "再约一次", "name": "李四", "phone": "13900139000", "website": ""})
    assert again.status_code == 400 or "已约满" in again.content.decode()
    assert Appointment.objects.count() == 1


def test_an_online_complaint_is_recorded_in_the_register_with_its_contact(tree: Tree) -> None:
    response = post(
        Client(),
        reverse("online:complaint"),
        {
            "district": tree.district.pk,
            "station": tree.station_a.pk,
            "subject_name": "3号窗口工作人员",
            "statement": "11月20日上午办理公证咨询时，工作人员态度恶劣，拒绝解答。",
            "name": NAME,
            "phone": PHONE,
        },
    )
    assert response.status_code == 302
    detail = ComplaintDetail.objects.get()
    assert detail.matter.visit.channel == Channel.ONLINE and detail.contact_phone == PHONE
    assert detail.contact_name == NAME and not detail.anonymous
    assert OnlineRequest.objects.get().matter == detail.matter


# --- progress -----------------------------------------------------------------------------------------


def test_progress_lookup_shows_the_state_and_wrong_phone_or_code_say_the_same(
    tree: Tree, personas: Personas
) -> None:
    tracked = submit_question(Client(), tree)
    client = Client()
    found = client.post(reverse("online:track"), {"code": tracked.code.lower(), "phone": PHONE})
    assert found.status_code == 200 and "已收到您的申请" in found.content.decode()
    assert 'data-testid="progress-due"' in found.content.decode() and "答复期限" in found.content.decode()
    wrong_phone = client.post(reverse("online:track"), {"code": tracked.code, "phone": "13900000000"})
    wrong_code = client.post(reverse("online:track"), {"code": "AAAAAAAAAA", "phone": PHONE})
    assert wrong_phone.status_code == wrong_code.status_code == 404
    assert "没有找到与该查询码和手机号相符的申请" in wrong_phone.content.decode()
    assert "没有找到与该查询码和手机号相符的申请" in wrong_code.content.decode()
    # The clerk claims and answers it: the citizen reads the answer.
    services.online_claim(actor=personas.clerk_a, matter=tracked.matter)
    matter_services.matter_answer(actor=personas.clerk_a, matter=tracked.matter, answer="可以申请劳动仲裁。")
    answered = client.post(reverse("online:track"), {"code": tracked.code, "phone": PHONE})
    assert "可以申请劳动仲裁。" in answered.content.decode()


def test_progress_lookup_is_rate_limited_per_code(tree: Tree, settings: Any) -> None:
    settings.LAWDESK_ONLINE_TRACK_PER_CODE = 3
    tracked = submit_question(Client(), tree)
    for _ in range(3):
        Client().post(reverse("online:track"), {"code": tracked.code, "phone": "13900000000"})
    blocked = Client().post(reverse("online:track"), {"code": tracked.code, "phone": PHONE})
    assert blocked.status_code == 429 and "查询次数过多" in blocked.content.decode()


def test_progress_lookup_is_rate_limited_per_address(tree: Tree, settings: Any) -> None:
    settings.LAWDESK_ONLINE_TRACK_PER_ADDRESS = 2
    client = Client()
    for code in ("AAAAAAAAA3", "AAAAAAAAA4"):
        client.post(reverse("online:track"), {"code": code, "phone": PHONE})
    blocked = client.post(reverse("online:track"), {"code": "AAAAAAAAA6", "phone": PHONE})
    assert blocked.status_code == 429


def test_the_progress_lookup_is_a_post_form_and_carries_nothing_in_its_url(tree: Tree) -> None:
    page = Client().get(reverse("online:track")).content.decode()
    assert re.search(r'<form method="post"', page)
    assert 'method="get"' not in page


# --- abuse limits -------------------------------------------------------------------------------------


def test_submissions_are_limited_per_phone_per_day(tree: Tree, settings: Any) -> None:
    settings.LAWDESK_ONLINE_DAILY_PER_PHONE = 2
    for _ in range(2):
        submit_question(Client(), tree)
    refused = post(Client(), reverse("online:ask"), ask_data(tree))
    assert refused.status_code == 400 and "该手机号今天已提交2次" in refused.content.decode()
    assert OnlineRequest.objects.count() == 2


def test_submissions_are_limited_per_address_per_day(tree: Tree, settings: Any) -> None:
    settings.LAWDESK_ONLINE_DAILY_PER_ADDRESS = 2
    for phone in ("13800000001", "13800000002"):
        submit_question(Client(), tree, phone=phone)
    refused = post(Client(), reverse("online:ask"), ask_data(tree, phone="13800000003"))
    assert "您所在的网络今天提交的网上申请过多" in refused.content.decode()
    other = post(Client(REMOTE_ADDR="10.0.0.9"), reverse("online:ask"), ask_data(tree, phone="13800000004"))
    assert other.status_code == 302


def test_the_honeypot_and_a_too_fast_form_are_refused(tree: Tree, settings: Any) -> None:
    honeypot = post(Client(), reverse("online:ask"), {**ask_data(tree), "website": "http://spam.example"})
    assert honeypot.status_code == 400 and "提交太快了" in honeypot.content.decode()
    settings.LAWDESK_ONLINE_MIN_FILL_SECONDS = 60
    fast = post(Client(), reverse("online:ask"), ask_data(tree))
    assert fast.status_code == 400 and "提交太快了" in fast.content.decode()
    unsigned = Client().post(reverse("online:ask"), {**ask_data(tree), "started": "123", "website": ""})
    assert unsigned.status_code == 400
    assert not OnlineRequest.objects.exists()


# --- the clerk's side ---------------------------------------------------------------------------------


def test_a_clerk_of_the_platform_claims_the_request_and_becomes_first_responder(
    tree: Tree, personas: Personas
) -> None:
    tracked = submit_question(Client(), tree)
    clerk = client_for(personas.clerk_a)
    listing = clerk.get(reverse("online:desk"))
    assert f"claim-{tracked.matter_id}" in listing.content.decode()
    # The matter shows in the clerk's normal list with its channel.
    response = clerk.post(reverse("online:desk_claim", args=[tracked.matter_id]))
    assert response.status_code == 302
    matter = Matter.objects.get(pk=tracked.matter_id)
    assert matter.owner == personas.clerk_a and matter.handover_to is None
    assert list(matter.events.values_list("code", flat=True))[-2:] == [
        "handover_offered",
        "handover_confirmed",
    ]
    assert f"claim-{tracked.matter_id}" not in clerk.get(reverse("online:desk")).content.decode()
    again = clerk.post(reverse("online:desk_claim", args=[tracked.matter_id]))
    assert again.status_code == 302 and Matter.objects.get(pk=tracked.matter_id).owner == personas.clerk_a


def test_a_request_is_announced_to_the_platforms_clerks_with_a_badge_until_claimed(
    tree: Tree, personas: Personas
) -> None:
    tracked = submit_question(Client(), tree)
    notice = Notification.objects.get(user=personas.clerk_a, matter_id=tracked.matter_id)
    assert "网上咨询" in notice.text and NAME not in notice.text and PHONE not in notice.text
    assert not Notification.objects.filter(user=personas.clerk_b).exists()  # another platform's clerk
    assert not Notification.objects.filter(user=personas.office_staff).exists()  # the station has its clerk
    clerk = client_for(personas.clerk_a)
    page = clerk.get(reverse("home")).content.decode()
    assert 'data-testid="online-badge" title="待认领">1<' in page and 'data-testid="work-badge">1<' in page
    assert (
        'data-testid="online-badge"' not in client_for(personas.clerk_b).get(reverse("home")).content.decode()
    )
    clerk.post(reverse("online:desk_claim", args=[tracked.matter_id]))
    assert 'data-testid="online-badge"' not in clerk.get(reverse("home")).content.decode()


def test_a_request_at_a_station_without_clerks_is_announced_to_the_office_above(
    tree: Tree, personas: Personas
) -> None:
    office2_staff = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    tracked = submit_question(Client(), tree, station=tree.station_c.pk)  # no clerk works there
    assert Notification.objects.filter(user=office2_staff, matter_id=tracked.matter_id).count() == 1
    assert not Notification.objects.filter(user=personas.office_staff).exists()
    assert not Notification.objects.filter(user=personas.clerk_a).exists()


def test_the_judicial_office_sees_and_claims_its_stations_requests(tree: Tree, personas: Personas) -> None:
    tracked = submit_question(Client(), tree, station=tree.station_b.pk)
    office = client_for(personas.office_staff)
    assert f"claim-{tracked.matter_id}" in office.get(reverse("online:desk")).content.decode()
    assert office.post(reverse("online:desk_claim", args=[tracked.matter_id])).status_code == 302
    assert Matter.objects.get(pk=tracked.matter_id).owner == personas.office_staff


def test_staff_of_another_platform_can_neither_see_nor_claim_it(tree: Tree, personas: Personas) -> None:
    tracked = submit_question(Client(), tree)
    for user in (personas.clerk_b, personas.other_district_admin):
        client = client_for(user)
        assert client.post(reverse("online:desk_claim", args=[tracked.matter_id])).status_code in (403, 404)
        if user == personas.clerk_b:
            assert f"claim-{tracked.matter_id}" not in client.get(reverse("online:desk")).content.decode()
    assert Matter.objects.get(pk=tracked.matter_id).owner != personas.clerk_b
    assert client_for(personas.handler).get(reverse("online:desk")).status_code == 403


def test_the_intake_account_has_no_password_and_a_clerk_role_at_its_platform_only(tree: Tree) -> None:
    submit_question(Client(), tree)
    user = IntakeAccount.objects.get().user
    assert not user.has_usable_password() and not user.check_password("")
    assert [(r.role, r.node_id) for r in user.roles.all()] == [("window_clerk", tree.station_a.pk)]
    # Lists of real people leave it out by one filter.
    assert not type(user).objects.filter(pk=user.pk, online_intake__isnull=True).exists()


# --- no personal data in URLs -------------------------------------------------------------------------


def test_no_page_or_redirect_of_a_request_carries_personal_data(tree: Tree) -> None:
    client = Client()
    response = post(client, reverse("online:ask"), ask_data(tree), follow=True)
    urls = [url for url, _ in response.redirect_chain]
    body = response.content.decode()
    urls += re.findall(r'(?:href|action)="([^"]*)"', body)
    assert urls
    assert_no_personal_data(*urls)
    for page in ("online:index", "online:ask", "online:complaint", "online:legal_aid", "online:track"):
        html = Client().get(reverse(page)).content.decode()
        assert 'method="get"' not in html or page == "online:index"


def test_the_demo_requests_are_made_once_and_tracked_by_their_fixed_codes(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.online.demo import DEMO_REQUESTS, load_online_demo

    assert load_online_demo(station=tree.station_a) == 2
    assert load_online_demo(station=tree.station_a) == 0
    code, phone = DEMO_REQUESTS[0][0], DEMO_REQUESTS[0][1]
    found = Client().post(reverse("online:track"), {"code": code, "phone": phone})
    assert found.status_code == 200 and "已收到您的申请" in found.content.decode()


def test_the_self_check_asks_for_the_income_and_refuses_a_matter_out_of_scope(tree: Tree) -> None:
    HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("1500"),
        effective_from=datetime.date(2020, 1, 1),
    )
    base = {"district": tree.district.pk, "station": tree.station_a.pk, "household_size": 2}
    no_income = Client().post(reverse("online:legal_aid"), {**base, "category": "labour", "action": "check"})
    assert no_income.status_code == 400 and "请填写家庭月收入" in no_income.content.decode()
    out = Client().post(reverse("online:legal_aid"), {**base, "monthly_income": "0", "action": "check"})
    body = out.content.decode()
    assert "可能不符合法律援助条件" in body and "改为网上咨询" in body and 'value="submit"' not in body
    forced = post(
        Client(),
        reverse("online:legal_aid"),
        {
            **base,
            "monthly_income": "0",
            "action": "submit",
            "case_facts": "想离婚",
            "name": NAME,
            "phone": PHONE,
        },
    )
    assert forced.status_code == 400 and "不属于法律援助范围" in forced.content.decode()
    assert not Matter.objects.exists()


def test_behind_a_proxy_the_limits_count_the_forwarded_address(tree: Tree, settings: Any) -> None:
    """Behind the proxy, ``manage.py serve`` puts the forwarded client in REMOTE_ADDR (tests/test_proxy.py drives
    the real server); Django never reads X-Forwarded-For itself, so a forged one changes nothing."""
    settings.LAWDESK_BEHIND_PROXY = True
    settings.LAWDESK_ONLINE_DAILY_PER_ADDRESS = 1

    def via(address: str, forged: str = "") -> Client:
        extra: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": forged} if forged else {}
        return Client(REMOTE_ADDR=address, **extra)

    first = post(via("203.0.113.7"), reverse("online:ask"), ask_data(tree, phone="13800000011"))
    assert first.status_code == 302
    refused = post(
        via("203.0.113.7", forged="198.51.100.1"), reverse("online:ask"), ask_data(tree, phone="13800000012")
    )
    assert "您所在的网络今天提交的网上申请过多" in refused.content.decode()
    other = post(via("203.0.113.8"), reverse("online:ask"), ask_data(tree, phone="13800000013"))
    assert other.status_code == 302


def test_the_clerk_finds_the_online_matter_in_the_normal_pages_and_other_districts_do_not(
    tree: Tree, personas: Personas
) -> None:
    tracked = submit_question(Client(), tree)
    page = client_for(personas.clerk_a).get(reverse("desk:matter", args=[tracked.matter_id]))
    assert page.status_code == 200 and "网上" in page.content.decode()
    assert (
        tracked.matter.summary[:10]
        in client_for(personas.clerk_a).get(reverse("desk:matters")).content.decode()
    )
    other = client_for(personas.other_district_admin).get(reverse("desk:matter", args=[tracked.matter_id]))
    assert other.status_code == 404


def test_a_second_claim_of_a_stale_copy_is_refused_in_chinese(tree: Tree, personas: Personas) -> None:
    tracked = submit_question(Client(), tree)
    stale = Matter.objects.get(pk=tracked.matter_id)
    services.online_claim(actor=personas.clerk_a, matter=Matter.objects.get(pk=tracked.matter_id))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="已由工作人员认领"):
        services.online_claim(actor=personas.office_staff, matter=stale)
    assert Matter.objects.get(pk=tracked.matter_id).owner == personas.clerk_a
