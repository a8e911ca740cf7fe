from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lawdesk.accounts import scoping
from lawdesk.core.audit import mark_export
from lawdesk.core.http import xlsx_response
from lawdesk.core.imports import import_page
from lawdesk.institutions import access as institution_access
from lawdesk.institutions import selectors, services
from lawdesk.institutions.models import InstitutionKind
from lawdesk.orgs import access as node_access
from lawdesk.orgs.forms import FacilitiesForm
from lawdesk.orgs.models import TERMINAL_ITEMS
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
            "terminals": selectors.terminals_of(institution),
            "can_record_terminals": services.may_record_terminals(request.user, institution),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_terminals(request: HttpRequest, pk: int) -> HttpResponse:
    """A mediation committee's 12348 terminals (四(四)2), recorded by its judicial office."""
    institution = institution_access.get_institution_for(request.user, pk)
    if not services.may_record_terminals(request.user, institution):
        raise PermissionDenied("您无权登记该调解委员会的12348终端。")
    current = {t.item: (t.present, t.as_of) for t in institution.terminals.all()}
    form = FacilitiesForm(request.POST or None, current=current, items=[str(i) for i in TERMINAL_ITEMS])
    if request.method == "POST" and form.is_valid():
        changed = 0
        for item in TERMINAL_ITEMS:
            present = bool(form.cleaned_data[f"{item}__present"])
            as_of = form.cleaned_data[f"{item}__as_of"]
            old = current.get(item)
            if (old and old[0] == present and (as_of is None or old[1] == as_of)) or (
                not old and not present and as_of is None
            ):
                continue
            services.terminal_set(
                actor=request.user, institution=institution, item=item, present=present, as_of=as_of
            )
            changed += 1
        messages.success(request, f"已更新{changed}项终端。" if changed else "终端没有变化。")
        return redirect("institutions:detail", pk=institution.pk)
    return render(request, "institutions/terminals_form.html", {"institution": institution, "form": form})


@login_required
def institution_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.institutions import spreadsheets

    if scoping.scope_for(request.user).is_empty:
        raise PermissionDenied("您无权导出机构名录。")
    return mark_export(
        xlsx_response(spreadsheets.export_institutions(actor=request.user), "后台机构"), personal_data="none"
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_import(request: HttpRequest) -> HttpResponse:
    from lawdesk.institutions import spreadsheets

    if not scoping.scope_for(request.user).manage_paths:
        raise PermissionDenied("只有区(县)、市局管理员和系统管理员可以导入机构名录。")
    return import_page(
        request,
        run_import=spreadsheets.import_institutions,
        title="导入后台机构",
        url_name="institutions:import",
        export_url="institutions:export",
    )
