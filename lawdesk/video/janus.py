"""The server side of Janus's VideoRoom plugin over its HTTP API (create, destroy, switch recording on).

Each call opens a Janus session, attaches the VideoRoom plugin, sends one request and destroys the session. Only
lawdesk knows the plugin's ``admin_key`` (``LAWDESK_JANUS_ADMIN_KEY``), so only lawdesk can create rooms; a room
is joined only with its pin and one of its ``allowed`` tokens. Nothing personal is ever sent to Janus: the
room's description is its number."""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0
PLUGIN = "janus.plugin.videoroom"


class JanusError(Exception):
    """Janus did not answer, or refused the request."""


def server_url() -> str:
    """The Janus HTTP API lawdesk calls ("" = video not configured)."""
    return str(getattr(settings, "LAWDESK_JANUS_URL", "") or "").rstrip("/")


def browser_url() -> str:
    """The Janus HTTP API the browsers call (``LAWDESK_JANUS_PUBLIC_URL``, by default the server's)."""
    return str(getattr(settings, "LAWDESK_JANUS_PUBLIC_URL", "") or "").rstrip("/") or server_url()


def configured() -> bool:
    return bool(server_url())


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    body = {**body, "transaction": secrets.token_hex(8)}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer: dict[str, Any] = json.loads(response.read().decode())
    except (OSError, ValueError, urllib.error.URLError) as exc:
        logger.warning("Janus did not answer (%s)", type(exc).__name__)
        raise JanusError("视频服务器没有响应，请稍后再试。") from exc
    if answer.get("janus") == "error":
        code = (answer.get("error") or {}).get("code")
        logger.warning("Janus refused a request (code %s)", code)
        raise JanusError("视频服务器拒绝了请求。")
    return answer


def videoroom(request: dict[str, Any]) -> dict[str, Any]:
    """Send one VideoRoom request; its answer (``plugindata.data``), or JanusError."""
    base = server_url()
    if not base:
        raise JanusError("视频服务未配置。")
    session = _post(base, {"janus": "create"})["data"]["id"]
    try:
        handle = _post(f"{base}/{session}", {"janus": "attach", "plugin": PLUGIN})["data"]["id"]
        answer = _post(f"{base}/{session}/{handle}", {"janus": "message", "body": request})
    finally:
        with contextlib.suppress(JanusError):
            _post(f"{base}/{session}", {"janus": "destroy"})
    data: dict[str, Any] = ((answer.get("plugindata") or {}).get("data")) or {}
    if data.get("videoroom") == "event" and data.get("error_code"):
        logger.warning("Janus VideoRoom refused %s (code %s)", request.get("request"), data.get("error_code"))
        raise JanusError("视频服务器拒绝了请求。")
    return data


def _admin_key() -> dict[str, str]:
    key = str(getattr(settings, "LAWDESK_JANUS_ADMIN_KEY", "") or "")
    return {"admin_key": key} if key else {}


def create_room(*, room: int, secret: str, pin: str, tokens: list[str], rec_dir: str = "") -> None:
    request: dict[str, Any] = {
        "request": "create",
        "room": room,
        "description": f"lawdesk-{room}",
        "secret": secret,
        "pin": pin,
        "is_private": True,
        "allowed": tokens,
        "publishers": 2,
        "bitrate": 512000,
        "fir_freq": 10,
        "record": False,
        "permanent": False,
        **_admin_key(),
    }
    if rec_dir:
        request["rec_dir"] = rec_dir
    videoroom(request)


def destroy_room(*, room: int, secret: str) -> None:
    """Destroy the room; a room Janus no longer knows (restarted, already gone) is not an error."""
    try:
        videoroom({"request": "destroy", "room": room, "secret": secret, "permanent": False})
    except JanusError:
        logger.info("Janus room already gone or unreachable when ending a consultation")


def enable_recording(*, room: int, secret: str) -> None:
    videoroom({"request": "enable_recording", "room": room, "secret": secret, "record": True})
