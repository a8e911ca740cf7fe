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
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods

from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.forms import add_service_errors
from lawdesk.core.http import XLSX
from lawdesk.core.imports import ImportForm
from lawdesk.core.urls_cache import path_of, path_pattern
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


def _pick_from(request: HttpRequest, name: str, nodes: list[OrgNode]) -> OrgNode | None:
    """As ``_pick``, among nodes already read."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise Http404(selectors.NOT_FOUND) from exc
    for node in nodes:
        if node.pk == pk:
            return node
    raise Http404(selectors.NOT_FOUND)


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


NOTHING_LIMIT = 200


def _nothing_rows(villages: Any, today: Any) -> list[dict[str, Any]]:
    """The villages served by nothing, as plain values (the four columns in one query): not a village with its
    office, the office's parent, its station and the three coverage annotations built as objects (issue 21)."""
    rows: list[Any] = list(
        selectors.served_villages(villages, today, "none").values(
            "pk", "office__parent__name", "office__name", "name", "region_code"
        )[:NOTHING_LIMIT]
    )
    for row in rows:
        # as ``{{ v.office.parent.name }}`` wrote it: nothing for an office without a parent
        if row["office__parent__name"] is None:
            row["office__parent__name"] = ""
    return rows


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    selectors.require_view(request.user)
    today = clock.today()
    villages = selectors.villages_for(request.user)
    all_districts = list(selectors.districts_for(request.user))
    chosen = _pick_from(request, "district", all_districts)
    if chosen is not None:
        villages = villages.filter(office__parent=chosen)
    # the districts read once: the filter's options and, unless one is chosen, the board's rows (issue 21)
    rows = selectors.board(villages, [chosen] if chosen is not None else all_districts, today)
    offices = []
    if chosen is not None:
        counts = selectors.coverage_counts(villages, today, "office_id")
        for office in OrgNode.objects.filter(pk__in=counts).order_by("path"):
            offices.append(selectors.CoverageRow(node=office, counts=counts[office.pk]))
    return render(
        request,
        "coverage/board.html",
        {
            "rows": rows,
            "offices": offices,
            "chosen": chosen,
            "all_districts": all_districts,
            "nothing": _nothing_rows(villages, today),
            "figures": [(k, label) for k, (label, _q) in selectors.SERVED_BY.items()],
            "today": today,
            "can_import": bool(selectors.import_districts(request.user)),
            "can_manage": selectors.manage_offices(request.user).exists(),
            # routes reversed once per process, not in every cell (issue 21)
            "villages_url": path_of("coverage:villages"),
            "lightboxes_url": path_of("coverage:lightboxes"),
            "contracts_url": path_of("advisers:contracts"),
            "export_url": path_of("coverage:export"),
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


def _day(value: Any) -> str:
    """A date as ``{{ value|date:"Y-m-d" }}`` writes it ("" for none)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value else ""


def _lightbox_rows(points: Any) -> SafeString:
    """The list's rows: the seven columns read as values in one query and written here in Python, the link
    formatted from the route reversed once per process; the HTML the former template loop wrote (issue 21: not a
    point with its village, office, office's parent and platform built, a route reversed and a dozen template
    lookups for each row). Every value is escaped."""
    url = path_pattern("coverage:lightbox", 0)
    states = {key: escape(label) for key, label in LightboxState.choices}
    rows = points.values_list(
        "pk", "village__office__name", "village__name", "place", "platform__name", "installed", "state",
        "last_inspected",
    )  # fmt: skip
    html = []
    for pk, office, village, place, platform, installed, state, inspected in rows:
        label: str = states.get(state) or escape(state)
        if state != LightboxState.IN_USE:
            label = f"<strong>{label}</strong>"
        html.append(
            f'\n    <tr data-testid="lightbox-{pk}"><td>{escape(office)}</td><td>{escape(village)}</td>'
            f'<td><a href="{escape(url.format(pk))}">{escape(place)}</a></td><td>{escape(platform or "")}</td>'
            f"\n      <td>{_day(installed)}</td><td>{label}</td><td>{_day(inspected) or '—'}</td></tr>\n  "
        )
    return SafeString("".join(html))


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
    can_manage = offices.exists()
    if request.method == "POST":
        if not can_manage:
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
            "rows": _lightbox_rows(points[:LIST_LIMIT]),
            "form": form,
            "can_manage": can_manage,
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
