"""A stand-in for Janus's VideoRoom API in the unit tests (the real one runs in tests/test_browser_video.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from unittest import mock

from django.test import override_settings

T = TypeVar("T")


class FakeJanus:
    """Keeps the rooms lawdesk created; answers create, destroy and enable_recording as Janus does."""

    def __init__(self) -> None:
        self.rooms: dict[int, dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        kind, room = request["request"], request["room"]
        if kind == "create":
            self.rooms[room] = dict(request)
            return {"videoroom": "created", "room": room}
        if kind == "destroy":
            self.rooms.pop(room, None)
            return {"videoroom": "destroyed", "room": room}
        if kind == "enable_recording":
            assert self.rooms[room]["secret"] == request["secret"]
            self.rooms[room]["record"] = True
            return {"videoroom": "success", "record": True}
        raise AssertionError(f"unexpected VideoRoom request {kind}")


# One fake server for the whole test run, as Janus is one server: a room created in one step of a test is still
# there in the next (room ids are random, so tests do not meet).
FAKE = FakeJanus()


@contextmanager
def fake_janus() -> Iterator[FakeJanus]:
    fake = FAKE
    with (
        override_settings(LAWDESK_JANUS_URL="http://127.0.0.1:9/janus", LAWDESK_JANUS_ADMIN_KEY="test"),
        mock.patch("lawdesk.video.janus.videoroom", fake),
    ):
        yield fake


def with_janus(call: Callable[[], T]) -> T:
    with fake_janus():
        return call()
