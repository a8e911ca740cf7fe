"""Coverage of every village (lawdesk.coverage): how each village is served, the board and its drill-down, the
import of a district's village list, the lightbox points and their signage, and who reaches what."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.accounts.models import Role
from lawdesk.advisers.models import AdviserContract
from lawdesk.core import clock
from lawdesk.core.models import AuditLog
from lawdesk.coverage import selectors, services, spreadsheets
from lawdesk.coverage.models import LightboxPoint, LightboxState
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.services import village_create
from tests.conftest import Personas, Tree, client_for, make_user, workbook

HEADERS = ["区划代码", "名称", "镇(街道)", "类别"]


def _contract(village: Village, personas: Personas, tree: Tree, start: int, end: int) -> AdviserContract:
    today = clock.today()
    return AdviserContract.objects.create(
        village=village, adviser=personas.adviser, institution=tree.law_firm, created_by=personas.office_staff,
        start=today + datetime.timedelta(days=start), end=today + datetime.timedelta(days=end),
        signed=today + datetime.timedelta(days=start - 1),
    )  # fmt: skip


@pytest.fixture
def villages(tree: Tree, personas: Personas) -> dict[str, Village]:
    """雁塔区: one village of each kind of service and three served by nothing; 新城区: one with a lightbox."""

    def village(office: OrgNode, name: str, code: str, station: OrgNode | None = None) -> Village:
        return village_create(actor=None, office=office, name=name, region_code=code, station=station)

    v = {
        "station": village(tree.office, "长延堡社区", "610113001001", station=tree.station_b),
        "lightbox": village(tree.office, "吉祥村", "610113001201"),
        "damaged": village(tree.office, "翠华村", "610113001202"),
        "adviser": village(tree.office, "雁南社区", "610113001203"),
        "expired": village(tree.office, "北池头村", "610113001204"),
        "bare": village(tree.office2, "丈八村", "610113002201"),
        "other": village(tree.other_office, "西一村", "610102001201"),
    }
    installed = clock.today() - datetime.timedelta(days=60)
    services.lightbox_create(actor=None, village=v["lightbox"], place="村委会门口", installed=installed)
    damaged = services.lightbox_create(
        actor=None, village=v["damaged"], place="村口广场", installed=installed
    )
    services.lightbox_update(actor=None, point=damaged, state=LightboxState.DAMAGED)
    services.lightbox_create(actor=None, village=v["other"], place="村委会", installed=installed)
    _contract(v["adviser"], personas, tree, -30, 300)
    _contract(v["expired"], personas, tree, -400, -35)
    return v


def test_each_village_is_served_by_a_station_a_lightbox_in_use_an_adviser_in_force_or_nothing(
    tree: Tree, villages: dict[str, Village]
) -> None:
    annotated = {v.region_code: v for v in selectors.annotate_coverage(Village.objects.all(), clock.today())}
    served = {key: selectors.served_by(annotated[v.region_code]) for key, v in villages.items()}
    assert served == {
        "station": "station",
        "lightbox": "lightbox",
        "damaged": "none",  # a damaged lightbox serves nobody
        "adviser": "adviser",
        "expired": "none",  # nor does an expired contract
        "bare": "none",
        "other": "lightbox",
    }
    # a station that is switched off no longer serves its village
    OrgNode.objects.filter(pk=tree.station_b.pk).update(is_active=False)
    again = selectors.annotate_coverage(
        Village.objects.filter(pk=villages["station"].pk), clock.today()
    ).get()
    assert selectors.served_by(again) == "none"


def _rows(html: str) -> int:
    return html.count('data-testid="village-row"')


def test_the_city_board_counts_each_district_and_every_figure_drills_down_to_the_same_villages(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    client = client_for(personas.city_admin)
    response = client.get(reverse("coverage:board"))
    assert response.status_code == 200
    rows = {row.node.pk if row.node else None: row for row in response.context["rows"]}
    yanta = rows[tree.district.pk]
    assert yanta.counts == {"all": 6, "station": 1, "lightbox": 1, "adviser": 1, "none": 3}
    assert yanta.percent == "50.0%"
    assert rows[tree.other_district.pk].counts == {
        "all": 1,
        "station": 0,
        "lightbox": 1,
        "adviser": 0,
        "none": 0,
    }
    assert rows[None].counts["all"] == 7 and rows[None].counts["none"] == 3
    html = response.content.decode()
    assert "翠华村" in html and "丈八村" in html  # the list of villages served by nothing
    for district_pk, row in rows.items():
        for key, count in row.cells:
            query: dict[str, Any] = {"served": key}
            if district_pk:
                query["district"] = district_pk
            page = client.get(reverse("coverage:villages"), query)
            assert page.status_code == 200
            assert _rows(page.content.decode()) == count, (district_pk, key)
            assert f'href="/desk/coverage/villages/?served={key}' in html
            sheet = client.get(reverse("coverage:export"), query)
            book = openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True)
            assert len(list(book.worksheets[0].iter_rows(min_row=2))) == count, (district_pk, key)


def test_a_district_board_breaks_down_by_town(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    response = client_for(personas.district_admin).get(
        reverse("coverage:board"), {"district": tree.district.pk}
    )
    offices = {row.node.pk: row.counts for row in response.context["offices"]}
    assert offices[tree.office.pk] == {"all": 5, "station": 1, "lightbox": 1, "adviser": 1, "none": 2}
    assert offices[tree.office2.pk] == {"all": 1, "station": 0, "lightbox": 0, "adviser": 0, "none": 1}


def test_another_district_s_admin_sees_only_their_district_and_gets_404_for_ours(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    client = client_for(personas.other_district_admin)
    response = client.get(reverse("coverage:board"))
    assert [row.node for row in response.context["rows"]] == [tree.other_district, None]
    assert "吉祥村" not in response.content.decode()
    point = LightboxPoint.objects.get(village=villages["lightbox"])
    for url, query in (
        (reverse("coverage:board"), {"district": tree.district.pk}),
        (reverse("coverage:villages"), {"district": tree.district.pk}),
        (reverse("coverage:export"), {"district": tree.district.pk}),
        (reverse("coverage:villages"), {"office": tree.office.pk}),
        (reverse("coverage:lightbox", args=[point.pk]), {}),
        (reverse("coverage:lightbox_pdf", args=[point.pk]), {}),
        (reverse("coverage:import"), {"district": tree.district.pk}),
    ):
        assert client.get(url, query).status_code == 404, url
    response = client.post(
        reverse("coverage:lightbox", args=[point.pk]), {"action": "inspect", "state": "damaged"}
    )
    assert response.status_code == 404
    assert LightboxPoint.objects.get(pk=point.pk).state == LightboxState.IN_USE


def test_a_clerk_a_correction_officer_and_an_adviser_get_404(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    point = LightboxPoint.objects.get(village=villages["lightbox"])
    for user in (personas.clerk_a, personas.correction_officer, personas.adviser, personas.handler):
        client = client_for(user)
        for url in (
            reverse("coverage:board"),
            reverse("coverage:villages"),
            reverse("coverage:lightboxes"),
            reverse("coverage:lightbox", args=[point.pk]),
        ):
            assert client.get(url).status_code == 404, (user.username, url)


# --- lightbox points ------------------------------------------------------------------------------------------


def test_a_lightbox_points_to_the_town_station_and_only_its_office_or_district_keeps_it(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    point = LightboxPoint.objects.get(village=villages["lightbox"])
    assert point.platform == tree.station_a  # the office's town station
    office2_staff = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    for actor in (office2_staff, personas.clerk_a, personas.other_district_admin, personas.leader):
        with pytest.raises(PermissionDenied):
            services.lightbox_inspect(actor=actor, point=point)
        with pytest.raises(PermissionDenied):
            services.lightbox_create(actor=actor, village=villages["bare"] if actor is not office2_staff
                                     else villages["expired"], place="x", installed=clock.today())  # fmt: skip
    services.lightbox_inspect(actor=personas.office_staff, point=point, state=LightboxState.DAMAGED)
    point.refresh_from_db()
    assert point.last_inspected == clock.today() and point.state == LightboxState.DAMAGED
    with pytest.raises(ValidationError) as caught:
        services.lightbox_update(actor=personas.district_admin, point=point, platform=tree.station_d)
    assert "本区(县)" in str(caught.value)
    point.refresh_from_db()
    with pytest.raises(ValidationError):
        services.lightbox_create(
            actor=personas.office_staff, village=villages["expired"], place="村口", installed=clock.today(),
            longitude=Decimal("108.9"),
        )  # fmt: skip
    with pytest.raises(ValidationError) as caught:  # a lightbox is for a village without a station
        services.lightbox_create(
            actor=personas.office_staff, village=villages["station"], place="村口", installed=clock.today()
        )
    assert "已有长延堡社区公共法律服务站" in str(caught.value)
    services.lightbox_update(actor=personas.district_admin, point=point, state=LightboxState.REMOVED)
    with pytest.raises(ValidationError):
        services.lightbox_inspect(actor=personas.office_staff, point=point)


def test_office_staff_register_and_inspect_a_lightbox_on_the_pages(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    client = client_for(personas.office_staff)
    response = client.post(
        reverse("coverage:lightboxes"),
        {"village": villages["expired"].pk, "place": "北池头村文化广场", "installed": "2026-10-01"},
    )
    assert response.status_code == 302
    point = LightboxPoint.objects.get(village=villages["expired"])
    assert point.platform == tree.station_a and point.created_by == personas.office_staff
    assert AuditLog.objects.filter(action="coverage.lightbox_create", object_id=str(point.pk)).count() == 1
    page = client.get(reverse("coverage:lightbox", args=[point.pk])).content.decode()
    assert f"/online/appointments/{tree.station_a.pk}/" in page and "12348" in page
    response = client.post(
        reverse("coverage:lightbox", args=[point.pk]),
        {"action": "inspect", "day": clock.today().isoformat(), "state": "damaged", "note": "灯管损坏"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.state == LightboxState.DAMAGED and point.note == "灯管损坏"
    # a village whose point is damaged is served by nothing again
    assert villages["expired"].pk in {
        v.pk for v in selectors.served_villages(Village.objects.all(), clock.today(), "none")
    }
    # a clerk of the same station cannot post to it
    response = client_for(personas.clerk_a).post(
        reverse("coverage:lightboxes"), {"village": villages["bare"].pk}
    )
    assert response.status_code == 404


def test_the_lightbox_signage_pdf_has_the_booking_qr_and_is_marked_as_an_export(
    tree: Tree, personas: Personas, villages: dict[str, Village], settings: Any
) -> None:
    settings.LAWDESK_PUBLIC_BASE_URL = "https://ggfw.xa.example.gov.cn"
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        address="小寨路街道便民服务中心一楼", office_phone="029-85550001", appointment_phone="029-85550002",
        supervision_phone="029-85550003",
    )  # fmt: skip
    point = LightboxPoint.objects.get(village=villages["lightbox"])
    response = client_for(personas.district_admin).get(reverse("coverage:lightbox_pdf", args=[point.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True).stdout.decode()
        assert re.search(r"Pages:\s+2\b", info), info  # faces A and B
    assert AuditLog.objects.filter(action="export", actor=personas.district_admin).exists()


def test_a_lightbox_whose_platform_lacks_phones_lists_them_and_draws_no_pdf(
    tree: Tree, personas: Personas, villages: dict[str, Village], settings: Any
) -> None:
    settings.LAWDESK_PUBLIC_BASE_URL = "https://ggfw.xa.example.gov.cn"
    point = LightboxPoint.objects.get(village=villages["lightbox"])
    client = client_for(personas.office_staff)
    page = client.get(reverse("coverage:lightbox", args=[point.pk])).content.decode()
    assert "缺少地址" in page and "缺少办公电话、预约电话、监督电话" in page
    assert client.get(reverse("coverage:lightbox_pdf", args=[point.pk])).status_code == 404


# --- import ---------------------------------------------------------------------------------------------------


def _import(actor: Any, district: OrgNode, rows: list[dict[str, Any]]) -> Any:
    return spreadsheets.import_villages(actor=actor, district=district, file=workbook(HEADERS, rows))


def test_the_import_registers_a_district_s_villages_at_their_towns_and_updates_known_codes(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    result = _import(
        personas.district_admin,
        tree.district,
        [
            {"区划代码": "610113001301", "名称": "甲村", "镇(街道)": "小寨路街道"},
            {"区划代码": 610113002302, "名称": "乙社区", "镇(街道)": "电子城街道司法所", "类别": "社区"},
            {"区划代码": "610113001201", "名称": "吉祥村（新）", "镇(街道)": "小寨路街道"},
            {"区划代码": "610113001202", "名称": "翠华村", "镇(街道)": "小寨路街道"},
        ],
    )
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)
    assert Village.objects.get(region_code="610113001301").office == tree.office
    second = Village.objects.get(region_code="610113002302")
    assert second.office == tree.office2 and second.kind == "community"
    assert Village.objects.get(region_code="610113001201").name == "吉祥村（新）"
    assert AuditLog.objects.filter(action="village_create", actor=personas.district_admin).count() == 2


def test_an_import_with_any_bad_row_saves_nothing_and_names_each_row_and_field(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    before = list(Village.objects.order_by("pk").values_list("region_code", "name"))
    audit_rows = AuditLog.objects.count()
    result = _import(
        personas.district_admin,
        tree.district,
        [
            {"区划代码": "610113001301", "名称": "甲村", "镇(街道)": "小寨路街道"},  # row 2: good
            {"区划代码": "61011300130", "名称": "乙村", "镇(街道)": "小寨路街道"},  # row 3: 11 digits
            {"区划代码": "610102001301", "名称": "丙村", "镇(街道)": "西一路街道"},  # row 4: another district
            {"区划代码": "610113001302", "名称": "丁村", "镇(街道)": "电子城街道"},  # row 5: wrong town
            {"区划代码": "610113001301", "名称": "甲村", "镇(街道)": "小寨路街道"},  # row 6: duplicate
            {"区划代码": "610113099301", "名称": "戊村", "镇(街道)": "某街道"},  # row 7: no such town
            {"区划代码": "610113001303", "名称": "", "镇(街道)": "小寨路街道"},  # row 8: no name
            {"区划代码": "610113001304", "名称": "己村", "镇(街道)": "小寨路街道", "类别": "镇"},  # row 9
        ],
    )
    assert not result.ok and result.created == 0
    messages = [str(e) for e in result.errors]
    expected = [
        ("第3行“区划代码”", "12位数字"),
        ("第4行“区划代码”", "不在雁塔区司法局的辖区内"),
        ("第5行“镇(街道)”", "小寨路街道"),
        ("第6行“区划代码”", "与第2行重复"),
        ("第7行“区划代码”", "没有区划代码前9位为610113099"),
        ("第8行“名称”", "不能为空"),
        ("第9行“类别”", "无效"),
    ]
    for where, what in expected:
        assert any(m.startswith(where) and what in m for m in messages), (where, messages)
    assert not any(m.startswith("第2行") for m in messages)
    assert list(Village.objects.order_by("pk").values_list("region_code", "name")) == before
    assert AuditLog.objects.count() == audit_rows


def test_the_import_page_shows_the_errors_and_another_district_s_admin_cannot_import_ours(
    tree: Tree, personas: Personas
) -> None:
    result = _import(personas.other_district_admin, tree.district, [
        {"区划代码": "610113001301", "名称": "甲村", "镇(街道)": "小寨路街道"}
    ])  # fmt: skip
    assert not result.ok and "无权" in str(result.errors[0])
    client = client_for(personas.district_admin)
    upload = workbook(HEADERS, [{"区划代码": "610113001301", "名称": "甲村", "镇(街道)": "电子城街道"}])
    upload.name = "villages.xlsx"
    response = client.post(reverse("coverage:import"), {"district": tree.district.pk, "file": upload})
    assert response.status_code == 400
    assert "第2行" in response.content.decode() and not Village.objects.exists()
    assert client_for(personas.office_staff).get(reverse("coverage:import")).status_code == 403
    upload = workbook(HEADERS, [{"区划代码": "610113001301", "名称": "甲村", "镇(街道)": "小寨路街道"}])
    upload.name = "villages.xlsx"
    response = client.post(reverse("coverage:import"), {"district": tree.district.pk, "file": upload})
    assert response.status_code == 302 and Village.objects.filter(region_code="610113001301").exists()


def test_the_export_imports_back_unchanged(
    tree: Tree, personas: Personas, villages: dict[str, Village]
) -> None:
    client = client_for(personas.district_admin)
    response = client.get(reverse("coverage:export"), {"district": tree.district.pk})
    assert response.status_code == 200
    content = io.BytesIO(response.content)
    result = spreadsheets.import_villages(actor=personas.district_admin, district=tree.district, file=content)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 6)
