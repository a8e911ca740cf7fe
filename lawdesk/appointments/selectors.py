"""Scoped reads of slots and appointments, shared by the pages and the API (out of reach: 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.appointments import services
from lawdesk.appointments.models import TAKING_PLACE, Appointment, Slot
from lawdesk.institutions import access as institution_access
from lawdesk.matters import access as matter_access


def get_slot_for(actor: Any, pk: int) -> Slot:
    slot = Slot.objects.select_related("node", "institution").filter(pk=pk).first()
    if slot is None or not services.can_see_slot(actor, slot):
        raise Http404("没有找到该预约时段，或您无权查看。")
    return slot


def visible_slots(actor: Any) -> QuerySet[Slot]:
    """Slots at a platform or institution the actor may see (``services.can_see_slot``), with places taken."""
    return (
        Slot.objects.filter(
            scoping.nodes_q(actor, "node__")
            | Q(institution__in=institution_access.visible_institutions(actor).values("pk"))
        )
        .select_related("node", "institution")
        .annotate(taken=Count("appointments", filter=Q(appointments__status__in=TAKING_PLACE)))
        .order_by("start", "id")
    )


def appointments_for(actor: Any) -> QuerySet[Appointment]:
    """Appointments of matters the actor sees, and those booked into an institution's slots for its handlers."""
    q = matter_access.matters_q(actor, "matter__")
    ids = scoping.scope_for(actor).institution_ids
    if ids:
        q |= Q(slot__institution__in=list(ids))
    return Appointment.objects.filter(q).select_related(
        "slot", "slot__node", "slot__institution", "matter", "matter__node", "matter__visit__person"
    )


def get_appointment_for(actor: Any, pk: int) -> Appointment:
    appointment = appointments_for(actor).filter(pk=pk).first()
    if appointment is None:
        raise Http404("没有找到该预约，或您无权查看。")
    return appointment
