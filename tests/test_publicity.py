"""Publicity events by any platform, judicial office or bureau (plan 三(四), 九(四)): kinds including the rule-of-law
culture, media and channels, audience, the responsible department, photos; the 谁执法谁普法、谁服务谁普法
responsibility list; scoping (each sees its subtree, another organisation's user gets 404), the Excel lists, and
the figures with their drill-down."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.outreach import selectors, services
from lawdesk.outreach.models import PublicityDuty, PublicityEvent
from lawdesk.stats.selectors import drill_down, monthly_report
from tests.conftest import Personas, Tree, client_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
DAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def event(actor: Any, node: Any, **extra: Any) -> PublicityEvent:
    data: dict[str, Any] = {
        "date": DAY, "place": "长延堡社区广场", "theme": "宪法进社区", "organiser": "长延堡社区公共法律服务站",
        "audience_count": 120, "kind": "lecture", "channels": ["on_site", "wechat_weibo"],
    }  # fmt: skip
    data.update(extra)
    return services.event_record(actor=actor, node=node, **data)


def duty(personas: Personas, tree: Tree, department: str = "区公安分局") -> PublicityDuty:
    return services.duty_create(
        actor=personas.district_admin, node=tree.district, year=2026, department=department,
        laws="治安管理处罚法\n道路交通安全法", contact="张科长 029-85550001",
    )  # fmt: skip


# --- services and rules -------------------------------------------------------------------------------------


def test_a_clerk_records_an_event_at_the_platform_with_channels_and_a_duty(
    personas: Personas, tree: Tree
) -> None:
    police = duty(personas, tree)
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    record = event(personas.clerk_b, tree.station_b, duty=police, photos=[photo])
    assert record.node == tree.station_b and record.district == tree.district
    assert record.channels == ["wechat_weibo", "on_site"]  # in the list's order
    assert record.channels_display == "微信微博、现场活动"
    assert record.department == "区公安分局"  # taken from the duty
    assert record.photos.count() == 1
    row = AuditLog.objects.get(action="outreach.event_record")
    assert row.actor_id == personas.clerk_b.pk


def test_an_office_and_the_city_record_events_the_city_has_no_district(
    personas: Personas, tree: Tree
) -> None:
    assert event(personas.office_staff, tree.office).district == tree.district
    assert event(personas.city_admin, tree.city).district is None


def test_a_clerk_cannot_record_at_another_platform_or_the_office(personas: Personas, tree: Tree) -> None:
    for node in (tree.station_b, tree.office, tree.district):
        with pytest.raises(PermissionDenied):
            event(personas.clerk_a, node)
    with pytest.raises(PermissionDenied):
        event(personas.other_district_admin, tree.station_a)
    with pytest.raises(PermissionDenied):
        event(personas.leader, tree.district)
    assert not PublicityEvent.objects.exists()


def test_validation_names_the_field(personas: Personas, tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        event(personas.clerk_a, tree.station_a, date=datetime.date(2026, 11, 26))
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        event(personas.clerk_a, tree.station_a, channels=["telegram"])
    assert caught.value.message_dict["channels"] == ["宣传媒介和渠道无效。"]
    other = services.duty_create(
        actor=personas.other_district_admin, node=tree.other_district, year=2026, department="新城区市场监管局",
        laws="食品安全法",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        event(personas.clerk_a, tree.station_a, duty=other)
    assert "duty" in caught.value.message_dict
    assert not AuditLog.objects.filter(action="outreach.event_record").exists()


def test_duties_are_kept_by_district_and_city_admins_only(personas: Personas, tree: Tree) -> None:
    police = duty(personas, tree)
    with pytest.raises(ValidationError) as caught:
        duty(personas, tree)  # the same department twice in one year
    assert "本年度清单中已有该部门" in str(caught.value)
    for who in ("office_staff", "clerk_a", "other_district_admin"):
        with pytest.raises(PermissionDenied):
            services.duty_update(
                actor=getattr(personas, who), duty=police, year=2026, department="x", laws="x", contact="",
                active=True,
            )  # fmt: skip
    services.duty_update(
        actor=personas.city_admin, duty=police, year=2026, department="区公安分局", laws="反电信网络诈骗法",
        contact="", active=False,
    )  # fmt: skip
    police.refresh_from_db()
    assert police.laws == "反电信网络诈骗法" and not police.active
    with pytest.raises(ValidationError):
        event(personas.clerk_a, tree.station_a, duty=police)  # no longer on the list


# --- scoping ------------------------------------------------------------------------------------------------


def test_each_sees_its_subtree(personas: Personas, tree: Tree) -> None:
    at_a = event(personas.clerk_a, tree.station_a, theme="甲站宣传")
    at_b = event(personas.clerk_b, tree.station_b, theme="乙站宣传")
    at_office = event(personas.office_staff, tree.office, theme="司法所宣传")
    assert set(selectors.events_for(personas.clerk_a)) == {at_a}
    assert set(selectors.events_for(personas.office_staff)) == {at_a, at_b, at_office}
    assert set(selectors.events_for(personas.district_admin)) == {at_a, at_b, at_office}
    assert not selectors.events_for(personas.other_district_admin).exists()
    page = client_for(personas.clerk_a).get("/desk/outreach/events/").content.decode()
    assert "甲站宣传" in page and "乙站宣传" not in page and "司法所宣传" not in page


@pytest.mark.parametrize("who", ["leader", "auditor", "handler", "correction_officer", "adviser"])
def test_roles_without_publicity_get_404(personas: Personas, who: str) -> None:
    client = client_for(getattr(personas, who))
    for url in ("/desk/outreach/events/", "/desk/outreach/events/export.xlsx", "/desk/outreach/duties/"):
        assert client.get(url).status_code == 404, url


def test_another_organisation_is_refused_the_duty_and_the_photo(personas: Personas, tree: Tree) -> None:
    police = duty(personas, tree)
    record = event(personas.clerk_a, tree.station_a, photos=[SimpleUploadedFile("a.png", PNG)])
    photo = record.photos.get()
    other = client_for(personas.other_district_admin)
    assert other.get(f"/desk/outreach/duties/{police.pk}/").status_code == 404
    assert other.get(f"/desk/outreach/photos/{photo.pk}/").status_code == 404
    assert client_for(personas.clerk_b).get(f"/desk/outreach/photos/{photo.pk}/").status_code == 404
    assert client_for(personas.clerk_a).get(f"/desk/outreach/photos/{photo.pk}/").status_code == 200
    assert client_for(personas.office_staff).get(f"/desk/outreach/duties/{police.pk}/").status_code == 404


# --- pages --------------------------------------------------------------------------------------------------


def test_the_clerk_records_an_event_on_the_page(personas: Personas, tree: Tree) -> None:
    police = duty(personas, tree)
    client = client_for(personas.clerk_a)
    page = client.get("/desk/outreach/events/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "区公安分局" in body  # the district's duties are offered
    assert 'data-testid="tab-board"' not in body  # the poverty-area tabs are not the clerk's
    response = client.post(
        "/desk/outreach/events/",
        {
            "node": tree.station_a.pk, "kind": "performance", "date": "2026-11-24", "place": "小寨十字",
            "theme": "法治文艺汇演", "organiser": "小寨路街道公共法律服务站", "channels": ["on_site", "outdoor_led"],
            "duty": police.pk, "department": "", "audience_count": "300", "materials_count": "50",
        },
    )  # fmt: skip
    assert response.status_code == 302
    record = PublicityEvent.objects.get()
    assert (record.kind, record.channels, record.department) == (
        "performance",
        ["outdoor_led", "on_site"],
        "区公安分局",
    )
    response = client.post(
        "/desk/outreach/events/",
        {"node": tree.station_b.pk, "kind": "lecture", "date": "2026-11-24", "place": "x", "theme": "x",
         "organiser": "x", "audience_count": "1", "materials_count": "0"},
    )  # fmt: skip
    assert response.status_code == 400  # another platform is not offered
    assert PublicityEvent.objects.count() == 1


def test_the_district_admin_keeps_the_list_on_its_page(personas: Personas, tree: Tree) -> None:
    client = client_for(personas.district_admin)
    response = client.post(
        "/desk/outreach/duties/",
        {
            "node": tree.district.pk,
            "year": "2026",
            "department": "区人社局",
            "laws": "劳动合同法",
            "contact": "",
        },
    )
    assert response.status_code == 302
    police = PublicityDuty.objects.get()
    response = client.post(
        f"/desk/outreach/duties/{police.pk}/",
        {
            "year": "2026",
            "department": "区人力资源和社会保障局",
            "laws": "劳动合同法",
            "contact": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.department == "区人力资源和社会保障局" and police.node == tree.district
    response = client.post("/desk/outreach/duties/", {"node": tree.district.pk, "year": "1999"})
    assert response.status_code == 400
    assert "不能小于2000" in response.content.decode()


def test_the_excel_lists(personas: Personas, tree: Tree) -> None:
    duty(personas, tree)
    event(personas.clerk_a, tree.station_a, theme="=HYPERLINK(1)")
    response = client_for(personas.office_staff).get("/desk/outreach/events/export.xlsx?kind=lecture")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.cell(3, 4).value == "=HYPERLINK(1)" and sheet.cell(3, 4).data_type == "s"
    assert sheet.cell(3, 7).value == "微信微博、现场活动"
    row = AuditLog.objects.filter(action="export").latest("id")
    assert row.data.get("personal_data") == "none"
    response = client_for(personas.district_admin).get("/desk/outreach/duties/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.cell(3, 3).value == "区公安分局"


# --- figures ------------------------------------------------------------------------------------------------


def test_figures_count_events_at_their_node_and_drill_down_to_them(personas: Personas, tree: Tree) -> None:
    from lawdesk.stats.fill import fill_counts

    event(personas.clerk_a, tree.station_a, kind="performance", audience_count=300)
    event(personas.office_staff, tree.office, kind="lecture", audience_count=50)
    event(personas.other_district_admin, tree.other_district, audience_count=999)
    fill_counts()
    report = monthly_report(actor=personas.district_admin, node=tree.district, year=2026, month=11)
    assert report.figures["publicity_events"] == 2
    assert report.figures["publicity_culture_events"] == 1
    assert report.figures["publicity_audience"] == 350
    _item, rows = drill_down(
        actor=personas.office_staff, node=tree.office, indicator="publicity_audience", year=2026, month=11
    )
    assert rows.count() == 2
    response = client_for(personas.office_staff).get(
        reverse("stats:drill", args=[tree.office.pk, "2026-11", "publicity_culture_events"])
    )
    assert response.status_code == 200
    assert "法治文艺演出" in response.content.decode()
