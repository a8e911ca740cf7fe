"""The registry of matter events: what each does to the state, to the deadlines and to the reports, and how it
reads on the matter's timeline.

A service looks its event up here; a move that the registry does not allow from the matter's state is refused
with a Chinese message. The core loop's events are declared here; the apps around the loop register theirs
(``register_event``) from their ``AppConfig.ready`` — legal aid its application, review and decision, mediation
the dispute's details and its escalation alert, complaints their notes, appointments their bookings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lawdesk.matters.models import MatterState as S

OPEN_STATES = frozenset(
    {S.RECEIVED, S.TRANSFERRED, S.ACCEPTED, S.OUTCOME_RECORDED, S.CITIZEN_TOLD, S.ANSWERED, S.REDIRECTED}
)


@dataclass(frozen=True)
class EventSpec:
    code: str
    label: str
    from_states: frozenset[str]  # the states the event may happen in
    to_state: str | None  # None: the state stays
    starts_deadline: str | None = None  # "accept" | "outcome" | "feedback": the stage clock it starts
    report: str = ""  # the statistics counter it feeds ("" = none)
    # How the event's data reads on the timeline (lines under its label), beside its note.
    describe: Callable[[dict[str, Any]], list[str]] | None = None


EVENTS: dict[str, EventSpec] = {
    spec.code: spec
    for spec in [
        EventSpec("received", "受理", frozenset(), S.RECEIVED, report="received"),
        EventSpec("answered", "当场解答办结", frozenset({S.RECEIVED}), S.ANSWERED, report="answered_on_spot"),
        EventSpec("redirected", "指引", frozenset({S.RECEIVED}), S.REDIRECTED, report="redirected"),
        EventSpec("transferred", "移交", frozenset({S.RECEIVED}), S.TRANSFERRED, "accept", "transferred"),
        EventSpec("declined", "退回", frozenset({S.TRANSFERRED}), S.RECEIVED, report="declined"),
        EventSpec("accepted", "承接", frozenset({S.TRANSFERRED}), S.ACCEPTED, "outcome", "accepted"),
        EventSpec(
            "outcome_recorded", "办结", frozenset({S.ACCEPTED}), S.OUTCOME_RECORDED, "feedback", "outcome"
        ),
        EventSpec("citizen_told", "告知群众", frozenset({S.OUTCOME_RECORDED}), S.CITIZEN_TOLD, report="told"),
        EventSpec(
            "closed", "归档", frozenset({S.ANSWERED, S.REDIRECTED, S.CITIZEN_TOLD}), S.CLOSED, report="closed"
        ),
        EventSpec("handover_offered", "发起交接", OPEN_STATES, None),
        EventSpec("handover_confirmed", "确认交接", OPEN_STATES, None, report="handover"),
        EventSpec("handover_refused", "拒绝交接", OPEN_STATES, None),
        EventSpec("handover_withdrawn", "撤回交接", OPEN_STATES, None),
        EventSpec("attachment_added", "上传附件", OPEN_STATES | {S.CLOSED}, None),
        EventSpec("one_trip_marked", "标记最多跑一次", OPEN_STATES, None, report="one_trip"),
        EventSpec("escalated", "督办", OPEN_STATES, None, report="escalated"),
        # The citizen's own rating through the one-time link of lawdesk.online (after the answer or the close).
        EventSpec("citizen_rated", "群众评价", OPEN_STATES | {S.CLOSED}, None),
    ]
}


def register_event(spec: EventSpec) -> None:
    """An app's own event (call from an ``AppConfig.ready``); the same code twice must be the same spec."""
    existing = EVENTS.get(spec.code)
    if existing is not None and existing != spec:
        raise ValueError(f"event {spec.code!r} registered twice, differently")
    EVENTS[spec.code] = spec


def state_label(state: str) -> str:
    try:
        return str(S(state).label)
    except ValueError:
        return state


def check_move(code: str, state: str) -> str | None:
    """None when ``code`` may happen in ``state``; otherwise the Chinese reason it may not."""
    spec = EVENTS[code]
    if spec.from_states and state not in spec.from_states:
        allowed = "、".join(state_label(s) for s in sorted(spec.from_states))
        return (
            f"事项当前为“{state_label(state)}”，不能{spec.label}（只有“{allowed}”的事项可以{spec.label}）。"
        )
    return None
