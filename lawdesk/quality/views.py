"""Quality pages: the window tablet and kiosk ratings, scorecards, the ranking, drill-downs, the export for the
personal performance review, and the complaint findings. Reads go through ``scoping`` (out of reach: 404);
changes through ``lawdesk.quality.services``."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.core.audit import mark_export
from lawdesk.core.http import paging, xlsx_response
from lawdesk.core.urls_cache import path_pattern
from lawdesk.matters import access as matter_access
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.quality import services
from lawdesk.quality.forms import FACES, FindingForm, KioskRatingForm, RatingForm
from lawdesk.quality.scorecard import (
    FIGURES,
    Card,
    Period,
    Scope,
    citizen_ratings,
    own_upheld,
    parse_period,
    period_choices,
    platforms_in,
    require_worker,
)

DRILL_PAGE = 200
DRILL_FIELDS = (
    "pk", "created_at", "kind", "summary", "state", "adoption", "accept_due", "outcome_due", "feedback_due",
    "node__name", "owner__full_name", "owner__username", "handler__full_name", "handler__username",
)  # fmt: skip
RANKING_ROLES = (Role.DISTRICT_ADMIN, Role.LEADER, Role.CITY_ADMIN, Role.SYSTEM_ADMIN, Role.AUDITOR)
EXPORT_ROLES = (Role.OFFICE_STAFF, *RANKING_ROLES)
SORTS = {
    "satisfaction": "满意度",
    "average": "平均评分",
    "adoption": "采纳率",
    "timeliness": "按期率",
    "service": "服务事项",
    "upheld": "查实投诉（少者在前）",
}


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _period(request: HttpRequest) -> Period:
    try:
        return parse_period(request.GET.get("period"))
    except ValueError as exc:
        raise Http404("期间无效：请用 2026-11（月）、2026-Q4（季度）或 2026（年）。") from exc


def _root(request: HttpRequest, roots: list[OrgNode] | None = None) -> OrgNode | None:
    """The node asked for (404 out of reach), else the highest of the reader's top nodes (``roots``, when the
    caller has them already: ``node_access.root_nodes_for``)."""
    if request.GET.get("node"):
        return node_access.get_node_for(request.user, request.GET["node"])
    if roots is not None:
        return min(roots, key=lambda n: (n.depth, n.path), default=None)
    return node_access.root_nodes_for(request.user).order_by("depth", "path").first()


def _qs(period: Period, node: OrgNode | None = None, **extra: str) -> str:
    params = {"period": period.key, **({"node": str(node.pk)} if node else {}), **extra}
    return "?" + urlencode(params)


def _sort_key(by: str, card: Card) -> tuple[Any, ...]:
    def desc(value: float | None) -> float:
        return -(value if value is not None else -1.0)

    if by == "upheld":
        return (card.upheld, -card.service)
    if by == "service":
        return (-card.service,)
    return (desc(getattr(card, by)), -card.service)


def _worker_rows(scope: Scope, users: dict[int, User]) -> list[dict[str, Any]]:
    return [
        {"user": users[uid], "card": scope.worker_card(uid)} for uid in scope.worker_ids() if uid in users
    ]


class CardCells:
    """A card's six cells in a table row, each figure linked to its records: the HTML the former
    ``quality/_cells.html`` include wrote (tests/test_page_cost_quality.py keeps it as the reference), here in
    Python (issue 21: a city's board has a row per platform and per worker, and the include with its six links
    was half of the page's CPU). Every piece is escaped once; a number is written as the template writes
    ``{{ value }}`` (``localize``), once per distinct value."""

    def __init__(self, kind: str, period: Period) -> None:
        self.pattern = escape(path_pattern("quality:drill", "node", 0, "service"))
        self.kind = escape(quote(kind, safe=""))
        self.query = f"?period={escape(period.key)}"
        self.figures: dict[tuple[type, Any], str] = {}

    def figure(self, value: Any) -> str:
        key = (type(value), value)  # 0 and 0.0 are equal keys but written "0" and "0.0"
        text = self.figures.get(key)
        if text is None:
            text = self.figures[key] = escape(str(localize(value)))
        return text

    def link(self, pk: int, figure: str, text: str) -> str:
        return f'<a href="{self.pattern.format(self.kind, pk, figure)}{self.query}">{text}</a>'

    def rate(self, pk: int, value: float | None, figure: str, num: int, den: int) -> str:
        if value is None:
            return "—"
        link = self.link(pk, figure, f"{self.figure(value)}%")
        return f"{link} <small>({self.figure(num)}/{self.figure(den)})</small>"

    def __call__(self, pk: int, card: Card) -> SafeString:
        pk = int(pk)
        average = card.average
        cells = (
            self.link(pk, "service", self.figure(card.service)),
            self.rate(pk, card.satisfaction, "rated", card.satisfied, card.rated),
            self.figure(average) if average is not None else "—",
            self.rate(pk, card.adoption, "adoption_recorded", card.adopted, card.adoption_recorded),
            self.rate(pk, card.timeliness, "timely_decided", card.timely, card.timely_decided),
            self.link(pk, "upheld", self.figure(card.upheld)),
        )
        return SafeString("".join(f'<td class="num">{cell}</td>\n' for cell in cells))


def _with_cells(rows: list[dict[str, Any]], kind: str, period: Period) -> list[dict[str, Any]]:
    cells = CardCells(kind, period)
    for row in rows:
        row["cells"] = cells((row["node"] if kind == "node" else row["user"]).pk, row["card"])
    return rows


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """My scorecard; and for a node role, the node's card, its platforms and its workers."""
    actor: Any = request.user
    period = _period(request)
    roots = list(node_access.root_nodes_for(actor))
    root = _root(request, roots)
    scope = Scope(actor, period, within=root) if root is not None else None
    if scope is not None and matter_access.all_within(actor, root):
        # the node's matters are all the actor sees, their own among them: one pass gives both cards (issue 21)
        mine = scope.worker_card(actor.pk)
    else:
        mine = Scope(actor, period, worker_id=actor.pk).worker_card(actor.pk)
    mine.ids["upheld"] = own_upheld(actor, period)
    context: dict[str, Any] = {
        "period": period,
        "periods": period_choices(period),
        "mine": mine,
        "show_mine": bool(mine.service or mine.upheld)
        or scoping.has_role(actor, Role.WINDOW_CLERK, Role.OFFICE_STAFF, Role.HANDLER),
        "figures": FIGURES,
        "qs": _qs(period),
        "can_rank": scoping.has_role(actor, *RANKING_ROLES),
        "can_export": scoping.has_role(actor, *EXPORT_ROLES),
    }
    if root is not None and scope is not None:
        users = {u.pk: u for u in User.objects.filter(pk__in=scope.worker_ids())}
        context.update(
            node=root,
            node_card=scope.node_card(root),
            node_qs=_qs(period, root),
            platforms=_with_cells(
                [{"node": p, "card": scope.node_card(p)} for p in platforms_in(actor, root) if p != root],
                "node",
                period,
            ),
            workers=_with_cells(
                sorted(_worker_rows(scope, users), key=lambda r: str(r["user"])), "worker", period
            ),
            roots=roots,
        )
    return render(request, "quality/index.html", context)


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    if not scoping.has_role(actor, *RANKING_ROLES):
        raise PermissionDenied("只有区(县)司法局、局领导和市局可以查看排名。")
    period = _period(request)
    roots = list(node_access.root_nodes_for(actor))
    root = _root(request, roots)
    if root is None:
        raise Http404("没有可查看的节点。")
    by = request.GET.get("by", "satisfaction")
    if by not in SORTS:
        by = "satisfaction"
    scope = Scope(actor, period, within=root)
    users = {u.pk: u for u in User.objects.filter(pk__in=scope.worker_ids())}
    cards = [(p, scope.node_card(p)) for p in platforms_in(actor, root)]
    cards = [(p, c) for p, c in cards if c.service or c.upheld]
    cards.sort(key=lambda pc: _sort_key(by, pc[1]))
    platforms = _with_cells([{"node": p, "card": c} for p, c in cards], "node", period)
    workers = _worker_rows(scope, users)
    workers.sort(key=lambda r: _sort_key(by, r["card"]))
    workers = _with_cells(workers, "worker", period)
    return render(
        request,
        "quality/ranking.html",
        {
            "period": period,
            "periods": period_choices(period),
            "node": root,
            "roots": roots,
            "by": by,
            "sorts": SORTS,
            "platforms": platforms,
            "workers": workers,
            "qs": _qs(period, root),
        },
    )


@login_required
@require_GET
def drill(request: HttpRequest, kind: str, pk: int, figure: str) -> HttpResponse:
    """The records behind one figure of a node's or a worker's card."""
    actor: Any = request.user
    if figure not in FIGURES:
        raise Http404("没有该指标。")
    period = _period(request)
    hidden = False
    if kind not in ("node", "worker"):
        raise Http404("没有该类别。")
    if kind == "node":
        node = node_access.get_node_for(actor, pk)
        card = Scope(actor, period, within=node).node_card(node)
        title = node.name
    else:
        worker = require_worker(actor, pk)
        card = Scope(actor, period, worker_id=worker.pk).worker_card(worker.pk)
        title = str(worker)
        if worker.pk == actor.pk and figure == "upheld":
            hidden = True  # the subject of a complaint never sees it: the count only
            card.ids["upheld"] = []
    ids = sorted(card.ids[figure])
    page = paging(request, ids, DRILL_PAGE)
    page_ids = page.shown
    matters = (
        matter_access.visible_matters(actor)
        .filter(pk__in=page_ids)
        .order_by("created_at", "pk")
        .values(*DRILL_FIELDS)  # what a row shows, as plain values: not the visit, nor the encrypted numbers
    )
    ratings = citizen_ratings(page_ids)
    matter_url = reverse("desk:matter", args=[0]).replace("/0/", "/{}/")
    labels = (_labels("kind"), _labels("state"), _labels("adoption"))
    return render(
        request,
        "quality/drill.html",
        {
            "period": period,
            "title": title,
            "figure": figure,
            "figure_label": FIGURES[figure],
            "total": len(ids),
            "rows": [
                {"pk": m["pk"], "html": _drill_row(m, ratings.get(m["pk"]), matter_url, labels)}
                for m in matters
            ],
            **page.context(),
            "hidden": hidden,
            "upheld_count": len(own_upheld(actor, period)) if hidden else 0,
        },
    )


def _due(day: datetime.date | None) -> str:
    return f"{day:%m-%d}" if day else "—"


def _labels(field: str) -> dict[str, str]:
    choices = Matter._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    return {str(value): str(label) for value, label in choices}


def _person(full_name: str | None, username: str | None) -> str:
    return full_name or username or "—"  # as User.__str__


def _drill_row(
    m: dict[str, Any], rating: Any, matter_url: str, labels: tuple[dict[str, str], ...]
) -> SafeString:
    """One row of a drill-down from the matter's plain values, written once in Python with every value escaped
    (issue 21: 200 rows a page, ten template lookups and four model objects a row)."""
    kinds, states, adoptions = labels
    handler = _person(m["handler__full_name"], m["handler__username"]) if m["handler__username"] else "—"
    return format_html(
        '<tr data-testid="drill-row-{}">\n      <td>{}</td>\n      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n'
        "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n"
        "    </tr>",
        m["pk"], f"{timezone.localtime(m['created_at']):%Y-%m-%d %H:%M}", matter_url.format(m["pk"]),
        f"{kinds.get(m['kind'], m['kind'])}：{m['summary'][:30]}", m["node__name"],
        _person(m["owner__full_name"], m["owner__username"]), handler, states.get(m["state"], m["state"]),
        f"{rating}分" if rating else "—", adoptions.get(m["adoption"] or "", "") or "—",
        f"{_due(m['accept_due'])} / {_due(m['outcome_due'])} / {_due(m['feedback_due'])}",
    )  # fmt: skip


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    from lawdesk.quality import exports

    actor: Any = request.user
    if not scoping.has_role(actor, *EXPORT_ROLES):
        raise PermissionDenied("您无权导出个人绩效考核表。")
    period = _period(request)
    root = _root(request)
    if root is None:
        raise Http404("没有可导出的节点。")
    scope = Scope(actor, period, within=root)
    users = {u.pk: u for u in User.objects.filter(pk__in=scope.worker_ids())}
    rows = sorted(_worker_rows(scope, users), key=lambda r: str(r["user"]))
    content = exports.performance_xlsx(period=period, node=root, rows=rows)
    from lawdesk.core.audit import audit_event

    audit_event(
        actor=actor,
        action="quality.export",
        request=request,
        object_type="orgs.OrgNode",
        object_id=str(root.pk),
        node=root,
        data={"period": period.key, "rows": len(rows)},
    )
    # staff names and their figures, no citizen's personal data
    return mark_export(
        xlsx_response(content, f"个人绩效考核-服务质量-{period.key}"), personal_data="none", node=root
    )


# --- ratings --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tablet(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The full-screen page the clerk opens for a finished matter and hands to the citizen."""
    actor: Any = request.user
    matter: Matter = matter_access.get_matter_for(actor, matter_id)
    if not matter_services.can_act_for_front(actor, matter):
        raise PermissionDenied("只有该事项的首问负责人或其上级可以请群众在平板上评价。")
    context: dict[str, Any] = {"matter": matter, "faces": FACES}
    if services.has_citizen_rating(matter):
        return render(
            request,
            "quality/tablet.html",
            {**context, "done": True},
            status=410 if request.method == "POST" else 200,
        )
    if matter.state not in services.FINISHED_STATES:
        return render(
            request,
            "quality/tablet.html",
            {**context, "refused": "事项尚未办结（或尚未告知群众），还不能评价。"},
            status=409,
        )
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.tablet_rate(
                handed_by=actor,
                matter=matter,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(request, "quality/tablet.html", {**context, "matter": matter, "thanks": True})
    return render(
        request, "quality/tablet.html", {**context, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, node_id: int) -> HttpResponse:
    """The kiosk of a platform (no login): visit number + the slip's one-time code, then the faces."""
    node = OrgNode.objects.filter(pk=node_id, is_active=True).first() if str(node_id).isdigit() else None
    if node is None or not node.is_platform:
        raise Http404("没有找到该服务平台。")
    form = KioskRatingForm(request.POST or None)
    context: dict[str, Any] = {"node": node, "faces": FACES}
    if request.method == "POST" and form.is_valid():
        try:
            rated = services.kiosk_rate(
                node=node,
                visit_seq=form.cleaned_data["visit_seq"],
                code=form.cleaned_data["code"],
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(request, "quality/kiosk.html", {**context, "thanks": True, "rated": rated})
    return render(
        request, "quality/kiosk.html", {**context, "form": form}, status=400 if form.errors else 200
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, visit_id: int) -> HttpResponse:
    """来访回执: the printable slip of a visit with its one-time kiosk code. A GET offers to print; each POST
    makes a new code (the old one is void) and shows it this once — it is never shown again."""
    visit = matter_access.get_visit_for(request.user, visit_id)
    if not services.may_print_receipt(request.user, visit):
        raise PermissionDenied("只有该平台的窗口接待人员或司法所工作人员可以打印来访回执。")
    code = ""
    if request.method == "POST":
        _record, code = services.kiosk_code_issue(actor=request.user, visit=visit)
    context = {
        "visit": visit,
        "node": visit.node,
        "person": visit.person_as_told,
        "matters": list(visit.matters.order_by("id")),
        "code": f"{code[:3]} {code[3:]}" if code else "",
        "days": services.kiosk_code_days(),
        "kiosk_url": reverse("quality:kiosk", args=[visit.node_id]),
        "paper": "a4" if request.GET.get("paper") == "a4" else "a5",
    }
    return render(request, "quality/receipt.html", context)


# --- complaint findings ---------------------------------------------------------------------------------


@login_required
@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    complaints = (
        matter_access.visible_matters(actor)
        .filter(kind=MatterKind.COMPLAINT, state__in=["outcome_recorded", "citizen_told", "closed"])
        .select_related("node", "quality_finding", "complaint", "complaint__subject_user")
        .order_by("-created_at")[:200]
    )
    rows = [m for m in complaints if services.can_record_finding(actor, m)]
    if not rows and not scoping.has_role(
        actor, Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN
    ):
        raise PermissionDenied("只有司法所、区(县)司法局和市局可以认定投诉。")
    return render(request, "quality/findings.html", {"rows": rows, "form": FindingForm()})


@login_required
@require_POST
def finding_record(request: HttpRequest, matter_id: int) -> HttpResponse:
    actor: Any = request.user
    matter = matter_access.get_matter_for(actor, matter_id)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("quality:findings")
    try:
        finding = services.complaint_finding_record(
            actor=actor, matter=matter, upheld=form.cleaned_data["upheld"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已认定：{'查实' if finding.upheld else '不属实'}。")
    return redirect(reverse("quality:findings"))
