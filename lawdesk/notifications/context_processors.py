from typing import Any

from django.http import HttpRequest

from lawdesk.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: how many in-app notices the user has not read (for the top bar)."""
    return {"unread_notifications": unread_count(getattr(request, "user", None))}
