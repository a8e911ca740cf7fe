from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.institutions import access as institution_access
from lawdesk.orgs import access as node_access
from lawdesk.orgs import selectors


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A home page shaped by the actor's roles: a clerk sees their platform, an office its stations, a bureau
    its districts or offices, a handler their institution."""
    actor = request.user
    scope = scoping.scope_for(actor)
    if scope.is_empty and scope.holds(Role.LEGAL_ADVISER):
        return redirect("advisers:mine")  # a legal adviser's only work is their own villages
    assignments = scoping.assignments_of(actor)
    blocks = []
    for root in node_access.root_nodes_for(actor):
        children = list(selectors.node_children(actor=actor, node=root))
        if root.is_platform:
            cards = selectors.platform_cards(actor=actor, nodes=[root])
            blocks.append({"node": root, "cards": cards, "children": children, "summary": None})
        else:
            cards = selectors.platform_cards(actor=actor, nodes=[c for c in children if c.is_platform])
            summary = selectors.subtree_summary(actor=actor, node=root)
            blocks.append({"node": root, "cards": cards, "children": children, "summary": summary})
    institutions = []
    if scope.institution_ids:
        institutions = list(
            institution_access.visible_institutions(actor).filter(pk__in=scope.institution_ids)
        )
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments,
            "blocks": blocks,
            "institutions": institutions,
            "is_clerk": scope.holds(Role.WINDOW_CLERK),
            "can_import": bool(scope.manage_paths),
        },
    )
