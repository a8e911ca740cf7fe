"""Appointments: slots (with a weekly generator over working days), booking under a row lock on the slot,
rescheduling, cancellation, no-show, serving, and the day-before SMS reminder. Keyword-only, one transaction
each, audited; every date rule runs on the project's working-day calendar."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.appointments import hooks
from lawdesk.appointments.models import (
    PENDING,
    TAKING_PLACE,
    Appointment,
    AppointmentMove,
    AppointmentStatus,
    Slot,
    SlotKind,
)
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_personal_phone
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import services as matter_services
from lawdesk.matters.events import EVENTS
from lawdesk.matters.models import Channel, Matter, MatterKind, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import get_backend
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.people.models import Person
from lawdesk.workcal.workdays import add_working_days, is_working_day

logger = logging.getLogger("lawdesk.sms")

BOOKING_CHANNELS = (Channel.ON_SITE, Channel.PHONE, Channel.ONLINE)
MAX_CAPACITY = 50


# --- who --------------------------------------------------------------------------------------------------


def can_manage_slots(
    actor: Any, *, node: OrgNode | None = None, institution: Institution | None = None
) -> bool:
    """A platform's clerks and the office/bureaus above it open its slots; an institution's handlers (and the
    office/bureaus its home node lies under) open the institution's slots."""
    if node is not None:
        return node.is_platform and (
            matter_services.can_receive_at(actor, node) or matter_services.oversees(actor, node)
        )
    if institution is not None:
        return institution.pk in scoping.scope_for(actor).institution_ids or matter_services.oversees(
            actor, institution.home_node
        )
    return False


def booking_platforms(actor: Any) -> list[OrgNode]:
    """The platforms where the actor may register an appointment (their own window)."""
    nodes = node_access.nodes_where(actor, *scoping.INTAKE_ROLES)
    return [n for n in nodes if matter_services.can_receive_at(actor, n)]


def can_book_slot(actor: Any, slot: Slot) -> bool:
    """A clerk books at their platform's slots and at the slots of institutions serving their node."""
    if slot.node is not None:
        return matter_services.can_receive_at(actor, slot.node)
    return (
        bool(booking_platforms(actor))
        and institution_access.visible_institutions(actor).filter(pk=slot.institution_id or 0).exists()
    )


def can_see_slot(actor: Any, slot: Slot) -> bool:
    if slot.node is not None:
        return scoping.can_see_node(actor, slot.node)
    return institution_access.visible_institutions(actor).filter(pk=slot.institution_id or 0).exists()


def can_act_on(actor: Any, appointment: Appointment) -> bool:
    """The matter's front desk, or the institution whose slot it is."""
    matter = appointment.matter
    if matter_services.can_act_for_front(actor, matter):
        return True
    if matter.node_id and matter_services.can_receive_at(actor, matter.node):
        return True
    institution_id = appointment.slot.institution_id
    return institution_id is not None and institution_id in scoping.scope_for(actor).institution_ids


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _close_unserved(matter: Matter, actor: Any, note: str) -> None:
    """A new appointment matter still at the front desk is archived when its appointment will not happen."""
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    if locked.kind == MatterKind.APPOINTMENT and locked.state == MatterState.RECEIVED:
        locked.closed_at = clock.now()
        matter_services.record_event(locked, "appointment_closed", actor=actor, note=note)


def _step(matter: Matter, code: str, actor: Any, note: str = "") -> None:
    """A timeline step on the matter, once the event registry knows ``code`` (see the report to the lead)."""
    if code in EVENTS and EVENTS[code].to_state is None:
        matter_services.record_step(matter=matter, code=code, actor=actor, note=note)


# --- slots ------------------------------------------------------------------------------------------------


