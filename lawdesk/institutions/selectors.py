from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution, InstitutionKind, Terminal
from lawdesk.orgs.models import OrgNode, subtree_q


def institution_list(
    *, actor: Any, kind: str = "", node: OrgNode | None = None, query: str = ""
) -> QuerySet[Institution]:
    """The institutions directory as the actor may see it, filtered by kind, by the node they serve
    (an institution serving a node or any node above it serves it), and by name or business scope."""
    institutions = institution_access.visible_institutions(actor).select_related("home_node")
    if kind:
        institutions = institutions.filter(kind=kind)
    if node is not None:
        served = Institution.served_nodes.through.objects.filter(
            Q(orgnode__path__in=node.ancestor_paths()) | subtree_q(node.path, "orgnode__")
        ).values("institution_id")
        institutions = institutions.filter(Q(pk__in=served) | subtree_q(node.path, "home_node__"))
    query = query.strip()
    if query:
        institutions = institutions.filter(Q(name__contains=query) | Q(business_scope__contains=query))
    return institutions.order_by("kind", "name")


def terminals_of(institution: Institution) -> list[tuple[str, bool, Any]] | None:
    """A mediation committee's 12348 terminals as (label, present, as of); None for other institutions (the
    caller already has the institution through ``get_institution_for``)."""
    if institution.kind != InstitutionKind.MEDIATION_COMMITTEE:
        return None
    recorded = {t.item: t for t in institution.terminals.all()}
    labels = dict(Terminal._meta.get_field("item").choices or [])
    return [
        (str(labels[item]), bool(item in recorded and recorded[item].present),
         recorded[item].as_of if item in recorded else None)
        for item in labels
    ]  # fmt: skip
