"""The one place that decides what an actor may see and change: which roles they hold, and where.

A role is held at a node (a handler's at an institution) and reaches that node's subtree, never a sibling's or a
parent's. ``Scope`` is the actor's grants, read once per request. Reach (what the actor may *see*) is the union
of every grant's subtree; write power is decided **per role at its node**: ``holds_at(actor, node, *roles)`` asks
whether one of ``roles`` is held at a node covering ``node`` — never whether the actor holds the role somewhere
and sees the node through another role. (A clerk at station A who is also an auditor of another district's
office sees that office's stations, but may register visits only at station A.)

The apps build their reads on this module: ``lawdesk.orgs.access`` (nodes), ``lawdesk.institutions.access``
(institutions), ``lawdesk.matters.access`` (visits and matters). A record out of reach answers 404 there, exactly
like one that does not exist. ``tests/test_code_quality.py`` fails on ``.roles`` read anywhere outside
``lawdesk/accounts``: every role check comes through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from lawdesk.accounts.models import NARROW_ROLES, Role, RoleAssignment, User
from lawdesk.core.tree import BUREAU_KINDS, PLATFORM_KINDS, NodeKind, ancestor_paths, covers, subtree_q

# Roles that may change the tree and the institutions in their subtree.
MANAGE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
# Roles that may also keep a platform's facility list up to date (the judicial office runs its stations).
FACILITY_ROLES = MANAGE_ROLES | {Role.OFFICE_STAFF}
# Roles that act for the front desk of the platforms below them (besides each matter's own first responder).
OVERSIGHT_ROLES = frozenset({Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
# Roles that register visits at a platform in their reach: its clerks, and the judicial office above it.
INTAKE_ROLES = frozenset({Role.WINDOW_CLERK, Role.OFFICE_STAFF})
# Roles that see citizens' ID numbers and phones in full; the others (leaders, auditors, handlers) see them masked.
PERSONAL_DATA_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN}
)


@dataclass(frozen=True)
class Grant:
    """One role held: at a node (its path, id and kind) or, for a handler, at an institution."""

    role: str
    path: str = ""
    node_id: int | None = None
    node_kind: str = ""
    institution_id: int | None = None

    def covers(self, node: Any) -> bool:
        return bool(self.path) and covers(self.path, node.path)


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another path of the set."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(covers(k, path) for k in kept):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    grants: tuple[Grant, ...] = ()
    # Every role assignment as (role, node kind), inactive nodes included: what the second-factor rule reads.
    held: tuple[tuple[str, str], ...] = ()
    roles: frozenset[str] = field(init=False)
    view_paths: tuple[str, ...] = field(init=False)
    manage_paths: tuple[str, ...] = field(init=False)
    facility_paths: tuple[str, ...] = field(init=False)
    institution_ids: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        # A narrow role (community correction, legal adviser) opens only its own app's records, never the
        # node's visits, matters and reports.
        node_grants = [g for g in self.grants if g.path and g.role not in NARROW_ROLES]
        object.__setattr__(self, "roles", frozenset(g.role for g in self.grants))
        object.__setattr__(self, "view_paths", _outermost({g.path for g in node_grants}))
        object.__setattr__(self, "manage_paths", self.paths_of(*MANAGE_ROLES))
        object.__setattr__(self, "facility_paths", self.paths_of(*FACILITY_ROLES))
        object.__setattr__(
            self,
            "institution_ids",
            frozenset(g.institution_id for g in self.grants if g.institution_id is not None),
        )

    @property
    def is_empty(self) -> bool:
        return not self.view_paths and not self.institution_ids

    @property
    def reaches_a_district(self) -> bool:
        """Whether a district (or the city) bureau is in reach: the district-wide boards open."""
        return any(g.node_kind in BUREAU_KINDS for g in self.grants)

    def holds(self, *roles: str) -> bool:
        """Whether one of ``roles`` is held anywhere (menus and pages about the actor's own places)."""
        return bool(self.roles & set(roles))

    def paths_of(self, *roles: str) -> tuple[str, ...]:
        """The subtrees where one of ``roles`` is held."""
        return _outermost({g.path for g in self.grants if g.path and g.role in roles})

    def grants_of(self, *roles: str) -> list[Grant]:
        return [g for g in self.grants if g.role in roles]

    def roles_at(self, node: Any) -> frozenset[str]:
        """The roles held at ``node`` or at a node above it."""
        return frozenset(g.role for g in self.grants if g.covers(node))

    def holds_at(self, node: Any, *roles: str) -> bool:
        """Whether one of ``roles`` is held at ``node`` or at a node above it."""
        return any(g.role in roles and g.covers(node) for g in self.grants)

    def holds_exactly_at(self, node: Any, *roles: str) -> bool:
        """Whether one of ``roles`` is held at ``node`` itself (not above it)."""
        return any(g.role in roles and g.node_id == node.pk for g in self.grants)

    def nearest(self, node: Any, *roles: str) -> Grant | None:
        """The deepest grant of one of ``roles`` covering ``node`` (the office before the district)."""
        covering = [g for g in self.grants if g.role in roles and g.covers(node)]
        return max(covering, key=lambda g: len(g.path)) if covering else None

    def handles(self, institution_id: int | None) -> bool:
        """Whether the actor is a handler of that institution."""
        return institution_id is not None and institution_id in self.institution_ids


EMPTY_SCOPE = Scope()
_CACHE_ATTR = "_lawdesk_scope"


def scope_for(actor: Any) -> Scope:
    """What ``actor`` holds, read once per request (cached on the user object)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return EMPTY_SCOPE
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants: list[Grant] = []
    held: list[tuple[str, str]] = []
    for assignment in actor.roles.select_related("node"):
        held.append((assignment.role, assignment.node.kind if assignment.node is not None else ""))
        if assignment.role == Role.HANDLER:
            if assignment.institution_id is not None:
                grants.append(Grant(role=assignment.role, institution_id=assignment.institution_id))
            continue
        node = assignment.node
        if node is None or not node.is_active:
            continue
        grants.append(Grant(role=assignment.role, path=node.path, node_id=node.pk, node_kind=node.kind))
    scope = Scope(grants=tuple(grants), held=tuple(held))
    setattr(actor, _CACHE_ATTR, scope)
    return scope


def forget_scope(actor: Any) -> None:
    """Call after changing an actor's roles within one request or test."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def paths_q(paths: tuple[str, ...], prefix: str = "") -> Q:
    """Rows whose node (reached through ``prefix``) lies in one of the subtrees at ``paths``."""
    if not paths:
        return Q(**{f"{prefix}pk__in": []})
    q = Q()
    for path in paths:
        q |= subtree_q(path, prefix)
    return q


# --- reach (what the actor may see) ------------------------------------------------------------------------


def nodes_q(actor: Any, prefix: str = "") -> Q:
    """Filter for rows whose node (reached through ``prefix``) the actor may see."""
    return paths_q(scope_for(actor).view_paths, prefix)


def can_see_node(actor: Any, node: Any) -> bool:
    return any(covers(p, node.path) for p in scope_for(actor).view_paths)


def has_role(actor: Any, *roles: str) -> bool:
    """Whether the actor holds one of ``roles`` anywhere: for menus and for pages about the actor's own places.
    Never for write power over a record: that is ``holds_at`` at the record's node."""
    return scope_for(actor).holds(*roles)


# --- write power (per role at its node) ---------------------------------------------------------------------


def holds_at(actor: Any, node: Any, *roles: str) -> bool:
    """Whether one of ``roles`` is held at ``node`` or above it."""
    return scope_for(actor).holds_at(node, *roles)


def can_manage_node(actor: Any, node: Any) -> bool:
    return holds_at(actor, node, *MANAGE_ROLES)


def can_edit_facilities(actor: Any, node: Any) -> bool:
    # A judicial office records its 12348 terminals (四(四)2); a platform every facility item.
    kinds = PLATFORM_KINDS | {NodeKind.JUDICIAL_OFFICE}
    return node.kind in kinds and holds_at(actor, node, *FACILITY_ROLES)


def can_receive_at(actor: Any, node: Any) -> bool:
    """A window clerk of the platform, or judicial office staff above it, registers visits there."""
    return node.kind in PLATFORM_KINDS and holds_at(actor, node, *INTAKE_ROLES)


def oversight_grant(actor: Any, node: Any) -> Grant | None:
    """The nearest oversight role (office, district, city, system admin) held above or at ``node``."""
    return scope_for(actor).nearest(node, *OVERSIGHT_ROLES)


def can_see_personal_data(actor: Any, node: Any) -> bool:
    """Whether ID numbers and phones of people received at ``node`` may be shown to the actor unmasked."""
    return holds_at(actor, node, *PERSONAL_DATA_ROLES)


def is_handler_of(actor: Any, institution_id: int | None) -> bool:
    return scope_for(actor).handles(institution_id)


def holds_at_bureau(actor: Any) -> bool:
    """Whether any role is held at a district or city bureau (such accounts log in with a second factor)."""
    return any(g.node_kind in BUREAU_KINDS for g in scope_for(actor).grants)


def holds_exactly_at(actor: Any, node: Any, *roles: str) -> bool:
    return node is not None and scope_for(actor).holds_exactly_at(node, *roles)


# --- who holds roles where (recipients, colleagues, pick-lists): the one place that reads role rows ---------


def users_holding(
    *roles: str,
    at: Any = None,
    at_or_above: Any = None,
    within: Any = None,
    institution_id: Any = None,
    at_institutions_within: Any = None,
    people_only: bool = False,
) -> QuerySet[User]:
    """Active users holding one of ``roles`` (any role when none is named): at the node ``at`` (a node or a
    list of nodes or node ids), at ``at_or_above`` or a node above it, at a node in the subtree ``within`` (or
    in one of several subtrees: a list or queryset of nodes), at
    the institution ``institution_id``, or at an institution registered in the subtree
    ``at_institutions_within`` (``institution_id`` may also be several ids, or a queryset of institutions).
    ``people_only`` leaves out the platforms' online intake accounts."""
    q = Q(roles__role__in=list(roles)) if roles else Q()
    if at is not None:
        nodes = at if isinstance(at, list | tuple | set | QuerySet) else [at]
        q &= Q(roles__node__in=[getattr(n, "pk", n) for n in nodes])
    if at_or_above is not None:
        q &= Q(roles__node__path__in=ancestor_paths(at_or_above.path))
    if within is not None:  # one subtree, or several (a list or queryset of nodes)
        subtrees = within if isinstance(within, list | tuple | set | QuerySet) else [within]
        q &= paths_q(tuple(n.path for n in subtrees), "roles__node__")
    if isinstance(institution_id, int):
        q &= Q(roles__institution_id=institution_id)
    elif institution_id is not None:  # several: ids or a queryset of institutions
        q &= Q(roles__institution__in=institution_id)
    if at_institutions_within is not None:
        q &= subtree_q(at_institutions_within.path, "roles__institution__home_node__")
    users = User.objects.filter(q, is_active=True)
    if people_only:
        users = users.filter(online_intake__isnull=True)
    return users.distinct()


def assignments_of(user: Any) -> list[RoleAssignment]:
    """The user's roles with their nodes and institutions, for display (a worker's workplace)."""
    if getattr(user, "pk", None) is None:
        return []
    return list(
        RoleAssignment.objects.filter(user_id=user.pk).select_related("node", "institution").order_by("id")
    )


def assignments_by_user(user_ids: list[int]) -> dict[int, list[RoleAssignment]]:
    """``assignments_of`` for many users in one query (a list of staff): user id → their roles, in the same
    order; a user without roles is absent."""
    out: dict[int, list[RoleAssignment]] = {}
    for assignment in (
        RoleAssignment.objects.filter(user_id__in=user_ids)
        .select_related("node", "institution")
        .order_by("id")
    ):
        out.setdefault(assignment.user_id, []).append(assignment)
    return out


def workplace(user: Any) -> str:
    """Where a user works, for display: the nodes and institutions of their roles."""
    places = [str(a.institution or a.node) for a in assignments_of(user) if (a.institution or a.node)]
    return "、".join(dict.fromkeys(places))


def home_node(user: Any) -> Any:
    """The node of the user's first node role (a service account's platform), or None."""
    for assignment in assignments_of(user):
        if assignment.node is not None:
            return assignment.node
    return None


def has_any_role(user: Any) -> bool:
    return getattr(user, "pk", None) is not None and RoleAssignment.objects.filter(user_id=user.pk).exists()


def roles_within_q(paths: tuple[str, ...]) -> Q:
    """Users holding a role at a node in one of the subtrees at ``paths`` (a handler: at an institution registered
    there), for the staff pages' lists."""
    return paths_q(paths, "roles__node__") | paths_q(paths, "roles__institution__home_node__")


def user_ids_holding(role: str) -> QuerySet[RoleAssignment, Any]:
    """The ids (``user_id``) of the users holding ``role`` anywhere, active or not (a filter of a staff list)."""
    return RoleAssignment.objects.filter(role=role).values("user_id")


def assignment_of(pk: int, users: QuerySet[User]) -> RoleAssignment | None:
    """A role held by one of ``users`` (those the caller may manage), with its node and institution, else None."""
    return (
        RoleAssignment.objects.filter(pk=pk, user__in=users)
        .select_related("user", "node", "institution")
        .first()
    )
