"""Video consultations without a media server (a fake VideoRoom API, tests/video_fakes.py; the real call is
tests/test_browser_video.py): who may start one, the citizen's one-time link (used, expired, unknown, ended),
recording only with both consents, ending and expiry, the timeline, the figure and its drill-down, the pages
when video is not configured, and no token or phone in the logs."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from lawdesk.attachments.models import Attachment
from lawdesk.core import clock
from lawdesk.core.logfilter import redact_secrets
from lawdesk.core.models import AuditLog
from lawdesk.matters.models import Matter, MatterEvent
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.stats import indicators
from lawdesk.stats.selectors import drill_down
from lawdesk.video import services
from lawdesk.video.models import EndReason, VideoInvite, VideoRoom
from tests.builders import build_world, register
from tests.conftest import Personas, Tree, client_for
from tests.video_fakes import FakeJanus, fake_janus

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


@pytest.fixture
def janus(settings: Any) -> Iterator[FakeJanus]:
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    settings.LAWDESK_PUBLIC_BASE_URL = "http://testserver"
    ConsoleSmsBackend.outbox.clear()
    with fake_janus() as fake:
        yield fake


@pytest.fixture
def matter(tree: Tree, personas: Personas) -> Matter:
    return register(build_world(tree, personas), "consultation")


def _token(opened: services.Opened) -> str:
    return opened.token


def test_a_clerk_starts_a_room_in_janus_with_a_pin_and_the_two_tokens_and_sms_the_link(
    janus: FakeJanus, matter: Matter, personas: Personas
) -> None:
    response = client_for(personas.clerk_a).post(
        reverse("video_desk:start", args=[matter.pk]), {"phone": PHONE, "sms": "1"}
    )
    assert response.status_code == 200
    room = VideoRoom.objects.get(matter=matter)
    created = janus.rooms[room.janus_room]
    assert created["pin"] == room.pin and created["secret"] == room.secret and created["is_private"] is True
    invite = room.invites.get()
    assert sorted(created["allowed"]) == sorted([room.staff_token, invite.janus_token])
    assert created["admin_key"] == "test" and created["description"] == f"lawdesk-{room.janus_room}"
    assert PHONE not in str(created)
    (sms,) = ConsoleSmsBackend.outbox
    assert sms.phone == PHONE and "/video/j/" in sms.text and invite.sent_by_sms
    link = sms.text.split("http://testserver")[1].split()[0]
    assert link in response.content.decode()  # shown once to the clerk (station terminal)
    assert PHONE not in link and "张三" not in link
    # Only the digest of the token is kept.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invite.token_digest == services.token_digest(token) and token not in str(
        VideoInvite.objects.values()
    )


def test_the_citizens_link_works_once(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any
) -> None:
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    url = reverse("video:join", args=[opened.token])
    first = client.get(url)
    assert first.status_code == 200 and 'data-testid="video-remote"' in first.content.decode()
    assert "no-store" in first["Cache-Control"] and "camera=(self)" in first["Permissions-Policy"]
    room = VideoRoom.objects.get(pk=opened.room.pk)
    assert room.citizen_joined_at is not None
    again = client.get(url)
    assert again.status_code == 403
    assert "该视频咨询链接无效、已过期或已经使用过" in again.content.decode()
    assert 'data-testid="video-remote"' not in again.content.decode()
    with pytest.raises(ValidationError):
        services.invite_use(token=opened.token)


def test_an_unknown_or_expired_link_is_refused_and_an_expired_room_is_ended_in_janus(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any, pinned_clock: Any
) -> None:
    assert client.get(reverse("video:join", args=["x" * 32])).status_code == 403
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    pinned_clock.move_to(clock.now() + datetime.timedelta(minutes=services.room_minutes() + 1))
    response = client.get(reverse("video:join", args=[opened.token]))
    assert response.status_code == 403 and "已过期" in response.content.decode()
    assert opened.room.janus_room in janus.rooms
    assert services.expire_rooms() == 1
    room = VideoRoom.objects.get(pk=opened.room.pk)
    assert room.end_reason == EndReason.EXPIRED and room.ended_at == room.expires_at
    assert opened.room.janus_room not in janus.rooms
    # The citizen never came: nothing on the timeline.
    assert not MatterEvent.objects.filter(matter=matter, code="video_consultation").exists()
    assert services.expire_rooms() == 0


def test_a_link_of_an_ended_room_is_refused(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any
) -> None:
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    services.room_end(actor=personas.clerk_a, room=opened.room)
    assert client.get(reverse("video:join", args=[opened.token])).status_code == 403


def test_a_citizens_session_consents_only_for_their_own_room(
    janus: FakeJanus, tree: Tree, personas: Personas, client: Any
) -> None:
    world = build_world(tree, personas)
    mine = register(world, "consultation")
    other = register(world, "dispute")
    opened = services.room_open(actor=personas.clerk_a, matter=mine, send_sms=False)
    foreign = services.room_open(actor=personas.clerk_a, matter=other, send_sms=False)
    client.get(reverse("video:join", args=[opened.token]))
    response = client.post(reverse("video:consent"), HTTP_ACCEPT="application/json")
    assert response.json()["ok"] is True and response.json()["recording"] is False
    assert VideoRoom.objects.get(pk=opened.room.pk).citizen_consent_at is not None
    assert VideoRoom.objects.get(pk=foreign.room.pk).citizen_consent_at is None
    # Without a link opened in this browser there is no citizen to consent for.
    assert client_for(personas.clerk_b).post(reverse("video:consent")).status_code == 403


def test_recording_starts_only_when_both_parties_agree(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any
) -> None:
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    staff = client_for(personas.clerk_a)
    answer = staff.post(reverse("video_desk:consent", args=[opened.room.pk]), HTTP_ACCEPT="application/json")
    assert answer.json() == {
        "ok": True,
        "message": "您已同意录制；对方也同意后才会开始录制。",
        "recording": False,
    }
    assert not [
        r
        for r in janus.requests
        if r["request"] == "enable_recording" and r["room"] == opened.room.janus_room
    ]
    client.get(reverse("video:join", args=[opened.token]))
    answer = client.post(reverse("video:consent"), HTTP_ACCEPT="application/json")
    assert answer.json()["recording"] is True
    assert janus.rooms[opened.room.janus_room]["record"] is True
    assert VideoRoom.objects.get(pk=opened.room.pk).recording


def test_a_consented_recording_is_filed_as_the_matters_attachment_when_the_room_ends(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.LAWDESK_VIDEO_RECORDINGS_DIR = str(tmp_path)
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    assert janus.rooms[opened.room.janus_room]["rec_dir"] == str(tmp_path / str(opened.room.pk))
    client.get(reverse("video:join", args=[opened.token]))
    folder = tmp_path / str(opened.room.pk)
    folder.mkdir()
    (folder / "videoroom-1-user-2-3-video-0.mjr").write_bytes(b"MJR00002" + b"\x00" * 100)
    (folder / "videoroom-1-user-2-3-audio-0.mjr").write_bytes(b"MJR00002" + b"\x01" * 50)
    # Without both consents nothing is filed, even if files lie there.
    services.recording_consent(actor=personas.clerk_a, room=opened.room, party="staff")
    services.recording_consent(actor=None, room=opened.room, party="citizen")
    services.room_end(actor=personas.clerk_a, room=opened.room)
    filed = list(Attachment.objects.filter(matter=matter).order_by("size"))
    assert [a.size for a in filed] == [58, 108] and {a.content_type for a in filed} == {
        services.RECORDING_TYPE
    }
    assert "视频" in filed[1].original_name and filed[0].uploaded_by == personas.clerk_a
    assert MatterEvent.objects.filter(matter=matter, code="attachment_added").count() == 2
    # Served only through the matter's scope, like every attachment.
    url = reverse("desk:attachment", args=[filed[1].pk])
    assert client_for(personas.clerk_a).get(url).status_code == 200
    assert client_for(personas.other_district_admin).get(url).status_code == 404


def test_without_consent_no_recording_is_filed(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.LAWDESK_VIDEO_RECORDINGS_DIR = str(tmp_path)
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    client.get(reverse("video:join", args=[opened.token]))
    (tmp_path / str(opened.room.pk)).mkdir()
    (tmp_path / str(opened.room.pk) / "stray-video-0.mjr").write_bytes(b"MJR")
    services.recording_consent(actor=personas.clerk_a, room=opened.room, party="staff")
    services.room_end(actor=personas.clerk_a, room=opened.room)
    assert not Attachment.objects.filter(matter=matter).exists()


def test_ending_puts_the_consultation_on_the_timeline_with_who_when_and_how_long(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any, pinned_clock: Any
) -> None:
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    client.get(reverse("video:join", args=[opened.token]))
    pinned_clock.move_to(clock.now() + datetime.timedelta(minutes=12, seconds=30))
    staff = client_for(personas.clerk_a)
    response = staff.post(reverse("video_desk:end", args=[opened.room.pk]))
    assert response.status_code == 302
    event = MatterEvent.objects.get(matter=matter, code="video_consultation")
    assert event.actor == personas.clerk_a and 750 <= event.data["seconds"] <= 752
    assert event.data["recorded"] is False and opened.room.janus_room not in janus.rooms
    page = staff.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert "远程视频咨询" in page and "时长：12分" in page
    # Ending twice is refused.
    with pytest.raises(ValidationError):
        services.room_end(actor=personas.clerk_a, room=opened.room)


def test_the_figure_counts_held_consultations_and_drills_down_to_them(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any
) -> None:
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    client.get(reverse("video:join", args=[opened.token]))
    services.room_end(actor=personas.clerk_a, room=opened.room)
    unjoined = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    services.room_end(actor=personas.clerk_a, room=unjoined.room)
    indicator = indicators.get("video_consultations")
    assert indicator.label == "远程视频咨询人次"
    today = clock.today()
    office = matter.node.parent
    assert office is not None
    _item, qs = drill_down(
        actor=personas.office_staff, node=office, indicator="video_consultations",
        year=today.year, month=today.month,
    )  # fmt: skip
    assert list(qs.values_list("matter_id", flat=True)) == [matter.pk]
    with pytest.raises(Http404):
        drill_down(
            actor=personas.other_district_admin, node=office, indicator="video_consultations",
            year=today.year, month=today.month,
        )  # fmt: skip
    response = client_for(personas.office_staff).get(
        reverse("stats:drill", args=[office.pk, f"{today:%Y-%m}", "video_consultations"])
    )
    assert response.status_code == 200 and response.context["count"] == 1


def test_another_organisations_staff_cannot_start_see_or_end_a_room(
    janus: FakeJanus, matter: Matter, personas: Personas
) -> None:
    for outsider in (personas.clerk_b, personas.other_district_admin, personas.handler):
        client = client_for(outsider)
        assert client.post(reverse("video_desk:start", args=[matter.pk])).status_code == 404, outsider
    assert not VideoRoom.objects.exists()
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    for outsider in (personas.clerk_b, personas.other_district_admin, personas.leader):
        client = client_for(outsider)
        assert client.get(reverse("video_desk:room", args=[opened.room.pk])).status_code == 404, outsider
        assert client.post(reverse("video_desk:end", args=[opened.room.pk])).status_code == 404, outsider
        assert client.post(reverse("video_desk:consent", args=[opened.room.pk])).status_code == 404, outsider
    with pytest.raises(PermissionDenied):
        services.room_end(actor=personas.clerk_b, room=opened.room)
    # The office above may act for its station, as on the matter itself.
    assert (
        client_for(personas.office_staff).get(reverse("video_desk:room", args=[opened.room.pk])).status_code
        == 200
    )
    assert VideoRoom.objects.get(pk=opened.room.pk).ended_at is None


def test_one_open_room_per_matter(janus: FakeJanus, matter: Matter, personas: Personas) -> None:
    services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    with pytest.raises(ValidationError, match="已有进行中的视频咨询"):
        services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)


def test_without_a_media_server_the_matter_page_says_video_is_not_configured(
    settings: Any, matter: Matter, personas: Personas
) -> None:
    settings.LAWDESK_JANUS_URL = ""
    client = client_for(personas.clerk_a)
    page = client.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert "视频服务未配置" in page and 'data-testid="video-start"' not in page
    response = client.post(reverse("video_desk:start", args=[matter.pk]), follow=True)
    assert "视频服务未配置" in response.content.decode()
    assert not VideoRoom.objects.exists()
    with pytest.raises(ValidationError):
        services.room_open(actor=personas.clerk_a, matter=matter)


def test_turn_credentials_are_time_limited_and_signed_with_the_shared_secret(
    settings: Any, janus: FakeJanus, matter: Matter, personas: Personas
) -> None:
    import base64
    import hashlib
    import hmac

    settings.LAWDESK_TURN_URL = "turn:turn.example:3478?transport=udp,turns:turn.example:5349"
    settings.LAWDESK_TURN_SECRET = "shared"
    opened = services.room_open(actor=personas.clerk_a, matter=matter, send_sms=False)
    (server,) = services.call_config(opened.room, party="staff", janus_token="t")["ice_servers"]
    expiry, name = server["username"].split(":")
    assert name == "lawdesk" and int(expiry) > clock.now().timestamp()
    expected = base64.b64encode(
        hmac.new(b"shared", server["username"].encode(), hashlib.sha1).digest()
    ).decode()
    assert server["credential"] == expected and len(server["urls"]) == 2


def test_no_token_or_phone_reaches_the_logs_or_the_audit(
    janus: FakeJanus, matter: Matter, personas: Personas, client: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    opened = services.room_open(actor=personas.clerk_a, matter=matter, phone=PHONE)
    client.get(reverse("video:join", args=[opened.token]))
    services.room_end(actor=personas.clerk_a, room=opened.room)
    # The SMS backend's own log is the message sent (the console backend of development); nothing else.
    logged = " ".join(r.getMessage() for r in caplog.records if r.name != "lawdesk.sms")
    audited = str(list(AuditLog.objects.values_list("data", "object_repr")))
    for secret in (opened.token, PHONE, opened.room.pin, opened.room.secret, opened.room.staff_token):
        assert secret not in logged and secret not in audited
    # The SMS log line and the server's request log go through the project's log filter: the link is hidden.
    (sms,) = ConsoleSmsBackend.outbox
    assert opened.token not in redact_secrets(sms.text) and "/video/j/[已隐去]" in redact_secrets(sms.text)
    assert opened.token not in redact_secrets(f'"GET /video/j/{opened.token}/ HTTP/1.1" 200')


# --- video appointments ------------------------------------------------------------------------------------


def _video_appointment(personas: Personas, tree: Tree, phone: str = PHONE) -> Any:
    from lawdesk.appointments import services as appointment_services
    from lawdesk.matters.models import Channel
    from lawdesk.matters.services import PersonInput
    from tests.test_appointments import at, next_working

    slot = appointment_services.slot_create(
        actor=personas.clerk_a,
        node=tree.station_a,
        start=at(next_working(2), 9),
        end=at(next_working(2), 10),
        kind="video",
    )
    return appointment_services.appointment_book(
        actor=personas.clerk_a,
        slot=slot,
        summary="咨询赡养费纠纷",
        person_data=PersonInput(name="王秀英", phone=phone),
        channel=Channel.PHONE,
    )


def test_booking_a_video_appointment_opens_its_room_until_the_slot_ends_and_smses_the_link(
    janus: FakeJanus, personas: Personas, tree: Tree
) -> None:
    appointment = _video_appointment(personas, tree)
    room = VideoRoom.objects.get(matter=appointment.matter)
    assert room.janus_room in janus.rooms
    assert room.expires_at == appointment.slot.end + datetime.timedelta(minutes=30)
    invite = room.invites.get()
    assert invite.sent_by_sms and invite.expires_at == room.expires_at
    (sms,) = ConsoleSmsBackend.outbox
    assert sms.phone == PHONE and "/video/j/" in sms.text and "远程视频咨询" in sms.text
    # one act, one audit row: the booking's
    assert AuditLog.objects.filter(action="appointment_booked").count() == 1
    assert not AuditLog.objects.filter(action="video_room_opened").exists()
    # the staff join link on the appointment's page (and the matter's)
    page = client_for(personas.clerk_a).get(reverse("appointments:detail", args=[appointment.pk]))
    assert reverse("video_desk:room", args=[room.pk]) in page.content.decode()
    # opened the day before, the link is refused without being used up; it works at the appointment's time
    token = sms.text.split("/video/j/")[1].split("/")[0]
    early = client_for(personas.clerk_b).get(reverse("video:join", args=[token])).content.decode()
    assert "尚未开始" in early and room.invites.get().used_at is None
    with time_machine.travel(appointment.slot.start + datetime.timedelta(minutes=5), tick=False):
        assert services.invite_use(token=token).room == room


def test_rescheduling_moves_the_rooms_expiry_and_cancelling_ends_it(
    janus: FakeJanus, personas: Personas, tree: Tree
) -> None:
    from lawdesk.appointments import services as appointment_services
    from tests.test_appointments import at, next_working

    appointment = _video_appointment(personas, tree)
    room = VideoRoom.objects.get(matter=appointment.matter)
    later = appointment_services.slot_create(
        actor=personas.clerk_a, node=tree.station_a, start=at(next_working(3), 14), end=at(next_working(3), 15),
        kind="video",
    )  # fmt: skip
    appointment_services.appointment_reschedule(actor=personas.clerk_a, appointment=appointment, slot=later)
    room.refresh_from_db()
    assert room.expires_at == later.end + datetime.timedelta(minutes=30) and room.ended_at is None
    assert room.invites.get().expires_at == room.expires_at
    appointment_services.appointment_cancel(
        actor=personas.clerk_a, appointment=appointment, reason="不需要了"
    )
    room.refresh_from_db()
    assert room.ended_at is not None and room.janus_room not in janus.rooms


def test_without_a_media_server_a_video_appointment_is_still_booked_and_its_page_says_so(
    settings: Any, personas: Personas, tree: Tree
) -> None:
    settings.LAWDESK_JANUS_URL = ""
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    ConsoleSmsBackend.outbox.clear()
    appointment = _video_appointment(personas, tree)
    assert appointment.pk and not VideoRoom.objects.exists() and not ConsoleSmsBackend.outbox
    page = client_for(personas.clerk_a).get(reverse("appointments:detail", args=[appointment.pk]))
    assert page.status_code == 200 and "视频服务未配置" in page.content.decode()


def test_a_media_server_refusing_the_room_does_not_undo_the_booking(
    janus: FakeJanus, personas: Personas, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lawdesk.video import janus as janus_api

    def refuse(**kwargs: Any) -> None:
        raise janus_api.JanusError("视频服务暂时不可用。")

    monkeypatch.setattr(janus_api, "create_room", refuse)
    appointment = _video_appointment(personas, tree)
    assert appointment.pk and not VideoRoom.objects.exists() and not VideoInvite.objects.exists()
    page = client_for(personas.clerk_a).get(reverse("appointments:detail", args=[appointment.pk]))
    assert 'data-testid="video-start"' in page.content.decode()


def test_another_platforms_clerk_cannot_see_or_join_a_video_appointments_room(
    janus: FakeJanus, personas: Personas, tree: Tree
) -> None:
    appointment = _video_appointment(personas, tree)
    room = VideoRoom.objects.get(matter=appointment.matter)
    client = client_for(personas.clerk_b)
    assert client.get(reverse("video_desk:room", args=[room.pk])).status_code == 404
    assert client.get(reverse("appointments:detail", args=[appointment.pk])).status_code == 404


# --- station terminals -------------------------------------------------------------------------------------


def _paired_terminal(personas: Personas, tree: Tree) -> tuple[Any, Any]:
    """A terminal registered at station A by its clerk and the terminal's browser, paired by its link."""
    from django.test import Client

    page = client_for(personas.clerk_a).post(
        reverse("video_desk:terminal_new"), {"node": tree.station_a.pk, "name": "东村12348终端"}
    )
    assert page.status_code == 200
    pair_path = "/video/t/pair/" + page.content.decode().split("/video/t/pair/")[1].split("/")[0] + "/"
    kiosk = Client()
    assert kiosk.get(pair_path).status_code == 302
    assert Client().get(pair_path).status_code == 403  # the pairing link works once
    return kiosk, pair_path


