"""The screening pages (the committee's rounds, recording a round, the board of committees that have not screened)
and the warning pages (signals of the office and district, the records behind each, marking one handled).
Reads through ``lawdesk.screening.selectors`` (out of reach: 404); changes through ``lawdesk.screening.services``."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.core import clock
from lawdesk.orgs.models import Village
from lawdesk.screening import selectors, services
from lawdesk.screening.forms import HandleForm, RegisterForm, RoundForm
from lawdesk.screening.models import SignalKind, SignalState


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _month(request: HttpRequest) -> datetime.date:
    raw = request.GET.get("month", "")
    if not raw:
        return selectors.month_start(clock.today())
    try:
        day = datetime.date.fromisoformat(f"{raw}-01")
    except ValueError as exc:
        raise Http404("月份无效。") from exc
    if not 2000 <= day.year <= 2100:
        raise Http404("月份无效。")
    return day


def _shift(month: datetime.date, delta: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


def _text(value: Any) -> str:
    """``value`` as the template's ``{{ value }}`` writes it."""
    if type(value) is str:
        return str(escape(value))
    return str(conditional_escape(localize(value)))


def _board_rows(board: list[selectors.BoardRow]) -> tuple[SafeString, SafeString]:
    """The rows of the unscreened committees' table and of the board, written here as the template wrote them
    row by row (issue 21: a city-wide reader's page lists every place committee twice); every value escaped as
    ``{{ value }}`` writes it."""
    unscreened, rows = [], []
    for row in board:
        pk, name = row.committee.pk, _text(row.committee.name)
        if not row.screened:
            home = _text(row.committee.home_node.name)
            unscreened.append(
                f'\n    <tr data-testid="unscreened-{pk}"><td>{name}</td><td>{home}</td></tr>\n  '
            )
        last = _text(row.last.strftime("%Y-%m-%d")) if row.last else "—"
        rows.append(
            f'\n    <tr data-testid="board-{pk}"><td>{name}</td><td>{_text(row.rounds)}</td>'
            f"<td>{_text(row.findings)}</td><td>{last}</td></tr>\n  "
        )
    return mark_safe("".join(unscreened)), mark_safe("".join(rows))  # every piece escaped above


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not selectors.sees_screening(request.user):
        raise Http404(selectors.NOT_FOUND)
    month = _month(request)
    rounds = (
        selectors.rounds_for(request.user)
        .filter(period=month)
        .prefetch_related("findings")
        .order_by("-date", "-id")
    )
    board = selectors.board(request.user, month)
    unscreened_rows, board_rows = _board_rows(board)
    return render(
        request,
        "screening/index.html",
        {
            "month": month,
            "previous": _shift(month, -1),
            "next": _shift(month, 1),
            "rounds": rounds,
            "board": board,
            "unscreened_rows": unscreened_rows,
            "board_rows": board_rows,
            "can_record": bool(selectors.recording_committees(request.user)),
            "pending": selectors.findings_for(request.user)
            .filter(disposition="to_matter", matter__isnull=True)
            .select_related("round__committee", "round__village")
            .order_by("round__date", "pk")[:100],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    committees = selectors.recording_committees(request.user)
    if not committees:
        raise Http404(selectors.NOT_FOUND)
    village_q = Q(pk__in=[])
    for committee in committees:
        village_q |= Q(pk__in=selectors.committee_villages(committee).values("pk"))
    villages = Village.objects.filter(village_q).select_related("office").order_by("region_code")
    today = clock.today()
    form = RoundForm(request.POST or None, committees=committees, villages=villages, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.round_record(
                actor=request.user,
                committee=data["committee"],
                village=data["village"],
                date=data["date"],
                households=data["households"] or 0,
                summary=data["summary"],
                findings=form.findings(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记排查：{record}。")
            return redirect("screening:round", record.pk)
    return render(
        request,
        "screening/round_form.html",
        {"form": form, "rows": form.finding_rows()},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_round_for(request.user, pk)
    findings = list(record.findings.all())
    registrable = {f.pk for f in findings if selectors.can_register(request.user, f)}
    return render(
        request,
        "screening/round_detail.html",
        {"round": record, "findings": findings, "registrable": registrable, "register_form": RegisterForm()},
    )


@login_required
@require_POST
def finding_register(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.get_finding_for(request.user, pk)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("screening:round", finding.round_id)
    try:
        matter = services.finding_register(
            actor=request.user, finding=finding, phone=form.cleaned_data["phone"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(str(m) for m in exc.messages))
        return redirect("screening:round", finding.round_id)
    except PermissionDenied:
        raise
    messages.success(request, f"已转为事项并移交“{finding.round.committee.name}”：{matter}。")
    return redirect("screening:round", finding.round_id)


# --- warnings ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    if not selectors.sees_warnings(request.user):
        raise Http404(selectors.NOT_FOUND)
    signals = selectors.signals_for(request.user)
    state = request.GET.get("state", SignalState.NEW)
    kind = request.GET.get("kind", "")
    if state in SignalState.values:
        signals = signals.filter(state=state)
    if kind in SignalKind.values:
        signals = signals.filter(kind=kind)
    return render(
        request,
        "screening/warnings.html",
        {
            "signals": signals[:300],
            "state": state,
            "kind": kind,
            "states": SignalState.choices,
            "kinds": SignalKind.choices,
        },
    )


@login_required
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = selectors.get_signal_for(request.user, pk)
    return render(
        request,
        "screening/warning_detail.html",
        {
            "signal": signal,
            "records": selectors.signal_records(request.user, signal),
            "can_handle": signal.state == SignalState.NEW and selectors.can_handle(request.user, signal),
            "form": HandleForm(),
        },
    )


@login_required
@require_POST
def warning_handle(request: HttpRequest, pk: int) -> HttpResponse:
    signal = selectors.get_signal_for(request.user, pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.signal_handle(actor=request.user, signal=signal, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已标记为已处置。")
            return redirect("warnings:detail", signal.pk)
    return render(
        request,
        "screening/warning_detail.html",
        {
            "signal": signal,
            "records": selectors.signal_records(request.user, signal),
            "can_handle": selectors.can_handle(request.user, signal),
            "form": form,
        },
        status=400,
    )
