"""A remote video consultation through a real Janus: the clerk starts it from the matter page, the citizen opens
the link from their SMS, each side receives the other's video (Chromium's fake camera, counted by the receiving
RTCPeerConnection's framesDecoded), both consent and Janus records, a used or foreign link is refused, Janus
itself refuses a join without the room's token, and ending it puts it on the matter's timeline.

Janus must be installed (``apt-get install janus``); without it the test skips, and fails under CI
(``LAWDESK_REQUIRE_VIDEO`` / ``LAWDESK_REQUIRE_BROWSER``, set by ``.ci/run``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lawdesk.attachments.models import Attachment
from lawdesk.matters.models import MatterEvent
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.video import janus, services
from lawdesk.video.models import VideoRoom
from tests.builders import build_world, register
from tests.conftest import BROWSER_TIMEOUT_MS, CHROMIUM_ARGS, Personas, Tree, login, screenshot
from tests.servers import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PHONE = "13800138000"
FRAMES = 30  # frames each side must have decoded from the other
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
]


def _require() -> bool:
    return any(os.environ.get(n) for n in ("CI", "LAWDESK_REQUIRE_VIDEO", "LAWDESK_REQUIRE_BROWSER"))


@pytest.fixture(scope="module")
def janus_server() -> Iterator[dict[str, str]]:
    """The Janus .ci/run started (LAWDESK_TEST_JANUS_RUN and _URL), else one started here by scripts/janus-start
    on free ports (no coturn: the call stays on loopback)."""
    shared = os.environ.get("LAWDESK_TEST_JANUS_RUN", "")
    if shared and os.environ.get("LAWDESK_TEST_JANUS_URL"):
        yield {
            "url": os.environ["LAWDESK_TEST_JANUS_URL"],
            "admin_key": (Path(shared) / "admin_key").read_text(),
            "run": shared,
        }
        return
    if shutil.which("janus") is None:
        message = "Janus is not installed (apt-get install janus): the video call cannot be tested"
        if _require():
            pytest.fail(message)
        pytest.skip(message)
    run = Path(tempfile.mkdtemp(prefix="lawdesk-janus-"))
    port = free_port()
    rtp = 30000 + (os.getpid() % 200) * 100
    env = {
        **os.environ,
        "JANUS_HTTP_PORT": str(port),
        "JANUS_WS_PORT": "0",
        "JANUS_RTP_RANGE": f"{rtp}-{rtp + 99}",
        "TURN_PORT": "0",
    }
    started = subprocess.run(
        [str(ROOT / "scripts" / "janus-start"), str(run)], env=env, capture_output=True, text=True, timeout=60
    )
    if started.returncode != 0:
        log = (run / "janus.log").read_text() if (run / "janus.log").exists() else ""
        pytest.fail(f"Janus did not start: {started.stderr}\n{log[-2000:]}")
    try:
        yield {
            "url": f"http://127.0.0.1:{port}/janus",
            "admin_key": (run / "admin_key").read_text(),
            "run": str(run),
        }
    finally:
        pid = int((run / "janus.pid").read_text().strip() or 0) if (run / "janus.pid").exists() else 0
        if pid:
            os.kill(pid, signal.SIGTERM)
        shutil.rmtree(run, ignore_errors=True)


@pytest.fixture
def video(settings: Any, live_server: Any, janus_server: dict[str, str], tmp_path: Path) -> Path:
    settings.LAWDESK_JANUS_URL = janus_server["url"]
    settings.LAWDESK_JANUS_ADMIN_KEY = janus_server["admin_key"]
    settings.LAWDESK_PUBLIC_BASE_URL = live_server.url
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    recordings = Path(janus_server["run"]) / "recordings"
    recordings.mkdir(exist_ok=True)
    settings.LAWDESK_VIDEO_RECORDINGS_DIR = str(recordings)
    ConsoleSmsBackend.outbox.clear()
    return recordings


@pytest.fixture
def media_browser(chromium: Any) -> Iterator[Any]:
    browser = chromium.browser_type.launch(
        executable_path=os.environ.get("LAWDESK_CHROMIUM", "/usr/bin/chromium"),
        headless=True,
        args=CHROMIUM_ARGS + MEDIA_ARGS,
    )
    yield browser
    browser.close()


def _page(browser: Any, errors: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.grant_permissions(["camera", "microphone"])
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: CONSOLE.append(f"{m.type}: {m.text}"))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return page


CONSOLE: list[str] = []


def _join_event(room: VideoRoom, *, token: str, pin: str | None = None) -> dict[str, Any]:
    """Join the room straight through Janus's API (as a third party who learnt the room and pin would): the
    VideoRoom's asynchronous answer to the join."""
    base = janus.server_url()
    session = janus._post(base, {"janus": "create"})["data"]["id"]
    handle = janus._post(f"{base}/{session}", {"janus": "attach", "plugin": janus.PLUGIN})["data"]["id"]
    body = {"request": "join", "ptype": "publisher", "room": room.janus_room, "pin": pin or room.pin}
    janus._post(f"{base}/{session}/{handle}", {"janus": "message", "body": {**body, "token": token}})
    try:
        for _ in range(20):  # long polls: each returns at once when the event is there
            with urllib.request.urlopen(f"{base}/{session}?maxev=1", timeout=35) as response:
                event = json.loads(response.read().decode())
            data: dict[str, Any] = ((event.get("plugindata") or {}).get("data")) or {}
            if data:
                return data
        return {}
    finally:
        janus._post(f"{base}/{session}", {"janus": "destroy"})