def test_a_paired_terminal_starts_a_consultation_joined_right_there_and_its_clerks_see_the_waiting_call(
    janus: FakeJanus, personas: Personas, tree: Tree
) -> None:
    kiosk, _ = _paired_terminal(personas, tree)
    page = kiosk.get(reverse("video:terminal"))
    assert page.status_code == 200 and 'data-testid="terminal-call"' in page.content.decode()
    call = kiosk.post(reverse("video:terminal"))
    assert call.status_code == 200
    room = VideoRoom.objects.select_related("matter", "terminal").get()
    assert room.terminal is not None and room.node == tree.station_a and room.matter.node == tree.station_a
    assert room.matter.kind == "consultation" and room.matter.visit.channel == "video"
    assert (
        room.citizen_joined_at is not None and room.invites.get().used_at is not None
    )  # joined at the terminal
    assert room.janus_room in janus.rooms and not ConsoleSmsBackend.outbox
    assert "/video/j/" not in call.content.decode()  # the one-time token is never shown
    # the platform's clerk sees the waiting call and joins it from the desk
    clerk = client_for(personas.clerk_a)
    waiting = clerk.get(reverse("video_desk:waiting")).content.decode()
    assert reverse("video_desk:room", args=[room.pk]) in waiting and "东村12348终端" in waiting
    assert clerk.get(reverse("video_desk:room", args=[room.pk])).status_code == 200