def _check_slot_time(start: datetime.datetime, end: datetime.datetime, errors: dict[str, str]) -> None:
    if end <= start:
        errors["end"] = "结束时间应晚于开始时间。"
    elif timezone.localdate(start) != timezone.localdate(end):
        errors["end"] = "预约时段不能跨天。"
    if start <= clock.now():
        errors["start"] = "不能开放已经过去的时段。"
    elif not is_working_day(timezone.localdate(start)):
        errors["start"] = f"{timezone.localdate(start):%Y年%m月%d日}不是工作日，不能开放预约。"


@service(AuditAction.APPOINTMENT_SLOT_CREATED)
def slot_create(
    *,
    actor: Any,
    start: datetime.datetime,
    end: datetime.datetime,
    kind: str,
    capacity: int = 1,
    node: OrgNode | None = None,
    institution: Institution | None = None,
    note: str = "",
) -> Slot:
    if (node is None) == (institution is None):
        raise ValidationError("预约时段须属于一个服务平台或一个服务机构。")
    _require(
        can_manage_slots(actor, node=node, institution=institution), "您无权为该平台或机构开放预约时段。"
    )
    errors: dict[str, str] = {}
    if kind not in SlotKind.values:
        errors["kind"] = "请选择服务方式。"
    elif kind == SlotKind.LAW_FIRM and (institution is None or institution.kind != InstitutionKind.LAW_FIRM):
        errors["kind"] = "律所面谈只能开放在律师事务所的时段。"
    if capacity is None or capacity < 1:
        errors["capacity"] = "可预约人数至少为1人。"
    elif capacity > MAX_CAPACITY:
        errors["capacity"] = f"可预约人数不能超过{MAX_CAPACITY}人。"
    _check_slot_time(start, end, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        slot = Slot.objects.create(
            node=node,
            institution=institution,
            kind=kind,
            start=start,
            end=end,
            capacity=capacity,
            note=note.strip()[:200],
            created_by=actor,
        )
        audit(
            actor=actor,
            action="appointment_slot_created",
            obj=slot,
            node=node or institution.home_node,  # type: ignore[union-attr]
            data={"kind": kind, "capacity": capacity, "start": start.isoformat(), "end": end.isoformat()},
        )
    return slot


@service(AuditAction.APPOINTMENT_SLOT_CREATED)
def slots_generate(
    *,
    actor: Any,
    first_day: datetime.date,
    last_day: datetime.date,
    weekdays: list[int],
    start_time: datetime.time,
    end_time: datetime.time,
    kind: str,
    capacity: int = 1,
    node: OrgNode | None = None,
    institution: Institution | None = None,
) -> list[Slot]:
    """A weekly pattern (weekdays 0=Monday … 6=Sunday) from ``first_day`` to ``last_day``: one slot on each
    matching working day (holidays skipped, adjusted working weekends included when their weekday is chosen).
    Days in the past and slots already open at the same start are skipped."""
    if last_day < first_day:
        raise ValidationError({"last_day": "结束日期应不早于开始日期。"})
    if (last_day - first_day).days > 92:
        raise ValidationError({"last_day": "一次最多生成三个月的预约时段。"})
    if not weekdays:
        raise ValidationError({"weekdays": "请至少选择一个星期几。"})
    tz = timezone.get_current_timezone()
    created: list[Slot] = []
    with transaction.atomic():
        day = first_day
        while day <= last_day:
            start = datetime.datetime.combine(day, start_time, tzinfo=tz)
            if day.weekday() in weekdays and is_working_day(day) and start > clock.now():
                exists = Slot.objects.filter(node=node, institution=institution, start=start).exists()
                if not exists:
                    end = datetime.datetime.combine(day, end_time, tzinfo=tz)
                    created.append(
                        slot_create(
                            actor=actor,
                            start=start,
                            end=end,
                            kind=kind,
                            capacity=capacity,
                            node=node,
                            institution=institution,
                        )
                    )
            day += datetime.timedelta(days=1)
    return created


def taken(slot: Slot) -> int:
    return slot.appointments.filter(status__in=TAKING_PLACE).count()


def _lock_slot(slot: Slot) -> Slot:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins to node and institution.
    return Slot.objects.select_for_update(of=("self",)).select_related("node", "institution").get(pk=slot.pk)


def _check_bookable(slot: Slot) -> None:
    if slot.start <= clock.now():
        raise ValidationError({"slot": "该时段已经开始或已过去，不能预约。"})
    if not is_working_day(timezone.localdate(slot.start)):
        raise ValidationError({"slot": "该时段不在工作日，不能预约。"})
    if taken(slot) >= slot.capacity:
        raise ValidationError({"slot": f"该时段已约满（{slot.capacity}人），请选择其他时段。"})


# --- booking ----------------------------------------------------------------------------------------------


def _move(appointment: Appointment, code: str, actor: Any, **kwargs: Any) -> AppointmentMove:
    return AppointmentMove.objects.create(
        appointment=appointment, code=code, actor=actor if getattr(actor, "pk", None) else None, **kwargs
    )


@service(AuditAction.APPOINTMENT_BOOKED)
def appointment_book(
    *,
    actor: Any,
    slot: Slot,
    summary: str = "",
    person_data: PersonInput | None = None,
    person: Person | None = None,
    channel: str = Channel.PHONE,
    node: OrgNode | None = None,
    matter: Matter | None = None,
    phone: str = "",
) -> Appointment:
    """Book a place in ``slot``: either a new appointment matter (registered at ``node``, the booking
    platform; for a platform's slot that platform) for ``person_data``/``person``, or an existing consultation
    ``matter`` booked straight into an institution's slot."""
    _require(can_book_slot(actor, slot), "您无权预约该时段。")
    errors: dict[str, str] = {}
    if matter is None:
        if channel not in BOOKING_CHANNELS:
            errors["channel"] = "预约途径无效（现场、电话或网上）。"
        if not summary.strip():
            errors["summary"] = "请填写预约事项。"
        if person_data is None:
            errors["name"] = "请填写预约人姓名。"
        node = slot.node if slot.node_id is not None else node
        if node is None:
            platforms = booking_platforms(actor)
            node = platforms[0] if platforms else None
        if node is None or not matter_services.can_receive_at(actor, node):
            errors["node"] = "请选择登记预约的服务平台。"
    else:
        if matter.kind not in (MatterKind.CONSULTATION, MatterKind.APPOINTMENT):
            errors["matter"] = "只有法律咨询事项可以直接预约律所时段。"
        elif matter.state != MatterState.RECEIVED:
            errors["matter"] = "该事项已办理，不能再预约。"
        elif Appointment.objects.filter(matter=matter).exists():
            errors["matter"] = "该事项已有预约，请改约。"
        _require(matter_services.can_act_for_front(actor, matter), "只有首问负责人或其上级可以为该事项预约。")
    phone = phone.strip()
    if phone:
        try:
            validate_personal_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        slot = _lock_slot(slot)
        _check_bookable(slot)
        if matter is None:
            assert node is not None and person_data is not None
            when = timezone.localtime(slot.start)
            visit = matter_services.visit_register(
                actor=actor,
                node=node,
                person_data=person_data,
                person=person,
                channel=channel,
                matters=[MatterInput(kind=MatterKind.APPOINTMENT, summary=summary.strip())],
                summary=f"预约{when:%m月%d日 %H:%M}：{summary.strip()}",
            )
            matter = visit.matters.get()
        appointment = Appointment.objects.create(
            slot=slot,
            matter=matter,
            phone=phone or matter.visit.person_as_told.phone,
            booked_by=actor,
            booked_at=clock.now(),
        )
        _move(appointment, "booked", actor, to_slot=slot)
        audit(
            actor=actor,
            action="appointment_booked",
            obj=appointment,
            node=matter.node,
            data={"slot": slot.pk, "matter": matter.pk, "channel": channel},
        )
        _step(matter, "appointment_booked", actor, str(slot))
        hooks.moved(appointment=appointment, code="booked", actor=actor)
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__node", "slot__institution", "matter", "matter__node", "matter__visit")
        .get(pk=appointment.pk)
    )


