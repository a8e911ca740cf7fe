"""What the complaints app adds to the matters core, registered from ``ComplaintsConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def complaints_against_q(actor: Any, prefix: str = "") -> Q:
    """Complaints whose subject is the actor: never shown to them, whatever their role."""
    from lawdesk.complaints.models import ComplaintDetail

    if getattr(actor, "pk", None) is None:
        return Q(**{f"{prefix}pk__in": []})
    against = ComplaintDetail.objects.filter(subject_user_id=actor.pk).values("matter_id")
    return Q(**{f"{prefix}pk__in": against})


def forget_person(person: Any) -> None:
    """Retention: the complainant's name and phone kept on the person's complaints."""
    from lawdesk.complaints.models import ComplaintDetail

    ComplaintDetail.objects.filter(matter__visit__person=person).update(contact_name="", contact_phone="")


def complainant_phone(actor: Any, matter: Any) -> str | None:
    """The complainant's phone, for whoever may see who complained (``rules.can_see_complainant``)."""
    from lawdesk.complaints.rules import can_see_complainant, detail_of

    detail = detail_of(matter)
    if detail is None or not can_see_complainant(actor, matter):
        return None
    return str(detail.contact_phone or "")


def panel(actor: Any, matter: Any) -> dict[str, Any] | None:
    from lawdesk.complaints.panel import panel_context

    return panel_context(actor=actor, matter=matter)


def register() -> None:
    from lawdesk.matters.events import OPEN_STATES, EventSpec, register_event
    from lawdesk.matters.models import MatterState

    register_event(
        EventSpec("complaint_note_added", "补充投诉记录", OPEN_STATES | {MatterState.CLOSED}, None)
    )
    from dataclasses import replace

    from lawdesk.complaints.commands import COMPLAINT
    from lawdesk.complaints.ledger import ledger6_values
    from lawdesk.ledgers.definitions import register_cells
    from lawdesk.matters import access, personal_data
    from lawdesk.matters.commands import register_kind
    from lawdesk.people import retention

    register_cells(
        6,
        lambda matter, actor: ledger6_values(matter, actor=actor),
        related=("complaint", "complaint__received_node"),
    )
    register_kind(replace(COMPLAINT, panel=panel, panel_template="complaints/_matter_panel.html"))
    access.hide_matters(complaints_against_q)
    retention.register(anonymiser=forget_person)
    personal_data.register_contact("complainant", complainant_phone)
