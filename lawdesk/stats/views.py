"""The statistics pages: the monthly report of a node (with its roll-up, workflow and exports), the drill-down
behind each figure, and the dashboard. Reads go through ``lawdesk.stats.selectors`` (a node out of reach: 404);
every change through ``lawdesk.stats.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.http import xlsx_response
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.stats import indicators as registry
from lawdesk.stats import selectors, services
from lawdesk.stats.models import DistrictReportSetting, ReportSchedule
from lawdesk.stats.selectors import Month, parse_month

# The figures shown for each node in the roll-up table.
ROLLUP_COLUMNS = (
    ("visits", "来访人次"),
    ("matters", "受理事项"),
    ("consultations", "法律咨询"),
    ("disputes", "矛盾纠纷"),
    ("legal_aid_applications", "法律援助申请"),
    ("complaints", "投诉"),
    ("overdue_matters", "超期事项"),
)


def _node(request: HttpRequest, pk: int) -> OrgNode:
    return node_access.get_node_for(request.user, pk)


def _report_url(node: OrgNode, month: Month) -> str:
    return reverse("stats:report", args=[node.pk, month.slug])


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The actor's own node, last month."""
    root = node_access.root_nodes_for(request.user).first()
    if root is None:
        raise Http404("您没有可查看的统计报表。")
    return redirect(_report_url(root, Month.of(clock.today()).previous()))


def _breadcrumb(actor: Any, node: OrgNode) -> list[OrgNode]:
    paths = node.ancestor_paths()
    return [
        n for n in OrgNode.objects.filter(path__in=paths).order_by("path") if scoping.can_see_node(actor, n)
    ]


