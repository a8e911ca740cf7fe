"""State changes of the institutions. Each runs in one transaction and writes its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.institutions.models import Institution, InstitutionKind, Terminal
from lawdesk.orgs.models import OrgNode

# Fields a caller may set on an institution besides kind, name, home node and served nodes.
INSTITUTION_ATTRS = (
    "mediation_scope",
    "mediation_trade",
    "department_kind",
    "business_scope",
    "address",
    "phone",
    "hours",
    "materials",
    "is_active",
)


def _check_may_manage(actor: Any, node: OrgNode) -> None:
    """``actor=None`` is the system itself (demo loader, imports run by a command)."""
    if actor is not None and not scoping.can_manage_node(actor, node):
        raise PermissionDenied(f"您无权在“{node.name}”下登记或修改机构。")


def _check_may_serve(actor: Any, nodes: Iterable[OrgNode]) -> None:
    """An actor may only name, as served, nodes they can see."""
    if actor is None:
        return
    hidden = [n.name for n in nodes if not scoping.can_see_node(actor, n)]
    if hidden:
        raise ValidationError({"served_nodes": f"服务节点“{'、'.join(hidden)}”不存在或不在您的管辖范围内。"})


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@service(AuditAction.INSTITUTION_CREATE)
def institution_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    home_node: OrgNode,
    served_nodes: Iterable[OrgNode],
    **attrs: Any,
) -> Institution:
    unknown = set(attrs) - set(INSTITUTION_ATTRS)
    if unknown:
        raise TypeError(f"unknown institution attributes: {sorted(unknown)}")
    _check_may_manage(actor, home_node)
    served = list(served_nodes)
    _check_may_serve(actor, served)
    institution = Institution(
        kind=kind,
        name=name.strip(),
        home_node=home_node,
        **{key: _clean_text(value) for key, value in attrs.items()},
    )
    institution.full_clean()
    with transaction.atomic():
        institution.save()
        institution.served_nodes.set(served)
        audit(
            actor=actor,
            action="institution_create",
            obj=institution,
            node=home_node,
            data={"kind": kind, "served_nodes": sorted(n.pk for n in served)},
        )
    return institution


@service(AuditAction.INSTITUTION_UPDATE)
def institution_update(
    *,
    actor: Any,
    institution: Institution,
    served_nodes: Iterable[OrgNode] | None = None,
    **changes: Any,
) -> Institution:
    """Change the given fields; ``served_nodes`` replaces the served set when given."""
    allowed = set(INSTITUTION_ATTRS) | {"kind", "name", "home_node"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown institution attributes: {sorted(unknown)}")
    _check_may_manage(actor, institution.home_node)
    new_home = changes.get("home_node")
    if new_home is not None and new_home.pk != institution.home_node_id:
        _check_may_manage(actor, new_home)
    served_before = set(institution.served_nodes.values_list("pk", flat=True))
    served = list(served_nodes) if served_nodes is not None else None
    if served is not None:
        # Nodes already served may stay even if the actor cannot see them; only additions are checked.
        _check_may_serve(actor, [n for n in served if n.pk not in served_before])
    before = {k: str(getattr(institution, k)) for k in changes}
    for key, value in changes.items():
        setattr(institution, key, _clean_text(value))
    institution.full_clean()
    with transaction.atomic():
        institution.save()
        data: dict[str, Any] = {}
        after = {k: str(getattr(institution, k)) for k in changes}
        diff = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
        if diff:
            data["changes"] = diff
        if served is not None:
            served_after = {n.pk for n in served}
            if served_after != served_before:
                institution.served_nodes.set(served)
                data["served_nodes"] = {
                    "added": sorted(served_after - served_before),
                    "removed": sorted(served_before - served_after),
                }
        audit(
            actor=actor,
            action="institution_update",
            obj=institution,
            node=institution.home_node,
            data=data,
        )
    return institution


def may_record_terminals(actor: Any, institution: Institution) -> bool:
    """A mediation committee's 12348 terminals (四(四)2) are recorded by the judicial office it hangs on, or an
    admin above it."""
    return institution.kind == InstitutionKind.MEDIATION_COMMITTEE and scoping.holds_at(
        actor, institution.home_node, *scoping.FACILITY_ROLES
    )


@service(AuditAction.TERMINAL_SET)
def terminal_set(
    *, actor: Any, institution: Institution, item: str, present: bool, as_of: datetime.date | None = None
) -> Terminal:
    if institution.kind != InstitutionKind.MEDIATION_COMMITTEE:
        raise ValidationError({"institution": "只有人民调解委员会在此登记12348终端。"})
    if actor is not None and not may_record_terminals(actor, institution):
        raise PermissionDenied("您无权登记该调解委员会的12348终端。")
    if item not in dict(Terminal._meta.get_field("item").choices or []):
        raise ValidationError({"item": f"终端“{item}”无效。"})
    as_of = as_of or clock.today()
    if as_of > clock.today():
        raise ValidationError({"as_of": "日期不能晚于今天。"})
    terminal, _ = Terminal.objects.update_or_create(
        institution=institution, item=item, defaults={"present": present, "as_of": as_of}
    )
    audit(
        actor=actor, action=AuditAction.TERMINAL_SET, obj=terminal, node=institution.home_node,
        data={"item": item, "present": present, "as_of": as_of.isoformat()},
    )  # fmt: skip
    return terminal
