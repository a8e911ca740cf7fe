"""The 督办 list of a node and the actor's in-app notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lawdesk.core import clock
from lawdesk.matters.escalation import STAGE_LABELS, STAGE_ORDER, overdue_matters
from lawdesk.matters.models import MatterEvent
from lawdesk.notifications import selectors as notice_selectors
from lawdesk.notifications import services as notifications
from lawdesk.orgs import access as node_access
from lawdesk.orgs import selectors as org_selectors


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """``/desk/overdue/?node=<id>``: the overdue matters of a node's subtree, by stage (404 outside the actor's
    reach). Without ``node``: the actor's single top node, or everything the actor sees (a handler: their
    institution's matters)."""
    actor = request.user
    roots = list(node_access.root_nodes_for(actor))
    node = None
    if request.GET.get("node"):
        node = node_access.get_node_for(actor, request.GET["node"])
    elif len(roots) == 1:
        node = roots[0]
    today = clock.today()
    items = overdue_matters(actor=actor, node=node, today=today)

    history = {
        row["matter_id"]: row
        for row in MatterEvent.objects.filter(code="escalated", matter_id__in={i.matter.pk for i in items})
        .values("matter_id")
        .annotate(times=Count("id"), last=Max("created_at"))
    }
    groups = []
    for stage in STAGE_ORDER:
        rows = [{"item": i, "history": history.get(i.matter.pk)} for i in items if i.stage == stage]
        if rows:
            groups.append({"stage": stage, "label": STAGE_LABELS[stage], "rows": rows})

    children = []
    if node is not None:
        for child in org_selectors.node_children(actor=actor, node=node):
            count = sum(1 for i in items if i.matter.node.path.startswith(child.path))
            if count:
                children.append({"node": child, "count": count})
    context = {
        "node": node,
        "ancestors": org_selectors.node_ancestors(actor=actor, node=node) if node is not None else [],
        "roots": roots if len(roots) > 1 else [],
        "groups": groups,
        "total": len(items),
        "children": children,
        "today": today,
        "warnings": sorted({i.warning for i in items if i.warning}),
    }
    return render(request, "matters/overdue.html", context)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """``/desk/notifications/``: the actor's own notices, newest first (``?unread=1``: unread only)."""
    notices = notice_selectors.notices_for(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread_total": notice_selectors.unread_count(request.user),
    }
    return render(request, "matters/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (``id``) or all of the actor's notices (``all``) read; another user's notice is 404."""
    if request.POST.get("all"):
        count = notifications.mark_read(actor=request.user)
        messages.success(request, f"已将{count}条通知标为已读。")
    else:
        notice = get_object_or_404(
            notice_selectors.notices_for(request.user), pk=_int(request.POST.get("id"))
        )
        notifications.mark_read(actor=request.user, ids=[notice.pk])
    return redirect("desk:notifications")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