@login_required
@require_GET
def report(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    node = _node(request, pk)
    period = parse_month(month)
    result = selectors.monthly_report(
        actor=request.user, node=node, year=period.year, month=period.month, with_children=True
    )
    children = [
        {
            "row": c,
            "values": [c.figures.get(code, 0) for code, _ in ROLLUP_COLUMNS],
            "url": _report_url(c.node, period),
        }
        for c in result.children
        if c.figures.get("visits") or c.figures.get("matters") or selectors.level_of(c.node) or c.record
    ]
    can_submit = selectors.can_submit(request.user, node)
    undrillable = selectors.undrillable(request.user, node)
    return render(
        request,
        "stats/report.html",
        {
            "r": result,
            "table": _report_table(result.groups, node, period, undrillable, frozen=result.is_frozen),
            "node": node,
            "period": period,
            "previous": period.previous(),
            "next": period.shift(1),
            "breadcrumb": _breadcrumb(request.user, node),
            "children": children,
            "rollup_headers": [label for _, label in ROLLUP_COLUMNS],
            "can_submit": can_submit,
            "can_review": selectors.can_review(request.user, node),
            "level_label": selectors.LEVEL_LABELS.get(selectors.level_of(node) or "", ""),
            "not_computable": registry.NOT_COMPUTABLE,
            "undrillable": undrillable,
            "month_over": period.end <= clock.today(),
            "missing_below": (
                selectors.unsubmitted_below(node, period, result.children)
                if can_submit and not result.is_frozen
                else []
            ),
        },
    )


def _report_table(
    groups: list[selectors.Group], node: OrgNode, period: Month, undrillable: set[str], *, frozen: bool
) -> list[dict[str, Any]]:
    """The indicator table: per group its name and its rows' HTML, written here as the template wrote it row by
    row (issue 21: about 150 rows, each a dozen template nodes, were half of the page's CPU; before that each was
    read through its item with a ``{% url %}`` per row). Each figure's drill-down URL is reversed once for all;
    every value is escaped as ``{{ value }}`` writes it (``localize``, then ``conditional_escape``)."""
    marker = "indicator-code"
    drill = escape(reverse("stats:drill", args=[node.pk, period.slug, marker]))
    table = []
    for group in groups:
        rows = []
        for row in group.rows:
            item = row.item
            code = _text(item.code)
            display = _text(row.display)
            if item.is_ratio:
                figure = display
            elif item.code in undrillable:
                figure = f'<span data-testid="fig-{code}" title="记录仅限有关工作人员查看">{display}</span>'
            else:
                zero = "" if row.value else ' class="zero"'
                figure = (
                    f'<a href="{drill.replace(marker, code)}" data-testid="fig-{code}"{zero}>{display}</a>'
                )
            note = f' <small class="muted">{_text(item.note)}</small>' if item.note else ""
            frozen_cells = (
                f'<td class="num">{_text(row.snapshot_display)}</td>'
                f'<td class="num diff" data-testid="diff-{code}">{_text(row.diff_display)}</td>'
                if frozen
                else ""
            )
            rows.append(
                f'\n    <tr class="{"part" if row.is_part else ""}" data-testid="ind-{code}">'
                f"\n      <td>{_text(item.label)}{note}</td>"
                f"\n      <td>{_text('%' if item.is_ratio else item.unit)}</td>"
                f'\n      <td class="num">{figure}</td>'
                f"\n      {frozen_cells}\n    </tr>\n    "
            )
        table.append({"name": group.name, "rows": mark_safe("".join(rows))})  # every piece escaped above
    return table


def _text(value: Any) -> str:
    """``value`` as the template's ``{{ value }}`` writes it (a plain string: escaped, ``localize`` leaves it)."""
    if type(value) is str:
        return str(escape(value))
    return str(conditional_escape(localize(value)))


def _act(request: HttpRequest, pk: int, month: str, action: str) -> HttpResponse:
    node = _node(request, pk)
    period = parse_month(month)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            done = services.report_submit(
                actor=request.user,
                node=node,
                year=period.year,
                month=period.month,
                confirm_missing=request.POST.get("confirm_missing") == "1",
            )
            text = f"已报送{period.label}统计月报。" + (
                "（已超过报送期限，标记为逾期报送）" if done.late else ""
            )
        elif action == "accept":
            services.report_accept(actor=request.user, node=node, year=period.year, month=period.month)
            text = "已审核通过。"
        elif action == "return":
            services.report_return(
                actor=request.user, node=node, year=period.year, month=period.month, reason=reason
            )
            text = "已退回。"
        else:
            services.report_reopen(
                actor=request.user, node=node, year=period.year, month=period.month, reason=reason
            )
            text = "已重新打开，可修正后再次报送。"
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(
                request, message if action == "submit" or "原因" not in message else f"原因：{message}"
            )
    else:
        messages.success(request, text)
    return redirect(_report_url(node, period))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    return _act(request, pk, month, "submit")


@login_required
@require_POST
def review(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    return _act(request, pk, month, "return" if request.POST.get("decision") == "return" else "accept")


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    return _act(request, pk, month, "reopen")


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    from lawdesk.stats import exports

    node = _node(request, pk)
    period = parse_month(month)
    result = selectors.monthly_report(
        actor=request.user, node=node, year=period.year, month=period.month, with_children=True
    )
    # Figures only: no citizen's ID number or phone. The audit row names the unit reported.
    return mark_export(
        xlsx_response(exports.report_workbook(result), f"{node.name}{period.label}统计月报"),
        personal_data="none",
        node=node,
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    from urllib.parse import quote

    from lawdesk.stats import exports

    node = _node(request, pk)
    period = parse_month(month)
    result = selectors.monthly_report(
        actor=request.user, node=node, year=period.year, month=period.month, with_children=True
    )
    response = HttpResponse(exports.report_pdf(result), content_type="application/pdf")
    filename = f"{node.name}{period.label}统计月报.pdf"
    response["Content-Disposition"] = f"attachment; filename=report.pdf; filename*=UTF-8''{quote(filename)}"
    return mark_export(response, personal_data="none", node=node)


@login_required
@require_GET
def drill(request: HttpRequest, pk: int, month: str, indicator: str) -> HttpResponse:
    node = selectors.drill_node(request.user, pk, indicator)
    period = parse_month(month)
    item, qs = selectors.drill_down(
        actor=request.user, node=node, indicator=indicator, year=period.year, month=period.month
    )
    figure = selectors.figures(node, period).get(item.code, 0)
    total = qs.count()
    rows = [
        selectors.describe(item, obj).html(number)
        for number, obj in enumerate(selectors.select_for_drill(item, qs)[: selectors.DRILL_LIMIT], start=1)
    ]
    return render(
        request,
        "stats/drill.html",
        {
            "node": node,
            "period": period,
            "item": item,
            "figure": figure,
            "figure_display": item.display(figure),
            "count": total,
            "rows": rows,
            "limited": total > selectors.DRILL_LIMIT,
            "limit": selectors.DRILL_LIMIT,
            # a correction officer lists a restricted figure's records but sees no report
            "report_url": _report_url(node, period) if scoping.can_see_node(request.user, node) else "",
        },
    )


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node(request, pk)
    period = parse_month(request.GET["month"]) if request.GET.get("month") else Month.of(clock.today())
    map_indicator = request.GET.get("map", "visits")
    data = selectors.dashboard_data(
        actor=request.user, node=node, year=period.year, month=period.month, map_indicator=map_indicator
    )
    children = [n for n in OrgNode.objects.filter(parent=node, is_active=True).order_by("path")]
    return render(
        request,
        "stats/dashboard.html",
        {
            "node": node,
            "period": period,
            "data": data,
            "breadcrumb": _breadcrumb(request.user, node),
            "children": children,
            "map_choices": data["map"]["choices"] if data["map"] else [],
            "map_indicator": data["map"]["indicator"] if data["map"] else "",
            "report_url": _report_url(node, period),
            "filled_at": selectors.last_filled_at(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadlines(request: HttpRequest) -> HttpResponse:
    """The monthly reports' deadlines; a district admin sets (or clears) one for the district's stations."""
    actor = request.user
    # the districts the actor sees, and the one above the node a clerk or office works at
    roots = list(node_access.root_nodes_for(actor))
    above = {p for r in roots for p in r.ancestor_paths()}
    districts = [
        d
        for d in OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True).order_by("path")
        if d.path in above or scoping.can_see_node(actor, d)
    ]
    if not districts:
        raise Http404("您没有可设置的区(县)。")
    errors: list[str] = []
    if request.method == "POST":
        district = next((d for d in districts if str(d.pk) == request.POST.get("district", "")), None)
        if district is None:
            raise Http404("区(县)不存在。")
        text = request.POST.get("station_day", "").strip()
        try:
            day = int(text) if text else None
        except ValueError:
            errors.append(f"服务中心(站)报送日“{text}”不是整数。")
        else:
            try:
                services.station_deadline_set(actor=actor, district=district, station_day=day)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    f"已设置{district.name}服务中心(站)月报于次月{day}日前报送。"
                    if day
                    else f"{district.name}服务中心(站)不设单独报送期限。",
                )
                return redirect("stats:deadlines")
    settings_by_district = {
        s.district_id: s for s in DistrictReportSetting.objects.filter(district__in=districts)
    }
    rows = [
        {
            "district": d,
            "setting": settings_by_district.get(d.pk),
            "can_set": services.can_set_station_deadline(actor, d),
        }
        for d in districts
    ]
    return render(
        request,
        "stats/deadlines.html",
        {"rows": rows, "schedule": ReportSchedule.current(), "errors": errors},
        status=400 if errors else 200,
    )
