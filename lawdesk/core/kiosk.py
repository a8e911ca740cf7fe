"""The touch kiosk's shared frame: every page opened from the kiosk (its own pages, the law search, 智慧小司 and
the online services) carries 首页/返回 and returns to the kiosk start after the idle time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

DEFAULT_IDLE_SECONDS = 90


def is_kiosk(request: HttpRequest) -> bool:
    """Whether the page was opened from the kiosk (``?kiosk=1``, kept on its links and forms)."""
    return (request.GET.get("kiosk") or request.POST.get("kiosk")) == "1"


def idle_context(request: HttpRequest) -> dict[str, Any]:
    """``idle_seconds`` (10–3600, default 90) and ``idle_param`` (empty at the default) for the kiosk frame."""
    try:
        idle = int(request.GET.get("idle", DEFAULT_IDLE_SECONDS))
    except ValueError:
        idle = DEFAULT_IDLE_SECONDS
    idle = max(10, min(idle, 3600))
    return {"idle_seconds": idle, "idle_param": "" if idle == DEFAULT_IDLE_SECONDS else idle}
