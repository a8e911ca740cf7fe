"""Which nodes of the tree an actor may see, on ``lawdesk.accounts.scoping``: a node out of reach answers 404
exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.orgs.models import OrgNode


def visible_nodes(actor: Any) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(scoping.nodes_q(actor))


def root_nodes_for(actor: Any) -> QuerySet[OrgNode]:
    """The top nodes of what the actor sees (usually one: the node their role is held at)."""
    return OrgNode.objects.filter(path__in=scoping.scope_for(actor).view_paths)


def get_node_for(actor: Any, pk: Any) -> OrgNode:
    """The node, or 404 both when it does not exist and when the actor may not see it."""
    try:
        return visible_nodes(actor).get(pk=int(pk))
    except (OrgNode.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该节点，或您无权查看。") from exc


def managed_nodes(actor: Any) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(scoping.paths_q(scoping.scope_for(actor).manage_paths))


def nodes_where(actor: Any, *roles: str) -> QuerySet[OrgNode]:
    """The nodes where the actor holds one of ``roles`` (not their subtrees)."""
    ids = [g.node_id for g in scoping.scope_for(actor).grants_of(*roles) if g.node_id is not None]
    return OrgNode.objects.filter(pk__in=ids)