def test_another_platforms_clerk_neither_sees_nor_joins_a_terminal_call(
    janus: FakeJanus, personas: Personas, tree: Tree
) -> None:
    kiosk, _ = _paired_terminal(personas, tree)
    kiosk.post(reverse("video:terminal"))
    room = VideoRoom.objects.get()
    other = client_for(personas.clerk_b)
    waiting = other.get(reverse("video_desk:waiting")).content.decode()
    assert reverse("video_desk:room", args=[room.pk]) not in waiting and "东村12348终端" not in waiting
    assert other.get(reverse("video_desk:room", args=[room.pk])).status_code == 404
    terminal = room.terminal
    assert terminal is not None
    assert other.post(reverse("video_desk:terminal_revoke", args=[terminal.pk])).status_code == 404
    assert (
        other.post(reverse("video_desk:terminal_new"), {"node": tree.station_a.pk, "name": "x"}).status_code
        == 404
    )


def test_an_unpaired_or_revoked_terminal_cannot_start_a_call(
    janus: FakeJanus, personas: Personas, tree: Tree
) -> None:
    from django.test import Client

    assert Client().post(reverse("video:terminal")).status_code == 403
    kiosk, _ = _paired_terminal(personas, tree)
    terminal = services.VideoTerminal.objects.get()
    client_for(personas.clerk_a).post(reverse("video_desk:terminal_revoke", args=[terminal.pk]))
    assert kiosk.post(reverse("video:terminal")).status_code == 403
    assert not VideoRoom.objects.exists()


def test_without_a_media_server_the_terminal_says_video_is_not_configured(
    janus: FakeJanus, settings: Any, personas: Personas, tree: Tree
) -> None:
    kiosk, _ = _paired_terminal(personas, tree)
    settings.LAWDESK_JANUS_URL = ""
    assert "视频服务未配置" in kiosk.get(reverse("video:terminal")).content.decode()
    response = kiosk.post(reverse("video:terminal"))
    assert response.status_code == 400 and "视频服务未配置" in response.content.decode()
    from lawdesk.matters.models import Visit

    assert (
        not VideoRoom.objects.exists()
        and not Visit.objects.filter(node=tree.station_a, channel="video").exists()
    )
