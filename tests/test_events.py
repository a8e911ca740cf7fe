"""The event registry: which moves each state allows, and the Chinese message for the others."""

from __future__ import annotations

import pytest

from lawdesk.matters.events import EVENTS, check_move
from lawdesk.matters.models import MatterState as S

LOOP = [
    ("transferred", S.RECEIVED, S.TRANSFERRED),
    ("accepted", S.TRANSFERRED, S.ACCEPTED),
    ("outcome_recorded", S.ACCEPTED, S.OUTCOME_RECORDED),
    ("citizen_told", S.OUTCOME_RECORDED, S.CITIZEN_TOLD),
    ("closed", S.CITIZEN_TOLD, S.CLOSED),
]


@pytest.mark.parametrize(("code", "before", "after"), LOOP)
def test_the_core_loop_moves_one_state_at_a_time(code: str, before: str, after: str) -> None:
    assert check_move(code, before) is None
    assert EVENTS[code].to_state == after


@pytest.mark.parametrize(
    ("code", "state"),
    [
        ("accepted", S.RECEIVED),  # nothing was transferred
        ("closed", S.TRANSFERRED),  # the citizen has not been told
        ("transferred", S.CLOSED),
        ("answered", S.TRANSFERRED),
        ("citizen_told", S.ACCEPTED),  # no outcome yet
        ("handover_offered", S.CLOSED),
    ],
)
def test_illegal_moves_are_explained_in_chinese(code: str, state: str) -> None:
    message = check_move(code, state)
    assert message is not None
    assert EVENTS[code].label in message and S(state).label in message


def test_every_state_but_closed_can_still_move() -> None:
    moves_from = {s for spec in EVENTS.values() if spec.to_state for s in spec.from_states}
    assert set(S.values) - moves_from == {S.CLOSED}


def test_a_closed_matter_still_takes_attachments_complaint_notes_and_the_citizens_rating_but_nothing_else() -> (
    None
):
    allowed = {code for code in EVENTS if code != "received" and check_move(code, S.CLOSED) is None}
    # the citizen may rate (SMS link, kiosk) after the clerk has closed the matter; a video consultation that was
    # under way when the matter was closed is still recorded when it ends (lawdesk.video)
    assert allowed == {"attachment_added", "complaint_note_added", "citizen_rated", "video_consultation"}


def test_deadlines_start_only_with_the_stages_that_have_them() -> None:
    started = {code: spec.starts_deadline for code, spec in EVENTS.items() if spec.starts_deadline}
    assert started == {
        "transferred": "accept",
        "accepted": "outcome",
        "outcome_recorded": "feedback",
    }
