"""The six ledgers on screen, in Excel and in PDF, for a node in the actor's reach and a period.

Who: every role held at a node (its subtree's ledgers). A handler (held at an institution) has no ledgers: 403.
A node outside the actor's reach answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from lawdesk.accounts import scoping
from lawdesk.core.audit import mark_export
from lawdesk.core.http import xlsx_response
from lawdesk.core.urls_cache import path_of, path_pattern
from lawdesk.ledgers import pdf, selectors
from lawdesk.ledgers.definitions import LEDGERS, Ledger, get_ledger
from lawdesk.ledgers.selectors import Period
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.people.policy import Door

NO_LEDGERS = "台帐按平台查看：只有在平台、司法所或司法局任职的人员可以查看。"


@dataclass(frozen=True)
class Filters:
    node: OrgNode
    period: Period
    errors: list[str]

    @property
    def query(self) -> str:
        return urlencode(
            {"node": self.node.pk, "from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        )

    @property
    def several_platforms(self) -> bool:
        return not self.node.is_platform


def _filters(request: HttpRequest) -> Filters:
    """The node (any in reach; 404 otherwise) and the period of the request. Refuses actors without a node."""
    actor = request.user
    if not scoping.scope_for(actor).view_paths:
        raise PermissionDenied(NO_LEDGERS)
    node_id = request.GET.get("node", "").strip()
    node = node_access.get_node_for(actor, node_id) if node_id else selectors.default_node(actor)
    if node is None:
        raise PermissionDenied(NO_LEDGERS)
    period, errors = selectors.parse_period(request.GET)
    return Filters(node=node, period=period, errors=errors)


def _ledger(code: int) -> Ledger:
    ledger = get_ledger(code)
    if ledger is None:
        raise Http404("没有这个台帐。")
    return ledger


def _links(ledger: Ledger) -> dict[str, str]:
    """The paths of a ledger's page and exports, from routes reversed once per process (issue 21: the index and
    the tabs name them for all six ledgers on every request)."""
    return {
        "url": path_pattern("desk:ledger", 0).format(ledger.code),
        "xlsx_url": path_pattern("desk:ledger_xlsx", 0).format(ledger.code),
        "pdf_url": path_pattern("desk:ledger_pdf", 0).format(ledger.code),
    }


def _filter_context(request: HttpRequest, filters: Filters) -> dict[str, Any]:
    return {
        "filters": filters,
        "node": filters.node,
        "period": filters.period,
        "node_options": selectors.node_options_html(request.user, filters.node.pk),
        "ledgers": [{"ledger": ledger, **_links(ledger)} for ledger in LEDGERS.values()],
        "index_url": path_of("desk:ledgers"),
    }


@login_required
def ledger_index(request: HttpRequest) -> HttpResponse:
    """The six ledgers of a node and period, with how many rows each has."""
    filters = _filters(request)
    counts = selectors.ledger_counts(
        LEDGERS.values(), actor=request.user, node=filters.node, period=filters.period
    )
    cards = [
        {"ledger": ledger, "count": counts[ledger.code], **_links(ledger)} for ledger in LEDGERS.values()
    ]
    context = _filter_context(request, filters) | {"cards": cards}
    return render(request, "ledgers/index.html", context)


@login_required
def ledger_detail(request: HttpRequest, code: int) -> HttpResponse:
    filters = _filters(request)
    ledger = _ledger(code)
    records = selectors.ledger_records(ledger, actor=request.user, node=filters.node, period=filters.period)
    paginator = Paginator(records, selectors.PAGE_SIZE)
    counts = (
        {c.node_id: c.count for c in selectors.platform_counts(records)} if filters.several_platforms else {}
    )
    if filters.several_platforms:
        paginator.__dict__["count"] = sum(counts.values())  # the sub-totals' sum, not one more count
    page = paginator.get_page(request.GET.get("page"))
    shown = page.object_list
    if ledger.is_visit_ledger and isinstance(shown, QuerySet):
        shown = selectors.visit_ledger_page(shown)
    rows = list(selectors.ledger_rows(ledger, actor=request.user, records=shown, door=Door.PAGE))
    groups = [
        {
            "node": node,
            "count": counts.get(node.pk),
            # the group's rows as the template's loop over them wrote them, one string (issue 21)
            "rows": selectors.rows_html(group),
        }
        for node, group in selectors.group_rows(rows)
    ]
    context = _filter_context(request, filters) | {
        "ledger": ledger,
        "links": _links(ledger),
        "headers": mark_safe("".join(f'<th scope="col">{escape(h)}</th>' for h in ledger.headers)),  # escaped
        "page": page,
        "groups": groups,
        "masked": any(row.masked for row in rows),
        "several_platforms": filters.several_platforms,
    }
    return render(request, "ledgers/ledger.html", context)


def _all_rows(request: HttpRequest, ledger: Ledger, filters: Filters) -> list[selectors.LedgerRow]:
    records = selectors.ledger_records(ledger, actor=request.user, node=filters.node, period=filters.period)
    return list(selectors.ledger_rows(ledger, actor=request.user, records=records.iterator(chunk_size=1000)))


def _file_title(ledger: Ledger, filters: Filters) -> str:
    return f"{ledger.title}-{filters.node.name}-{filters.period.slug}"


@login_required
def ledger_xlsx(request: HttpRequest, code: int) -> HttpResponse:
    from lawdesk.ledgers import excel

    filters = _filters(request)
    ledger = _ledger(code)
    content = excel.build_ledger_workbook(
        ledger,
        node=filters.node,
        period=filters.period,
        rows=(rows := _all_rows(request, ledger, filters)),
        several_platforms=filters.several_platforms,
    )
    return _marked(xlsx_response(content, _file_title(ledger, filters)), rows, filters.node)


def _marked(response: HttpResponse, rows: list[selectors.LedgerRow], node: Any) -> HttpResponse:
    """Tell the audit of the export (AuditMiddleware) whether it holds ID numbers and phones in full, and which
    rows (their ledger numbers) it holds."""
    return mark_export(
        response,
        personal_data="masked" if any(r.masked for r in rows) else "full",
        rows=[r.number for r in rows],
        node=node,
    )


@login_required
def ledger_pdf(request: HttpRequest, code: int) -> HttpResponse:
    filters = _filters(request)
    ledger = _ledger(code)
    records = selectors.ledger_records(ledger, actor=request.user, node=filters.node, period=filters.period)
    count = records.count()
    if count > pdf.MAX_PRINT_ROWS:
        # Laying out takes about a tenth of a second a row: refuse rather than tie up the server for minutes.
        context = _filter_context(request, filters) | {
            "ledger": ledger,
            "count": count,
            "limit": pdf.MAX_PRINT_ROWS,
        }
        return render(request, "ledgers/too_long.html", context, status=400)
    content = pdf.render_pdf(
        ledger,
        node=filters.node,
        period=filters.period,
        rows=(rows := _all_rows(request, ledger, filters)),
        several_platforms=filters.several_platforms,
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{_file_title(ledger, filters)}.pdf"
    response["Content-Disposition"] = f"inline; filename=ledger.pdf; filename*=UTF-8''{quote(filename)}"
    return _marked(response, rows, filters.node)
