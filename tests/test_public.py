"""The public directory (no login): filters, each platform's page, the map's data, the guides and the kiosk."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.orgs.models import OrgNode
from lawdesk.public import selectors
from lawdesk.public.guides import GUIDES, Service
from tests.conftest import Personas, Tree


@pytest.fixture
def anon() -> Client:
    return Client()


def _names(response: object, key: str) -> set[str]:
    items = response.context[key]  # type: ignore[attr-defined]
    if key == "platforms":
        return {p.node.name for p in items}
    return {i.institution.name for i in items}


def test_directory_needs_no_login_and_lists_only_platforms(tree: Tree, anon: Client) -> None:
    response = anon.get(reverse("public:directory"))
    assert response.status_code == 200
    names = _names(response, "platforms")
    assert names == {
        "雁塔区公共法律服务中心",
        "新城区公共法律服务中心",
        "小寨路街道公共法律服务站",
        "长延堡社区公共法律服务站",
        "电子城街道公共法律服务站",
        "西一路街道公共法律服务站",
    }
    assert "小寨路街道司法所" not in names and "雁塔区司法局" not in names
    assert {"陕西雁塔测试律师事务所", "小寨路街道人民调解委员会"} <= _names(response, "institutions")


def test_directory_filters_by_district(tree: Tree, anon: Client) -> None:
    response = anon.get(reverse("public:directory"), {"district": "新城区"})
    assert _names(response, "platforms") == {"新城区公共法律服务中心", "西一路街道公共法律服务站"}
    assert _names(response, "institutions") == {"陕西新城测试律师事务所"}


def test_directory_filters_by_kind(tree: Tree, anon: Client) -> None:
    response = anon.get(reverse("public:directory"), {"kind": "village_station"})
    assert _names(response, "platforms") == {"长延堡社区公共法律服务站"}
    assert _names(response, "institutions") == set()
    response = anon.get(reverse("public:directory"), {"kind": "mediation_committee"})
    assert _names(response, "platforms") == set()
    assert _names(response, "institutions") == {"小寨路街道人民调解委员会"}


def test_a_platform_offers_the_services_of_the_institutions_serving_it(tree: Tree, anon: Client) -> None:
    notary = Institution.objects.create(
        kind=InstitutionKind.NOTARY_OFFICE, name="西安市新城公证处", home_node=tree.other_district
    )
    notary.served_nodes.add(tree.other_district)
    response = anon.get(reverse("public:directory"), {"service": "notary"})
    assert _names(response, "platforms") == {"新城区公共法律服务中心", "西一路街道公共法律服务站"}
    assert _names(response, "institutions") == {"西安市新城公证处"}
    # Every platform takes consultations itself.
    response = anon.get(reverse("public:directory"), {"service": "consultation"})
    assert len(_names(response, "platforms")) == 6


def test_directory_searches_name_and_address(tree: Tree, anon: Client) -> None:
    OrgNode.objects.filter(pk=tree.station_c.pk).update(address="雁塔区电子二路便民服务中心")
    response = anon.get(reverse("public:directory"), {"q": "电子二路"})
    assert _names(response, "platforms") == {"电子城街道公共法律服务站"}


def test_unknown_filter_values_are_ignored(tree: Tree, anon: Client) -> None:
    response = anon.get(reverse("public:directory"), {"district": "不存在区", "kind": "x", "service": "y"})
    assert response.status_code == 200 and len(_names(response, "platforms")) == 6


def test_inactive_platforms_and_institutions_are_not_public(tree: Tree, anon: Client) -> None:
    OrgNode.objects.filter(pk=tree.station_b.pk).update(is_active=False)
    Institution.objects.filter(pk=tree.law_firm.pk).update(is_active=False)
    response = anon.get(reverse("public:directory"))
    assert "长延堡社区公共法律服务站" not in _names(response, "platforms")
    assert "陕西雁塔测试律师事务所" not in _names(response, "institutions")
    assert anon.get(reverse("public:platform", args=[tree.station_b.pk])).status_code == 404
    assert anon.get(reverse("public:institution", args=[tree.law_firm.pk])).status_code == 404


def test_platform_page_shows_address_hours_phones_services_and_materials(tree: Tree, anon: Client) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        address="小寨路街道便民服务中心一楼",
        morning_open=datetime.time(9),
        morning_close=datetime.time(12),
        office_phone="029-85550001",
        appointment_phone="029-85550002",
        supervision_phone="029-85550003",
    )
    response = anon.get(f"/public/p/{tree.station_a.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("小寨路街道便民服务中心一楼", "09:00—12:00", "029-85550001", "029-85550002", "029-85550003"):
        assert text in body
    assert "法律援助" in body and "经济困难状况说明表" in body  # the service and what to bring for it
    assert "小寨路街道人民调解委员会" in body  # where the platform sends people
    assert (
        f"/online/appointments/{tree.station_a.pk}/" in body
    )  # 七(六): book online, by video or a home visit


def test_platforms_publishing_an_appointment_phone_offer_appointments(tree: Tree, anon: Client) -> None:
    OrgNode.objects.filter(pk=tree.station_d.pk).update(appointment_phone="029-87650001")
    response = anon.get(reverse("public:directory"), {"service": "appointment"})
    assert _names(response, "platforms") == {"西一路街道公共法律服务站"}


def test_platform_page_shows_no_people(tree: Tree, personas: Personas, anon: Client) -> None:
    body = anon.get(reverse("public:platform", args=[tree.station_a.pk])).content.decode()
    assert "clerk_a" not in body and "来访登记" not in body


def test_bureaus_and_offices_have_no_public_page(tree: Tree, anon: Client) -> None:
    for node in (tree.city, tree.district, tree.office):
        assert anon.get(reverse("public:platform", args=[node.pk])).status_code == 404


def test_institution_page_lists_materials(tree: Tree, anon: Client) -> None:
    Institution.objects.filter(pk=tree.law_firm.pk).update(
        materials="身份证\n借条原件", hours="工作日 9:00—17:00"
    )
    body = anon.get(reverse("public:institution", args=[tree.law_firm.pk])).content.decode()
    assert "借条原件" in body and "工作日 9:00—17:00" in body and "029-88880001" in body


def test_map_data_gives_exact_and_approximate_points(tree: Tree, anon: Client) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        longitude=Decimal("108.950000"), latitude=Decimal("34.220000")
    )
    data = anon.get(reverse("public:map_data")).json()
    points = {p["name"]: p for p in data["points"]}
    assert points["小寨路街道公共法律服务站"]["value"] == [108.95, 34.22]
    assert points["小寨路街道公共法律服务站"]["approximate"] is False
    assert points["小寨路街道公共法律服务站"]["url"] == f"/public/p/{tree.station_a.pk}/"
    # Without coordinates: near the district's centre from the GeoJSON, marked approximate, the same each time.
    cp = selectors.district_centres()["雁塔区"]
    station_b = points["长延堡社区公共法律服务站"]
    assert station_b["approximate"] is True
    assert abs(station_b["value"][0] - cp[0]) <= selectors.APPROXIMATE_SPREAD
    assert abs(station_b["value"][1] - cp[1]) <= selectors.APPROXIMATE_SPREAD
    assert station_b["value"] != points["电子城街道公共法律服务站"]["value"]
    assert anon.get(reverse("public:map_data")).json()["points"] == data["points"]
    counts = {d["name"]: d["value"] for d in data["districts"]}
    assert counts == {"雁塔区": 4, "新城区": 2}


def test_map_data_follows_the_filters(tree: Tree, anon: Client) -> None:
    data = anon.get(reverse("public:map_data"), {"district": "新城区"}).json()
    assert {p["name"] for p in data["points"]} == {"新城区公共法律服务中心", "西一路街道公共法律服务站"}


def test_every_district_of_the_geojson_has_a_centre_inside_its_bounds() -> None:
    centres = selectors.district_centres()
    bounds = selectors.district_bounds()
    assert len(centres) == 13 and "雁塔区" in centres and "周至县" in centres
    for name, (lon, lat) in centres.items():
        west, south, east, north = bounds[name]
        assert west <= lon <= east and south <= lat <= north, name
    # 周至县 is several times wider than 碑林区.
    assert bounds["周至县"][2] - bounds["周至县"][0] > 5 * (bounds["碑林区"][2] - bounds["碑林区"][0])


def test_map_data_gives_each_district_s_bounds(tree: Tree, anon: Client) -> None:
    districts = {d["name"]: d for d in anon.get(reverse("public:map_data")).json()["districts"]}
    assert districts["雁塔区"]["bounds"] == list(selectors.district_bounds()["雁塔区"])


@pytest.mark.parametrize("service", [s for s in Service.values])
def test_each_guide_page_answers(db: object, anon: Client, service: str) -> None:
    response = anon.get(reverse("public:guide", args=[service]))
    assert response.status_code == 200
    assert GUIDES[service].steps[0] in response.content.decode()


def test_unknown_guide_is_404(db: object, anon: Client) -> None:
    assert anon.get("/public/guide/nothing/").status_code == 404
    assert anon.get("/public/kiosk/guides/nothing/").status_code == 404


def test_kiosk_home_has_the_four_sections_and_idle_reset(db: object, anon: Client) -> None:
    body = anon.get(reverse("public:kiosk")).content.decode()
    assert 'data-idle-seconds="90"' in body
    for text in (
        "办事指南",
        "法律知识",
        "服务网点",
        "智慧小司",
        "/online/assistant/?kiosk=1",
        "public/kiosk.js",
    ):
        assert text in body
    assert "<script>" not in body  # no inline code: CSP script-src 'self'
    body = anon.get(reverse("public:kiosk"), {"idle": "30"}).content.decode()
    assert 'data-idle-seconds="30"' in body and "?idle=30" in body


def test_kiosk_points_pick_a_district_then_a_platform(tree: Tree, anon: Client) -> None:
    response = anon.get(reverse("public:kiosk_points"))
    assert "新城区" in response.content.decode() and response.context["platforms"] == []
    response = anon.get(reverse("public:kiosk_points"), {"district": "新城区"})
    assert {p.node.name for p in response.context["platforms"]} == {
        "新城区公共法律服务中心",
        "西一路街道公共法律服务站",
    }
    assert anon.get(reverse("public:kiosk_platform", args=[tree.station_d.pk])).status_code == 200


def test_kiosk_law_topics_link_into_the_law_search(db: object, anon: Client) -> None:
    body = anon.get(reverse("public:kiosk_laws")).content.decode()
    assert "/laws/search/?q=%E5%A9%9A%E5%A7%BB" in body  # 婚姻


def test_public_pages_have_no_inline_scripts(tree: Tree, anon: Client) -> None:
    for url in (
        reverse("public:directory"),
        reverse("public:platform", args=[tree.station_a.pk]),
        reverse("public:kiosk_points"),
    ):
        body = anon.get(url).content.decode()
        assert "<script>" not in body and "onclick=" not in body


def test_login_page_links_to_the_public_pages(db: object, anon: Client) -> None:
    body = anon.get(reverse("login")).content.decode()
    assert reverse("public:directory") in body and reverse("public:kiosk") in body
