"""Institution services and the Excel export and import of institutions (lawdesk.institutions)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lawdesk.core.models import AuditLog
from lawdesk.institutions import spreadsheets as sheets
from lawdesk.institutions.models import Institution, InstitutionKind, MediationScope, MediationTrade
from lawdesk.institutions.services import institution_create, institution_update
from lawdesk.institutions.spreadsheets import export_institutions, import_institutions
from tests.conftest import Personas, Tree, workbook

HEADERS = [c.header for c in sheets.institution_columns()]
NEW_AID_CENTRE: dict[str, Any] = {
    "类型": "法律援助中心",
    "名称": "雁塔区法律援助中心",
    "主管节点区划代码": "610113",
    "主管节点名称": "雁塔区司法局",
    "服务节点": "小寨路街道公共法律服务站、电子城街道公共法律服务站",
}


def xlsx(rows: list[dict[str, Any]], headers: list[str] | None = None) -> io.BytesIO:
    return workbook(HEADERS if headers is None else headers, rows)


def read_export(content: bytes) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[sheets.INSTITUTION_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def furnish(tree: Tree) -> None:
    """A trade mediation committee with every column filled, and a city-level centre serving the whole city."""
    institution_create(
        actor=None,
        kind=InstitutionKind.MEDIATION_COMMITTEE,
        name="雁塔区医疗纠纷人民调解委员会",
        home_node=tree.district,
        served_nodes=[tree.centre, tree.station_a],
        mediation_scope=MediationScope.TRADE,
        mediation_trade=MediationTrade.MEDICAL,
        business_scope="医疗纠纷调解\n医患沟通",
        address="雁塔区长安南路1号",
        phone="029-85250001",
        hours="工作日 9:00—17:00",
        materials="身份证\n病历资料\n医疗费用票据",
    )
    institution_create(
        actor=None,
        kind=InstitutionKind.LEGAL_AID_CENTRE,
        name="西安市法律援助中心",
        home_node=tree.city,
        served_nodes=[tree.city],
    )


# --- services ----------------------------------------------------------------------------------------------


def test_create_writes_the_institution_its_served_nodes_and_an_audit_row(
    tree: Tree, personas: Personas
) -> None:
    institution = institution_create(
        actor=personas.district_admin,
        kind=InstitutionKind.NOTARY_OFFICE,
        name="西安市雁塔公证处",
        home_node=tree.district,
        served_nodes=[tree.station_a, tree.station_c],
        phone="029-85250002",
    )
    assert set(institution.served_nodes.all()) == {tree.station_a, tree.station_c}
    log = AuditLog.objects.get(action="institution_create", object_id=str(institution.pk))
    assert log.actor == personas.district_admin and log.node == tree.district


def test_create_under_a_node_the_actor_does_not_manage_is_refused(tree: Tree, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        institution_create(
            actor=personas.district_admin,
            kind=InstitutionKind.LAW_FIRM,
            name="陕西新城二号律师事务所",
            home_node=tree.other_district,
            served_nodes=[],
        )
    assert not Institution.objects.filter(name="陕西新城二号律师事务所").exists()


def test_create_runs_the_models_rules(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        institution_create(
            actor=None,
            kind=InstitutionKind.MEDIATION_COMMITTEE,
            name="雁塔区物业纠纷人民调解委员会",
            home_node=tree.district,
            served_nodes=[],
            mediation_scope=MediationScope.TRADE,
        )
    assert "mediation_trade" in caught.value.message_dict


def test_update_records_the_changes_and_the_served_nodes_in_the_audit_row(
    tree: Tree, personas: Personas
) -> None:
    institution_update(
        actor=personas.district_admin,
        institution=tree.law_firm,
        served_nodes=[tree.district, tree.station_a],
        phone="029-88880002",
    )
    tree.law_firm.refresh_from_db()
    assert tree.law_firm.phone == "029-88880002"
    log = AuditLog.objects.get(action="institution_update", object_id=str(tree.law_firm.pk))
    assert log.data["changes"] == {"phone": ["029-88880001", "029-88880002"]}
    assert log.data["served_nodes"] == {"added": [tree.station_a.pk], "removed": []}


def test_update_by_another_district_is_refused(tree: Tree, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        institution_update(actor=personas.other_district_admin, institution=tree.law_firm, phone="12348")


def test_serving_a_node_the_actor_cannot_see_is_refused(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        institution_update(
            actor=personas.district_admin, institution=tree.law_firm, served_nodes=[tree.station_d]
        )
    assert "served_nodes" in caught.value.message_dict
    assert list(tree.law_firm.served_nodes.all()) == [tree.district]


# --- export ------------------------------------------------------------------------------------------------


def test_export_lists_visible_institutions_with_chinese_labels(tree: Tree, personas: Personas) -> None:
    furnish(tree)
    rows = read_export(export_institutions(actor=personas.district_admin))
    names = [r["名称"] for r in rows]
    assert "陕西新城测试律师事务所" not in names
    assert {"陕西雁塔测试律师事务所", "雁塔区医疗纠纷人民调解委员会", "西安市法律援助中心"} <= set(names)
    committee = next(r for r in rows if r["名称"] == "雁塔区医疗纠纷人民调解委员会")
    assert committee["类型"] == "人民调解委员会"
    assert committee["调解类型"] == "行业" and committee["调解行业"] == "医疗纠纷"
    assert committee["主管节点区划代码"] == "610113" and committee["主管节点名称"] == "雁塔区司法局"
    assert committee["服务节点"] == "雁塔区公共法律服务中心、小寨路街道公共法律服务站"
    assert committee["需携带材料"] == "身份证\n病历资料\n医疗费用票据"


def test_handler_export_contains_their_institution(tree: Tree, personas: Personas) -> None:
    rows = read_export(export_institutions(actor=personas.handler))
    assert [r["名称"] for r in rows] == [tree.law_firm.name]


# --- round trip and import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city_admin", "district_admin", "clerk_a"])
def test_round_trip_export_then_import_changes_nothing(tree: Tree, personas: Personas, who: str) -> None:
    furnish(tree)
    actor = getattr(personas, who)
    content = export_institutions(actor=actor)
    audits = AuditLog.objects.count()
    result = import_institutions(actor=actor, file=SimpleUploadedFile("后台机构.xlsx", content))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(read_export(content)))
    assert AuditLog.objects.count() == audits


def test_a_new_row_creates_the_institution_with_its_served_nodes_and_an_audit_row(
    tree: Tree, personas: Personas
) -> None:
    result = import_institutions(actor=personas.district_admin, file=xlsx([NEW_AID_CENTRE]))
    assert result.ok and result.created == 1, result.errors
    centre = Institution.objects.get(name="雁塔区法律援助中心")
    assert centre.kind == InstitutionKind.LEGAL_AID_CENTRE and centre.home_node == tree.district
    assert set(centre.served_nodes.all()) == {tree.station_a, tree.station_c}
    log = AuditLog.objects.get(action="institution_create", object_id=str(centre.pk))
    assert log.actor == personas.district_admin


def test_changed_cells_update_the_institution(tree: Tree, personas: Personas) -> None:
    row = {
        "类型": "律师事务所",
        "名称": "陕西雁塔测试律师事务所",
        "主管节点区划代码": "610113",
        "服务节点": "雁塔区司法局;小寨路街道公共法律服务站",
        "联系电话": "029-88880009",
        "需携带材料": "身份证\r\n\r\n  合同  ",
    }
    result = import_institutions(actor=personas.district_admin, file=xlsx([row]))
    assert result.ok and result.updated == 1, result.errors
    tree.law_firm.refresh_from_db()
    assert tree.law_firm.phone == "029-88880009"
    assert tree.law_firm.materials_list == ["身份证", "合同"]
    assert set(tree.law_firm.served_nodes.all()) == {tree.district, tree.station_a}
    assert AuditLog.objects.filter(action="institution_update", object_id=str(tree.law_firm.pk)).exists()


def test_a_shared_code_means_the_bureau_unless_the_name_says_otherwise(
    tree: Tree, personas: Personas
) -> None:
    rows = [
        {**NEW_AID_CENTRE, "主管节点名称": None},
        {**NEW_AID_CENTRE, "名称": "雁塔区中心值班律师工作站", "类型": "其他部门", "部门类别": "其他",
         "主管节点名称": "雁塔区公共法律服务中心"},
    ]  # fmt: skip
    result = import_institutions(actor=personas.district_admin, file=xlsx(rows))
    assert result.ok, result.errors
    assert Institution.objects.get(name="雁塔区法律援助中心").home_node == tree.district
    assert Institution.objects.get(name="雁塔区中心值班律师工作站").home_node == tree.centre


def test_served_nodes_may_be_written_as_codes_or_name_with_code(tree: Tree, personas: Personas) -> None:
    row = {**NEW_AID_CENTRE, "服务节点": "610113002000；小寨路街道公共法律服务站（610113001000）"}
    result = import_institutions(actor=personas.district_admin, file=xlsx([row]))
    assert result.ok, result.errors
    # 610113002000 is both 电子城街道司法所 and its station; the office is preferred.
    served = set(Institution.objects.get(name="雁塔区法律援助中心").served_nodes.all())
    assert served == {tree.office2, tree.station_a}


def test_trade_mediation_committee_without_a_trade_is_refused(tree: Tree, personas: Personas) -> None:
    row = {
        **NEW_AID_CENTRE,
        "类型": "人民调解委员会",
        "名称": "雁塔区物业纠纷人民调解委员会",
        "调解类型": "行业",
    }
    result = import_institutions(actor=personas.district_admin, file=xlsx([NEW_AID_CENTRE, row]))
    assert [(e.row, e.field) for e in result.errors] == [(3, "调解行业")]
    assert "须注明所属行业" in result.errors[0].message
    assert not Institution.objects.filter(name__in=["雁塔区法律援助中心", row["名称"]]).exists()


def test_a_served_node_the_actor_cannot_see_is_refused(tree: Tree, personas: Personas) -> None:
    row = {**NEW_AID_CENTRE, "服务节点": "小寨路街道公共法律服务站、西一路街道公共法律服务站"}
    result = import_institutions(actor=personas.district_admin, file=xlsx([row]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "服务节点")]
    assert "西一路街道公共法律服务站" in result.errors[0].message
    assert not Institution.objects.filter(name="雁塔区法律援助中心").exists()


def test_a_home_node_of_the_other_district_is_refused(tree: Tree, personas: Personas) -> None:
    row = {**NEW_AID_CENTRE, "主管节点区划代码": "610102", "主管节点名称": "新城区司法局", "服务节点": None}
    result = import_institutions(actor=personas.district_admin, file=xlsx([row]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "主管节点区划代码")]


def test_an_institution_outside_the_actors_view_cannot_be_overwritten(tree: Tree, personas: Personas) -> None:
    row = {"类型": "律师事务所", "名称": "陕西新城测试律师事务所", "主管节点区划代码": "610113"}
    result = import_institutions(actor=personas.district_admin, file=xlsx([row]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "名称")]
    tree.other_law_firm.refresh_from_db()
    assert tree.other_law_firm.home_node == tree.other_district


def test_a_viewer_who_may_not_manage_cannot_change_an_institution(tree: Tree, personas: Personas) -> None:
    row = {
        "类型": "律师事务所",
        "名称": "陕西雁塔测试律师事务所",
        "主管节点区划代码": "610113",
        "地址": "新地址",
    }
    result = import_institutions(actor=personas.leader, file=xlsx([row]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "地址")]
    assert "无权" in result.errors[0].message


CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("unknown kind", {"类型": "律所"}, "类型", "类型“律所”无效"),
    ("blank kind", {"类型": None}, "类型", "类型不能为空"),
    ("blank name", {"名称": None}, "名称", "名称不能为空"),
    ("unknown home code", {"主管节点区划代码": "610199", "主管节点名称": None}, "主管节点区划代码", "找不到"),
    ("no home node", {"主管节点区划代码": None, "主管节点名称": None}, "主管节点区划代码", "须填写"),
    ("unknown served node", {"服务节点": "不存在的站"}, "服务节点", "找不到服务节点“不存在的站”"),
    ("bad phone", {"联系电话": "029-1"}, "联系电话", "格式不正确"),
    ("bad mediation scope", {"调解类型": "区域"}, "调解类型", "调解类型“区域”无效"),
    ("scope on a non-committee", {"调解类型": "属地"}, "调解类型", "只有人民调解委员会"),
    ("other department without category", {"类型": "其他部门"}, "部门类别", "须注明部门类别"),
]


@pytest.mark.parametrize(("cells", "field", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_bad_cell_is_reported_in_chinese_on_its_column(
    tree: Tree, personas: Personas, cells: dict[str, Any], field: str, fragment: str
) -> None:
    before = Institution.objects.count()
    result = import_institutions(actor=personas.district_admin, file=xlsx([{**NEW_AID_CENTRE, **cells}]))
    assert not result.ok
    assert (result.errors[0].row, result.errors[0].field) == (2, field), result.errors
    assert fragment in result.errors[0].message, result.errors
    assert Institution.objects.count() == before


def test_a_name_repeated_in_the_file_is_refused(tree: Tree, personas: Personas) -> None:
    result = import_institutions(actor=personas.district_admin, file=xlsx([NEW_AID_CENTRE, NEW_AID_CENTRE]))
    assert [(e.row, e.field) for e in result.errors] == [(3, "名称")]
    assert "与第2行相同" in result.errors[0].message


def test_a_text_file_named_xlsx_is_refused_in_chinese(tree: Tree, personas: Personas) -> None:
    result = import_institutions(
        actor=personas.district_admin, file=SimpleUploadedFile("后台机构.xlsx", b"name,phone\n")
    )
    assert [(e.row, e.field) for e in result.errors] == [(0, "")]
    assert result.errors[0].message.startswith("文件不是有效的Excel(.xlsx)文件")


def test_a_file_larger_than_the_limit_is_refused(tree: Tree, personas: Personas, settings: Any) -> None:
    settings.LAWDESK_MAX_IMPORT_BYTES = 100
    result = import_institutions(actor=personas.district_admin, file=xlsx([NEW_AID_CENTRE]))
    assert result.errors[0].message.startswith("文件过大（最大100字节）")


def test_missing_required_columns_are_named(tree: Tree, personas: Personas) -> None:
    result = import_institutions(actor=personas.district_admin, file=xlsx([{"名称": "甲"}], headers=["名称"]))
    assert "缺少必需的列：类型、主管节点区划代码" in result.errors[0].message
