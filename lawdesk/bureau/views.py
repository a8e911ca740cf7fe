"""Pages of the city divisions (对口负责, 倒查, 督办) and of the construction timetable (八). Every read goes
through ``lawdesk.bureau.selectors`` (out of reach or city-only: 404); every change through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.bureau import rules, selectors, services
from lawdesk.bureau.forms import DivisionForm, PlanForm, ReportForm, SuperviseForm
from lawdesk.bureau.models import Division, Stage, Supervision
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.forms import add_service_errors
from lawdesk.core.http import paging, xlsx_response


def _require_manager(actor: Any) -> None:
    if not rules.manages_city(actor):
        raise Http404("没有找到该页面，或您无权查看。")


# --- the divisions and the problems traced to them -------------------------------------------------------


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The city board: every division with its problems by kind; a division's staff see their division's row."""
    divisions = selectors.divisions_for(request.user)
    city = rules.reads_city_board(request.user)
    if not city and not divisions.exists():
        raise Http404("没有找到该页面，或您无权查看。")
    rows = selectors.board(clock.today())
    if not city:
        own = set(divisions.values_list("pk", flat=True))
        rows = [r for r in rows if r.division is not None and r.division.pk in own]
    context = {
        "rows": rows, "kinds": selectors.KIND_LABELS, "city": city, "can_manage": rules.manages_city(request.user),
        "total": sum(r.total for r in rows),
        "inactive": Division.objects.filter(is_active=False).order_by("name") if city else [],
    }  # fmt: skip
    return render(request, "bureau/board.html", context)