def _require_pending(appointment: Appointment, what: str) -> None:
    if appointment.status not in PENDING:
        raise ValidationError(
            f"该预约当前为“{appointment.get_status_display()}”，不能{what}。", code="illegal_move"
        )


@service(AuditAction.APPOINTMENT_RESCHEDULED)
def appointment_reschedule(
    *, actor: Any, appointment: Appointment, slot: Slot, note: str = ""
) -> Appointment:
    with transaction.atomic():
        appointment = _locked(appointment)
        _require(can_act_on(actor, appointment), "您无权改约该预约。")
        own_institution = slot.institution_id in scoping.scope_for(actor).institution_ids
        _require(can_book_slot(actor, slot) or own_institution, "您无权预约该时段。")
        _require_pending(appointment, "改约")
        if slot.pk == appointment.slot_id:
            raise ValidationError({"slot": "请选择另一个时段。"})
        new_slot = _lock_slot(slot)
        _check_bookable(new_slot)
        old_slot = appointment.slot
        old_day = timezone.localdate(old_slot.start)
        appointment.slot = new_slot
        appointment.status = AppointmentStatus.RESCHEDULED
        if timezone.localdate(new_slot.start) != old_day:
            appointment.reminder_sent_at = None
        appointment.save()
        _move(
            appointment, "rescheduled", actor, from_slot=old_slot, to_slot=new_slot, note=note.strip()[:300]
        )
        audit(
            actor=actor,
            action="appointment_rescheduled",
            obj=appointment,
            node=appointment.matter.node,
            data={"from": old_slot.pk, "to": new_slot.pk, "note": note.strip()},
        )
        _step(appointment.matter, "appointment_rescheduled", actor, f"改约至{new_slot}")
        hooks.moved(appointment=appointment, code="rescheduled", actor=actor)
    return appointment


