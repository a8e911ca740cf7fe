"""Editing the tree through the web: forms answer in Chinese and save nothing on bad input."""

from __future__ import annotations

from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.orgs.models import Facility, OrgNode
from tests.conftest import Personas, Tree, client_for


def test_district_admin_adds_a_village_station(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.district_admin).post(
        reverse("orgs:add", args=[tree.office.pk]),
        {"kind": "village_station", "name": "杜城村公共法律服务站", "region_code": "610113001002"},
    )
    node = OrgNode.objects.get(name="杜城村公共法律服务站")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:node", args=[node.pk])
    assert node.parent == tree.office and node.path.startswith(tree.office.path)
    assert AuditLog.objects.filter(action="org_node_create", object_id=str(node.pk)).exists()


def test_add_form_offers_only_kinds_allowed_under_the_parent(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.district_admin).post(
        reverse("orgs:add", args=[tree.office.pk]),
        {"kind": "service_centre", "name": "雁塔区公共法律服务中心", "region_code": "610113"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_a_bad_name_is_explained_and_nothing_is_saved(tree: Tree, personas: Personas) -> None:
    before = OrgNode.objects.count()
    response = client_for(personas.district_admin).post(
        reverse("orgs:add", args=[tree.office.pk]),
        {"kind": "village_station", "name": "杜城公共法律服务站", "region_code": "610113001002"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "不符合命名规范" in content and "××村(居、社区)公共法律服务站" in content
    assert OrgNode.objects.count() == before


def test_edit_saves_and_audits_only_changed_fields(tree: Tree, personas: Personas) -> None:
    url = reverse("orgs:edit", args=[tree.station_a.pk])
    response = client_for(personas.district_admin).post(
        url,
        {
            "name": tree.station_a.name,
            "region_code": tree.station_a.region_code,
            "address": "小寨东路1号便民服务中心",
            "office_phone": "029-85550001",
            "morning_open": "09:00",
            "morning_close": "12:00",
        },
    )
    assert response.status_code == 302
    tree.station_a.refresh_from_db()
    assert tree.station_a.address == "小寨东路1号便民服务中心"
    assert tree.station_a.hours_text == "工作日 09:00—12:00"
    row = AuditLog.objects.filter(action="org_node_update").latest("id")
    assert set(row.data["changes"]) == {"address", "office_phone", "morning_open", "morning_close"}


def test_edit_with_a_bad_phone_names_the_field(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.district_admin).post(
        reverse("orgs:edit", args=[tree.station_a.pk]),
        {"name": tree.station_a.name, "region_code": tree.station_a.region_code, "office_phone": "12"},
    )
    assert response.status_code == 200
    assert "电话号码“12”格式不正确" in response.content.decode()
    tree.station_a.refresh_from_db()
    assert tree.station_a.office_phone == ""


def test_office_staff_record_facilities_of_their_station(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.office_staff).post(
        reverse("orgs:facilities", args=[tree.station_a.pk]),
        {"computer__present": "on", "computer__as_of": "2026-03-01", "lightbox_a__present": "on"},
    )
    assert response.status_code == 302
    present = set(Facility.objects.filter(node=tree.station_a, present=True).values_list("item", flat=True))
    assert present == {"computer", "lightbox_a"}


def test_a_future_facility_date_is_refused(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.office_staff).post(
        reverse("orgs:facilities", args=[tree.station_a.pk]),
        {"computer__present": "on", "computer__as_of": "2999-01-01"},
    )
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    assert not Facility.objects.filter(node=tree.station_a).exists()


def test_tree_search_finds_nodes_within_reach_only(tree: Tree, personas: Personas) -> None:
    content = client_for(personas.district_admin).get(reverse("orgs:tree"), {"q": "街道"}).content.decode()
    assert tree.station_a.name in content and tree.station_c.name in content
    assert tree.station_d.name not in content


def test_node_page_shows_what_a_platform_lacks(tree: Tree, personas: Personas) -> None:
    content = (
        client_for(personas.clerk_a).get(reverse("orgs:node", args=[tree.station_a.pk])).content.decode()
    )
    assert "缺少" in content and "高拍仪" in content


def test_nothing_can_be_added_under_a_station(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.district_admin).get(reverse("orgs:add", args=[tree.station_a.pk]))
    assert response.status_code == 403
    assert "下不能添加下级节点" in response.content.decode()


def test_admin_cannot_delete_a_node_only_deactivate_it(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.system_admin).get(
        reverse("admin:orgs_orgnode_delete", args=[tree.station_a.pk])
    )
    assert response.status_code == 403
    response = client_for(personas.system_admin).get(
        reverse("admin:orgs_orgnode_change", args=[tree.station_a.pk])
    )
    assert response.status_code == 200 and "启用" in response.content.decode()
