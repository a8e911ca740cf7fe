"""Excel export and import of the organisation tree (lawdesk.orgs.spreadsheets)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lawdesk.core.models import AuditLog
from lawdesk.orgs import rules, services
from lawdesk.orgs import spreadsheets as sheets
from lawdesk.orgs.models import Facility, FacilityItem, LocationKind, OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.spreadsheets import RowError, export_tree, import_tree
from tests.conftest import Personas, Tree, workbook

HEADERS = [c.header for c in sheets.tree_columns()]
NEW_STATION: dict[str, Any] = {
    "类型": "村(社区)公共法律服务站",
    "名称": "西辛庄社区公共法律服务站",
    "区划代码": "610113001002",
}


def xlsx(rows: list[dict[str, Any]], headers: list[str] | None = None) -> io.BytesIO:
    return workbook(HEADERS if headers is None else headers, rows)


def read_export(content: bytes) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[sheets.TREE_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def furnish(tree: Tree) -> None:
    """Fill every column for station A, so the round trip covers times, numbers, phones and facilities."""
    services.org_node_update(
        actor=None,
        node=tree.station_a,
        address="雁塔区小寨东路1号",
        location_kind=LocationKind.CONVENIENCE_CENTRE,
        morning_open=datetime.time(8, 30),
        morning_close=datetime.time(12, 0),
        afternoon_open=datetime.time(14, 30),
        afternoon_close=datetime.time(17, 30),
        office_phone="029-85251234",
        appointment_phone="13800138000",
        supervision_phone="12348",
        longitude=Decimal("108.940100"),
        latitude=Decimal("34.223456"),
        floor_area=Decimal("85.50"),
    )
    services.facility_set(actor=None, node=tree.station_a, item=FacilityItem.COMPUTER, present=True)
    services.facility_set(actor=None, node=tree.station_a, item=FacilityItem.SERVICE_ROBOT, present=False)


def node_count() -> int:
    return OrgNode.objects.count()


# --- export ------------------------------------------------------------------------------------------------


def test_export_lists_visible_nodes_in_path_order_with_chinese_columns(
    tree: Tree, personas: Personas
) -> None:
    furnish(tree)
    rows = read_export(export_tree(actor=personas.city_admin))
    assert [r["名称"] for r in rows] == [n.name for n in OrgNode.objects.order_by("path")]
    station = next(r for r in rows if r["名称"] == tree.station_a.name)
    assert station["类型"] == "镇(街道)公共法律服务站"
    assert station["上级名称"] == "小寨路街道司法所" and station["上级区划代码"] == "610113001000"
    assert station["所在场所"] == "便民服务中心"
    assert station["上午开门"] == datetime.time(8, 30) and station["下午关门"] == datetime.time(17, 30)
    assert station["经度"] == pytest.approx(108.9401) and station["面积(平方米)"] == pytest.approx(85.5)
    assert (
        station["电脑"] == "有" and station["智慧小司(法律服务机器人)"] == "无" and station["打印机"] is None
    )


def test_export_writes_region_codes_and_phones_as_text(tree: Tree, personas: Personas) -> None:
    furnish(tree)
    sheet = openpyxl.load_workbook(io.BytesIO(export_tree(actor=personas.city_admin)))[sheets.TREE_SHEET]
    code_col = HEADERS.index("区划代码") + 1
    parent_code_col = HEADERS.index("上级区划代码") + 1
    phone_col = HEADERS.index("办公电话") + 1
    for row in range(2, sheet.max_row + 1):
        for col in (code_col, parent_code_col):
            cell = sheet.cell(row, col)
            if cell.value is not None:
                assert cell.data_type == "s" and cell.number_format == "@"
                assert len(str(cell.value)) in (6, 12)
    phones = [sheet.cell(r, phone_col).value for r in range(2, sheet.max_row + 1)]
    assert "029-85251234" in phones
    assert sheet.cell(4, code_col).value == "610113"  # the centre's six-digit code, not the number 610113


def test_export_has_bold_frozen_header_and_set_widths(tree: Tree, personas: Personas) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export_tree(actor=personas.city_admin)))[sheets.TREE_SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30


def test_clerk_export_contains_only_their_station(tree: Tree, personas: Personas) -> None:
    rows = read_export(export_tree(actor=personas.clerk_a))
    assert [r["名称"] for r in rows] == [tree.station_a.name]


def test_district_admin_export_leaves_out_the_other_district(tree: Tree, personas: Personas) -> None:
    names = {r["名称"] for r in read_export(export_tree(actor=personas.district_admin))}
    assert tree.station_c.name in names and tree.district.name in names
    assert tree.station_d.name not in names and tree.city.name not in names


# --- round trip --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city_admin", "district_admin", "office_staff", "clerk_a"])
def test_round_trip_export_then_import_changes_nothing(tree: Tree, personas: Personas, who: str) -> None:
    furnish(tree)
    actor = getattr(personas, who)
    content = export_tree(actor=actor)
    audits = AuditLog.objects.count()
    result = import_tree(actor=actor, file=SimpleUploadedFile("组织机构.xlsx", content))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(read_export(content))
    assert AuditLog.objects.count() == audits
    assert export_tree(actor=actor) == content or read_export(export_tree(actor=actor)) == read_export(
        content
    )


# --- creating and updating ---------------------------------------------------------------------------------


def test_new_village_station_is_created_under_the_office_its_code_names(
    tree: Tree, personas: Personas
) -> None:
    result = import_tree(actor=personas.district_admin, file=xlsx([NEW_STATION]))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    station = OrgNode.objects.get(name=NEW_STATION["名称"])
    assert station.kind == NodeKind.VILLAGE_STATION and station.region_code == "610113001002"
    assert station.parent == tree.office
    assert station.path.startswith(tree.office.path) and station.depth == tree.office.depth + 1
    assert AuditLog.objects.filter(action="org_node_create", object_id=str(station.pk)).exists()


def test_rows_may_hang_under_parents_created_earlier_in_the_same_file(tree: Tree, personas: Personas) -> None:
    rows = [
        {"类型": "司法所", "名称": "曲江街道司法所", "区划代码": "610113003000"},
        {"类型": "镇(街道)公共法律服务站", "名称": "曲江街道公共法律服务站", "区划代码": "610113003000"},
        {"类型": "村(社区)公共法律服务站", "名称": "雁南社区公共法律服务站", "区划代码": "610113003001"},
    ]
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert result.ok, result.errors
    assert result.created == 3
    office = OrgNode.objects.get(name="曲江街道司法所")
    assert office.parent == tree.district
    assert set(office.children.values_list("name", flat=True)) == {
        "曲江街道公共法律服务站",
        "雁南社区公共法律服务站",
    }


def test_special_centre_without_code_is_keyed_by_parent_and_name(tree: Tree, personas: Personas) -> None:
    row = {"类型": "专项公共法律服务中心", "名称": "西安市医疗纠纷公共法律服务中心", "上级区划代码": "610100"}
    first = import_tree(actor=personas.city_admin, file=xlsx([row]))
    assert first.ok and first.created == 1, first.errors
    centre = OrgNode.objects.get(name=row["名称"])
    assert centre.parent == tree.city and centre.region_code == ""
    second = import_tree(actor=personas.city_admin, file=xlsx([{**row, "地址": "莲湖区北大街1号"}]))
    assert second.ok and (second.created, second.updated) == (0, 1), second.errors
    centre.refresh_from_db()
    assert centre.address == "莲湖区北大街1号"


def test_changed_cells_update_the_node_and_write_an_audit_row(tree: Tree, personas: Personas) -> None:
    rows = read_export(export_tree(actor=personas.district_admin))
    for row in rows:
        if row["名称"] == tree.station_a.name:
            row["地址"] = "小寨东路2号"
            row["监督电话"] = "029-85250000"
            row["电脑"] = "有"
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert result.ok, result.errors
    assert (result.updated, result.unchanged) == (1, len(rows) - 1)
    tree.station_a.refresh_from_db()
    assert tree.station_a.address == "小寨东路2号" and tree.station_a.supervision_phone == "029-85250000"
    assert Facility.objects.get(node=tree.station_a, item=FacilityItem.COMPUTER).present is True
    log = AuditLog.objects.get(action="org_node_update", object_id=str(tree.station_a.pk))
    assert log.actor == personas.district_admin
    assert log.data["changes"]["address"] == ["", "小寨东路2号"]


def test_renaming_by_code_keeps_the_node(tree: Tree, personas: Personas) -> None:
    row = {"类型": "镇(街道)公共法律服务站", "名称": "小寨街道公共法律服务站", "区划代码": "610113001000"}
    result = import_tree(actor=personas.district_admin, file=xlsx([row]))
    assert result.ok and result.updated == 1, result.errors
    tree.station_a.refresh_from_db()
    assert tree.station_a.name == "小寨街道公共法律服务站"


def test_excel_time_cells_text_times_and_numeric_codes_are_all_read(tree: Tree, personas: Personas) -> None:
    row = {
        **NEW_STATION,
        "区划代码": 610113001002,  # typed as a number in Excel
        "上午开门": datetime.time(9, 0),
        "上午关门": "12:00",
        "下午开门": "14：00",  # full-width colon
        "下午关门": 0.75,  # a bare fraction of a day: 18:00
        "经度": 108.94,
        "纬度": "34.22",
        "办公电话": 13800138000,  # a mobile number typed as a number
    }
    result = import_tree(actor=personas.district_admin, file=xlsx([row]))
    assert result.ok, result.errors
    station = OrgNode.objects.get(region_code="610113001002")
    assert (station.morning_open, station.morning_close) == (datetime.time(9), datetime.time(12))
    assert (station.afternoon_open, station.afternoon_close) == (datetime.time(14), datetime.time(18))
    assert station.longitude == Decimal("108.94") and station.latitude == Decimal("34.22")
    assert station.office_phone == "13800138000"


def test_office_staff_may_update_facilities_of_their_stations(tree: Tree, personas: Personas) -> None:
    rows = read_export(export_tree(actor=personas.office_staff))
    for row in rows:
        if row["名称"] == tree.station_b.name:
            row["复印机"] = "无"
    result = import_tree(actor=personas.office_staff, file=xlsx(rows))
    assert result.ok and result.updated == 1, result.errors
    assert Facility.objects.get(node=tree.station_b, item=FacilityItem.COPIER).present is False


def test_office_staff_may_not_rename_a_station(tree: Tree, personas: Personas) -> None:
    row = {"类型": "镇(街道)公共法律服务站", "名称": "小寨街道公共法律服务站", "区划代码": "610113001000"}
    result = import_tree(actor=personas.office_staff, file=xlsx([row]))
    assert not result.ok
    assert result.errors[0].row == 2 and "无权" in result.errors[0].message
    tree.station_a.refresh_from_db()
    assert tree.station_a.name == "小寨路街道公共法律服务站"


# --- all or nothing ----------------------------------------------------------------------------------------


def test_one_bad_row_among_good_rows_saves_nothing_and_names_its_row_and_field(
    tree: Tree, personas: Personas
) -> None:
    rows = [
        NEW_STATION,
        {"类型": "镇(街道)公共法律服务站", "名称": "小寨公共法律服务站", "区划代码": "610113003000"},
        {"类型": "司法所", "名称": "曲江街道司法所", "区划代码": "610113003000"},
    ]
    before, audits = node_count(), AuditLog.objects.count()
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert not result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert [(e.row, e.field) for e in result.errors] == [(3, "名称")]
    assert str(result.errors[0]).startswith("第3行“名称”：名称“小寨公共法律服务站”不符合命名规范：")
    assert node_count() == before and AuditLog.objects.count() == audits


def test_every_bad_row_is_reported_not_only_the_first(tree: Tree, personas: Personas) -> None:
    rows = [
        {**NEW_STATION, "办公电话": "029-123"},
        NEW_STATION | {"区划代码": "610113001003", "名称": "乙社区公共法律服务站"},
        {**NEW_STATION, "区划代码": "610113001004", "名称": "丙社区公共法律服务站", "上午开门": "早上"},
    ]
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert [(e.row, e.field) for e in result.errors] == [(2, "办公电话"), (4, "上午开门")]
    assert not OrgNode.objects.filter(name="乙社区公共法律服务站").exists()


CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("unknown kind", {"类型": "法律服务站"}, "类型", "类型“法律服务站”无效"),
    ("blank kind", {"类型": None}, "类型", "类型不能为空"),
    ("bad name", {"名称": "西辛庄公共法律服务站"}, "名称", "不符合命名规范"),
    ("blank name", {"名称": ""}, "名称", "名称不能为空"),
    ("code with letters", {"区划代码": "61011300100A"}, "区划代码", "只能由数字组成"),
    ("code of wrong length", {"区划代码": "6101130010"}, "区划代码", "位数不对"),
    ("town code for a village", {"区划代码": "610113004000"}, "区划代码", "是镇(街道)级代码"),
    (
        "code outside the parent's area",
        {"区划代码": "610113002005", "上级区划代码": "610113001000"},
        "区划代码",
        "不在上级",
    ),
    ("missing parent", {"区划代码": "610113009001"}, "上级区划代码", "找不到区划代码为“610113009000”"),
    ("parent of wrong kind", {"上级区划代码": "610113"}, "上级区划代码", "不能挂在"),
    ("parent code not digits", {"上级区划代码": "小寨路"}, "上级区划代码", "只能由数字组成"),
    ("bad phone", {"办公电话": "029-123"}, "办公电话", "电话号码“029-123”格式不正确"),
    ("bad time", {"上午开门": "25:00", "上午关门": "12:00"}, "上午开门", "时间“25:00”格式不正确"),
    ("close before open", {"上午开门": "9:00", "上午关门": "8:00"}, "上午关门", "关门时间应晚于开门时间"),
    ("open without close", {"下午开门": "14:00"}, "下午关门", "须同时填写"),
    ("bad number", {"经度": "东经108度"}, "经度", "“东经108度”不是有效的数字"),
    ("longitude out of range", {"经度": 200}, "经度", "经度应在73到136之间"),
    ("negative area", {"面积(平方米)": -5}, "面积(平方米)", "面积应大于0"),
    ("bad facility value", {"电脑": "是"}, "电脑", "只能填写“有”或“无”"),
    ("bad location", {"所在场所": "大厅"}, "所在场所", "所在场所“大厅”无效"),
    (
        "name taken under the same parent",
        {"名称": "长延堡社区公共法律服务站"},
        "名称",
        "同一上级下已有同名节点",
    ),
    (
        "facility on a judicial office",
        {"类型": "司法所", "名称": "曲江街道司法所", "区划代码": "610113003000", "电脑": "有"},
        "电脑",
        "只有公共法律服务中心(站)登记设施",
    ),
    (
        "special centre without parent",
        {"类型": "专项公共法律服务中心", "名称": "雁塔区劳动争议公共法律服务中心", "区划代码": ""},
        "上级区划代码",
        "须填写上级区划代码",
    ),
    (
        "city bureau with a parent",
        {"类型": "市司法局", "名称": "西安市司法局", "区划代码": "610100", "上级区划代码": "610100"},
        "上级区划代码",
        "是最高一级",
    ),
]


@pytest.mark.parametrize(("cells", "field", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_bad_cell_is_reported_in_chinese_on_its_column(
    tree: Tree, personas: Personas, cells: dict[str, Any], field: str, fragment: str
) -> None:
    before = node_count()
    result = import_tree(actor=personas.system_admin, file=xlsx([{**NEW_STATION, **cells}]))
    assert not result.ok
    assert (result.errors[0].row, result.errors[0].field) == (2, field), result.errors
    assert fragment in result.errors[0].message, result.errors
    assert node_count() == before


def test_a_row_repeating_an_earlier_rows_kind_and_code_is_refused(tree: Tree, personas: Personas) -> None:
    rows = [NEW_STATION, {**NEW_STATION, "名称": "东辛庄社区公共法律服务站"}]
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert [(e.row, e.field) for e in result.errors] == [(3, "区划代码")]
    assert "与第2行相同" in result.errors[0].message
    assert not OrgNode.objects.filter(region_code="610113001002").exists()


def test_a_child_of_a_bad_row_points_at_that_row(tree: Tree, personas: Personas) -> None:
    rows = [
        {"类型": "司法所", "名称": "曲江司法处", "区划代码": "610113003000"},
        {"类型": "镇(街道)公共法律服务站", "名称": "曲江街道公共法律服务站", "区划代码": "610113003000"},
    ]
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert [(e.row, e.field) for e in result.errors] == [(2, "名称"), (3, "上级区划代码")]
    assert "第2行" in result.errors[1].message


def test_a_parent_inside_the_nodes_own_subtree_is_a_cycle(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plan's kinds make a cycle impossible; loosen them so the import's own guard is what answers.
    monkeypatch.setitem(
        rules.PARENT_KINDS,
        NodeKind.JUDICIAL_OFFICE,
        frozenset({NodeKind.DISTRICT_BUREAU, NodeKind.TOWN_STATION}),
    )
    row = {
        "类型": "司法所",
        "名称": "小寨路街道司法所",
        "区划代码": "610113001000",
        "上级区划代码": "610113001000",
    }
    result = import_tree(actor=personas.district_admin, file=xlsx([row]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "上级区划代码")]
    assert "循环" in result.errors[0].message
    tree.office.refresh_from_db()
    assert tree.office.parent == tree.district


def test_a_row_may_move_a_node_to_another_allowed_parent(tree: Tree, personas: Personas) -> None:
    row = {"类型": "专项公共法律服务中心", "名称": "雁塔区医疗纠纷公共法律服务中心", "区划代码": "610113"}
    created = import_tree(actor=personas.city_admin, file=xlsx([{**row, "上级区划代码": "610113"}]))
    assert created.ok, created.errors
    moved = import_tree(actor=personas.city_admin, file=xlsx([{**row, "上级区划代码": "610100"}]))
    assert moved.ok and moved.updated == 1, moved.errors
    centre = OrgNode.objects.get(name=row["名称"])
    assert centre.parent == tree.city and centre.path.startswith(tree.city.path) and centre.depth == 1


# --- permissions -------------------------------------------------------------------------------------------


def test_district_admin_cannot_import_a_row_under_the_other_district(tree: Tree, personas: Personas) -> None:
    rows = [
        NEW_STATION,
        {"类型": "村(社区)公共法律服务站", "名称": "西一路社区公共法律服务站", "区划代码": "610102001001"},
    ]
    before = node_count()
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert [(e.row, e.field) for e in result.errors] == [(3, "上级区划代码")]
    assert "不在您的管辖范围内" in result.errors[0].message
    assert node_count() == before


def test_district_admin_cannot_change_a_node_of_the_other_district(tree: Tree, personas: Personas) -> None:
    row = {"类型": "镇(街道)公共法律服务站", "名称": "西一路街道公共法律服务站", "区划代码": "610102001000"}
    result = import_tree(actor=personas.district_admin, file=xlsx([{**row, "地址": "新城区西一路1号"}]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "区划代码")]
    tree.station_d.refresh_from_db()
    assert tree.station_d.address == ""


def test_only_a_system_admin_may_create_a_top_level_node(tree: Tree, personas: Personas) -> None:
    row = {"类型": "市司法局", "名称": "咸阳市司法局", "区划代码": "610400"}
    refused = import_tree(actor=personas.city_admin, file=xlsx([row]))
    assert [(e.row, e.field) for e in refused.errors] == [(2, "类型")]
    allowed = import_tree(actor=personas.system_admin, file=xlsx([row]))
    assert allowed.ok and allowed.created == 1, allowed.errors


# --- the file as a whole -----------------------------------------------------------------------------------


def test_a_file_larger_than_the_limit_is_refused(tree: Tree, personas: Personas, settings: Any) -> None:
    settings.LAWDESK_MAX_IMPORT_BYTES = 2 * 1024
    content = export_tree(actor=personas.city_admin)
    assert len(content) > 2 * 1024
    result = import_tree(actor=personas.city_admin, file=SimpleUploadedFile("组织机构.xlsx", content))
    assert [(e.row, e.field) for e in result.errors] == [(0, "")]
    assert result.errors[0].message.startswith("文件过大（最大2KB）")


def test_the_default_limit_is_five_megabytes(tree: Tree, personas: Personas, settings: Any) -> None:
    settings.LAWDESK_MAX_IMPORT_BYTES = 5 * 1024 * 1024
    result = import_tree(actor=personas.city_admin, file=io.BytesIO(b"x" * (5 * 1024 * 1024 + 1)))
    assert result.errors[0].message.startswith("文件过大（最大5MB）")


@pytest.mark.parametrize(
    "content",
    [b"\xe7\xbb\x84\xe7\xbb\x87\xe6\x9c\xba\xe6\x9e\x84,name\n", b"PK\x03\x04broken", b""],
    ids=["text file", "corrupt zip", "empty file"],
)
def test_a_file_that_is_not_an_xlsx_is_refused_in_chinese(
    tree: Tree, personas: Personas, content: bytes
) -> None:
    result = import_tree(actor=personas.city_admin, file=SimpleUploadedFile("组织机构.xlsx", content))
    assert [(e.row, e.field) for e in result.errors] == [(0, "")]
    assert result.errors[0].message.startswith("文件不是有效的Excel(.xlsx)文件")


def test_a_zip_that_is_not_a_workbook_is_refused(tree: Tree, personas: Personas) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    result = import_tree(actor=personas.city_admin, file=io.BytesIO(buffer.getvalue()))
    assert result.errors[0].message.startswith("文件不是有效的Excel(.xlsx)文件")


def test_missing_required_columns_are_named(tree: Tree, personas: Personas) -> None:
    result = import_tree(
        actor=personas.city_admin, file=xlsx([{"名称": "西安市司法局"}], headers=["名称", "地址"])
    )
    assert [e.row for e in result.errors] == [0]
    assert "缺少必需的列：类型、区划代码" in result.errors[0].message


def test_an_empty_sheet_and_a_header_only_sheet_are_refused(tree: Tree, personas: Personas) -> None:
    empty = import_tree(actor=personas.city_admin, file=xlsx([], headers=[]))
    assert "工作表是空的" in empty.errors[0].message
    header_only = import_tree(actor=personas.city_admin, file=xlsx([]))
    assert "没有数据" in header_only.errors[0].message


def test_more_rows_than_the_limit_are_refused(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    result = import_tree(actor=personas.city_admin, file=xlsx([NEW_STATION, NEW_STATION, NEW_STATION]))
    assert result.errors[0].row == 0 and "数据行过多（最多2行）" in result.errors[0].message


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(tree: Tree, personas: Personas) -> None:
    rows = [{}, {}, {**NEW_STATION, "名称": "不合规的站"}]
    result = import_tree(actor=personas.district_admin, file=xlsx(rows))
    assert [(e.row, e.field) for e in result.errors] == [(4, "名称")]


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(
    tree: Tree, personas: Personas
) -> None:
    result = import_tree(
        actor=personas.district_admin, file=xlsx([NEW_STATION], headers=["区划代码", "名称", "类型"])
    )
    assert result.ok and result.created == 1, result.errors


def test_row_error_reads_as_a_chinese_sentence() -> None:
    assert str(RowError(5, "名称", "名称不能为空。")) == "第5行“名称”：名称不能为空。"
    assert str(RowError(0, "", "文件过大（最大5MB）。")) == "文件过大（最大5MB）。"


def test_text_that_looks_like_a_formula_is_exported_as_text(tree: Tree, personas: Personas) -> None:
    services.org_node_update(actor=None, node=tree.station_a, address='=HYPERLINK("http://x","点击")')
    content = export_tree(actor=personas.district_admin)
    sheet = openpyxl.load_workbook(io.BytesIO(content))[sheets.TREE_SHEET]
    cells = [c for c in sheet["F"] if c.value and str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    result = import_tree(actor=personas.district_admin, file=io.BytesIO(content))
    assert result.ok and result.updated == 0, result.errors