@service(AuditAction.APPOINTMENT_CANCELLED)
def appointment_cancel(*, actor: Any, appointment: Appointment, reason: str) -> Appointment:
    if not reason.strip():
        raise ValidationError({"reason": "请填写取消原因。"})
    with transaction.atomic():
        appointment = _locked(appointment)
        _require(can_act_on(actor, appointment), "您无权取消该预约。")
        _require_pending(appointment, "取消")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = clock.now()
        appointment.cancel_reason = reason.strip()[:200]
        appointment.save()
        _move(appointment, "cancelled", actor, from_slot=appointment.slot, note=appointment.cancel_reason)
        audit(
            actor=actor,
            action="appointment_cancelled",
            obj=appointment,
            node=appointment.matter.node,
            data={"reason": appointment.cancel_reason},
        )
        _step(appointment.matter, "appointment_cancelled", actor, appointment.cancel_reason)
        _close_unserved(appointment.matter, actor, appointment.cancel_reason)
        hooks.moved(appointment=appointment, code="cancelled", actor=actor)
    return appointment


@service(AuditAction.APPOINTMENT_NO_SHOW)
def appointment_no_show(*, actor: Any, appointment: Appointment, note: str = "") -> Appointment:
    """The citizen did not come: only once the slot has begun."""
    with transaction.atomic():
        appointment = _locked(appointment)
        _require(can_act_on(actor, appointment), "您无权登记该预约的履约情况。")
        _require_pending(appointment, "登记爽约")
        if appointment.slot.start > clock.now():
            raise ValidationError("预约时间还没到，不能登记爽约。", code="illegal_move")
        appointment.status = AppointmentStatus.NO_SHOW
        appointment.no_show_at = clock.now()
        appointment.save()
        _move(appointment, "no_show", actor, from_slot=appointment.slot, note=note.strip()[:300])
        audit(actor=actor, action="appointment_no_show", obj=appointment, node=appointment.matter.node)
        _step(appointment.matter, "appointment_no_show", actor, note)
        _close_unserved(appointment.matter, actor, "预约人未到")
    return appointment


