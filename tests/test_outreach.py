"""Poverty-area legal service (七(五)) and publicity events (五(四)5): quarters, the compliance board, recording
a service (future dates, matters out of reach, photo types), reminders once a week, and 404s for other roles."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.notifications.models import Notification
from lawdesk.outreach import selectors, services
from lawdesk.outreach.models import OutreachPhoto, PoorVillage, PovertyService, ServiceTeam
from lawdesk.outreach.selectors import Quarter
from tests.conftest import Personas, Tree, client_for, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    ConsoleSmsBackend.outbox.clear()
    return tmp_path


def village(personas: Personas, tree: Tree, name: str = "五星村", code: str = "610113001201") -> PoorVillage:
    return services.village_create(
        actor=personas.district_admin, district=tree.district, name=name, region_code=code, office=tree.office
    )


def team(personas: Personas, tree: Tree) -> ServiceTeam:
    personas.office_staff.phone = "13900000001"
    personas.office_staff.save()
    return services.team_create(
        actor=personas.district_admin, district=tree.district, name="雁塔区脱贫攻坚法律服务团", kind="service_group",
        lead=personas.office_staff,
    )  # fmt: skip


def record(actor: Any, v: PoorVillage, t: ServiceTeam, day: datetime.date, **extra: Any) -> PovertyService:
    data: dict[str, Any] = {
        "activities": ["consultation", "publicity"],
        "description": "入户走访，讲解土地承包法",
        "people_served": 12,
    }
    data.update(extra)
    return services.service_record(actor=actor, village=v, team=t, date=day, today=day, **data)


# --- quarters -----------------------------------------------------------------------------------------------


def test_quarter_boundaries() -> None:
    q4 = Quarter.of(datetime.date(2026, 11, 26))
    assert (q4.year, q4.number) == (2026, 4)
    assert q4.start == datetime.date(2026, 10, 1) and q4.end == datetime.date(2026, 12, 31)
    assert Quarter(2026, 1).end == datetime.date(2026, 3, 31)
    assert Quarter(2024, 1).end == datetime.date(2024, 3, 31)
    assert Quarter(2026, 2).end == datetime.date(2026, 6, 30)
    assert Quarter(2026, 3).end == datetime.date(2026, 9, 30)
    assert Quarter.of(datetime.date(2026, 12, 31)).number == 4
    assert Quarter.of(datetime.date(2027, 1, 1)) == Quarter(2027, 1)
    assert q4.next() == Quarter(2027, 1) and Quarter(2027, 1).previous() == q4
    assert q4.in_last_month(datetime.date(2026, 12, 1)) and not q4.in_last_month(datetime.date(2026, 11, 30))
    assert q4.label == "2026年第4季度"


def test_days_left_counts_today_and_the_last_day(db: Any) -> None:
    calendar_days, working_days, _ = selectors.days_left(Quarter(2026, 4), datetime.date(2026, 12, 31))
    assert (calendar_days, working_days) == (1, 1)  # Thursday 2026-12-31 is a working day
    calendar_days, working_days, _ = selectors.days_left(Quarter(2026, 4), datetime.date(2026, 12, 25))
    assert calendar_days == 7 and working_days == 5


# --- villages and teams -------------------------------------------------------------------------------------


def test_village_code_must_be_twelve_digits_inside_the_district(personas: Personas, tree: Tree) -> None:
    with pytest.raises(ValidationError) as bad:
        village(personas, tree, code="61011300120")
    assert "12位" in str(bad.value)
    with pytest.raises(ValidationError) as outside:
        village(personas, tree, code="610102001201")
    assert "不在本区(县)" in str(outside.value)
    with pytest.raises(ValidationError) as town:
        village(personas, tree, code="610113001000")
    assert "后三位不为000" in str(town.value)


def test_only_district_admins_keep_villages_and_teams(personas: Personas, tree: Tree) -> None:
    with pytest.raises(PermissionDenied):
        services.village_create(
            actor=personas.office_staff, district=tree.district, name="五星村", region_code="610113001201"
        )
    with pytest.raises(PermissionDenied):
        services.village_create(
            actor=personas.other_district_admin,
            district=tree.district,
            name="五星村",
            region_code="610113001201",
        )


# --- the board ----------------------------------------------------------------------------------------------


def test_a_service_moves_the_village_off_the_board(personas: Personas, tree: Tree) -> None:
    v, other = village(personas, tree), village(personas, tree, "红星村", "610113001202")
    t = team(personas, tree)
    today = datetime.date(2026, 11, 26)
    board = selectors.board(selectors.villages_for(personas.district_admin), Quarter.of(today), today)
    assert [r.village for r in board.unserved] == [v, other]
    assert board.days_left == 36
    # a service last quarter does not count for this one
    record(personas.office_staff, v, t, datetime.date(2026, 9, 30))
    board = selectors.board(selectors.villages_for(personas.district_admin), Quarter.of(today), today)
    assert [r.village for r in board.unserved] == [v, other]
    assert board.rows[0].last_service == datetime.date(2026, 9, 30)
    record(personas.office_staff, v, t, datetime.date(2026, 10, 1))
    board = selectors.board(selectors.villages_for(personas.district_admin), Quarter.of(today), today)
    assert [r.village for r in board.unserved] == [other]
    assert [r.village for r in board.served] == [v]
    # a past quarter is shown without days left
    past = selectors.board(selectors.villages_for(personas.district_admin), Quarter(2026, 3), today)
    assert [r.village for r in past.served] == [v] and past.days_left is None


def test_board_page_and_excel(personas: Personas, tree: Tree) -> None:
    v = village(personas, tree)
    response = client_for(personas.city_admin).get("/desk/outreach/")
    assert response.status_code == 200
    assert "五星村" in response.content.decode()
    export = client_for(personas.district_admin).get("/desk/outreach/export.xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows == [["雁塔区司法局", "五星村", v.region_code, "小寨路街道司法所", "否", 0, None]]


# --- recording --------------------------------------------------------------------------------------------


def test_future_date_refused(personas: Personas, tree: Tree) -> None:
    v, t = village(personas, tree), team(personas, tree)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as bad:
        services.service_record(
            actor=personas.office_staff, village=v, team=t, date=today + datetime.timedelta(days=1),
            activities=["consultation"], description="咨询", people_served=1,
        )  # fmt: skip
    assert "服务日期不能晚于今天" in str(bad.value)
    response = client_for(personas.office_staff).post(
        "/desk/outreach/services/new/",
        {
            "village": v.pk,
            "team": t.pk,
            "date": (today + datetime.timedelta(days=3)).isoformat(),
            "activities": ["consultation"],
            "description": "咨询",
            "people_served": "0",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "服务日期不能晚于今天" in body or "不能小于1" in body
    assert not PovertyService.objects.exists()


def _matter(actor: Any, node: Any) -> Matter:
    visit = matter_services.visit_register(
        actor=actor,
        node=node,
        person_data=PersonInput(name="李四", phone="13800138001"),
        matters=[MatterInput(kind="dispute", summary="土地承包纠纷")],
    )
    return visit.matters.get()


def test_matters_from_another_node_refused(personas: Personas, tree: Tree) -> None:
    v, t = village(personas, tree), team(personas, tree)
    ours = _matter(personas.clerk_a, tree.station_a)
    clerk_d = make_user("clerk_d", "window_clerk", tree.station_d)
    theirs = _matter(clerk_d, tree.station_d)
    with pytest.raises(ValidationError) as bad:
        record(personas.office_staff, v, t, timezone.localdate(), matters=[ours, theirs])
    assert "不能关联" in str(bad.value)
    service = record(personas.office_staff, v, t, timezone.localdate(), matters=[ours])
    assert list(service.matters.all()) == [ours]


def test_photo_type_checked(personas: Personas, tree: Tree, media: Path) -> None:
    v, t = village(personas, tree), team(personas, tree)
    with pytest.raises(ValidationError) as pdf:
        record(personas.office_staff, v, t, timezone.localdate(), photos=[SimpleUploadedFile("a.pdf", PDF)])
    assert "只能上传JPG、PNG" in str(pdf.value)
    with pytest.raises(ValidationError) as fake:
        record(personas.office_staff, v, t, timezone.localdate(), photos=[SimpleUploadedFile("a.png", PDF)])
    assert "扩展名与内容不符" in str(fake.value)
    assert not PovertyService.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    service = record(
        personas.office_staff, v, t, timezone.localdate(), photos=[SimpleUploadedFile("现场.png", PNG)]
    )
    photo = OutreachPhoto.objects.get(service=service)
    response = client_for(personas.district_admin).get(f"/desk/outreach/photos/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert (
        client_for(personas.other_district_admin).get(f"/desk/outreach/photos/{photo.pk}/").status_code == 404
    )


def test_publicity_event(personas: Personas, tree: Tree) -> None:
    today = timezone.localdate()
    response = client_for(personas.office_staff).post(
        "/desk/outreach/events/",
        {
            "district": tree.district.pk,
            "date": today.isoformat(),
            "place": "小寨十字",
            "theme": "宪法宣传周",
            "organiser": "小寨路街道司法所",
            "audience_count": "200",
            "materials_count": "-1",
        },
    )
    assert response.status_code == 400
    assert "不能小于0" in response.content.decode()
    with pytest.raises(ValidationError):
        services.event_record(
            actor=personas.office_staff, node=tree.office, date=today + datetime.timedelta(days=1),
            place="小寨十字", theme="宪法宣传周", organiser="司法所", audience_count=1, materials_count=0,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.event_record(
            actor=personas.other_district_admin, node=tree.district, date=today,
            place="小寨十字", theme="宪法宣传周", organiser="司法所", audience_count=1, materials_count=0,
        )  # fmt: skip


# --- reminders ----------------------------------------------------------------------------------------------


def test_reminders_once_a_week_in_the_last_month(
    personas: Personas, tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    v, t = village(personas, tree), team(personas, tree)
    assert services.send_reminders(today=datetime.date(2026, 11, 26)) == 0  # not the last month
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=datetime.date(2026, 12, 7)) == 1
        assert services.send_reminders(today=datetime.date(2026, 12, 9)) == 0  # same week
    notice = Notification.objects.get(user=t.lead)
    assert "五星村" in notice.text and "还剩25天" in notice.text
    assert [s.phone for s in ConsoleSmsBackend.outbox] == ["13900000001"]
    record(personas.office_staff, v, t, datetime.date(2026, 12, 10))
    assert services.send_reminders(today=datetime.date(2026, 12, 14)) == 0  # served: nothing to remind


def test_reminder_command(personas: Personas, tree: Tree) -> None:
    village(personas, tree), team(personas, tree)
    out = io.StringIO()
    call_command("send_outreach_reminders", "--date", "2026-11-02", stdout=out)
    assert "不发送提醒" in out.getvalue()
    out = io.StringIO()
    call_command("send_outreach_reminders", "--date", "2026-12-14", stdout=out)
    assert "已提醒1位" in out.getvalue()
    out = io.StringIO()
    call_command("send_outreach_reminders", "--date", "2026-12-15", stdout=out)
    assert "已提醒0位" in out.getvalue()


def test_beat_schedule_names_the_task() -> None:
    from lawdesk.outreach import tasks

    entry = tasks.BEAT_SCHEDULE["lawdesk-send-outreach-reminders"]
    assert entry["task"] == tasks.send_outreach_reminders.name


# --- who sees what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk_a", "leader", "auditor", "handler"])
def test_other_roles_get_404(personas: Personas, tree: Tree, who: str) -> None:
    v, t = village(personas, tree), team(personas, tree)
    service = record(personas.office_staff, v, t, timezone.localdate())
    client = client_for(getattr(personas, who))
    for url in (
        "/desk/outreach/",
        "/desk/outreach/export.xlsx",
        "/desk/outreach/villages/",
        "/desk/outreach/teams/",
        "/desk/outreach/services/new/",
        f"/desk/outreach/services/{service.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    # publicity events are open to any platform, office and bureau (tests/test_publicity.py); not to these
    expected = 200 if who == "clerk_a" else 404
    assert client.get("/desk/outreach/events/").status_code == expected


def test_other_district_gets_404_for_a_service(personas: Personas, tree: Tree) -> None:
    v, t = village(personas, tree), team(personas, tree)
    service = record(personas.office_staff, v, t, timezone.localdate())
    assert (
        client_for(personas.other_district_admin).get(f"/desk/outreach/services/{service.pk}/").status_code
        == 404
    )
    assert (
        client_for(personas.district_admin).get(f"/desk/outreach/services/{service.pk}/").status_code == 200
    )
    assert client_for(personas.city_admin).get(f"/desk/outreach/services/{service.pk}/").status_code == 200
    board = client_for(personas.other_district_admin).get("/desk/outreach/").content.decode()
    assert "五星村" not in board
    # office staff may record but not keep villages
    assert client_for(personas.office_staff).post(
        "/desk/outreach/villages/", {"district": tree.district.pk, "name": "x", "region_code": "610113001203"}
    ).status_code in (403, 400)


def test_city_sees_every_district_and_filters_one(personas: Personas, tree: Tree) -> None:
    village(personas, tree)
    services.village_create(
        actor=personas.city_admin, district=tree.other_district, name="东风村", region_code="610102001201"
    )
    city = client_for(personas.city_admin)
    body = city.get("/desk/outreach/").content.decode()
    assert "五星村" in body and "东风村" in body
    body = city.get(f"/desk/outreach/?district={tree.other_district.pk}").content.decode()
    assert "五星村" not in body and "东风村" in body
    district = client_for(personas.district_admin)
    assert district.get(f"/desk/outreach/?district={tree.other_district.pk}").status_code == 404
    assert district.get("/desk/outreach/?quarter=5").status_code == 404
    office = client_for(personas.office_staff).get("/desk/outreach/").content.decode()
    assert "五星村" in office and "东风村" not in office


def test_matter_link_through_the_form(personas: Personas, tree: Tree) -> None:
    v, t = village(personas, tree), team(personas, tree)
    ours = _matter(personas.clerk_a, tree.station_a)
    response = client_for(personas.office_staff).post(
        "/desk/outreach/services/new/",
        {
            "village": v.pk,
            "team": t.pk,
            "date": timezone.localdate().isoformat(),
            "activities": ["legal_aid", "consultation"],
            "description": "受理一件法律援助申请",
            "people_served": "3",
            "matters": [ours.pk],
            "photos": [SimpleUploadedFile("现场.png", PNG)],
        },
    )
    assert response.status_code == 302
    service = PovertyService.objects.get()
    assert list(service.matters.all()) == [ours]
    assert service.activities == ["consultation", "legal_aid"]
    assert service.photos.count() == 1
    detail = client_for(personas.office_staff).get(response["Location"]).content.decode()
    assert "法律咨询、法律援助受理" in detail
