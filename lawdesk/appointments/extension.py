"""What the appointments app adds to the core, registered from ``AppointmentsConfig.ready``."""

from __future__ import annotations

from typing import Any


def forget_person(person: Any) -> None:
    """Retention: the reminder phone kept on the person's appointments."""
    from lawdesk.appointments.models import Appointment

    Appointment.objects.filter(matter__visit__person=person).update(phone="")


def reminder_phone(actor: Any, matter: Any) -> str | None:
    """The phone an appointment reminds (the actor already sees the matter)."""
    appointment = getattr(matter, "appointment", None)
    return None if appointment is None else str(appointment.phone or "")


def panel(actor: Any, matter: Any) -> dict[str, Any] | None:
    from lawdesk.appointments.panel import panel_context

    return panel_context(actor=actor, matter=matter)


def register() -> None:
    from lawdesk.matters.events import OPEN_STATES, EventSpec, register_event
    from lawdesk.matters.models import MatterState

    for spec in (
        EventSpec("appointment_booked", "预约", OPEN_STATES, None, report="appointment_booked"),
        EventSpec("appointment_rescheduled", "改约", OPEN_STATES, None),
        EventSpec("appointment_cancelled", "取消预约", OPEN_STATES, None, report="appointment_cancelled"),
        EventSpec("appointment_no_show", "预约未到", OPEN_STATES, None, report="appointment_no_show"),
        EventSpec("appointment_served", "预约履约", OPEN_STATES, None, report="appointment_served"),
        # An appointment matter whose appointment was cancelled or missed has nothing left to do.
        EventSpec(
            "appointment_closed",
            "预约未履约归档",
            frozenset({MatterState.RECEIVED}),
            MatterState.CLOSED,
            report="closed",
        ),
    ):
        register_event(spec)
    from lawdesk.appointments.ledger import LEDGER4_RELATED, ledger4_values
    from lawdesk.ledgers.definitions import register_cells
    from lawdesk.matters import personal_data
    from lawdesk.matters.commands import register_panel
    from lawdesk.people import retention

    register_cells(4, lambda matter, actor: ledger4_values(matter), related=LEDGER4_RELATED)
    register_panel(panel, "appointments/_matter_panel.html")
    retention.register(anonymiser=forget_person)
    personal_data.register_contact("appointment", reminder_phone)
