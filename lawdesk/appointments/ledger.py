"""Ledger 4 (公共法律服务预约台帐) cells that the appointment fills, keyed by the headers in
``lawdesk.ledgers.definitions.APPOINTMENTS``. A matter without an appointment gives an empty dict."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lawdesk.appointments.models import Appointment, AppointmentStatus
from lawdesk.ledgers.definitions import Cell
from lawdesk.matters.models import Matter


def _appointment(matter: Matter) -> Appointment | None:
    try:
        appointment: Appointment = getattr(matter, "appointment")  # noqa: B009 (reverse one-to-one)
        return appointment
    except Appointment.DoesNotExist:
        return None


def ledger4_values(matter: Matter) -> dict[Cell, Any]:
    appointment = _appointment(matter)
    if appointment is None:
        return {}
    slot = appointment.slot
    start = timezone.localtime(slot.start)
    values: dict[Cell, Any] = {
        Cell.APPOINTMENT_TIME: f"{start:%Y-%m-%d %H:%M}",
        Cell.SERVICE_MODE: slot.get_kind_display(),
        Cell.ATTENDANCE: appointment.get_status_display(),
    }
    who = [slot.place_name]
    if appointment.served_by is not None:
        who.append(appointment.served_by.full_name or appointment.served_by.username)
    values[Cell.HANDLER_OR_INSTITUTION] = "，".join(p for p in who if p)
    if appointment.status == AppointmentStatus.SERVED and appointment.result:
        values[Cell.SERVICE_RESULT] = appointment.result
    elif appointment.status == AppointmentStatus.CANCELLED:
        values[Cell.SERVICE_RESULT] = f"已取消：{appointment.cancel_reason}"
    return values


# What ledger 4 should select with the matters for ``ledger4_values`` (the ``related=`` of APPOINTMENTS).
LEDGER4_RELATED = (
    "appointment",
    "appointment__slot",
    "appointment__slot__node",
    "appointment__slot__institution",
    "appointment__served_by",
)
