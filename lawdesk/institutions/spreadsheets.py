"""Excel (.xlsx) export and import of the institutions (后台机构) directory.

Same rules as the tree's (``lawdesk.orgs.spreadsheets``, whose reading, parsing and writing helpers this
module uses): the export is a valid import, rows are matched by 名称, and an import is all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from lawdesk.accounts import scoping
from lawdesk.institutions import access as institution_access
from lawdesk.institutions import services
from lawdesk.institutions.models import (
    DepartmentKind,
    Institution,
    InstitutionKind,
    MediationScope,
    MediationTrade,
)
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.spreadsheets import (
    TEXT,
    CellError,
    Column,
    FileRejected,
    ImportFile,
    ImportResult,
    RowError,
    Table,
    build_workbook,
    cell_text,
    file_error,
    multiline_text,
    parse_choice,
    parse_phone,
    read_table,
    save_row,
)

INSTITUTION_SHEET = "后台机构"

H_KIND = "类型"
H_NAME = "名称"
H_HOME_CODE = "主管节点区划代码"
H_HOME_NAME = "主管节点名称"
H_SERVED = "服务节点"
H_SCOPE = "调解类型"
H_TRADE = "调解行业"
H_DEPARTMENT = "部门类别"
H_BUSINESS = "业务范围"
H_ADDRESS = "地址"
H_PHONE = "联系电话"
H_HOURS = "办公时间"
H_MATERIALS = "需携带材料"

INSTITUTION_REQUIRED = (H_KIND, H_NAME, H_HOME_CODE)

INSTITUTION_FIELD_HEADERS: dict[str, str] = {
    "kind": H_KIND,
    "name": H_NAME,
    "home_node": H_HOME_CODE,
    "served_nodes": H_SERVED,
    "mediation_scope": H_SCOPE,
    "mediation_trade": H_TRADE,
    "department_kind": H_DEPARTMENT,
    "business_scope": H_BUSINESS,
    "address": H_ADDRESS,
    "phone": H_PHONE,
    "hours": H_HOURS,
    "materials": H_MATERIALS,
}

# When one region code belongs to several nodes (a district bureau and its centre; a judicial office and its
# town station), the node an institution hangs on is the first of these kinds.
KIND_PREFERENCE: tuple[str, ...] = (
    NodeKind.CITY_BUREAU,
    NodeKind.DISTRICT_BUREAU,
    NodeKind.JUDICIAL_OFFICE,
    NodeKind.SERVICE_CENTRE,
    NodeKind.TOWN_STATION,
    NodeKind.VILLAGE_STATION,
    NodeKind.SPECIAL_CENTRE,
)

_SERVED_SEPARATORS = re.compile(r"[、;；\n]+")
_NAME_WITH_CODE = re.compile(r"^(.*?)\s*[（(]\s*(\d+)\s*[)）]$")


def institution_columns() -> list[Column]:
    return [
        Column(H_KIND, 16, choices=tuple(str(label) for label in InstitutionKind.labels)),
        Column(H_NAME, 34),
        Column(H_HOME_CODE, 17, TEXT),
        Column(H_HOME_NAME, 26),
        Column(H_SERVED, 40, wrap=True),
        Column(H_SCOPE, 10, choices=tuple(str(label) for label in MediationScope.labels)),
        Column(H_TRADE, 12, choices=tuple(str(label) for label in MediationTrade.labels)),
        Column(H_DEPARTMENT, 12, choices=tuple(str(label) for label in DepartmentKind.labels)),
        Column(H_BUSINESS, 40, wrap=True),
        Column(H_ADDRESS, 34),
        Column(H_PHONE, 16, TEXT),
        Column(H_HOURS, 24),
        Column(H_MATERIALS, 40, wrap=True),
    ]


def _label(choices: type[Any], value: str) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:  # a value no longer among the choices is written as stored
        return value


def export_institutions(*, actor: Any) -> bytes:
    """The institutions ``actor`` may see, by kind and name; the columns ``import_institutions`` reads."""
    institutions = (
        institution_access.visible_institutions(actor)
        .select_related("home_node")
        .prefetch_related("served_nodes")
        .order_by("kind", "name")
    )
    # A served node is written by name, or as "名称（区划代码）" where several nodes share the name.
    shared_names = set(
        OrgNode.objects.values("name")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("name", flat=True)
    )

    def served_token(node: OrgNode) -> str:
        if node.name in shared_names and node.region_code:
            return f"{node.name}（{node.region_code}）"
        return node.name

    def rows() -> Iterator[list[Any]]:
        for institution in institutions:
            served = sorted(institution.served_nodes.all(), key=lambda n: n.path)
            yield [
                _label(InstitutionKind, institution.kind),
                institution.name,
                institution.home_node.region_code,
                institution.home_node.name,
                "、".join(served_token(n) for n in served),
                _label(MediationScope, institution.mediation_scope),
                _label(MediationTrade, institution.mediation_trade),
                _label(DepartmentKind, institution.department_kind),
                institution.business_scope,
                institution.address,
                institution.phone,
                institution.hours,
                "\n".join(institution.materials_list),
            ]

    return build_workbook(title=INSTITUTION_SHEET, columns=institution_columns(), rows=rows())


@dataclass
class _InstitutionRow:
    number: int
    kind: str = ""
    name: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)  # only the columns the file has
    home_node: OrgNode | None = None
    served: list[OrgNode] | None = None  # None when the file has no 服务节点 column


def _normalised_text(value: str) -> str:
    return "\n".join(line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip())


def _preferred(nodes: list[OrgNode]) -> OrgNode:
    return min(nodes, key=lambda n: (KIND_PREFERENCE.index(n.kind), n.path))


class _InstitutionImport:
    def __init__(self, actor: Any, table: Table) -> None:
        self.actor = actor
        self.table = table
        self.result = ImportResult()
        self.nodes_by_code: dict[str, list[OrgNode]] = {}
        self.nodes_by_name: dict[str, list[OrgNode]] = {}
        self.by_name: dict[str, Institution] = {}
        self.served: dict[int, set[int]] = {}  # institution -> served node ids
        self.visible: set[int] | None = None  # institution ids the actor may see; None = all
        self.seen: dict[str, int] = {}  # names met in this file -> row number

    def can_see_node(self, node: OrgNode) -> bool:
        return self.actor is None or scoping.can_see_node(self.actor, node)

    def can_manage_node(self, node: OrgNode) -> bool:
        return self.actor is None or scoping.can_manage_node(self.actor, node)

    def run(self) -> ImportResult:
        with transaction.atomic():
            self.load()
            for number, cells in self.table.rows:
                self.import_row(_InstitutionRow(number), cells)
            if self.result.errors:
                transaction.set_rollback(True)
        if self.result.errors:
            self.result = ImportResult(errors=sorted(self.result.errors, key=lambda e: e.row))
        return self.result

    def load(self) -> None:
        for node in OrgNode.objects.all():
            if node.region_code:
                self.nodes_by_code.setdefault(node.region_code, []).append(node)
            self.nodes_by_name.setdefault(node.name, []).append(node)
        for institution in Institution.objects.select_related("home_node"):
            self.by_name[institution.name] = institution
            if self.visible is not None:
                self.visible.add(institution.pk)
        for institution_id, node_id in Institution.served_nodes.through.objects.values_list(
            "institution_id", "orgnode_id"
        ):
            self.served.setdefault(institution_id, set()).add(node_id)
        if self.actor is not None:
            self.visible = set(
                institution_access.visible_institutions(self.actor).values_list("pk", flat=True)
            )

    def error(self, row: _InstitutionRow, header: str, message: str) -> None:
        self.result.errors.append(RowError(row.number, header, message))

    # -- one row --

    def import_row(self, row: _InstitutionRow, cells: tuple[Any, ...]) -> None:
        before = len(self.result.errors)
        self.parse(row, cells)
        if row.name:
            if row.name in self.seen:
                self.error(
                    row, H_NAME, f"名称“{row.name}”与第{self.seen[row.name]}行相同，每个机构只能有一行。"
                )
                return
            self.seen[row.name] = row.number
        existing = self.by_name.get(row.name) if row.name else None
        if existing is not None and self.visible is not None and existing.pk not in self.visible:
            self.error(row, H_NAME, f"已有名为“{row.name}”的机构，但不在您的管辖范围内，不能导入或修改。")
            return
        self.resolve_home(row, cells, existing)
        if self.table.has(H_SERVED):
            self.resolve_served(row, cells, existing)
        if len(self.result.errors) > before or row.home_node is None:
            return
        if existing is None:
            self.create(row, row.home_node)
        else:
            self.update(row, existing, row.home_node)

    def parse(self, row: _InstitutionRow, cells: tuple[Any, ...]) -> None:
        table = self.table

        def guarded(header: str, parse: Callable[[Any], Any]) -> tuple[bool, Any]:
            try:
                return True, parse(table.value(cells, header))
            except CellError as exc:
                self.error(row, header, exc.message)
                return False, None

        ok, kind = guarded(H_KIND, lambda v: parse_choice(v, InstitutionKind, "类型"))
        if ok and not kind:
            allowed = "、".join(str(label) for label in InstitutionKind.labels)
            self.error(row, H_KIND, f"类型不能为空，应为以下之一：{allowed}。")
        row.kind = kind or ""
        row.name = cell_text(table.value(cells, H_NAME))
        if not row.name:
            self.error(row, H_NAME, "名称不能为空。")
        elif len(row.name) > 100:
            self.error(row, H_NAME, "名称过长（最多100个字）。")
        parsers: list[tuple[str, str, Callable[[Any], Any]]] = [
            (H_SCOPE, "mediation_scope", lambda v: parse_choice(v, MediationScope, "调解类型")),
            (H_TRADE, "mediation_trade", lambda v: parse_choice(v, MediationTrade, "调解行业")),
            (H_DEPARTMENT, "department_kind", lambda v: parse_choice(v, DepartmentKind, "部门类别")),
            (H_BUSINESS, "business_scope", multiline_text),
            (H_ADDRESS, "address", cell_text),
            (H_PHONE, "phone", parse_phone),
            (H_HOURS, "hours", cell_text),
            (H_MATERIALS, "materials", multiline_text),
        ]
        for header, name, parser in parsers:
            if table.has(header):
                ok, value = guarded(header, parser)
                if ok:
                    row.attrs[name] = value

    def resolve_home(
        self, row: _InstitutionRow, cells: tuple[Any, ...], existing: Institution | None
    ) -> None:
        code = cell_text(self.table.value(cells, H_HOME_CODE))
        name = cell_text(self.table.value(cells, H_HOME_NAME))
        current = existing.home_node if existing is not None else None
        if not code and not name:
            self.error(row, H_HOME_CODE, "须填写主管节点的区划代码（或主管节点名称）。")
            return
        found = self.nodes_by_code.get(code, []) if code else self.nodes_by_name.get(name, [])
        # The current home node stays usable even when the actor cannot see it (e.g. a city-level institution
        # in a district admin's own export); any other node must be visible.
        candidates = [
            n for n in found if self.can_see_node(n) or (current is not None and n.pk == current.pk)
        ]
        if code and name:
            exact = [n for n in candidates if n.name == name]
            candidates = exact or candidates
        if not candidates:
            what = f"区划代码为“{code}”" if code else f"名为“{name}”"
            self.error(row, H_HOME_CODE, f"找不到{what}的节点，或该节点不在您的管辖范围内。")
            return
        if len(candidates) > 1 and not code:
            self.error(row, H_HOME_NAME, f"有多个名为“{name}”的节点，请填写主管节点区划代码以区分。")
            return
        row.home_node = _preferred(candidates)

    def resolve_served(
        self, row: _InstitutionRow, cells: tuple[Any, ...], existing: Institution | None
    ) -> None:
        text = cell_text(self.table.value(cells, H_SERVED))
        current = self.served.get(existing.pk, set()) if existing is not None else set()
        nodes: list[OrgNode] = []
        for token in (t.strip() for t in _SERVED_SEPARATORS.split(text)):
            if not token:
                continue
            match = _NAME_WITH_CODE.match(token)
            if match:
                name, code = match.group(1).strip(), match.group(2)
            elif token.isascii() and token.isdigit():
                name, code = "", token
            else:
                name, code = token, ""
            found = self.nodes_by_code.get(code, []) if code else self.nodes_by_name.get(name, [])
            candidates = [n for n in found if self.can_see_node(n) or n.pk in current]
            if code and name:
                candidates = [n for n in candidates if n.name == name]
            if not candidates:
                self.error(row, H_SERVED, f"找不到服务节点“{token}”，或该节点不在您的管辖范围内。")
                continue
            if len(candidates) > 1 and not code:
                self.error(
                    row,
                    H_SERVED,
                    f"有多个名为“{name}”的节点，请写成“名称（区划代码）”，如“{name}（{candidates[0].region_code}）”。",
                )
                continue
            node = _preferred(candidates)
            if node not in nodes:
                nodes.append(node)
        row.served = nodes

    def check_may_manage(self, row: _InstitutionRow, node: OrgNode, header: str) -> bool:
        if self.can_manage_node(node):
            return True
        self.error(row, header, f"您无权在“{node.name}”下登记或修改机构。")
        return False

    def create(self, row: _InstitutionRow, home_node: OrgNode) -> None:
        if not self.check_may_manage(row, home_node, H_HOME_CODE):
            return
        institution = save_row(
            self.result,
            row.number,
            lambda: services.institution_create(
                actor=self.actor,
                kind=row.kind,
                name=row.name,
                home_node=home_node,
                served_nodes=row.served or [],
                **row.attrs,
            ),
            headers=INSTITUTION_FIELD_HEADERS,
            current=lambda: H_NAME,
        )
        if institution is not None:
            self.by_name[institution.name] = institution
            if self.visible is not None:
                self.visible.add(institution.pk)
            self.served[institution.pk] = {n.pk for n in row.served or []}
            self.result.created += 1

    def update(self, row: _InstitutionRow, institution: Institution, home_node: OrgNode) -> None:
        changes: dict[str, Any] = {}
        if institution.kind != row.kind:
            changes["kind"] = row.kind
        if institution.home_node_id != home_node.pk:
            changes["home_node"] = home_node
        for name, value in row.attrs.items():
            have = getattr(institution, name)
            if name in ("business_scope", "materials"):
                have = _normalised_text(have)
            if have != value:
                changes[name] = value
        served_ids = {n.pk for n in row.served} if row.served is not None else None
        served_changed = served_ids is not None and served_ids != self.served.get(institution.pk, set())
        if not changes and not served_changed:
            self.result.unchanged += 1
            return
        first = INSTITUTION_FIELD_HEADERS.get(next(iter(changes), "served_nodes"), H_NAME)
        if not self.check_may_manage(row, institution.home_node, first):
            return
        if "home_node" in changes and not self.check_may_manage(row, home_node, H_HOME_CODE):
            return
        updated = save_row(
            self.result,
            row.number,
            lambda: services.institution_update(
                actor=self.actor,
                institution=institution,
                served_nodes=row.served if served_changed else None,
                **changes,
            ),
            headers=INSTITUTION_FIELD_HEADERS,
            current=lambda: first,
        )
        if updated is None:
            institution.refresh_from_db()
            return
        if served_ids is not None:
            self.served[institution.pk] = served_ids
        self.result.updated += 1


def import_institutions(*, actor: Any, file: ImportFile) -> ImportResult:
    """Create or update institutions from an .xlsx laid out like ``export_institutions``'s. All or nothing."""
    try:
        table = read_table(file, sheet_name=INSTITUTION_SHEET, required=INSTITUTION_REQUIRED)
    except FileRejected as exc:
        return file_error(exc.message)
    return _InstitutionImport(actor, table).run()