def _frames(page: Any) -> int:
    return int(page.evaluate("() => window.lawdeskVideo.framesDecoded()"))


def _wait_frames(page: Any, at_least: int) -> int:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "n => window.lawdeskVideo && window.lawdeskVideo.frames > n",
            arg=at_least,
            polling=250,
            timeout=60_000,
        )
    except PlaywrightTimeout:
        status = page.inner_text("[data-testid=video-status]")
        pytest.fail(f"no frames: status {status!r}; console: {CONSOLE[-30:]}")
    return _frames(page)


def test_two_parties_see_each_other_through_janus_and_a_third_cannot_join(
    video: Path, media_browser: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    world = build_world(tree, personas)
    matter = register(world, "consultation")
    errors: list[str] = []

    staff = _page(media_browser, errors)
    login(staff, live_server, personas.clerk_a)
    staff.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    staff.fill("[data-testid=video-phone]", PHONE)
    staff.click("[data-testid=video-start]")
    staff.wait_for_selector("[data-testid=video-call]")
    assert PHONE not in staff.url

    # The citizen's link came by SMS (and is shown once to the clerk for the station terminal).
    assert len(ConsoleSmsBackend.outbox) == 1 and ConsoleSmsBackend.outbox[0].phone == PHONE
    link = re.search(r"(http://\S+/video/j/\S+/)", ConsoleSmsBackend.outbox[0].text)
    assert link is not None
    url = link.group(1)
    assert staff.inner_text("[data-testid=video-link]").strip() == url
    room = VideoRoom.objects.get(matter=matter)

    citizen = _page(media_browser, errors)
    citizen.goto(url)
    citizen.wait_for_selector("[data-testid=video-call]")

    staff_frames = _wait_frames(staff, FRAMES)
    citizen_frames = _wait_frames(citizen, FRAMES)
    print(f"\nvideo frames decoded: staff received {staff_frames}, citizen received {citizen_frames}")
    assert staff_frames > FRAMES and citizen_frames > FRAMES
    citizen.wait_for_selector("text=已接通，正在通话。")
    screenshot(staff, "video-call-staff")
    screenshot(citizen, "video-call-citizen")

    # The link works once; an unknown token is refused the same way.
    for token_url in (url, url.rsplit("/", 2)[0] + "/not-a-real-token-0123456789abcdef/"):
        third = _page(media_browser, errors)
        response = third.goto(token_url)
        assert response is not None and response.status == 403
        assert "该视频咨询链接无效、已过期或已经使用过" in third.inner_text("[data-testid=video-refused]")
        assert third.locator("[data-testid=video-remote]").count() == 0
        third.context.close()

    # Knowing the room number and pin is not enough: Janus refuses a join without one of the room's tokens.
    room.refresh_from_db()
    assert _join_event(room, token="not-the-room-token").get("error_code") == 433  # unauthorized
    assert _join_event(room, token=room.staff_token, pin="wrong").get("error_code") == 433

    # Recording only when both agree: the citizen first, then the clerk; Janus writes the room's files.
    citizen.check("[data-testid=video-consent-box]")
    citizen.click("[data-testid=video-consent]")
    citizen.wait_for_selector("[data-testid=video-consent-status]:has-text('对方也同意后')")
    room.refresh_from_db()
    assert room.citizen_consent_at is not None and room.recording_at is None
    staff.check("[data-testid=video-consent-box]")
    staff.click("[data-testid=video-consent]")
    staff.wait_for_selector("[data-testid=video-consent-status]:has-text('正在录制')")
    room.refresh_from_db()
    assert room.recording_at is not None
    rec_dir = video / str(room.pk)
    _wait_frames(staff, staff_frames + 30)
    assert rec_dir.is_dir() and any(p.suffix == ".mjr" for p in rec_dir.iterdir())

    staff.click("[data-testid=video-end]")
    staff.wait_for_selector("[data-testid=video-panel]")
    citizen.wait_for_selector("text=本次视频咨询已经结束。")
    room.refresh_from_db()
    assert room.ended_at is not None
    event = MatterEvent.objects.get(matter=matter, code="video_consultation")
    assert event.data["recorded"] is True and event.actor == personas.clerk_a
    # The recording is filed with the matter's attachments (Janus's files, one per track).
    filed = list(Attachment.objects.filter(matter=matter, content_type=services.RECORDING_TYPE))
    assert filed and all(a.size > 0 for a in filed) and any("视频" in a.original_name for a in filed)
    print(f"recording filed: {[(a.original_name, a.size) for a in filed]}")
    assert "远程视频咨询" in staff.inner_text("main")
    assert errors == []
