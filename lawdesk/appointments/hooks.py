"""What other apps (above the appointments layer, e.g. lawdesk.video) attach to an appointment without this app
importing them: a callback on each move (booked, rescheduled, cancelled, no-show, served), run inside the move's
transaction, and a panel on the appointment's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MoveHook = Callable[..., None]  # (*, appointment, code, actor) -> None
PanelHook = Callable[..., "dict[str, Any] | None"]  # (*, actor, appointment) -> context or None

_MOVES: list[MoveHook] = []
_PANELS: list[tuple[PanelHook, str]] = []


def on_move(hook: MoveHook) -> None:
    if hook not in _MOVES:
        _MOVES.append(hook)


def register_panel(hook: PanelHook, template: str) -> None:
    if all(h is not hook for h, _ in _PANELS):
        _PANELS.append((hook, template))


def moved(*, appointment: Any, code: str, actor: Any) -> None:
    for hook in _MOVES:
        hook(appointment=appointment, code=code, actor=actor)


def panels(*, actor: Any, appointment: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered panel that has something to show."""
    shown = []
    for hook, template in _PANELS:
        context = hook(actor=actor, appointment=appointment)
        if context is not None:
            shown.append((template, context))
    return shown