def _division_form_page(request: HttpRequest, division: Division | None) -> HttpResponse:
    _require_manager(request.user)
    initial: dict[str, Any] = {"is_active": True}
    if division is not None:
        initial = {"name": division.name, "areas": division.areas, "head": division.head,
                   "contact": division.contact, "staff": list(division.staff.all()), "is_active": division.is_active}  # fmt: skip
    form = DivisionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            fields = {"name": data["name"], "areas": data["areas"], "head": data["head"],
                      "contact": data["contact"], "staff": list(data["staff"])}  # fmt: skip
            try:
                if division is None:
                    division = services.division_create(actor=request.user, **fields)
                else:
                    division = services.division_update(
                        actor=request.user, division=division, is_active=data["is_active"], **fields
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已保存：{division.name}。")
                return redirect("bureau:division", pk=division.pk)
        status = 400
    return render(request, "bureau/division_form.html", {"form": form, "division": division}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def division_new(request: HttpRequest) -> HttpResponse:
    return _division_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def division_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request.user)
    return _division_form_page(request, selectors.get_division_for(request.user, pk))


PROBLEM_PAGE = 50


def _problem_rows(
    problems: list[tuple[selectors.Problem, Supervision | None]], supervise_url: str, csrf_token: str | None
) -> SafeString:
    """A division's page of problems, as the template's loop wrote them (every piece escaped; the form to
    督办 each when ``csrf_token`` is given, i.e. for the city's managers): fifty rows, not a dozen template
    nodes each (issue 21)."""
    form = (
        f'<form method="post" action="{escape(supervise_url)}" class="inline"><input type="hidden" '
        f'name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n        <input type="hidden" '
        'name="problem_key" value="{}">\n        <input type="text" name="note" maxlength="300" '
        'placeholder="督办意见" aria-label="督办意见" required>\n        <button type="submit" '
        'class="small">督办</button></form>'
        if csrf_token is not None
        else ""
    )
    out = []
    for problem, last in problems:
        key = escape(problem.key)
        done = (
            f'<small data-testid="supervised">{timezone.localtime(last.at):%Y-%m-%d} 已督办：'
            f"{escape(last.note)}</small>"
            if last
            else ""
        )
        out.append(
            f'\n    <tr data-testid="problem-{key}">\n      <td>{escape(problem.kind_label)}</td>'
            f"<td>{escape(problem.area_label)}</td>\n      "
            f'<td><a href="{escape(problem.url)}">{escape(problem.title)}</a></td><td>{escape(problem.detail)}</td>'
            f"\n      <td>{done}\n      {form.replace('{}', key) if form else ''}</td>\n    </tr>\n  "
        )
    return SafeString("".join(out))


@login_required
@require_GET
def division(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_division_for(request.user, pk)
    problems = selectors.problems_of(item, clock.today())
    kind = request.GET.get("kind", "")
    if kind in selectors.KIND_LABELS:
        problems = [p for p in problems if p.kind == kind]
    latest = selectors.latest_supervisions(item)
    # A page of problems, the count of all shown (issue 21: a division answering for hundreds of failed indicators)
    page = paging(request, problems, PROBLEM_PAGE)
    shown = [(p, latest.get(p.key)) for p in page.shown]
    can_supervise = rules.manages_city(request.user)
    supervise_url = reverse("bureau:supervise", args=[item.pk])  # once, not per problem (issue 21)
    context = {
        "division": item, "problems": shown, "kind": kind, "total": len(problems), **page.context(),
        "problem_rows": _problem_rows(shown, supervise_url, get_token(request) if can_supervise else None),
        "kinds": selectors.KIND_LABELS, "can_supervise": can_supervise, "supervise_url": supervise_url,
        "supervisions": item.supervisions.select_related("by")[:20],
    }  # fmt: skip
    return render(request, "bureau/division.html", context)


@login_required
@require_POST
def supervise(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request.user)
    item = selectors.get_division_for(request.user, pk)
    form = SuperviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写督办意见。")
        return redirect("bureau:division", pk=item.pk)
    try:
        record = services.supervise(actor=request.user, division=item, problem_key=form.cleaned_data["problem_key"],
                                    note=form.cleaned_data["note"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已督办{item.name}：{record.problem_text}。")
    return redirect("bureau:division", pk=item.pk)


# --- the construction timetable --------------------------------------------------------------------------


@login_required
@require_GET
def timetable(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rows = selectors.timetable(request.user, today)
    context = {
        "rows": rows, "stages": Stage.choices, "today": today, "can_plan": rules.manages_city(request.user),
        "lagging": sum(len(r.lagging) for r in rows),
    }  # fmt: skip
    return render(request, "bureau/timetable.html", context)


@login_required
@require_GET
def timetable_xlsx(request: HttpRequest) -> HttpResponse:
    from lawdesk.bureau import exports

    today = clock.today()
    rows = selectors.timetable(request.user, today)
    content = exports.timetable_workbook(rows, today)
    # the unit exported, when it is one district (so that an auditor of that district sees the export row)
    node = rows[0].district if len(rows) == 1 else None
    name = f"公共法律服务实体平台建设进度{today:%Y%m%d}"
    return mark_export(
        xlsx_response(content, name), personal_data="none", rows=[r.district.pk for r in rows], node=node
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    district = selectors.get_district_for(request.user, pk)
    _require_manager(request.user)
    current = {m.stage: m.planned_on for m in district.bureau_milestones.all()}
    form = PlanForm(request.POST or None, initial=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.milestone_plan(
                    actor=request.user,
                    district=district,
                    planned={s: form.cleaned_data[s] for s in Stage.values},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已下达{district.name}的建设时间节点。")
                return redirect("bureau:timetable")
        status = 400
    return render(request, "bureau/plan.html", {"form": form, "district": district}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_milestone_for(request.user, pk)
    can_report = rules.may_report_progress(request.user, item.district)
    form = ReportForm(
        request.POST or None,
        initial={"progress": item.progress, "actual_on": item.actual_on, "note": item.note},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.milestone_report(actor=request.user, milestone=item, progress=data["progress"],
                                          actual_on=data["actual_on"], note=data["note"])  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已报告{item}的进度。")
                return redirect(reverse("bureau:timetable"))
        status = 400
    context = {"milestone": item, "form": form, "can_report": can_report, "lags": item.lags(clock.today())}
    return render(request, "bureau/milestone.html", context, status=status)
