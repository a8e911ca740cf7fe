"""The citizen's rating link: sent by SMS once an online or phone matter is answered, it rates the matter once,
then is refused; it expires; staff who can see the matter cannot use it; a forged token is refused."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.online import rating, services
from lawdesk.online.models import RatingLink
from lawdesk.online.services import Citizen
from tests.conftest import Personas, Tree, client_for

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def outbox(settings: Any) -> list[Any]:
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    settings.LAWDESK_PUBLIC_BASE_URL = "https://fw.example.gov.cn"
    ConsoleSmsBackend.outbox.clear()
    return ConsoleSmsBackend.outbox


def answered_online_matter(tree: Tree, personas: Personas, capture: Any) -> Matter:
    tracked = services.consultation_submit(
        node=tree.station_a,
        citizen=Citizen(name="王建国", phone=PHONE, groups=[]),
        question="邻居家漏水到我家，怎么办？",
        address="test",
    )
    services.online_claim(actor=personas.clerk_a, matter=tracked.matter)
    with capture(execute=True):
        matter_services.matter_answer(
            actor=personas.clerk_a, matter=tracked.matter, answer="可以先申请人民调解。"
        )
    return Matter.objects.get(pk=tracked.matter_id)


def link_path(outbox: list[Any]) -> str:
    assert len(outbox) == 1, outbox
    match = re.search(r"https://fw\.example\.gov\.cn(/online/rate/[^/\s]+/)", outbox[0].text)
    assert match, outbox[0].text
    return match.group(1)


def test_answering_an_online_matter_sends_one_rating_link_by_sms(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    matter = answered_online_matter(tree, personas, django_capture_on_commit_callbacks)
    path = link_path(outbox)
    assert outbox[0].phone == PHONE and PHONE not in path
    link = RatingLink.objects.get(matter=matter)
    assert path.split("/")[-2] not in (link.token_digest,)  # only the digest is stored
    # Closing it later sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        matter_services.matter_close(actor=personas.clerk_a, matter=matter)
    assert len(outbox) == 1


def test_the_link_rates_the_matter_once_then_is_refused(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    matter = answered_online_matter(tree, personas, django_capture_on_commit_callbacks)
    path = link_path(outbox)
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and tree.station_a.name in page.content.decode()
    done = client.post(path, {"rating": "4", "comment": "解答很耐心"})
    assert "感谢您的评价" in done.content.decode()
    matter.refresh_from_db()
    assert matter.rating == 4 and matter.rating_comment == "解答很耐心"
    assert matter.events.filter(code="citizen_rated").count() == 1
    again = client.post(path, {"rating": "1", "comment": "改一下"})
    assert again.status_code == 410 and "已经使用过" in again.content.decode()
    assert Client().get(path).status_code == 410
    matter.refresh_from_db()
    assert matter.rating == 4


def test_staff_who_see_the_matter_cannot_rate_it(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    matter = answered_online_matter(tree, personas, django_capture_on_commit_callbacks)
    path = link_path(outbox)
    for user in (personas.clerk_a, personas.office_staff, personas.district_admin):
        response = client_for(user).post(path, {"rating": "5"})
        assert response.status_code == 403 and "工作人员不能" in response.content.decode()
    matter.refresh_from_db()
    assert matter.rating is None
    # Staff elsewhere are no party to it; the citizen's link still works.
    assert client_for(personas.other_district_admin).get(path).status_code == 200


def test_an_expired_or_forged_link_is_refused(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    matter = answered_online_matter(tree, personas, django_capture_on_commit_callbacks)
    path = link_path(outbox)
    token = path.split("/")[-2]
    raw, _, _signature = token.rpartition(":")
    assert Client().get(reverse("online:rate", args=[raw + ":forged"])).status_code == 410
    RatingLink.objects.filter(matter=matter).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().post(path, {"rating": "5"}).status_code == 410
    matter.refresh_from_db()
    assert matter.rating is None


def test_an_on_site_visit_gets_no_rating_link_but_a_phone_one_does(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    for channel in (Channel.ON_SITE, Channel.PHONE):
        with django_capture_on_commit_callbacks(execute=True):
            matter_services.visit_register(
                actor=personas.clerk_a,
                node=tree.station_a,
                person_data=PersonInput(name="李四", phone=PHONE),
                matters=[
                    MatterInput(kind=MatterKind.CONSULTATION, summary="咨询继承", answer="按法定继承办理。")
                ],
                channel=channel,
            )
    assert len(outbox) == 1
    assert RatingLink.objects.get().matter.visit.channel == Channel.PHONE


def test_the_service_refuses_a_rating_out_of_range(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    answered_online_matter(tree, personas, django_capture_on_commit_callbacks)
    token = link_path(outbox).split("/")[-2]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rating.citizen_rate(token=token, rating=6)
    response = Client().post(reverse("online:rate", args=[token]), {"rating": "9"})
    assert response.status_code == 400 and "请选择1到5分" in response.content.decode()


def test_closing_never_replaces_the_citizens_own_rating(
    tree: Tree, personas: Personas, outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    matter = answered_online_matter(tree, personas, django_capture_on_commit_callbacks)
    Client().post(link_path(outbox), {"rating": "2", "comment": "等太久"})
    closed = matter_services.matter_close(actor=personas.clerk_a, matter=matter, rating=5, comment="很满意")
    closed.refresh_from_db()
    assert (closed.state, closed.rating, closed.rating_comment) == ("closed", 2, "等太久")
