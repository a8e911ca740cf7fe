"""The coverage pages: the board per district and for the city with its drill-down to the villages behind each
figure and its Excel, the import of a district's village list, and the lightbox points with their signage PDF.
Reads go through ``lawdesk.coverage.selectors`` (out of reach: 404); every change through the services."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.forms import add_service_errors
from lawdesk.core.http import XLSX
from lawdesk.core.imports import ImportForm
from lawdesk.core.urls_cache import path_pattern
from lawdesk.coverage import selectors, services
from lawdesk.coverage.forms import InspectForm, LightboxEditForm, LightboxForm
from lawdesk.coverage.models import LightboxState
from lawdesk.orgs.models import OrgNode
from lawdesk.public import signage
from lawdesk.public.views import qr_problem

LIST_LIMIT = 1000


def _pick(request: HttpRequest, name: str, queryset: Any) -> Any:
    """The node named by ``?name=`` among ``queryset`` (None when not given; 404 when out of reach)."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        return queryset.get(pk=int(raw))
    except (ValueError, OrgNode.DoesNotExist) as exc:
        raise Http404(selectors.NOT_FOUND) from exc


def _filtered(request: HttpRequest) -> tuple[Any, OrgNode | None, OrgNode | None, str]:
    """The actor's villages narrowed by ``?district=``, ``?office=`` and ``?served=``."""
    selectors.require_view(request.user)
    villages = selectors.villages_for(request.user)
    district = _pick(request, "district", selectors.districts_for(request.user))
    if district is not None:
        villages = villages.filter(office__parent=district)
    office = _pick(request, "office", OrgNode.objects.filter(pk__in=villages.values("office_id")))
    if office is not None:
        villages = villages.filter(office=office)
    served = request.GET.get("served", "all") or "all"
    if served not in selectors.SERVED_BY:
        raise Http404("没有这一项。")
    return villages, district, office, served


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    selectors.require_view(request.user)
    today = clock.today()
    villages = selectors.villages_for(request.user)
    districts = selectors.districts_for(request.user)
    chosen = _pick(request, "district", districts)
    if chosen is not None:
        villages = villages.filter(office__parent=chosen)
        districts = districts.filter(pk=chosen.pk)
    rows = selectors.board(villages, districts, today)
    offices = []
    if chosen is not None:
        counts = selectors.coverage_counts(villages, today, "office_id")
        for office in OrgNode.objects.filter(pk__in=counts).order_by("path"):
            offices.append(selectors.CoverageRow(node=office, counts=counts[office.pk]))
    nothing = list(selectors.served_villages(villages, today, "none")[:200])
    return render(
        request,
        "coverage/board.html",
        {
            "rows": rows,
            "offices": offices,
            "chosen": chosen,
            "all_districts": selectors.districts_for(request.user),
            "nothing": nothing,
            "figures": [(k, label) for k, (label, _q) in selectors.SERVED_BY.items()],
            "today": today,
            "can_import": bool(selectors.import_districts(request.user)),
            "can_manage": selectors.manage_offices(request.user).exists(),
        },
    )


