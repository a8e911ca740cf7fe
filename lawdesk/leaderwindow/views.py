"""Leader-at-window pages: a district's draws (draw, check in, check out), the compliance board and its Excel.

Reads go through ``selectors`` (scoped: a district out of reach answers 404); changes through ``services``,
whose Chinese messages are shown as they are."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.leaderwindow import selectors, services
from lawdesk.leaderwindow.draw import NoSlotError, parse_week, week_code, week_label, week_monday

BOARD_WEEKS = 8


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """A district's people land on their district; the city on the board."""
    districts = selectors.visible_districts(request.user)
    if len(districts) == 1:
        return redirect("leaderwindow:district", pk=districts[0].pk)
    if not districts:
        raise Http404("您没有可查看的区(县)司法局。")
    return redirect("leaderwindow:board")


def _district_context(request: HttpRequest, district: Any, **extra: Any) -> dict[str, Any]:
    actor = request.user
    today = clock.today()
    this_week = week_monday(today)
    next_week = this_week + datetime.timedelta(weeks=1)
    draws = list(selectors.district_draws(district))
    by_week = {d.week_start: d for d in draws}
    weeks = []
    for monday, label in ((this_week, "本周"), (next_week, "下周")):
        draw = by_week.get(monday)
        visit = getattr(draw, "visit", None) if draw else None
        weeks.append(
            {
                "label": label,
                "monday": monday,
                "code": week_code(monday),
                "text": week_label(monday),
                "draw": draw,
                "visit": visit,
                "can_check": draw is not None and services.can_check(actor, draw),
                "is_leader": draw is not None and draw.leader_id == actor.pk,
            }
        )
    history = [d for d in draws if d.week_start < this_week][:20]
    board = selectors.compliance_board(districts=[district], weeks=[d.week_start for d in history])
    statuses = {c.week_start: c for c in (board[0] if board else [])}
    return {
        "district": district,
        "weeks": weeks,
        "history": [{"draw": d, "cell": statuses.get(d.week_start)} for d in history],
        "leaders": services.district_leaders(district),
        "can_draw": services.can_draw(actor, district),
        "can_record": scoping.can_manage_node(actor, district),
        "errors": [],
        "today": today,
        **extra,
    }


@login_required
def district(request: HttpRequest, pk: int) -> HttpResponse:
    node = selectors.get_district_for(request.user, pk)
    return render(request, "leaderwindow/district.html", _district_context(request, node))


@login_required
@require_POST
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    node = selectors.get_district_for(request.user, pk)
    if not services.can_draw(request.user, node):
        raise Http404("没有找到该区(县)司法局，或您无权操作。")
    try:
        week_start = parse_week(request.POST.get("week", ""))
        result = services.window_draw(
            actor=request.user, district=node, week_start=week_start, reason=request.POST.get("reason", "")
        )
    except NoSlotError as exc:
        errors = [str(exc)]
    except ValidationError as exc:
        errors = _errors(exc)
    else:
        messages.success(
            request, f"已抽签：{result.week_text}由{result.leader}驻窗口，{result.slot_text}。已通知本人。"
        )
        return redirect("leaderwindow:district", pk=node.pk)
    context = _district_context(request, node, errors=errors, posted=request.POST)
    return render(request, "leaderwindow/district.html", context, status=400)


def _parse_at(request: HttpRequest) -> datetime.datetime | None:
    text = (request.POST.get("at") or "").strip()
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError({"at": "时间格式应为“2026-11-26 09:30”。"}) from exc


