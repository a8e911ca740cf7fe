"""The complaint's panel: what the matter page (and the complaint page) shows of a complaint, and the moves the
actor may make on it. ``panel_context`` answers None for any other matter, and for the complaint's subject."""

from __future__ import annotations

from typing import Any

from django import forms

from lawdesk.complaints import forms as complaint_forms
from lawdesk.complaints.ledger import complainant_label
from lawdesk.complaints.rules import HIDDEN, can_see_complainant, detail_of, is_subject
from lawdesk.matters import commands
from lawdesk.matters.models import Matter, MatterState

# The panel's moves, in the order they happen, with the state each fits.
STEPS: dict[str, tuple[str, str]] = {
    "pass_on": ("转交处理部门", MatterState.RECEIVED),
    "acknowledge": ("确认收到", MatterState.TRANSFERRED),
    "answer": ("登记处理结果", MatterState.ACCEPTED),
    "response": ("登记投诉人意见", MatterState.OUTCOME_RECORDED),
}


# The register page's moves and the complaint table's commands they issue (lawdesk.complaints.commands).
COMMAND_OF = {
    "pass_on": "transfer",
    "acknowledge": "accept",
    "answer": "outcome",
    "response": "tell",
    "note": "complaint_note",
}


def allowed_moves(actor: Any, matter: Matter) -> set[str]:
    """The register page's moves the actor may make now: exactly the table's commands."""
    if is_subject(actor, matter) or detail_of(matter) is None:
        return set()
    return {move for move, key in COMMAND_OF.items() if commands.allows(actor, matter, key)}


def build_form(key: str, actor: Any, data: Any = None) -> forms.Form:
    if key == "pass_on":
        return complaint_forms.PassOnForm(data, actor=actor)
    form_class: type[forms.Form] = {
        "acknowledge": complaint_forms.AcknowledgeForm,
        "answer": complaint_forms.AnswerForm,
        "response": complaint_forms.ResponseForm,
        "note": complaint_forms.NoteForm,
    }[key]
    return form_class(data)


def panel_context(
    *, actor: Any, matter: Matter, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any] | None:
    """The context of ``complaints/_matter_panel.html`` under the key ``complaint``; None when ``matter`` is
    not a complaint or ``actor`` is its subject."""
    detail = detail_of(matter)
    if detail is None or is_subject(actor, matter):
        return None
    bound = bound or {}
    visible = can_see_complainant(actor, matter)
    allowed = allowed_moves(actor, matter)
    return {
        "detail": detail,
        "matter": matter,
        "identity_visible": visible,
        "complainant": complainant_label(detail, visible),
        "contact_phone": (detail.contact_phone if visible else HIDDEN),
        "notes": list(detail.notes.select_related("author")),
        "allowed": allowed,
        "steps": [
            {"key": key, "label": label, "done": _step_done(matter, key), "current": key in allowed}
            for key, (label, _state) in STEPS.items()
        ],
        "forms": {key: bound.get(key) or build_form(key, actor) for key in allowed},
        "open_action": next(iter(bound), ""),
    }


def _step_done(matter: Matter, key: str) -> bool:
    return {
        "pass_on": matter.transferred_at is not None,
        "acknowledge": matter.accepted_at is not None,
        "answer": matter.outcome_at is not None,
        "response": matter.told_at is not None,
    }[key]