@login_required
@require_GET
def villages(request: HttpRequest) -> HttpResponse:
    villages, district, office, served = _filtered(request)
    today = clock.today()
    found = selectors.served_villages(villages, today, served)
    total = found.count()
    return render(
        request,
        "coverage/villages.html",
        {
            "villages": [(v, selectors.served_label(v)) for v in found[:LIST_LIMIT]],
            "total": total,
            "limit": LIST_LIMIT,
            "district": district,
            "office": office,
            "served": served,
            "served_label": selectors.SERVED_BY[served][0],
            "figures": [(k, label) for k, (label, _q) in selectors.SERVED_BY.items()],
            "query": request.GET.urlencode(),
            "can_import": bool(selectors.import_districts(request.user)),
            "today": today,
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    from lawdesk.coverage import spreadsheets

    villages, district, office, served = _filtered(request)
    today = clock.today()
    found = selectors.served_villages(villages, today, served).select_related("office__parent", "station")
    content = spreadsheets.export_coverage(found, today)
    unit = office or district
    place = unit.name if unit is not None else "全部"
    response = HttpResponse(content, content_type=XLSX)
    filename = f"村(社区)覆盖-{place}-{selectors.SERVED_BY[served][0]}-{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=coverage.xlsx; filename*=UTF-8''{quote(filename)}"
    )
    # villages, their codes and how they are served: no personal data
    return mark_export(response, personal_data="none", node=unit)


@login_required
@require_http_methods(["GET", "POST"])
def import_villages(request: HttpRequest) -> HttpResponse:
    from lawdesk.coverage import spreadsheets

    selectors.require_view(request.user)
    districts = selectors.import_districts(request.user)
    if not districts:
        raise PermissionDenied("只有区(县)司法局管理员和市局管理员可以导入村(社区)名录。")
    source = request.POST if request.method == "POST" else request.GET
    chosen = next((d for d in districts if str(d.pk) == source.get("district", "")), None)
    if source.get("district") and chosen is None:
        raise Http404(selectors.NOT_FOUND)
    chosen = chosen or districts[0]
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = spreadsheets.import_villages(
            actor=request.user, district=chosen, file=form.cleaned_data["file"]
        )
        if result.ok:
            messages.success(
                request,
                f"{chosen.name}村(社区)名录导入成功：新增{result.created}个，更新{result.updated}个，未变{result.unchanged}个。",
            )
            return redirect(f"{reverse('coverage:board')}?district={chosen.pk}")
    return render(
        request,
        "coverage/import.html",
        {"form": form, "result": result, "districts": districts, "chosen": chosen},
        status=400 if result is not None and not result.ok else 200,
    )


def _lightbox_rows(points: Any) -> list[dict[str, Any]]:
    """The list's rows as plain values: the seven columns read in one query, the link formatted from the route
    reversed once per process, not a point with its village, office, office's parent and platform built and a
    route reversed for each row (issue 21)."""
    url = path_pattern("coverage:lightbox", 0)
    states = dict(LightboxState.choices)
    rows = list(
        points.values(
            "pk", "village__office__name", "village__name", "place", "platform__name", "installed", "state",
            "last_inspected",
        )
    )  # fmt: skip
    for row in rows:
        row["url"] = url.format(row["pk"])
        row["state_label"] = states.get(row["state"], row["state"])
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def lightboxes(request: HttpRequest) -> HttpResponse:
    selectors.require_view(request.user)
    offices = selectors.manage_offices(request.user)
    managed = (
        selectors.villages_for(request.user)
        .filter(office__in=offices)
        .order_by("office__path", "region_code")
    )
    platforms = selectors.platforms_for_offices(offices)
    initial: dict[str, Any] = {"installed": clock.today()}
    if request.GET.get("village"):
        initial["village"] = request.GET["village"]
    form = LightboxForm(request.POST or None, villages=managed, platforms=platforms, initial=initial)
    if request.method == "POST":
        if not offices.exists():
            raise PermissionDenied("只有本司法所工作人员和区(县)司法局管理员可以登记灯箱点。")
        if form.is_valid():
            try:
                point = services.lightbox_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记{point.village.name}的灯箱点。")
                return redirect("coverage:lightbox", pk=point.pk)
    points = selectors.lightboxes_for(request.user).order_by(
        "village__office__path", "village__region_code", "pk"
    )
    state = request.GET.get("state", "")
    if state in LightboxState.values:
        points = points.filter(state=state)
    return render(
        request,
        "coverage/lightboxes.html",
        {
            "points": _lightbox_rows(points[:LIST_LIMIT]),
            "form": form,
            "can_manage": offices.exists(),
            "states": LightboxState.choices,
            "can_import": bool(selectors.import_districts(request.user)),
            "state": state,
        },
        status=400 if form.errors else 200,
    )


def _booking_url(request: HttpRequest, platform: OrgNode) -> str:
    """The platform's online booking page, on the site's public address when one is set."""
    path = reverse("online:appointment_slots", args=[platform.pk])
    base = str(getattr(settings, "LAWDESK_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


LIGHTBOX_SIGNS = (signage.LIGHTBOX_A, signage.LIGHTBOX_B)


@login_required
@require_http_methods(["GET", "POST"])
def lightbox(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.get_lightbox_for(request.user, pk)
    can_manage = selectors.can_manage_at(request.user, point.village.office)
    platforms = selectors.platform_choices(point.village.office)
    edit = LightboxEditForm(initial=LightboxEditForm.initial_of(point), platforms=platforms)
    inspect = InspectForm(initial={"day": clock.today()})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有本司法所工作人员和区(县)司法局管理员可以维护灯箱点。")
        action = request.POST.get("action")
        form: forms.Form
        if action == "inspect":
            form = inspect = InspectForm(request.POST)
            call = lambda data: services.lightbox_inspect(actor=request.user, point=point, **data)  # noqa: E731
        elif action == "edit":
            form = edit = LightboxEditForm(request.POST, platforms=platforms)
            call = lambda data: services.lightbox_update(actor=request.user, point=point, **data)  # noqa: E731
        else:
            raise Http404("没有这种操作。")
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("coverage:lightbox", pk=point.pk)
        status = 400
        point.refresh_from_db()
    booking = _booking_url(request, point.platform)
    return render(
        request,
        "coverage/lightbox.html",
        {
            "point": point,
            "can_manage": can_manage,
            "edit": edit,
            "inspect": inspect,
            "booking_url": booking,
            "hotline": signage.HOTLINE,
            "qr_problem": qr_problem(booking),
            "missing": [(s.label, signage.missing_fields(point.platform, s)) for s in LIGHTBOX_SIGNS],
        },
        status=status,
    )


@login_required
@require_GET
def lightbox_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.get_lightbox_for(request.user, pk)
    booking = _booking_url(request, point.platform)
    if problem := qr_problem(booking):
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    try:
        pdf = signage.signage_pdf([(point.platform, booking)], LIGHTBOX_SIGNS, qr_caption="扫码预约法律服务")
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{point.village.name}灯箱-{point.pk}.pdf"
    response["Content-Disposition"] = f"inline; filename=lightbox.pdf; filename*=UTF-8''{quote(filename)}"
    # the platform's public details (the sign's own content): no personal data
    return mark_export(response, personal_data="none", node=point.village.office)
