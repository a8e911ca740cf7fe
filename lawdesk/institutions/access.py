"""Which institutions an actor may see, on ``lawdesk.accounts.scoping``: those registered in the actor's subtree,
those serving any node of it or above it (a district's legal aid centre serves every station of the district),
and a handler's own. Out of reach answers 404 exactly like missing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.core.tree import ancestor_paths
from lawdesk.institutions.models import Institution


def institutions_q(actor: Any) -> Q:
    scope = scoping.scope_for(actor)
    q = Q(pk__in=list(scope.institution_ids)) if scope.institution_ids else Q(pk__in=[])
    if scope.view_paths:
        above = sorted({a for path in scope.view_paths for a in ancestor_paths(path)})
        served = Institution.served_nodes.through.objects.filter(
            scoping.paths_q(scope.view_paths, "orgnode__") | Q(orgnode__path__in=above)
        ).values("institution_id")
        q |= scoping.paths_q(scope.view_paths, "home_node__") | Q(pk__in=served)
    return q


def visible_institutions(actor: Any) -> QuerySet[Institution]:
    return Institution.objects.filter(institutions_q(actor))


def get_institution_for(actor: Any, pk: Any) -> Institution:
    try:
        return visible_institutions(actor).get(pk=int(pk))
    except (Institution.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该机构，或您无权查看。") from exc


def can_manage_institution(actor: Any, institution: Institution) -> bool:
    return scoping.can_manage_node(actor, institution.home_node)


def serves(institution: Institution, node: Any) -> bool:
    """Whether ``institution`` serves ``node``: it serves the node or a node above it."""
    return institution.served_nodes.filter(path__in=ancestor_paths(node.path)).exists()
