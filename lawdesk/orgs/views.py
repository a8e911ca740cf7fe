from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.http import xlsx_response
from lawdesk.core.imports import import_page
from lawdesk.orgs import access as node_access
from lawdesk.orgs import selectors, services
from lawdesk.orgs.forms import ChildNodeForm, FacilitiesForm, NodeForm, child_kinds
from lawdesk.orgs.models import Facility, facility_items_for
from lawdesk.orgs.rules import NodeKind


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree browser: the actor's top nodes, or search results."""
    query = request.GET.get("q", "").strip()
    roots = list(node_access.root_nodes_for(request.user))
    if not query and len(roots) == 1:
        return redirect("orgs:node", pk=roots[0].pk)
    results = selectors.search_nodes(actor=request.user, query=query) if query else []
    return render(request, "orgs/tree.html", {"roots": roots, "query": query, "results": results})


@login_required
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = node_access.get_node_for(request.user, pk)
    children = list(selectors.node_children(actor=request.user, node=node))
    platforms = [node] if node.is_platform else [c for c in children if c.is_platform]
    context = {
        "node": node,
        "ancestors": selectors.node_ancestors(actor=request.user, node=node),
        "children": children,
        "cards": selectors.platform_cards(actor=request.user, nodes=platforms),
        "summary": None if node.is_platform else selectors.subtree_summary(actor=request.user, node=node),
        "roots": list(node_access.root_nodes_for(request.user)),
        "can_manage": scoping.can_manage_node(request.user, node),
        "can_edit_facilities": scoping.can_edit_facilities(request.user, node),
        "can_add_child": scoping.can_manage_node(request.user, node) and bool(child_kinds(node)),
        "terminals": selectors.office_terminals(node) if node.kind == NodeKind.JUDICIAL_OFFICE else None,
    }
    return render(request, "orgs/node_detail.html", context)


@login_required
def node_children(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: one level of the tree under ``pk``."""
    node = node_access.get_node_for(request.user, pk)
    children = selectors.node_children(actor=request.user, node=node)
    return render(request, "orgs/_tree_level.html", {"nodes": children})


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = node_access.get_node_for(request.user, pk)
    if not scoping.can_manage_node(request.user, node):
        raise PermissionDenied("您无权修改该节点。")
    form = NodeForm(request.POST or None, instance=node)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        # The form validated on a copy of the node; the service re-validates on the stored one.
        fresh = node_access.get_node_for(request.user, pk)
        try:
            services.org_node_update(actor=request.user, node=fresh, **changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存“{fresh.name}”。")
            return redirect("orgs:node", pk=fresh.pk)
    return render(request, "orgs/node_form.html", {"node": node, "form": form, "title": f"编辑：{node.name}"})


@login_required
@require_http_methods(["GET", "POST"])
def node_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = node_access.get_node_for(request.user, pk)
    if not scoping.can_manage_node(request.user, parent):
        raise PermissionDenied("您无权在该节点下添加下级。")
    if not child_kinds(parent):
        raise PermissionDenied(f"{parent.get_kind_display()}下不能添加下级节点。")
    form = ChildNodeForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            child = services.org_node_create(
                actor=request.user,
                parent=parent,
                kind=data.pop("kind"),
                name=data.pop("name"),
                region_code=data.pop("region_code") or "",
                **{k: v for k, v in data.items() if v not in (None, "")},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已添加“{child.name}”。")
            return redirect("orgs:node", pk=child.pk)
    return render(
        request, "orgs/node_form.html", {"node": parent, "form": form, "title": f"在“{parent.name}”下添加"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_facilities(request: HttpRequest, pk: int) -> HttpResponse:
    node = node_access.get_node_for(request.user, pk)
    if not scoping.can_edit_facilities(request.user, node):
        raise PermissionDenied("您无权修改该平台的设施。")
    current = {f.item: (f.present, f.as_of) for f in Facility.objects.filter(node=node)}
    form = FacilitiesForm(request.POST or None, current=current, items=facility_items_for(node.kind))
    if request.method == "POST" and form.is_valid():
        changed = 0
        for item in {name.split("__")[0] for name in form.fields}:
            present = bool(form.cleaned_data[f"{item}__present"])
            as_of = form.cleaned_data[f"{item}__as_of"]
            old = current.get(item)
            if old and old[0] == present and (as_of is None or old[1] == as_of):
                continue
            if not old and not present and as_of is None:
                continue
            services.facility_set(
                actor=request.user,
                node=node,
                item=item,
                present=present,
                as_of=as_of or clock.today(),
            )
            changed += 1
        messages.success(request, f"已更新{changed}项设施。" if changed else "设施没有变化。")
        return redirect("orgs:node", pk=node.pk)
    return render(request, "orgs/facilities_form.html", {"node": node, "form": form})


@login_required
def tree_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.orgs import spreadsheets

    if scoping.scope_for(request.user).is_empty or not scoping.scope_for(request.user).view_paths:
        raise PermissionDenied("您无权导出组织机构。")
    return mark_export(
        xlsx_response(spreadsheets.export_tree(actor=request.user), "组织机构"), personal_data="none"
    )


@login_required
@require_http_methods(["GET", "POST"])
def tree_import(request: HttpRequest) -> HttpResponse:
    from lawdesk.orgs import spreadsheets

    if not scoping.scope_for(request.user).manage_paths:
        raise PermissionDenied("只有区(县)、市局管理员和系统管理员可以导入组织机构。")
    return import_page(
        request,
        run_import=spreadsheets.import_tree,
        title="导入组织机构",
        url_name="orgs:import",
        export_url="orgs:export",
    )
