"""The organisation tree: the plan's naming rules, region codes, parent rules, paths and subtree queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lawdesk.core.models import AuditLog
from lawdesk.orgs import rules, services
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from tests.conftest import Personas, Tree


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (NodeKind.SERVICE_CENTRE, "雁塔区公共法律服务中心"),
        (NodeKind.SERVICE_CENTRE, "蓝田县公共法律服务中心"),
        (NodeKind.TOWN_STATION, "小寨路街道公共法律服务站"),
        (NodeKind.TOWN_STATION, "引镇公共法律服务站"),
        (NodeKind.VILLAGE_STATION, "杜城村公共法律服务站"),
        (NodeKind.VILLAGE_STATION, "长延堡社区公共法律服务站"),
        (NodeKind.SPECIAL_CENTRE, "中国(陕西)自由贸易试验区西安区域公共法律服务中心"),
        (NodeKind.JUDICIAL_OFFICE, "小寨路街道司法所"),
        (NodeKind.DISTRICT_BUREAU, "雁塔区司法局"),
        (NodeKind.CITY_BUREAU, "西安市司法局"),
    ],
)
def test_names_following_the_plan_pass(kind: str, name: str) -> None:
    assert rules.check_name(kind, name) is None


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        (NodeKind.SERVICE_CENTRE, "雁塔公共法律服务中心", "××区(县)公共法律服务中心"),
        (NodeKind.SERVICE_CENTRE, "雁塔区法律服务中心", "××区(县)公共法律服务中心"),
        (NodeKind.TOWN_STATION, "小寨路公共法律服务站", "××镇(街道)公共法律服务站"),
        (NodeKind.TOWN_STATION, "小寨路街道公共法律服务中心", "××镇(街道)公共法律服务站"),
        (NodeKind.VILLAGE_STATION, "杜城公共法律服务站", "××村(居、社区)公共法律服务站"),
        (NodeKind.SPECIAL_CENTRE, "公共法律服务中心", "专项领域名称+公共法律服务中心"),
        (NodeKind.JUDICIAL_OFFICE, "小寨路街道司法局", "××镇(街道)司法所"),
    ],
)
def test_bad_names_say_which_rule_they_break(kind: str, name: str, expected: str) -> None:
    message = rules.check_name(kind, name)
    assert message is not None
    assert name in message and expected in message


def test_empty_name_is_refused() -> None:
    assert rules.check_name(NodeKind.TOWN_STATION, "  ") == "名称不能为空。"


@pytest.mark.parametrize(
    ("kind", "code", "parent_kind", "parent_code", "fragment"),
    [
        (NodeKind.DISTRICT_BUREAU, "61011", NodeKind.CITY_BUREAU, "610100", "位数不对"),
        (NodeKind.DISTRICT_BUREAU, "61011a", NodeKind.CITY_BUREAU, "610100", "只能由数字组成"),
        (NodeKind.DISTRICT_BUREAU, "610200", NodeKind.CITY_BUREAU, "610100", "不是区(县)代码"),
        (NodeKind.DISTRICT_BUREAU, "610213", NodeKind.CITY_BUREAU, "610100", "不在上级"),
        (NodeKind.TOWN_STATION, "610113001", NodeKind.JUDICIAL_OFFICE, "610113001000", "位数不对"),
        (NodeKind.TOWN_STATION, "610113001001", NodeKind.JUDICIAL_OFFICE, "610113001000", "镇(街道)级代码"),
        (NodeKind.VILLAGE_STATION, "610113002001", NodeKind.JUDICIAL_OFFICE, "610113001000", "不在上级"),
        (NodeKind.VILLAGE_STATION, "610113001000", NodeKind.JUDICIAL_OFFICE, "610113001000", "村(社区)"),
        (NodeKind.JUDICIAL_OFFICE, "", NodeKind.DISTRICT_BUREAU, "610113", "不能为空"),
        (NodeKind.CITY_BUREAU, "610113", None, None, "地级市"),
    ],
)
def test_bad_region_codes_are_explained(
    kind: str, code: str, parent_kind: str | None, parent_code: str | None, fragment: str
) -> None:
    message = rules.check_region_code(kind, code, parent_kind, parent_code)
    assert message is not None and fragment in message


def test_good_region_codes_pass() -> None:
    assert rules.check_region_code(NodeKind.DISTRICT_BUREAU, "610113", NodeKind.CITY_BUREAU, "610100") is None
    assert (
        rules.check_region_code(
            NodeKind.VILLAGE_STATION, "610113001001", NodeKind.JUDICIAL_OFFICE, "610113001000"
        )
        is None
    )
    assert rules.check_region_code(NodeKind.SPECIAL_CENTRE, "", NodeKind.CITY_BUREAU, "610100") is None


@pytest.mark.parametrize(
    ("kind", "parent_kind", "ok"),
    [
        (NodeKind.VILLAGE_STATION, NodeKind.JUDICIAL_OFFICE, True),
        (NodeKind.VILLAGE_STATION, NodeKind.TOWN_STATION, False),
        (NodeKind.SERVICE_CENTRE, NodeKind.DISTRICT_BUREAU, True),
        (NodeKind.SERVICE_CENTRE, NodeKind.CITY_BUREAU, False),
        (NodeKind.TOWN_STATION, NodeKind.DISTRICT_BUREAU, False),
        (NodeKind.SPECIAL_CENTRE, NodeKind.CITY_BUREAU, True),
        (NodeKind.DISTRICT_BUREAU, None, False),
        (NodeKind.CITY_BUREAU, NodeKind.CITY_BUREAU, False),
    ],
)
def test_parent_rules(kind: str, parent_kind: str | None, ok: bool) -> None:
    assert (rules.check_parent(kind, parent_kind) is None) == ok


def test_created_nodes_get_nested_paths_and_depths(tree: Tree) -> None:
    assert tree.city.depth == 0 and tree.station_a.depth == 3
    assert tree.station_a.path.startswith(tree.office.path)
    assert tree.office.path.startswith(tree.district.path)
    assert [p for p in tree.station_a.ancestor_paths()] == [
        tree.city.path,
        tree.district.path,
        tree.office.path,
        tree.station_a.path,
    ]


def test_subtree_is_one_query_and_excludes_siblings(tree: Tree) -> None:
    with CaptureQueriesContext(connection) as ctx:
        names = set(OrgNode.objects.subtree(tree.district).values_list("name", flat=True))
    assert len(ctx.captured_queries) == 1
    assert tree.station_c.name in names and tree.district.name in names
    assert tree.station_d.name not in names and tree.city.name not in names


def test_subtree_query_uses_the_path_index(tree: Tree) -> None:
    sql, params = OrgNode.objects.subtree(tree.district).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
            assert "Index" in plan and "path" in plan, plan


def test_a_bad_name_saves_nothing(tree: Tree) -> None:
    before = OrgNode.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_create(
            actor=None,
            parent=tree.office,
            kind=NodeKind.TOWN_STATION,
            name="小寨路站",
            region_code="610113001000",
        )
    assert "name" in excinfo.value.message_dict
    assert OrgNode.objects.count() == before


def test_duplicate_region_code_for_the_same_kind_is_refused(tree: Tree) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_create(
            actor=None,
            parent=tree.office2,
            kind=NodeKind.VILLAGE_STATION,
            name="测试村公共法律服务站",
            region_code="610113002000",
        )
    assert excinfo.value.messages  # the code ends in 000: a town-level code
    services.org_node_create(
        actor=None,
        parent=tree.office2,
        kind=NodeKind.VILLAGE_STATION,
        name="测试村公共法律服务站",
        region_code="610113002001",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_create(
            actor=None,
            parent=tree.office2,
            kind=NodeKind.VILLAGE_STATION,
            name="另一村公共法律服务站",
            region_code="610113002001",
        )
    assert "区划代码不能重复" in " ".join(excinfo.value.messages)


def test_same_name_under_the_same_parent_is_refused(tree: Tree) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_create(
            actor=None,
            parent=tree.office,
            kind=NodeKind.VILLAGE_STATION,
            name=tree.station_b.name,
            region_code="610113001009",
        )
    assert "同名" in " ".join(excinfo.value.messages)


def test_moving_a_node_rewrites_its_whole_subtree(tree: Tree) -> None:
    # An office moves to the other district (a boundary change): its stations move with it.
    office, station = tree.office2, tree.station_c
    services.org_node_move(
        actor=None, node=office, new_parent=tree.other_district, region_code="610102009000"
    )
    station.refresh_from_db()
    office.refresh_from_db()
    assert office.region_code == "610102009000" and office.parent == tree.other_district
    assert station.path.startswith(tree.other_district.path)
    assert station.depth == 3
    assert station in OrgNode.objects.subtree(tree.other_district)
    assert station not in OrgNode.objects.subtree(tree.district)


def test_a_node_cannot_move_under_its_own_descendant(tree: Tree) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_move(actor=None, node=tree.office, new_parent=tree.station_a)
    assert "循环" in " ".join(excinfo.value.messages)


def test_services_write_audit_rows_with_the_actor(tree: Tree, personas: Personas) -> None:
    services.org_node_update(actor=personas.district_admin, node=tree.station_a, address="小寨东路1号")
    row = AuditLog.objects.filter(action="org_node_update").latest("id")
    assert row.actor == personas.district_admin
    assert row.data["changes"]["address"] == ["", "小寨东路1号"]


def test_a_district_admin_cannot_change_the_other_district(tree: Tree, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.org_node_update(actor=personas.district_admin, node=tree.station_d, address="x")
    with pytest.raises(PermissionDenied):
        services.org_node_create(
            actor=personas.district_admin,
            parent=tree.other_office,
            kind=NodeKind.VILLAGE_STATION,
            name="某某村公共法律服务站",
            region_code="610102001001",
        )


def test_facility_dates_cannot_be_in_the_future(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.facility_set(
            actor=personas.office_staff,
            node=tree.station_a,
            item="computer",
            present=True,
            as_of=datetime.date.today() + datetime.timedelta(days=1),
        )


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("office_phone", "0291234", "电话号码"),
        ("longitude", 200, "经度"),
        ("floor_area", -3, "面积"),
    ],
)
def test_bad_platform_details_are_refused(tree: Tree, field: str, value: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_update(actor=None, node=tree.station_a, **{field: value})
    assert fragment in " ".join(excinfo.value.message_dict[field])


def test_hall_hours_must_open_before_they_close(tree: Tree) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.org_node_update(
            actor=None,
            node=tree.station_a,
            morning_open=datetime.time(12, 0),
            morning_close=datetime.time(9, 0),
        )
    assert "晚于开门" in " ".join(excinfo.value.message_dict["morning_close"])
