from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from lawdesk.core import clock
from lawdesk.notifications.backends import get_backend
from lawdesk.notifications.models import Notification
from lawdesk.notifications.selectors import notices_for

logger = logging.getLogger("lawdesk.sms")


def _send_sms(phone: str, text: str) -> None:
    try:
        get_backend().send(phone=phone, text=text)
    except Exception:
        # A gateway failure must not undo what was recorded; the in-app notice is already there.
        logger.exception("短信发送失败：%s", phone)


def notify(*, user: Any, text: str, matter: Any = None, sms: bool = True) -> Notification:
    """Leave ``user`` an in-app notice and, when ``sms`` and the user has a phone, a text message — sent once
    the surrounding transaction commits, so a rolled-back change sends nothing."""
    notice = Notification.objects.create(user=user, matter=matter, text=text)
    phone = (getattr(user, "phone", "") or "").strip()
    if sms and phone:
        transaction.on_commit(lambda: _send_sms(phone, text))
    return notice


def mark_read(*, actor: Any, ids: list[int] | None = None) -> int:
    """Mark the actor's own notices read (all unread ones when ``ids`` is None). Returns how many changed."""
    unread = notices_for(actor).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())
