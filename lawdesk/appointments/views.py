"""The appointment pages: a week of slots at a platform or an institution, opening slots, booking, the day's
appointments of a node, and one appointment with its moves (reschedule, cancel, no-show, serve).

Reads go through ``lawdesk.accounts.scoping`` (out of reach: 404); changes through
``lawdesk.appointments.services``, whose Chinese messages come back under the form's fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.appointments import hooks, selectors, services
from lawdesk.appointments.forms import BookForm, CancelForm, RescheduleForm, ServeForm, SlotForm
from lawdesk.appointments.models import PENDING, TAKING_PLACE, Appointment, Slot
from lawdesk.core import clock
from lawdesk.core.tree import PLATFORM_KINDS
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.matters.services import PersonInput
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.workcal.workdays import is_working_day


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, [m for e in errors for m in e.messages])
    else:
        form.add_error(None, exc.messages)


# --- where ------------------------------------------------------------------------------------------------


def _place(request: HttpRequest) -> tuple[OrgNode | None, Institution | None]:
    """The platform (``?node=``) or institution (``?institution=``) asked for, else the actor's own."""
    actor = request.user
    if request.GET.get("institution"):
        return None, institution_access.get_institution_for(actor, request.GET["institution"])
    if request.GET.get("node"):
        node = node_access.get_node_for(actor, request.GET["node"])
        if not node.is_platform:
            raise Http404("该节点不是服务平台。")
        return node, None
    platforms = services.booking_platforms(actor)
    if platforms:
        return platforms[0], None
    own = list(scoping.scope_for(actor).institution_ids)
    if own:
        return None, Institution.objects.get(pk=own[0])
    # The office and the bureaus have no window of their own: the first platform they oversee.
    first = (
        node_access.visible_nodes(actor)
        .filter(kind__in=PLATFORM_KINDS, is_active=True)
        .order_by("path")
        .first()
    )
    if first is not None:
        return first, None
    raise Http404("请选择服务平台或机构。")


def _place_query(node: OrgNode | None, institution: Institution | None) -> str:
    return f"institution={institution.pk}" if institution is not None else f"node={node.pk}"  # type: ignore[union-attr]


def _law_firms(actor: Any) -> QuerySet[Institution]:
    return (
        institution_access.visible_institutions(actor).filter(kind=InstitutionKind.LAW_FIRM).order_by("name")
    )


# The service's keys that the slot form calls otherwise.
_SLOT_FIELDS = {"start": "day", "end": "end_time", "last_day": "repeat_until"}


# --- the week ---------------------------------------------------------------------------------------------