@service(AuditAction.APPOINTMENT_SERVED)
def appointment_serve(*, actor: Any, appointment: Appointment, result: str) -> Appointment:
    """The appointment took place: record the result. A new appointment matter (or a consultation) still open
    at its front desk is answered with the result, which moves it on like any consultation."""
    if not result.strip():
        raise ValidationError({"result": "请填写服务结果。"})
    with transaction.atomic():
        appointment = _locked(appointment)
        _require(can_act_on(actor, appointment), "您无权登记该预约的服务结果。")
        _require_pending(appointment, "登记服务结果")
        if timezone.localdate(appointment.slot.start) > clock.today():
            raise ValidationError("预约日期还没到，不能登记服务结果。", code="illegal_move")
        appointment.status = AppointmentStatus.SERVED
        appointment.served_at = clock.now()
        appointment.served_by = actor
        appointment.result = result.strip()
        appointment.save()
        _move(appointment, "served", actor, from_slot=appointment.slot)
        matter = appointment.matter
        answered = False
        if matter.state == MatterState.RECEIVED and matter_services.can_act_for_front(actor, matter):
            matter_services.matter_answer(actor=actor, matter=matter, answer=appointment.result)
            answered = True
        else:
            _step(matter, "appointment_served", actor, appointment.result)
        audit(
            actor=actor,
            action="appointment_served",
            obj=appointment,
            node=matter.node,
            data={"matter_answered": answered},
        )
    return appointment


# --- the reminder -----------------------------------------------------------------------------------------


def reminder_text(appointment: Appointment) -> str:
    slot = appointment.slot
    start = timezone.localtime(slot.start)
    where = slot.place_name
    place = slot.institution or slot.node
    address = f"（{place.address}）" if place is not None and place.address else ""
    hows: dict[str, str] = {
        SlotKind.HOME_VISIT: "工作人员将上门服务",
        SlotKind.VIDEO: "请按约定时间参加视频服务",
    }
    how = hows.get(slot.kind, f"请按时到{where}{address}")
    return (
        f"【公共法律服务】{appointment.matter.visit.person_as_told.name}您好，您预约的{slot.get_kind_display()}服务在"
        f"{start:%m月%d日 %H:%M}，{how}。如需改约或取消请致电{where}。"
    )


def reminder_days(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days after ``today`` up to the next working day (a Friday run covers the weekend and Monday)."""
    return today + datetime.timedelta(days=1), add_working_days(today, 1)


def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """One SMS per pending appointment falling after ``today`` up to the next working day, sent once (the claim
    on ``reminder_sent_at`` is atomic, so concurrent runs do not send twice). Runs only on working days."""
    today = today or clock.today()
    if not is_working_day(today):
        return 0
    first, last = reminder_days(today)
    tz = timezone.get_current_timezone()
    due = Appointment.objects.filter(
        status__in=PENDING,
        reminder_sent_at__isnull=True,
        slot__start__gte=datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
        slot__start__lt=datetime.datetime.combine(
            last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        ),
    ).select_related(
        "slot", "slot__node", "slot__institution", "matter", "matter__node", "matter__visit__person"
    )
    sent = 0
    backend = get_backend()
    for appointment in due:
        if not appointment.phone:
            continue
        claimed = Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=clock.now()
        )
        if not claimed:
            continue
        text = reminder_text(appointment)
        try:
            backend.send(phone=appointment.phone, text=text)
        except Exception:
            logger.exception("预约提醒短信发送失败：%s", appointment.phone)
            Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=None)
            continue
        with transaction.atomic():
            _move(appointment, "reminded", None, note=text[:300])
            audit(actor=None, action="appointment_reminded", obj=appointment, node=appointment.matter.node)
        sent += 1
    return sent


def role_may_open_slots(actor: Any) -> bool:
    return scoping.has_role(
        actor, Role.WINDOW_CLERK, Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.HANDLER
    )
