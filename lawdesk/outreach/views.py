"""The outreach pages: the compliance board (and its Excel), poor villages, service teams, recording a special
service, publicity events, photos. Reads go through ``lawdesk.outreach.selectors`` (out of reach: 404); every
change through ``lawdesk.outreach.services``, whose Chinese messages come back under their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.http import stored_photo_response
from lawdesk.outreach import selectors, services
from lawdesk.outreach.forms import DutyForm, EventForm, MemberForm, ServiceForm, TeamForm, VillageForm
from lawdesk.outreach.models import PublicityKind
from lawdesk.outreach.selectors import Quarter

PHOTO_ACCEPT = ".jpg,.jpeg,.png"


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _photo_errors(form: forms.Form, files: list[Any]) -> bool:
    ok = True
    for file in files:
        try:
            services.check_photo(file)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            ok = False
    return ok


def _quarter(request: HttpRequest) -> Quarter:
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
        number = int(request.GET.get("quarter", Quarter.of(today).number))
    except ValueError as exc:
        raise Http404("季度无效。") from exc
    if not (2000 <= year <= 2100 and 1 <= number <= 4):
        raise Http404("季度无效。")
    return Quarter(year, number)


def _board_for(request: HttpRequest) -> tuple[Any, Any, selectors.Board]:
    districts = selectors.require_districts(request.user)
    chosen = None
    villages = selectors.villages_for(request.user)
    if request.GET.get("district"):
        try:
            chosen = districts.get(pk=int(request.GET["district"]))
        except (ValueError, districts.model.DoesNotExist) as exc:
            raise Http404(selectors.NOT_FOUND) from exc
        villages = villages.filter(district=chosen)
    return districts, chosen, selectors.board(villages, _quarter(request), clock.today())


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    districts, chosen, result = _board_for(request)
    services_qs = selectors.services_for(request.user).filter(
        date__gte=result.quarter.start, date__lte=result.quarter.end
    )
    if chosen is not None:
        services_qs = services_qs.filter(village__district=chosen)
    return render(
        request,
        "outreach/board.html",
        {
            "board": result,
            "districts": districts,
            "chosen": chosen,
            "several": districts.count() > 1,
            "previous": result.quarter.previous(),
            "next": result.quarter.next(),
            "recent": services_qs[:50],
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def board_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.outreach import exports

    _districts, chosen, result = _board_for(request)
    content = exports.board_workbook(result, title_node=chosen.name if chosen else "本辖区")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"outreach-{result.quarter.year}-Q{result.quarter.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # villages, teams and counts: no citizen's personal data
    return mark_export(response, personal_data="none", node=chosen)


@login_required
@require_http_methods(["GET", "POST"])
def villages(request: HttpRequest) -> HttpResponse:
    districts = selectors.require_districts(request.user)
    manageable = districts.filter(
        pk__in=[d.pk for d in districts if selectors.can_manage_district(request.user, d)]
    )
    form = VillageForm(request.POST or None, districts=manageable)
    if request.method == "POST":
        if not manageable.exists():
            raise PermissionDenied("只有区(县)司法局管理员可以维护贫困村。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                village = services.village_create(
                    actor=request.user, district=data["district"], name=data["name"],
                    region_code=data["region_code"], office=data["office"], station=data["station"],
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记贫困村：{village.name}。")
                return redirect("outreach:villages")
    return render(
        request,
        "outreach/villages.html",
        {
            # the six columns as plain values, not a village with its district, office and station built per row
            "villages": selectors.villages_for(request.user).values(
                "district__name", "name", "region_code", "office__name", "station__name", "active"
            ),
            "form": form,
            "can_manage": manageable.exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    districts = selectors.require_districts(request.user)
    manageable = districts.filter(
        pk__in=[d.pk for d in districts if selectors.can_manage_district(request.user, d)]
    )
    teams_qs = selectors.teams_for(request.user).prefetch_related("members")
    managed_teams = teams_qs.filter(district__in=manageable)
    post = request.POST if request.method == "POST" else None
    team_form = TeamForm(post if post and "add_team" in post else None, districts=manageable)
    member_form = MemberForm(post if post and "add_member" in post else None, teams=managed_teams)
    if post is not None:
        if not manageable.exists():
            raise PermissionDenied("只有区(县)司法局管理员可以维护服务团(队)。")
        try:
            if "add_team" in post and team_form.is_valid():
                d = team_form.cleaned_data
                team = services.team_create(
                    actor=request.user, district=d["district"], name=d["name"], kind=d["kind"], lead=d["lead"]
                )
                messages.success(request, f"已建立：{team.name}。")
                return redirect("outreach:teams")
            if "add_member" in post and member_form.is_valid():
                d = member_form.cleaned_data
                member = services.member_add(
                    actor=request.user, team=d["team"], name=d["name"], category=d["category"]
                )
                messages.success(request, f"已添加成员：{member.name}。")
                return redirect("outreach:teams")
        except ValidationError as exc:
            _add_errors(team_form if "add_team" in post else member_form, exc)
    return render(
        request,
        "outreach/teams.html",
        {
            "teams": teams_qs,
            "team_form": team_form,
            "member_form": member_form,
            "can_manage": manageable.exists(),
        },
        status=400 if team_form.errors or member_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    districts = selectors.require_districts(request.user)
    today = clock.today()
    initial: dict[str, Any] = {"date": today, "people_served": 1}
    if request.GET.get("village"):
        initial["village"] = request.GET["village"]
    form = ServiceForm(
        request.POST or None,
        initial=initial,
        actor=request.user,
        villages=selectors.villages_for(request.user, districts=districts),
        teams=selectors.teams_for(request.user, districts=districts),
        districts=districts,
        today=today,
    )
    if request.method == "POST":
        photos = request.FILES.getlist("photos")
        if form.is_valid() and _photo_errors(form, photos):
            d = form.cleaned_data
            try:
                service = services.service_record(
                    actor=request.user, village=d["village"], team=d["team"], date=d["date"],
                    activities=d["activities"], description=d["description"], people_served=d["people_served"],
                    matters=d["matters"], photos=photos, today=today,
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记{service.village.name}的专项法律服务。")
                return redirect("outreach:service", pk=service.pk)
    return render(
        request,
        "outreach/service_form.html",
        {"form": form, "accept": PHOTO_ACCEPT},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_service_for(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        photos = request.FILES.getlist("photos")
        if not photos:
            errors.append("请选择要上传的照片。")
        else:
            try:
                services.photos_add(actor=request.user, service=service, photos=photos)
            except ValidationError as exc:
                errors += exc.messages
            else:
                messages.success(request, f"已上传{len(photos)}张照片。")
                return redirect("outreach:service", pk=service.pk)
    return render(
        request,
        "outreach/service_detail.html",
        {
            "service": service,
            "matters": service.matters.select_related("node"),
            "photos": service.photos.all(),
            "errors": errors,
            "accept": PHOTO_ACCEPT,
        },
        status=400 if errors else 200,
    )


def _home_node(actor: Any, nodes: Any) -> Any:
    """The deepest node the actor records at (a clerk's platform, an office before its district)."""
    grants = scoping.scope_for(actor).grants_of(*selectors.PUBLICITY_ROLES)
    for grant in sorted(grants, key=lambda g: -len(g.path)):
        node = nodes.filter(pk=grant.node_id or 0).first()
        if node is not None:
            return node
    return nodes.first()


def _filtered_events(request: HttpRequest) -> Any:
    selectors.require_publicity(request.user)
    events_qs = selectors.events_for(request.user)
    kind = request.GET.get("kind", "")
    if kind in PublicityKind.values:
        events_qs = events_qs.filter(kind=kind)
    if request.GET.get("year", "").isdigit():
        events_qs = events_qs.filter(date__year=int(request.GET["year"]))
    return events_qs


@login_required
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest) -> HttpResponse:
    events_qs = _filtered_events(request)
    today = clock.today()
    nodes = selectors.event_nodes_for(request.user)
    form = EventForm(
        request.POST or None,
        nodes=nodes,
        duties=selectors.duties_usable_by(request.user),
        home=_home_node(request.user, nodes),
        initial={"date": today},
    )
    form.fields["date"].widget.attrs["max"] = today.isoformat()
    if request.method == "POST":
        photos = request.FILES.getlist("photos")
        if form.is_valid() and _photo_errors(form, photos):
            d = form.cleaned_data
            try:
                event = services.event_record(actor=request.user, photos=photos, today=today, **d)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记法治宣传活动：{event.theme}。")
                return redirect("outreach:events")
    return render(
        request,
        "outreach/events.html",
        {
            "events": events_qs.prefetch_related("photos")[:200],
            "form": form,
            "accept": PHOTO_ACCEPT,
            "kinds": PublicityKind.choices,
            "publicity_only": not selectors.can_record(request.user),
            "can_keep_duties": selectors.duty_nodes_for(request.user).exists(),
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def events_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.outreach import exports

    events_qs = list(_filtered_events(request)[:5000])
    response = _xlsx(exports.events_workbook(events_qs), "publicity-events.xlsx")
    # units, themes and counts: no citizen's personal data
    return mark_export(response, personal_data="none", rows=[e.pk for e in events_qs])


@login_required
@require_http_methods(["GET", "POST"])
def duties(request: HttpRequest) -> HttpResponse:
    nodes = selectors.duty_nodes_for(request.user)
    if not nodes.exists():
        raise Http404(selectors.NOT_FOUND)
    form = DutyForm(request.POST or None, nodes=nodes, initial={"year": clock.today().year, "active": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            duty = services.duty_create(
                actor=request.user, node=d["node"], year=d["year"], department=d["department"],
                laws=d["laws"], contact=d["contact"],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记普法责任：{duty.department}。")
            return redirect("outreach:duties")
    return render(
        request,
        "outreach/duties.html",
        {"duties": selectors.duties_for(request.user), "form": form, "publicity_only": True},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    duty = selectors.get_duty_for(request.user, pk)
    initial = {
        "node": duty.node, "year": duty.year, "department": duty.department, "laws": duty.laws,
        "contact": duty.contact, "active": duty.active,
    }  # fmt: skip
    form = DutyForm(request.POST or None, nodes=selectors.duty_nodes_for(request.user), initial=initial)
    form.fields["node"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.duty_update(
                actor=request.user, duty=duty, year=d["year"], department=d["department"], laws=d["laws"],
                contact=d["contact"], active=d["active"],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存普法责任：{duty.department}。")
            return redirect("outreach:duties")
    return render(
        request,
        "outreach/duty_edit.html",
        {
            "duty": duty,
            "form": form,
            "events": duty.events.select_related("node")[:50],
            "publicity_only": True,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def duties_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.outreach import exports

    if not selectors.duty_nodes_for(request.user).exists():
        raise Http404(selectors.NOT_FOUND)
    duties_qs = list(selectors.duties_for(request.user))
    response = _xlsx(exports.duties_workbook(duties_qs), "publicity-duties.xlsx")
    # departments and their contacts at work: no citizen's personal data
    return mark_export(response, personal_data="none", rows=[d.pk for d in duties_qs])


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return stored_photo_response(selectors.get_photo_for(request.user, pk))
