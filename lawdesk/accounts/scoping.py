"""The one place that decides what an actor may see and change.

A role is held at a node and reaches that node's subtree, never a sibling's or a parent's. Every view, export,
command and API call asks this module; a record the actor may not see answers 404, as if it did not exist.
Use ``nodes_q(actor, "node__")`` to scope any model that hangs on the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lawdesk.accounts.models import Role
from lawdesk.orgs.models import OrgNode, subtree_q

if TYPE_CHECKING:
    from lawdesk.institutions.models import Institution

# Roles that may change the tree and the institutions in their subtree.
MANAGE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
# Roles that may also keep a platform's facility list up to date (the judicial office runs its stations).
FACILITY_ROLES = MANAGE_ROLES | {Role.OFFICE_STAFF}


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str]
    view_paths: tuple[str, ...]
    manage_paths: tuple[str, ...]
    facility_paths: tuple[str, ...]
    institution_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.view_paths and not self.institution_ids


EMPTY_SCOPE = Scope(frozenset(), (), (), (), frozenset())
_CACHE_ATTR = "_lawdesk_scope"


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another path of the set."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def scope_for(actor: Any) -> Scope:
    """What ``actor`` reaches, read once per request (cached on the user object)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return EMPTY_SCOPE
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    view: set[str] = set()
    manage: set[str] = set()
    facility: set[str] = set()
    institutions: set[int] = set()
    for assignment in actor.roles.select_related("node"):
        roles.add(assignment.role)
        if assignment.role == Role.HANDLER:
            if assignment.institution_id is not None:
                institutions.add(assignment.institution_id)
            continue
        node = assignment.node
        if node is None or not node.is_active:
            continue
        view.add(node.path)
        if assignment.role in MANAGE_ROLES:
            manage.add(node.path)
        if assignment.role in FACILITY_ROLES:
            facility.add(node.path)
    scope = Scope(
        roles=frozenset(roles),
        view_paths=_outermost(view),
        manage_paths=_outermost(manage),
        facility_paths=_outermost(facility),
        institution_ids=frozenset(institutions),
    )
    setattr(actor, _CACHE_ATTR, scope)
    return scope


