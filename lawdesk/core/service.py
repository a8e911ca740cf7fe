"""Public services write their audit row exactly once.

``@service(AuditAction.X)`` marks a public service (a state change a door may ask for). The service runs in one
transaction; every audit row it writes — through ``audit()``, ``audit_event()`` or the mirror of a matter event —
and every row of the services it calls is gathered, and on success exactly one row is written, named by the
declared action (or, when the declaration is ``None``, by the first row gathered: a hand-over confirmed or
refused). The gathered facts go into that row's data (the matter events it recorded, the other actions it
took), so an auditor reads one act as one row. A service that wrote nothing of its own still gets its row
(the outreach services did not audit at all before this).

Work that is not one act — the periodic jobs (escalation, reminders, retention) — is not a service: it writes a
row per item as it goes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction

from lawdesk.core.audit_actions import AuditAction

F = TypeVar("F", bound=Callable[..., Any])

# Every public service, "module.name" → its declared action ("" = named by its first row).
SERVICES: dict[str, str] = {}


@dataclass
class Row:
    actor_id: int | None
    action: str
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    node_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ip_address: str | None = None
    event: bool = False  # the mirror of a matter event (the explicit rows come first)


@dataclass
class Call:
    action: str
    rows: list[Row] = field(default_factory=list)


_CURRENT: ContextVar[Call | None] = ContextVar("lawdesk_service_call", default=None)


def current() -> Call | None:
    """The public service being run in this context, if any (``lawdesk.core.audit`` gathers into it)."""
    return _CURRENT.get()


def service(action: str | None) -> Callable[[F], F]:
    if action is not None:
        AuditAction(action)  # a member of the one vocabulary, or ValueError at import

    def decorate(fn: F) -> F:
        SERVICES[f"{fn.__module__}.{fn.__qualname__}"] = action or ""

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            if _CURRENT.get() is not None:
                return fn(*args, **kwargs)  # called by another service: its row tells this act too
            call = Call(action or "")
            token = _CURRENT.set(call)
            try:
                with transaction.atomic():
                    result = fn(*args, **kwargs)
                    _write(call, actor=kwargs.get("actor"), result=result)
            finally:
                _CURRENT.reset(token)
            return result

        run.lawdesk_service = action or ""  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


def _object_of(result: Any) -> models.Model | None:
    if isinstance(result, models.Model) and result.pk is not None:
        return result
    if isinstance(result, tuple | list) and result and isinstance(result[0], models.Model):
        return result[0] if result[0].pk is not None else None
    return None


def _write(call: Call, *, actor: Any, result: Any) -> None:
    from lawdesk.core.models import AuditLog

    explicit = [r for r in call.rows if not r.event]
    events = [r for r in call.rows if r.event]
    # The row is the one the service wrote under its declared action, wherever it came in the gathering (an
    # activation retires the old version first; an online request may first make the platform's intake account);
    # else the first explicit row, else the first event.
    declared = [r for r in explicit if call.action and r.action == call.action]
    gathered = declared or explicit or events
    primary = gathered[0] if gathered else None
    action = call.action or (primary.action if primary else "")
    if not action:
        raise RuntimeError("a public service declared no action and wrote no audit row")
    data: dict[str, Any] = dict(primary.data) if primary is not None and not primary.event else {}
    if events:
        data["events"] = [{"id": r.data.get("event_id"), "code": r.action.removeprefix("matter."),
                           "matter": r.object_id} for r in events]  # fmt: skip
    also = [r.action for r in explicit if r.action != action]
    if also:
        data["also"] = list(dict.fromkeys(also))
    obj = _object_of(result)
    # The row is about what the service named (an explicit row's object), else what it returned (the visit a
    # registration made), else the matter its first event moved.
    named = primary if primary is not None and not primary.event else None
    if named is None and obj is not None:
        object_type, object_id, object_repr = obj._meta.label, str(obj.pk), str(obj)[:200]
        node_id = getattr(obj, "node_id", None) or (primary.node_id if primary else None)
    elif primary is not None:
        object_type, object_id, object_repr = primary.object_type, primary.object_id, primary.object_repr
        node_id = primary.node_id
    else:
        object_type, object_id, object_repr, node_id = "", "", "", None
    actor_id = (primary.actor_id if primary else None) or (actor.pk if getattr(actor, "pk", None) else None)
    row = AuditLog(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        node_id=node_id,
        data=data,
        ip_address=primary.ip_address if primary else None,
    )
    row.save()
