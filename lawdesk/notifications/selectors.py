from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lawdesk.notifications.models import Notification


def notices_for(actor: Any) -> QuerySet[Notification]:
    """The actor's own notices, newest first; nobody sees another user's."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=actor).select_related("matter")


def unread_count(actor: Any) -> int:
    return notices_for(actor).filter(read_at__isnull=True).count()
