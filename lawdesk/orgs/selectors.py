"""Reads of the tree that users see. Each takes the actor and applies the scoping module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from lawdesk.accounts import scoping
from lawdesk.orgs import access as node_access
from lawdesk.orgs import rules
from lawdesk.orgs.models import (
    FACILITY_GROUPS,
    OPTIONAL_FACILITIES,
    Facility,
    FacilityItem,
    OrgNode,
    Village,
    subtree_q,
)

REQUIRED_FACILITIES = [item for item in FacilityItem.values if item not in OPTIONAL_FACILITIES]


@dataclass
class FacilityState:
    item: str
    label: str
    present: bool
    as_of: Any
    optional: bool


@dataclass
class PlatformCard:
    node: OrgNode
    groups: list[tuple[str, list[FacilityState]]] = field(default_factory=list)

    @property
    def lacking(self) -> list[FacilityState]:
        return [s for _, states in self.groups for s in states if not s.present and not s.optional]

    @property
    def present_count(self) -> int:
        return sum(1 for _, states in self.groups for s in states if s.present and not s.optional)

    @property
    def required_count(self) -> int:
        return len(REQUIRED_FACILITIES)


def platform_cards(*, actor: Any, nodes: list[OrgNode]) -> list[PlatformCard]:
    """Facility cards for the given platforms (already scoped by the caller), in one query."""
    visible = [n for n in nodes if n.is_platform and scoping.can_see_node(actor, n)]
    by_node: dict[int, dict[str, Facility]] = {n.pk: {} for n in visible}
    for facility in Facility.objects.filter(node__in=visible):
        by_node[facility.node_id][facility.item] = facility
    labels = dict(FacilityItem.choices)
    cards = []
    for node in visible:
        have = by_node[node.pk]
        groups = []
        for title, items in FACILITY_GROUPS:
            states = []
            for item in items:
                f = have.get(item)
                states.append(
                    FacilityState(
                        item=item,
                        label=str(labels[item]),
                        present=bool(f and f.present),
                        as_of=f.as_of if f else None,
                        optional=item in OPTIONAL_FACILITIES,
                    )
                )
            groups.append((title, states))
        cards.append(PlatformCard(node=node, groups=groups))
    return cards


def node_children(*, actor: Any, node: OrgNode) -> QuerySet[OrgNode]:
    return (
        node_access.visible_nodes(actor)
        .filter(parent=node)
        .annotate(child_count=Count("children", distinct=True))
        .order_by("kind", "region_code", "name")
    )


def node_ancestors(*, actor: Any, node: OrgNode) -> list[OrgNode]:
    """The breadcrumb: the node's ancestors that the actor may see, root first."""
    paths = node.ancestor_paths()[:-1]
    return list(node_access.visible_nodes(actor).filter(path__in=paths).order_by("depth"))


@dataclass
class SubtreeSummary:
    node: OrgNode
    counts: list[tuple[str, int]]
    platforms: int
    platforms_lacking: int


def subtree_summary(*, actor: Any, node: OrgNode) -> SubtreeSummary:
    """Counts of the subtree by kind and how many platforms lack a required facility (two queries)."""
    nodes = node_access.visible_nodes(actor).filter(subtree_q(node.path))
    by_kind = dict(nodes.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    counts = [(str(label), by_kind.get(value, 0)) for value, label in rules.NodeKind.choices]
    platforms = nodes.filter(kind__in=rules.PLATFORM_KINDS).annotate(
        have=Count(
            "facilities",
            filter=Q(facilities__present=True, facilities__item__in=REQUIRED_FACILITIES),
        )
    )
    lacking = platforms.filter(have__lt=len(REQUIRED_FACILITIES)).count()
    return SubtreeSummary(
        node=node,
        counts=[c for c in counts if c[1]],
        platforms=sum(by_kind.get(k, 0) for k in rules.PLATFORM_KINDS),
        platforms_lacking=lacking,
    )


def search_nodes(*, actor: Any, query: str, limit: int = 50) -> QuerySet[OrgNode]:
    query = query.strip()
    nodes = node_access.visible_nodes(actor)
    if query:
        nodes = nodes.filter(Q(name__contains=query) | Q(region_code__startswith=query))
    return nodes.order_by("path")[:limit]


def villages_for(*, actor: Any, roles: tuple[str, ...] = ()) -> QuerySet[Village]:
    """The villages and communities the actor may see: those of the judicial offices in reach, or, with
    ``roles``, those of the offices where one of ``roles`` is held (a narrow role such as the legal adviser)."""
    scope = scoping.scope_for(actor)
    paths = scope.paths_of(*roles) if roles else scope.view_paths
    return Village.objects.filter(scoping.paths_q(paths, "office__")).select_related("office", "station")


def office_terminals(node: OrgNode) -> list[FacilityState]:
    """A judicial office's 12348 terminals (四(四)2), present or not, for its page (the caller has the node)."""
    from lawdesk.orgs.models import TERMINAL_ITEMS

    recorded = {f.item: f for f in Facility.objects.filter(node=node, item__in=TERMINAL_ITEMS)}
    labels = dict(FacilityItem.choices)
    return [
        FacilityState(
            item=str(item),
            label=str(labels[item]),
            present=bool(recorded.get(item) and recorded[item].present),
            as_of=recorded[item].as_of if item in recorded else None,
            optional=False,
        )
        for item in TERMINAL_ITEMS
    ]
