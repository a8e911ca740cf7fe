"""Who reaches which community correction and resettlement records: only holders of
``Role.CORRECTION_OFFICER``, in the subtree where they hold it (a judicial office, or a district bureau over its
offices). Every other role — window clerks, office staff, district and city admins without the role, other
offices — gets 404, as for a record that does not exist. Every page or export that shows such a record writes an
audit row naming what was read (``log_read``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core.audit import audit_event
from lawdesk.core.audit_actions import AuditAction
from lawdesk.correction.models import ReleasedPerson, Supervisee
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.people.identity import mask_id_number, mask_phone

NOT_FOUND = "没有找到该记录，或您无权查看。"
ROLE = Role.CORRECTION_OFFICER


def _paths(actor: Any) -> tuple[str, ...]:
    return scoping.scope_for(actor).paths_of(ROLE)


def is_officer(actor: Any) -> bool:
    return bool(_paths(actor))


def offices_for(actor: Any) -> QuerySet[OrgNode]:
    """The judicial offices whose correction work the actor keeps."""
    return OrgNode.objects.filter(
        scoping.paths_q(_paths(actor)), kind=NodeKind.JUDICIAL_OFFICE, is_active=True
    ).order_by("path")


def require_officer(actor: Any) -> None:
    if not is_officer(actor):
        raise Http404(NOT_FOUND)


def can_keep(actor: Any, office: OrgNode) -> bool:
    """Whether the actor records the correction work of ``office`` (the role held there or above it)."""
    return office.kind == NodeKind.JUDICIAL_OFFICE and scoping.holds_at(actor, office, ROLE)


def supervisees_for(actor: Any) -> QuerySet[Supervisee]:
    return Supervisee.objects.filter(scoping.paths_q(_paths(actor), "office__")).select_related("office")


def released_for(actor: Any) -> QuerySet[ReleasedPerson]:
    return ReleasedPerson.objects.filter(scoping.paths_q(_paths(actor), "office__")).select_related("office")


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def get_supervisee_for(actor: Any, pk: Any) -> Supervisee:
    return _get(supervisees_for(actor), pk)


def get_released_for(actor: Any, pk: Any) -> ReleasedPerson:
    return _get(released_for(actor), pk)


def log_read(
    *, actor: Any, request: HttpRequest | None, what: str, objects: list[Any], node: Any = None
) -> None:
    """The audit row of a page or export that showed these correction records (need-to-know: every read is
    accounted for). Names the records by type and id, never by a name or number."""
    if not objects:
        return
    first = objects[0]
    audit_event(
        actor=actor,
        action=AuditAction.CORRECTION_READ,
        request=request,
        object_type=first._meta.label if len(objects) == 1 else "",
        object_id=str(first.pk) if len(objects) == 1 else "",
        object_repr=str(first)[:200] if len(objects) == 1 else f"{len(objects)}条记录",
        node=node if node is not None else getattr(first, "office", None),
        data={
            "what": what,
            "rows": [f"{o._meta.label}#{o.pk}" for o in objects[:5000]],
            "count": len(objects),
        },
    )


def masked_id(person: Any) -> str:
    return mask_id_number(person.id_number or "")


def masked_phone(person: Any) -> str:
    return mask_phone(person.phone or "")
