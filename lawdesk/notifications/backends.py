"""Text messages (短信). The backend is a dotted path in the setting ``LAWDESK_SMS_BACKEND``, read each time a
message is sent; the default writes to the ``lawdesk.sms`` log. A real gateway is a class with the same
``send(*, phone, text)`` method (raise ``SmsError`` when the gateway refuses)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
logger = logging.getLogger("lawdesk.sms")


class SmsError(Exception):
    """The gateway did not take the message."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str


class ConsoleSmsBackend:
    """Logs each message to ``lawdesk.sms`` and keeps it in ``outbox`` (shared by all instances, for tests)."""

    outbox: list[SentSms] = []

    def send(self, *, phone: str, text: str) -> None:
        logger.info("短信 → %s：%s", phone, text)
        ConsoleSmsBackend.outbox.append(SentSms(phone=phone, text=text))


def get_backend() -> SmsBackend:
    path = getattr(settings, "LAWDESK_SMS_BACKEND", "") or DEFAULT_BACKEND
    backend: SmsBackend = import_string(path)()
    return backend
