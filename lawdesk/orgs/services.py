"""State changes of the organisation tree. Each runs in one transaction and writes its audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.tree import PATH_SEGMENT_WIDTH
from lawdesk.orgs.models import Facility, FacilityItem, OrgNode, Village, facility_items_for
from lawdesk.orgs.rules import NodeKind

# Fields a caller may set on a node besides kind, name, region code and parent.
NODE_ATTRS = (
    "address",
    "location_kind",
    "morning_open",
    "morning_close",
    "afternoon_open",
    "afternoon_close",
    "office_phone",
    "appointment_phone",
    "supervision_phone",
    "longitude",
    "latitude",
    "floor_area",
    "is_active",
)


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}/"


def _check_may_manage(actor: Any, node: OrgNode | None) -> None:
    """``actor=None`` is the system itself (demo loader, imports run by a command)."""
    if actor is None:
        return
    if node is None:
        if not scoping.has_role(actor, "system_admin"):
            raise PermissionDenied("只有系统管理员可以创建最高一级节点。")
        return
    if not scoping.can_manage_node(actor, node):
        raise PermissionDenied("您无权修改该节点。")


@service(AuditAction.ORG_NODE_CREATE)
def org_node_create(
    *,
    actor: Any,
    parent: OrgNode | None,
    kind: str,
    name: str,
    region_code: str = "",
    **attrs: Any,
) -> OrgNode:
    unknown = set(attrs) - set(NODE_ATTRS)
    if unknown:
        raise TypeError(f"unknown node attributes: {sorted(unknown)}")
    _check_may_manage(actor, parent)
    node = OrgNode(parent=parent, kind=kind, name=name.strip(), region_code=region_code.strip(), **attrs)
    # A placeholder path for validation; the real one needs the primary key.
    node.path = f"pending-{id(node)}"
    node.full_clean()
    with transaction.atomic():
        node.save()
        node.path = (parent.path if parent else "") + _segment(node.pk)
        node.depth = parent.depth + 1 if parent else 0
        node.save(update_fields=["path", "depth"])
        audit(actor=actor, action="org_node_create", obj=node, node=node, data={"kind": kind})
    return node


@service(AuditAction.ORG_NODE_UPDATE)
def org_node_update(*, actor: Any, node: OrgNode, **changes: Any) -> OrgNode:
    allowed = set(NODE_ATTRS) | {"name", "region_code"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown node attributes: {sorted(unknown)}")
    _check_may_manage(actor, node)
    before = {k: str(getattr(node, k)) for k in changes}
    for key, value in changes.items():
        setattr(node, key, value.strip() if isinstance(value, str) else value)
    node.full_clean()
    with transaction.atomic():
        node.save()
        after = {k: str(getattr(node, k)) for k in changes}
        diff = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
        audit(actor=actor, action="org_node_update", obj=node, node=node, data={"changes": diff})
    return node


@service(AuditAction.ORG_NODE_MOVE)
def org_node_move(
    *, actor: Any, node: OrgNode, new_parent: OrgNode, region_code: str | None = None
) -> OrgNode:
    """Hang ``node`` and its whole subtree under ``new_parent``: one UPDATE rewrites the subtree's paths.

    A move across areas (a boundary change) usually changes the node's region code too: pass it here. The
    codes of the nodes below are kept as they are and listed in the audit row for the admin to correct.
    """
    _check_may_manage(actor, node)
    _check_may_manage(actor, new_parent)
    if new_parent.path.startswith(node.path):
        raise ValidationError({"parent": "上级不能是本节点或其下级节点（会形成循环）。"})
    old_parent = node.parent
    old_code = node.region_code
    node.parent = new_parent
    if region_code is not None:
        node.region_code = region_code.strip()
    node.full_clean()
    old_path = node.path
    new_path = new_parent.path + _segment(node.pk)
    depth_change = new_parent.depth + 1 - node.depth
    with transaction.atomic():
        OrgNode.objects.filter(pk=node.pk).update(parent=new_parent, region_code=node.region_code)
        OrgNode.objects.subtree(node).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_change,
        )
        node.refresh_from_db()
        audit(
            actor=actor,
            action="org_node_move",
            obj=node,
            node=node,
            data={
                "from": old_parent.pk if old_parent else None,
                "to": new_parent.pk,
                "region_code": [old_code, node.region_code],
                "descendants": list(
                    OrgNode.objects.subtree(node).exclude(pk=node.pk).values_list("pk", flat=True)
                ),
            },
        )
    return node


@service(AuditAction.FACILITY_SET)
def facility_set(
    *,
    actor: Any,
    node: OrgNode,
    item: str,
    present: bool,
    as_of: datetime.date | None = None,
    note: str = "",
) -> Facility:
    if actor is not None and not scoping.can_edit_facilities(actor, node):
        raise PermissionDenied("您无权修改该平台的设施。")
    if item not in FacilityItem.values:
        raise ValidationError({"item": f"设施项目“{item}”无效。"})
    if item not in facility_items_for(node.kind):
        if node.kind == NodeKind.JUDICIAL_OFFICE:
            raise ValidationError({"item": "司法所只登记12348中国法网终端和12348热线服务终端。"})
        raise ValidationError({"node": "只有公共法律服务中心(站)和司法所登记设施。"})
    as_of = as_of or clock.today()
    if as_of > clock.today():
        raise ValidationError({"as_of": "日期不能晚于今天。"})
    with transaction.atomic():
        facility, _ = Facility.objects.update_or_create(
            node=node, item=item, defaults={"present": present, "as_of": as_of, "note": note.strip()}
        )
        audit(
            actor=actor,
            action="facility_set",
            obj=facility,
            node=node,
            data={"item": item, "present": present, "as_of": as_of.isoformat()},
        )
    return facility


# --- villages and communities (村/社区) -------------------------------------------------------------------

VILLAGE_ATTRS = ("name", "kind", "region_code", "station", "is_active")


def _check_may_manage_village(actor: Any, office: OrgNode) -> None:
    """The office's own staff, or a district or city admin above it, keep its villages."""
    if actor is None:
        return
    if not (scoping.can_manage_node(actor, office) or scoping.holds_at(actor, office, "office_staff")):
        raise PermissionDenied("您无权维护该司法所的村(社区)名录。")


@service(AuditAction.VILLAGE_CREATE)
def village_create(
    *, actor: Any, office: OrgNode, name: str, region_code: str, kind: str = "village",
    station: OrgNode | None = None,
) -> Village:  # fmt: skip
    _check_may_manage_village(actor, office)
    village = Village(
        office=office, name=name.strip(), region_code=region_code.strip(), kind=kind, station=station
    )
    village.full_clean()
    village.save()
    audit(
        actor=actor, action=AuditAction.VILLAGE_CREATE, obj=village, node=office,
        data={"region_code": village.region_code},
    )  # fmt: skip
    return village


@service(AuditAction.VILLAGE_UPDATE)
def village_update(*, actor: Any, village: Village, **changes: Any) -> Village:
    _check_may_manage_village(actor, village.office)
    unknown = set(changes) - set(VILLAGE_ATTRS)
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    for name, value in changes.items():
        setattr(village, name, value.strip() if isinstance(value, str) else value)
    village.full_clean()
    village.save()
    audit(
        actor=actor, action=AuditAction.VILLAGE_UPDATE, obj=village, node=village.office,
        data={"fields": sorted(changes)},
    )  # fmt: skip
    return village
