"""Duty roster pages: the platforms the actor reaches, a platform's week grid with the add form, gaps and
conflicts, the roster exports, and a district's monthly subsidy sheet. Every read goes through ``scoping``
(out of reach: 404); every change through ``lawdesk.duty.services``."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.http import xlsx_response
from lawdesk.duty import selectors, services
from lawdesk.duty.forms import CopyWeekForm, ShiftForm, parse_month, parse_week
from lawdesk.duty.models import DutyShift
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import PLATFORM_KINDS, NodeKind

ONE_WEEK = datetime.timedelta(days=7)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    platforms = (
        node_access.visible_nodes(request.user)
        .filter(kind__in=PLATFORM_KINDS, is_active=True)
        .order_by("path")
    )
    districts = node_access.visible_nodes(request.user).filter(kind=NodeKind.DISTRICT_BUREAU).order_by("path")
    return render(request, "duty/index.html", {"platforms": platforms, "districts": districts})


def _roster_url(node: OrgNode, monday: datetime.date) -> str:
    return f"{reverse('duty:roster', args=[node.pk])}?week={monday.isoformat()}"


def _add_errors(form: ShiftForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    node = services.platform_for(request.user, pk)
    monday = parse_week(request.GET.get("week") or request.POST.get("week"), clock.today())
    can_edit = services.can_arrange(request.user, node)
    people = services.eligible_people(node) if can_edit else []
    form = ShiftForm(people=people, initial={"date": monday})
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您无权安排该平台的值班。")
        form = ShiftForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shift = services.shift_add(
                    actor=request.user, node=node, date=data["date"], session=data["session"],
                    person=data["person"], post=data["post"], duty=data["duty"],
                    start=data["start"], end=data["end"],
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, f"已安排：{shift.date:%m月%d日}{shift.get_session_display()} {shift.person}。"
                )
                return redirect(_roster_url(node, services.week_start(shift.date)))
        status = 400
    days = selectors.week_grid(node, monday)
    last = monday + datetime.timedelta(days=6)
    context: dict[str, Any] = {
        "node": node,
        "monday": monday,
        "week": selectors.week_label(monday),
        "previous": monday - ONE_WEEK,
        "next": monday + ONE_WEEK,
        "days": days,
        "gaps": selectors.gaps(node, monday, last),
        "conflicts": selectors.conflicts(node, monday, last),
        "form": form,
        "copy_form": CopyWeekForm(initial={"target": monday + ONE_WEEK}),
        "can_edit": can_edit,
        "hours_missing": not services.sessions_of(node),
    }
    return render(request, "duty/roster.html", context, status=status)


@login_required
@require_POST
def shift_remove(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(DutyShift.objects.filter(scoping.nodes_q(request.user, "node__")), pk=pk)
    node, monday = shift.node, services.week_start(shift.date)
    text = f"{shift.date:%m月%d日}{shift.get_session_display()} {shift.person}"
    services.shift_remove(actor=request.user, shift=shift)
    messages.success(request, f"已取消值班：{text}。")
    return redirect(_roster_url(node, monday))


@login_required
@require_POST
def copy_week(request: HttpRequest, pk: int) -> HttpResponse:
    node = services.platform_for(request.user, pk)
    monday = parse_week(request.POST.get("week"), clock.today())
    form = CopyWeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要复制到的周。")
        return redirect(_roster_url(node, monday))
    target = services.week_start(form.cleaned_data["target"])
    if target == monday:
        messages.error(request, "不能复制到同一周。")
        return redirect(_roster_url(node, monday))
    created, skipped = services.roster_copy_week(actor=request.user, node=node, source_monday=monday,
                                                 target_monday=target)  # fmt: skip
    messages.success(request, f"已复制{len(created)}个值班到{selectors.week_label(target)}。")
    for text in skipped:
        messages.warning(request, f"未复制：{text}")
    return redirect(_roster_url(node, target))


def _file(title: str, suffix: str) -> str:
    return quote(f"{title}.{suffix}")


@login_required
@require_GET
def roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from lawdesk.duty import exports

    node = services.platform_for(request.user, pk)
    monday = parse_week(request.GET.get("week"), clock.today())
    last = monday + datetime.timedelta(days=6)
    content = exports.roster_workbook(
        node, monday, selectors.week_grid(node, monday), selectors.gaps(node, monday, last)
    )
    return mark_export(
        xlsx_response(content, f"{node.name}值班安排表{monday:%Y%m%d}"), personal_data="none", node=node
    )


@login_required
@require_GET
def roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from lawdesk.duty import exports

    node = services.platform_for(request.user, pk)
    monday = parse_week(request.GET.get("week"), clock.today())
    content = exports.roster_pdf(node, monday, selectors.week_grid(node, monday))
    response = HttpResponse(content, content_type="application/pdf")
    name = _file(f"{node.name}值班安排表{monday:%Y%m%d}", "pdf")
    response["Content-Disposition"] = f"inline; filename=roster.pdf; filename*=UTF-8''{name}"
    return mark_export(response, personal_data="none", node=node)


def _district_for(actor: Any, pk: int) -> OrgNode:
    node = node_access.get_node_for(actor, pk)
    if node.kind != NodeKind.DISTRICT_BUREAU:
        raise Http404("没有找到该区(县)司法局，或您无权查看。")
    return node


@login_required
@require_GET
def subsidy(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district_for(request.user, pk)
    year, month = parse_month(request.GET.get("month"), clock.today())
    lines = selectors.subsidy_sheet(district, year, month)
    context = {
        "district": district, "year": year, "month": month, "lines": lines,
        "total": sum((x.amount for x in lines), start=0), "sessions": sum(x.sessions for x in lines),
        "unpriced": any(x.unpriced for x in lines), "standards": selectors.standards_for(district),
    }  # fmt: skip
    return render(request, "duty/subsidy.html", context)


@login_required
@require_GET
def subsidy_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from lawdesk.duty import exports

    district = _district_for(request.user, pk)
    year, month = parse_month(request.GET.get("month"), clock.today())
    lines = selectors.subsidy_sheet(district, year, month)
    content = exports.subsidy_workbook(district, year, month, lines)
    # staff names and amounts, no citizen's personal data
    return mark_export(
        xlsx_response(content, f"{district.name}值班补助{year}{month:02d}"),
        personal_data="none",
        node=district,
    )
