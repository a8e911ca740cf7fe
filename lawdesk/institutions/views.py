from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lawdesk.accounts import scoping
from lawdesk.core.http import xlsx_response
from lawdesk.core.imports import import_page
from lawdesk.institutions import access as institution_access
from lawdesk.institutions import selectors, spreadsheets
from lawdesk.institutions.models import InstitutionKind
from lawdesk.orgs import access as node_access
from lawdesk.orgs.rules import NodeKind


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in InstitutionKind.values:
        kind = ""
    node = None
    node_pk = request.GET.get("node", "")
    if node_pk:
        node = node_access.get_node_for(request.user, node_pk)
    query = request.GET.get("q", "")
    institutions = selectors.institution_list(actor=request.user, kind=kind, node=node, query=query)
    page = Paginator(institutions, 30).get_page(request.GET.get("page"))
    node_choices = node_access.visible_nodes(request.user).exclude(
        kind__in=[NodeKind.SERVICE_CENTRE, NodeKind.SPECIAL_CENTRE, NodeKind.VILLAGE_STATION]
    )[:300]
    return render(
        request,
        "institutions/list.html",
        {
            "page": page,
            "kinds": InstitutionKind.choices,
            "kind": kind,
            "node": node,
            "node_choices": node_choices,
            "query": query,
        },
    )


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_access.get_institution_for(request.user, pk)
    served = node_access.visible_nodes(request.user).filter(serving_institutions=institution)
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "served": served,
            "served_elsewhere": institution.served_nodes.count() - served.count(),
            "can_manage": institution_access.can_manage_institution(request.user, institution),
        },
    )


@login_required
def institution_export(request: HttpRequest) -> HttpResponse:
    if scoping.scope_for(request.user).is_empty:
        raise PermissionDenied("您无权导出机构名录。")
    return xlsx_response(spreadsheets.export_institutions(actor=request.user), "后台机构")


@login_required
@require_http_methods(["GET", "POST"])
def institution_import(request: HttpRequest) -> HttpResponse:
    if not scoping.scope_for(request.user).manage_paths:
        raise PermissionDenied("只有区(县)、市局管理员和系统管理员可以导入机构名录。")
    return import_page(
        request,
        run_import=spreadsheets.import_institutions,
        title="导入后台机构",
        url_name="institutions:import",
        export_url="institutions:export",
    )