def forget_scope(actor: Any) -> None:
    """Call after changing an actor's roles within one request or test."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def _paths_q(paths: tuple[str, ...], prefix: str) -> Q:
    if not paths:
        return Q(**{f"{prefix}pk__in": []})
    q = Q()
    for path in paths:
        q |= subtree_q(path, prefix)
    return q


def _covers(paths: tuple[str, ...], node: OrgNode) -> bool:
    return any(node.path.startswith(p) for p in paths)


# --- the tree -------------------------------------------------------------------------------------------


def nodes_q(actor: Any, prefix: str = "") -> Q:
    """Filter for rows whose node (reached through ``prefix``) the actor may see."""
    return _paths_q(scope_for(actor).view_paths, prefix)


def visible_nodes(actor: Any) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(nodes_q(actor))


def root_nodes_for(actor: Any) -> QuerySet[OrgNode]:
    """The top nodes of what the actor sees (usually one: the node their role is held at)."""
    return OrgNode.objects.filter(path__in=scope_for(actor).view_paths)


def get_node_for(actor: Any, pk: Any) -> OrgNode:
    """The node, or 404 both when it does not exist and when the actor may not see it."""
    try:
        return visible_nodes(actor).get(pk=int(pk))
    except (OrgNode.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该节点，或您无权查看。") from exc


def can_see_node(actor: Any, node: OrgNode) -> bool:
    return _covers(scope_for(actor).view_paths, node)


def can_manage_node(actor: Any, node: OrgNode) -> bool:
    return _covers(scope_for(actor).manage_paths, node)


def can_edit_facilities(actor: Any, node: OrgNode) -> bool:
    return node.is_platform and _covers(scope_for(actor).facility_paths, node)


def managed_nodes(actor: Any) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(_paths_q(scope_for(actor).manage_paths, ""))


# --- institutions ---------------------------------------------------------------------------------------


def _ancestor_paths(paths: tuple[str, ...]) -> list[str]:
    seen: set[str] = set()
    for path in paths:
        node = OrgNode(path=path)
        seen.update(node.ancestor_paths())
    return sorted(seen)


def institutions_q(actor: Any) -> Q:
    """Institutions the actor may see: those registered in their subtree, those serving any node of it or above
    it (a district's legal aid centre serves every station of the district), and a handler's own."""
    from lawdesk.institutions.models import Institution

    scope = scope_for(actor)
    q = Q(pk__in=list(scope.institution_ids)) if scope.institution_ids else Q(pk__in=[])
    if scope.view_paths:
        served = Institution.served_nodes.through.objects.filter(
            _paths_q(scope.view_paths, "orgnode__") | Q(orgnode__path__in=_ancestor_paths(scope.view_paths))
        ).values("institution_id")
        q |= _paths_q(scope.view_paths, "home_node__") | Q(pk__in=served)
    return q


def visible_institutions(actor: Any) -> QuerySet[Institution]:
    from lawdesk.institutions.models import Institution

    return Institution.objects.filter(institutions_q(actor))


def get_institution_for(actor: Any, pk: Any) -> Institution:
    from lawdesk.institutions.models import Institution

    try:
        return visible_institutions(actor).get(pk=int(pk))
    except (Institution.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该机构，或您无权查看。") from exc


def can_manage_institution(actor: Any, institution: Institution) -> bool:
    return _covers(scope_for(actor).manage_paths, institution.home_node)


def has_role(actor: Any, *roles: str) -> bool:
    return bool(scope_for(actor).roles & set(roles))


# --- visits and matters ---------------------------------------------------------------------------------


def _complaints_against_q(actor: Any, prefix: str = "") -> Q:
    """Complaints whose subject is the actor: never shown to them, whatever their role."""
    from lawdesk.complaints.models import ComplaintDetail

    if getattr(actor, "pk", None) is None:
        return Q(**{f"{prefix}pk__in": []})
    against = ComplaintDetail.objects.filter(subject_user_id=actor.pk).values("matter_id")
    return Q(**{f"{prefix}pk__in": against})


def matters_q(actor: Any, prefix: str = "") -> Q:
    """Matters received in the actor's subtree, and those transferred to a handler's institution — except
    complaints against the actor."""
    scope = scope_for(actor)
    q = _paths_q(scope.view_paths, f"{prefix}node__")
    if scope.institution_ids:
        q |= Q(**{f"{prefix}institution__in": list(scope.institution_ids)})
    return q & ~_complaints_against_q(actor, prefix)


def visible_matters(actor: Any) -> QuerySet[Any]:
    from lawdesk.matters.models import Matter

    return Matter.objects.filter(matters_q(actor))


def get_matter_for(actor: Any, pk: Any) -> Any:
    """The matter, or 404 both when it does not exist and when the actor may not see it."""
    from lawdesk.matters.models import Matter

    try:
        return (
            visible_matters(actor)
            .select_related("node", "visit", "visit__person", "institution")
            .get(pk=int(pk))
        )
    except (Matter.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该事项，或您无权查看。") from exc


def visits_q(actor: Any, prefix: str = "") -> Q:
    """Visits received in the actor's subtree, less any that carries a complaint against the actor."""
    from lawdesk.complaints.models import ComplaintDetail

    q = nodes_q(actor, f"{prefix}node__")
    if getattr(actor, "pk", None) is not None:
        against = ComplaintDetail.objects.filter(subject_user_id=actor.pk).values("matter__visit_id")
        q &= ~Q(**{f"{prefix}pk__in": against})
    return q


def visible_visits(actor: Any) -> QuerySet[Any]:
    from lawdesk.matters.models import Visit

    return Visit.objects.filter(visits_q(actor))


def get_visit_for(actor: Any, pk: Any) -> Any:
    from lawdesk.matters.models import Visit

    try:
        return visible_visits(actor).select_related("node", "person").get(pk=int(pk))
    except (Visit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该来访登记，或您无权查看。") from exc


# Roles that see citizens' ID numbers and phones in full; the others (leaders, auditors, handlers) see them masked.
PERSONAL_DATA_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN}
)


def can_see_personal_data(actor: Any, node: OrgNode) -> bool:
    """Whether ID numbers and phones of people received at ``node`` are shown to the actor unmasked."""
    return any(
        a.role in PERSONAL_DATA_ROLES and a.node is not None and node.path.startswith(a.node.path)
        for a in actor.roles.select_related("node")
    )