def _check(request: HttpRequest, pk: int, *, out: bool) -> HttpResponse:
    record = selectors.get_draw_for(request.user, pk)
    if not services.can_check(request.user, record):
        raise Http404("没有找到该驻窗口安排，或您无权操作。")
    try:
        at = _parse_at(request)
        if out:
            visit = services.window_check_out(actor=request.user, draw=record, at=at)
            linked = visit.matters.count()
            messages.success(request, f"已签退：驻窗口{visit.minutes}分钟，期间受理事项{linked}项已关联。")
        else:
            visit = services.window_check_in(actor=request.user, draw=record, at=at)
            messages.success(
                request, f"已签到：{timezone.localtime(visit.checked_in_at):%H:%M}。离开时请签退。"
            )
    except ValidationError as exc:
        context = _district_context(request, record.district, errors=_errors(exc))
        return render(request, "leaderwindow/district.html", context, status=400)
    return redirect("leaderwindow:district", pk=record.district_id)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    return _check(request, pk, out=False)


@login_required
@require_POST
def check_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _check(request, pk, out=True)


# --- the compliance board ---------------------------------------------------------------------------------


def _board_data(request: HttpRequest) -> tuple[list[Any], list[datetime.date], list[list[Any]], list[str]]:
    errors: list[str] = []
    last = clock.today()
    if request.GET.get("week"):
        try:
            last = parse_week(request.GET["week"])
        except NoSlotError as exc:
            errors.append(str(exc))
    districts = selectors.visible_districts(request.user)
    if request.GET.get("district"):
        wanted = selectors.get_district_for(request.user, request.GET["district"])
        districts = [d for d in districts if d.pk == wanted.pk]
    if not districts:
        raise Http404("您没有可查看的区(县)司法局。")
    weeks = selectors.weeks_ending(last, BOARD_WEEKS)
    return districts, weeks, selectors.compliance_board(districts=districts, weeks=weeks), errors


_CHIP: dict[str, str] = {
    selectors.Status.MET: "have",
    selectors.Status.PENDING: "optional",
    selectors.Status.EXEMPT: "optional",
}


def _cells_html(row: list[selectors.Cell]) -> SafeString:
    """A district's week cells as the board's template wrote them per cell (issue 21: ~100 cells of a dozen
    template nodes each were half the page's CPU); every value escaped, numbers as ``{{ }}`` writes them."""
    out = []
    for c in row:
        html = (
            f'<td data-testid="lw-cell-{localize(c.district.pk)}-{c.week_start:%Y%m%d}">'
            f'<span class="chip {_CHIP.get(c.status, "missing")}">{escape(c.label)}</span>\n      '
        )
        if c.draw:
            html += f'<br><small class="muted">{escape(c.draw.leader)}'
            if c.minutes is not None:
                html += f" · {escape(localize(c.minutes))}分钟"
            html += "</small>"
        out.append(html + "</td>")
    return mark_safe("".join(out))


@login_required
def board(request: HttpRequest) -> HttpResponse:
    districts, weeks, rows, errors = _board_data(request)
    totals: dict[str, int] = {}
    for row in rows:
        for cell in row:
            totals[cell.status] = totals.get(cell.status, 0) + 1
    context = {
        "weeks": [{"monday": w, "code": week_code(w), "text": week_label(w)} for w in weeks],
        "rows": [{"district": row[0].district, "cells": _cells_html(row)} for row in rows],
        "errors": errors,
        "totals": [(selectors.Status(s).label, totals.get(s, 0)) for s in selectors.Status.values],
        "week_value": request.GET.get("week", ""),
        "district_filter": request.GET.get("district", ""),
        "query": request.GET.urlencode(),
        "is_city": len(districts) > 1,
    }
    return render(request, "leaderwindow/board.html", context, status=400 if errors else 200)


@login_required
def board_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.leaderwindow.excel import build_board_workbook

    _districts, weeks, rows, errors = _board_data(request)
    if errors:
        return HttpResponse(errors[0], status=400, content_type="text/plain; charset=utf-8")
    period = f"{week_label(weeks[0])} 至 {week_label(weeks[-1])}"
    title = "局长驻窗口情况表"
    content = build_board_workbook(rows, title=title, period=period)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"leader-window-{week_code(weeks[-1])}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # leaders, platforms and hours: no citizen's personal data
    return mark_export(response, personal_data="none")