@login_required
def slot_calendar(request: HttpRequest) -> HttpResponse:
    actor = request.user
    node, institution = _place(request)
    today = clock.today()
    try:
        week_of = (
            datetime.date.fromisoformat(request.GET.get("week", "")) if request.GET.get("week") else today
        )
    except ValueError:
        week_of = today
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    tz = timezone.get_current_timezone()
    slots = (
        Slot.objects.filter(
            node=node,
            institution=institution,
            start__gte=datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz),
            start__lt=datetime.datetime.combine(
                monday + datetime.timedelta(days=7), datetime.time.min, tzinfo=tz
            ),
        )
        .annotate(taken=Count("appointments", filter=Q(appointments__status__in=TAKING_PLACE)))
        .order_by("start")
    )
    by_day: dict[datetime.date, list[Slot]] = {d: [] for d in days}
    now = clock.now()
    for slot in slots:
        slot.bookable = slot.start > now and slot.taken < slot.capacity  # type: ignore[attr-defined]
        by_day[timezone.localdate(slot.start)].append(slot)
    place_q = _place_query(node, institution)
    matter_id = request.GET.get("matter", "")
    context = {
        "node": node,
        "institution": institution,
        "place_name": institution.name if institution else node.name,  # type: ignore[union-attr]
        "columns": [
            {"day": d, "working": is_working_day(d), "slots": by_day[d], "today": d == today} for d in days
        ],
        "prev_week": f"?{place_q}&week={monday - datetime.timedelta(days=7):%Y-%m-%d}",
        "next_week": f"?{place_q}&week={monday + datetime.timedelta(days=7):%Y-%m-%d}",
        "place_q": place_q,
        "matter_q": f"?matter={matter_id}" if matter_id.isdigit() else "",
        "matter_id": matter_id if matter_id.isdigit() else "",
        "can_open": services.can_manage_slots(actor, node=node, institution=institution),
        "can_book": bool(services.booking_platforms(actor)),
        "platforms": services.booking_platforms(actor),
        "law_firms": _law_firms(actor),
    }
    return render(request, "appointments/slot_calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def slot_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    node, institution = _place(request)
    if not services.can_manage_slots(actor, node=node, institution=institution):
        raise PermissionDenied("您无权为该平台或机构开放预约时段。")
    default_kind = (
        "law_firm" if institution is not None and institution.kind == InstitutionKind.LAW_FIRM else "station"
    )
    form = SlotForm(request.POST or None, initial={"kind": default_kind, "capacity": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            if data["repeat_until"]:
                made = services.slots_generate(
                    actor=actor,
                    first_day=data["day"],
                    last_day=data["repeat_until"],
                    weekdays=data["weekdays"] or [data["day"].weekday()],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    kind=data["kind"],
                    capacity=data["capacity"],
                    node=node,
                    institution=institution,
                )
                messages.success(request, f"已生成{len(made)}个预约时段（非工作日已跳过）。")
            else:
                services.slot_create(
                    actor=actor,
                    start=datetime.datetime.combine(data["day"], data["start_time"], tzinfo=tz),
                    end=datetime.datetime.combine(data["day"], data["end_time"], tzinfo=tz),
                    kind=data["kind"],
                    capacity=data["capacity"],
                    node=node,
                    institution=institution,
                    note=data["note"],
                )
                messages.success(request, "已开放预约时段。")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({_SLOT_FIELDS.get(k, k): v for k, v in exc.error_dict.items()})
            _add_errors(form, exc)
        else:
            return redirect(
                f"{reverse('appointments:slots')}?{_place_query(node, institution)}&week={data['day']:%Y-%m-%d}"
            )
    place_name = institution.name if institution else node.name  # type: ignore[union-attr]
    return render(
        request,
        "appointments/slot_new.html",
        {"form": form, "place_name": place_name},
        status=400 if form.errors else 200,
    )


# --- booking ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    slot = selectors.get_slot_for(actor, pk)
    if not services.can_book_slot(actor, slot):
        raise PermissionDenied("您无权预约该时段。")
    matter: Matter | None = None
    if request.GET.get("matter") or request.POST.get("matter"):
        matter = matter_access.get_matter_for(actor, request.GET.get("matter") or request.POST.get("matter"))
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if matter is not None:
                appointment = services.appointment_book(
                    actor=actor, slot=slot, matter=matter, phone=data["phone"]
                )
            else:
                if not data["name"].strip():
                    raise ValidationError({"name": "请填写预约人姓名。"})
                appointment = services.appointment_book(
                    actor=actor,
                    slot=slot,
                    summary=data["summary"],
                    person_data=PersonInput(name=data["name"], phone=data["phone"]),
                    channel=data["channel"] or "phone",
                    phone=data["phone"],
                )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"预约成功：{slot}。")
            return redirect("appointments:detail", pk=appointment.pk)
    context = {"form": form, "slot": slot, "matter": matter, "taken": services.taken(slot)}
    return render(request, "appointments/book.html", context, status=400 if form.errors else 200)


# --- the day's appointments -------------------------------------------------------------------------------


@login_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    which = request.GET.get("day", "today")
    day = today + datetime.timedelta(days=1) if which == "tomorrow" else today
    if which not in ("today", "tomorrow"):
        try:
            day = datetime.date.fromisoformat(which)
        except ValueError:
            day = today
    tz = timezone.get_current_timezone()
    appointments = (
        selectors.appointments_for(request.user)
        .filter(
            slot__start__gte=datetime.datetime.combine(day, datetime.time.min, tzinfo=tz),
            slot__start__lt=datetime.datetime.combine(
                day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            ),
        )
        .order_by("slot__start", "id")
    )
    context = {"appointments": appointments, "day": day, "which": which, "today": today}
    return render(request, "appointments/appointment_list.html", context)


# --- one appointment --------------------------------------------------------------------------------------


def _other_slots(appointment: Appointment) -> list[Slot]:
    slot = appointment.slot
    slots = (
        Slot.objects.filter(node=slot.node, institution=slot.institution, start__gt=clock.now())
        .exclude(pk=slot.pk)
        .annotate(taken=Count("appointments", filter=Q(appointments__status__in=TAKING_PLACE)))
        .order_by("start")[:60]
    )
    return [s for s in slots if s.taken < s.capacity]


def _detail(request: HttpRequest, appointment: Appointment, status: int = 200, **forms_: Any) -> HttpResponse:
    can_act = appointment.status in PENDING and services.can_act_on(request.user, appointment)
    context = {
        "appointment": appointment,
        "matter": appointment.matter,
        "moves": appointment.moves.select_related("from_slot", "to_slot", "actor"),
        "can_act": can_act,
        "started": appointment.slot.start <= clock.now(),
        "due_today": timezone.localdate(appointment.slot.start) <= clock.today(),
        "other_slots": _other_slots(appointment) if can_act else [],
        "reschedule_form": forms_.get("reschedule") or RescheduleForm(),
        "cancel_form": forms_.get("cancel") or CancelForm(),
        "serve_form": forms_.get("serve") or ServeForm(),
        "matter_answered": appointment.matter.state != MatterState.RECEIVED,
        "is_appointment_matter": appointment.matter.kind == MatterKind.APPOINTMENT,
        "extra_panels": hooks.panels(actor=request.user, appointment=appointment),
    }
    return render(request, "appointments/appointment_detail.html", context, status=status)


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_appointment_for(request.user, pk))


@login_required
@require_POST
def appointment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = request.user
    appointment = selectors.get_appointment_for(actor, pk)
    form: forms.Form
    try:
        if action == "reschedule":
            form = RescheduleForm(request.POST)
            if not form.is_valid():
                form.add_error("slot", "请选择新的预约时段。")
                return _detail(request, appointment, 400, reschedule=form)
            slot = selectors.get_slot_for(actor, form.cleaned_data["slot"])
            services.appointment_reschedule(
                actor=actor, appointment=appointment, slot=slot, note=form.cleaned_data["note"]
            )
            messages.success(request, f"已改约至{slot}。")
        elif action == "cancel":
            form = CancelForm(request.POST)
            form.is_valid()
            services.appointment_cancel(
                actor=actor, appointment=appointment, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, "已取消预约。")
        elif action == "no-show":
            form = forms.Form(request.POST)
            services.appointment_no_show(actor=actor, appointment=appointment)
            messages.success(request, "已登记爽约。")
        elif action == "serve":
            form = ServeForm(request.POST)
            form.is_valid()
            services.appointment_serve(
                actor=actor, appointment=appointment, result=form.cleaned_data.get("result", "")
            )
            messages.success(request, "已登记服务结果，预约已履约。")
        else:
            raise Http404("没有该操作。")
    except ValidationError as exc:
        if getattr(exc, "code", None) == "illegal_move" or not hasattr(exc, "error_dict"):
            messages.error(request, exc.messages[0])
            return redirect("appointments:detail", pk=appointment.pk)
        _add_errors(form, exc)
        key = {"reschedule": "reschedule", "cancel": "cancel", "serve": "serve"}.get(action, "serve")
        return _detail(request, appointment, 400, **{key: form})
    return redirect("appointments:detail", pk=appointment.pk)
