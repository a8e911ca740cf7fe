"""What the matter page shows of a matter's appointment, and the link to its page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lawdesk.appointments import services
from lawdesk.appointments.models import Appointment
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterKind, MatterState


def panel_context(*, actor: Any, matter: Matter) -> dict[str, Any] | None:
    """None for a matter without an appointment (a consultation still open at the actor's desk gets the link to
    book it into a law firm's slot); otherwise the appointment, its history and what may be done."""
    # Most matters have no appointment: ask that with a narrow query, and join the slot only for one that does.
    appointment_id = Appointment.objects.filter(matter=matter).values_list("pk", flat=True).first()
    appointment = (
        Appointment.objects.select_related("slot", "slot__node", "slot__institution", "served_by").get(
            pk=appointment_id
        )
        if appointment_id is not None
        else None
    )
    if appointment is None:
        if (
            matter.kind == MatterKind.CONSULTATION
            and matter.state == MatterState.RECEIVED
            and matter_services.can_act_for_front(actor, matter)
        ):
            # a complex consultation may be booked straight into a law firm's consultation hours (五(四)1)
            return {"appointment": None, "book_url": f"{reverse('appointments:slots')}?matter={matter.pk}"}
        return None
    return {
        "appointment": appointment,
        "moves": list(appointment.moves.select_related("from_slot", "to_slot", "actor")),
        "can_act": appointment.is_pending and services.can_act_on(actor, appointment),
        "url": reverse("appointments:detail", args=[appointment.pk]),
    }
