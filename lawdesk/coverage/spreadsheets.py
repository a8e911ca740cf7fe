"""A district's village register from Excel (.xlsx), and the coverage export.

Import: one sheet, header row 1, columns 区划代码 (12-digit statistical code), 名称, 镇(街道) (the town or street
the village belongs to: its judicial office, by name with or without 司法所), optionally 类别 (村 or 社区). Each
row creates the village in its judicial office's register, or updates its name and kind when the code is
registered already, through the village services of ``lawdesk.orgs``. All or nothing: every row is checked, each
error names its Excel row and column, and if there is any error nothing is saved.

The export holds the same first four columns, so it is also the template of the import.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from lawdesk.coverage import selectors
from lawdesk.orgs import services as org_services
from lawdesk.orgs.models import OrgNode, Village, VillageKind
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.spreadsheets import (
    TEXT,
    CellError,
    Column,
    FileRejected,
    ImportFile,
    ImportResult,
    RowError,
    build_workbook,
    cell_text,
    file_error,
    parse_choice,
    read_table,
    save_row,
)

SHEET = "村(社区)名录"
H_CODE = "区划代码"
H_NAME = "名称"
H_TOWN = "镇(街道)"
H_KIND = "类别"
REQUIRED = (H_CODE, H_NAME, H_TOWN)
FIELD_HEADERS = {"region_code": H_CODE, "name": H_NAME, "kind": H_KIND, "office": H_TOWN, "station": H_CODE}


def town_name(office: OrgNode) -> str:
    return office.name.removesuffix("司法所")


def import_villages(*, actor: Any, district: OrgNode, file: ImportFile) -> ImportResult:
    """Create or update the villages of ``district`` from an .xlsx. All or nothing."""
    if district.kind != NodeKind.DISTRICT_BUREAU:
        return file_error("只能按区(县)导入村(社区)名录。")
    if actor is not None and not selectors.can_import_at(actor, district):
        return file_error(f"您无权导入{district.name}的村(社区)名录。")
    try:
        table = read_table(file, sheet_name=SHEET, required=REQUIRED)
    except FileRejected as exc:
        return file_error(exc.message)
    result = ImportResult()
    offices = list(OrgNode.objects.filter(parent=district, kind=NodeKind.JUDICIAL_OFFICE).order_by("path"))
    by_prefix = {o.region_code[:9]: o for o in offices if len(o.region_code) == 12}
    existing = {v.region_code: v for v in Village.objects.select_related("office")}
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, cells in table.rows:
            _import_row(actor, district, table, number, cells, by_prefix, existing, seen, result)
        if result.errors:
            transaction.set_rollback(True)
    if result.errors:
        return ImportResult(errors=sorted(result.errors, key=lambda e: e.row))
    return result


def _import_row(
    actor: Any, district: OrgNode, table: Any, number: int, cells: tuple[Any, ...],
    by_prefix: dict[str, OrgNode], existing: dict[str, Village], seen: dict[str, int], result: ImportResult,
) -> None:  # fmt: skip
    def error(header: str, message: str) -> None:
        result.errors.append(RowError(number, header, message))

    code = cell_text(table.value(cells, H_CODE))
    name = cell_text(table.value(cells, H_NAME))
    town = cell_text(table.value(cells, H_TOWN))
    before = len(result.errors)
    try:
        kind = parse_choice(table.value(cells, H_KIND), VillageKind, "类别") or VillageKind.VILLAGE
    except CellError as exc:
        error(H_KIND, exc.message)
        kind = VillageKind.VILLAGE
    if not name:
        error(H_NAME, "名称不能为空。")
    office = None
    if not code:
        error(H_CODE, "区划代码不能为空。")
    elif not (len(code) == 12 and code.isascii() and code.isdigit()) or code.endswith("000"):
        error(H_CODE, f"“{code}”不是村(社区)级区划代码：应为12位数字，且后三位不为000。")
    elif not code.startswith(district.region_code[:6]):
        error(H_CODE, f"“{code}”不在{district.name}的辖区内：前6位应为{district.region_code[:6]}。")
    elif code in seen:
        error(H_CODE, f"“{code}”与第{seen[code]}行重复。")
    else:
        seen[code] = number
        office = by_prefix.get(code[:9])
        if office is None:
            error(
                H_CODE,
                f"{district.name}没有区划代码前9位为{code[:9]}的镇(街道)司法所，请先在组织机构中登记。",
            )
    if not town:
        error(H_TOWN, "镇(街道)不能为空。")
    elif office is not None and town not in (office.name, town_name(office)):
        error(H_TOWN, f"“{town}”与区划代码所属的镇(街道)“{town_name(office)}”不符。")
    if len(result.errors) > before or office is None:
        return
    village = existing.get(code)
    if village is not None and village.office_id != office.pk:
        error(H_CODE, f"区划代码“{code}”已登记在{village.office.name}，不能改到{office.name}。")
        return
    if village is None:
        created = save_row(
            result, number,
            lambda: org_services.village_create(
                actor=actor, office=office, name=name, region_code=code, kind=kind
            ),
            headers=FIELD_HEADERS, current=lambda: H_NAME,
        )  # fmt: skip
        if created is not None:
            existing[code] = created
            result.created += 1
        return
    changes: dict[str, Any] = {k: v for k, v in (("name", name), ("kind", kind)) if getattr(village, k) != v}
    if not village.is_active:
        changes["is_active"] = True
    if not changes:
        result.unchanged += 1
        return
    target = village
    updated = save_row(
        result, number, lambda: org_services.village_update(actor=actor, village=target, **changes),
        headers=FIELD_HEADERS, current=lambda: H_NAME,
    )  # fmt: skip
    if updated is not None:
        result.updated += 1


COLUMNS = [
    Column(H_CODE, 16, TEXT),
    Column(H_NAME, 20),
    Column(H_TOWN, 16),
    Column(H_KIND, 8, choices=tuple(str(label) for label in VillageKind.labels)),
    Column("区(县)", 12),
    Column("服务方式", 20),
    Column("服务站", 30),
    Column("灯箱点(在用)", 10),
    Column("法律顾问(合同在期)", 12),
]


def export_coverage(villages: Iterable[Any], day: datetime.date) -> bytes:
    """The annotated villages (``selectors.annotate_coverage``), one a row; the first four columns import back."""

    def rows() -> Iterable[list[Any]]:
        for v in villages:
            yield [
                v.region_code,
                v.name,
                town_name(v.office),
                v.get_kind_display(),
                v.office.parent.name.removesuffix("司法局") if v.office.parent else "",
                selectors.served_label(v),
                v.station.name if v.has_station and v.station else "",
                "有" if v.has_lightbox else "无",
                "有" if v.has_adviser else "无",
            ]

    return build_workbook(title=SHEET, columns=COLUMNS, rows=rows())
