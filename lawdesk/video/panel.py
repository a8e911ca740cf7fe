"""What the matter page shows of its video consultations, and the button to start one."""

from __future__ import annotations

from typing import Any

from lawdesk.matters.models import Matter, MatterState
from lawdesk.video import janus, services
from lawdesk.video.models import VideoRoom


def panel_context(*, actor: Any, matter: Matter) -> dict[str, Any] | None:
    """None for an actor who does not work the matter; otherwise its open room (if any), the rooms held, and
    whether a new one may be started."""
    if not services.can_work(actor, matter):
        return None
    rooms = list(VideoRoom.objects.filter(matter=matter).order_by("-created_at", "-id")[:5])
    live = next((r for r in rooms if services.room_is_live(r)), None)
    return {
        "configured": janus.configured(),
        "live": live,
        "rooms": rooms,
        "can_start": live is None and matter.state != MatterState.CLOSED,
        "matter": matter,
    }
