"""Duty rosters (值班安排表, 四(五)2): conflicts of both kinds, working days and holidays, hall hours, the gaps list,
the subsidy with effective dates, exports, and who may see and arrange what."""

from __future__ import annotations

import datetime
import decimal
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.accounts.models import StaffCategory
from lawdesk.core.models import AuditLog
from lawdesk.duty import selectors, services
from lawdesk.duty.models import DutyShift, Post, Session, SubsidyStandard
from lawdesk.orgs.models import OrgNode
from tests.conftest import Personas, Tree, client_for

MONDAY = datetime.date(2026, 11, 30)  # a plain working week, 11-30 … 12-04
T = datetime.time


def set_hours(*nodes: OrgNode, afternoon: bool = True) -> None:
    for node in nodes:
        node.morning_open, node.morning_close = T(9), T(12)
        if afternoon:
            node.afternoon_open, node.afternoon_close = T(14), T(17, 30)
        node.save()


@pytest.fixture
def hours(tree: Tree) -> Tree:
    set_hours(tree.station_a, tree.station_b, tree.station_c, tree.station_d, tree.centre)
    return tree


def add(actor: Any, node: OrgNode, person: Any, day: datetime.date = MONDAY, session: str = Session.MORNING,
        **kw: Any) -> DutyShift:  # fmt: skip
    return services.shift_add(actor=actor, node=node, date=day, session=session, person=person,
                              post=kw.pop("post", Post.RECEPTION), **kw)  # fmt: skip


def test_a_shift_takes_the_hall_hours_and_is_audited(hours: Tree, personas: Personas) -> None:
    shift = add(personas.office_staff, hours.station_a, personas.clerk_a, duty="接待来访")
    assert (shift.start, shift.end) == (T(9), T(12))
    pm = add(personas.office_staff, hours.station_a, personas.clerk_a, session=Session.AFTERNOON)
    assert (pm.start, pm.end) == (T(14), T(17, 30))
    assert AuditLog.objects.filter(action="duty.shift_add", object_id=str(shift.pk)).exists()


def test_one_person_cannot_be_in_two_places_at_once(hours: Tree, personas: Personas) -> None:
    add(personas.office_staff, hours.station_a, personas.clerk_a)
    with pytest.raises(ValidationError) as exc:
        add(personas.office_staff, hours.station_b, personas.clerk_a)
    assert "同一时间已在别处值班" in exc.value.messages[0]
    assert hours.station_a.name in exc.value.messages[0]
    # City-wide: the city admin cannot put the same person at a station in another district either.
    with pytest.raises(ValidationError):
        add(personas.city_admin, hours.station_d, personas.clerk_a)
    # A partial overlap clashes; back-to-back times do not.
    add(personas.office_staff, hours.station_a, personas.clerk_a, session=Session.AFTERNOON, end=T(15))
    with pytest.raises(ValidationError):
        add(
            personas.office_staff,
            hours.station_b,
            personas.clerk_a,
            session=Session.AFTERNOON,
            start=T(14, 30),
        )
    later = add(
        personas.office_staff, hours.station_b, personas.clerk_a, session=Session.AFTERNOON, start=T(15)
    )
    assert (later.start, later.end) == (T(15), T(17, 30))
    # Another day is fine.
    add(personas.office_staff, hours.station_b, personas.clerk_a, day=MONDAY + datetime.timedelta(days=1))


def test_holidays_and_weekends_are_refused_make_up_days_allowed(hours: Tree, personas: Personas) -> None:
    for day, text in (
        (datetime.date(2026, 10, 1), "不是工作日"),
        (datetime.date(2026, 11, 29), "不是工作日"),
    ):
        with pytest.raises(ValidationError) as exc:
            add(personas.office_staff, hours.station_a, personas.clerk_a, day=day)
        assert text in exc.value.message_dict["date"][0]
    # Saturday 10 October 2026 is a make-up working day after the National Day holiday.
    add(personas.office_staff, hours.station_a, personas.clerk_a, day=datetime.date(2026, 10, 10))


def test_a_year_without_holiday_data_is_refused(hours: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        add(personas.office_staff, hours.station_a, personas.clerk_a, day=datetime.date(2031, 3, 3))
    assert "节假日数据未录入" in exc.value.message_dict["date"][0]


def test_times_must_lie_within_the_hall_hours(hours: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        add(personas.office_staff, hours.station_a, personas.clerk_a, start=T(8))
    assert "09:00—12:00" in exc.value.message_dict["start"][0]
    with pytest.raises(ValidationError) as exc:
        add(personas.office_staff, hours.station_a, personas.clerk_a, start=T(11), end=T(10))
    assert "晚于" in exc.value.message_dict["end"][0]
    set_hours(hours.station_b, afternoon=False)
    hours.station_b.afternoon_open = hours.station_b.afternoon_close = None
    hours.station_b.save()
    with pytest.raises(ValidationError) as exc:
        add(personas.office_staff, hours.station_b, personas.clerk_b, session=Session.AFTERNOON)
    assert "未设置下午坐班时间" in exc.value.message_dict["session"][0]


def test_gaps_list_the_uncovered_sessions(hours: Tree, personas: Personas) -> None:
    for offset in range(5):
        day = MONDAY + datetime.timedelta(days=offset)
        add(personas.office_staff, hours.station_a, personas.clerk_a, day=day)
        if offset != 2:
            add(personas.office_staff, hours.station_a, personas.clerk_b, day=day, session=Session.AFTERNOON)
    # Thursday afternoon is covered only until 15:00: still a gap.
    DutyShift.objects.filter(date=MONDAY + datetime.timedelta(days=3), session=Session.AFTERNOON).update(
        end=T(15)
    )
    gaps = selectors.gaps(hours.station_a, MONDAY, MONDAY + datetime.timedelta(days=6))
    assert [(g.date.day, g.session) for g in gaps] == [(2, Session.AFTERNOON), (3, Session.AFTERNOON)]
    assert gaps[0].text == "2026年12月02日（星期三）下午 14:00—17:30 无人值班"
    # The holiday week around 1 October has gaps only on working days (and on the make-up Saturday).
    october = selectors.gaps(hours.station_a, datetime.date(2026, 10, 1), datetime.date(2026, 10, 11))
    assert sorted({g.date.day for g in october}) == [8, 9, 10]


def test_conflicts_already_stored_are_shown(hours: Tree, personas: Personas) -> None:
    add(personas.office_staff, hours.station_a, personas.clerk_a)
    DutyShift.objects.create(node=hours.station_b, date=MONDAY, session=Session.MORNING, person=personas.clerk_a,
                             post=Post.RECEPTION, start=T(10), end=T(11))  # fmt: skip
    found = selectors.conflicts(hours.station_a, MONDAY, MONDAY + datetime.timedelta(days=6))
    assert found and hours.station_b.name in found[0]


def test_who_may_arrange(hours: Tree, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        add(personas.clerk_a, hours.station_a, personas.clerk_a)
    with pytest.raises(PermissionDenied):
        add(personas.office_staff, hours.station_c, personas.clerk_a)  # a cousin office's station
    with pytest.raises(PermissionDenied):
        add(personas.other_district_admin, hours.station_a, personas.clerk_a)
    add(personas.district_admin, hours.station_c, personas.clerk_a)


def test_copy_week_skips_holidays(hours: Tree, personas: Personas) -> None:
    source = datetime.date(2026, 9, 14)
    for offset in range(5):
        add(
            personas.office_staff,
            hours.station_a,
            personas.clerk_a,
            day=source + datetime.timedelta(days=offset),
        )
    created, skipped = services.roster_copy_week(
        actor=personas.office_staff, node=hours.station_a, source_monday=source,
        target_monday=datetime.date(2026, 9, 28),
    )  # fmt: skip
    # 28–30 September are working days; 1–2 October are the National Day holiday.
    assert [s.date.day for s in created] == [28, 29, 30]
    assert len(skipped) == 2 and "不是工作日" in skipped[0]


# --- subsidy -------------------------------------------------------------------------------------------


def test_subsidy_uses_the_standard_in_force_nearest_first(hours: Tree, personas: Personas) -> None:
    personas.clerk_b.staff_category = StaffCategory.LAWYER
    personas.clerk_b.save()
    SubsidyStandard.objects.create(node=hours.city, per_session=decimal.Decimal("30"),
                                   effective_from=datetime.date(2020, 1, 1))  # fmt: skip
    SubsidyStandard.objects.create(node=hours.district, per_session=decimal.Decimal("50"),
                                   effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2026, 12, 2))  # fmt: skip
    SubsidyStandard.objects.create(node=hours.district, per_session=decimal.Decimal("60"),
                                   effective_from=datetime.date(2026, 12, 3))  # fmt: skip
    SubsidyStandard.objects.create(node=hours.district, staff_category=StaffCategory.LAWYER,
                                   per_session=decimal.Decimal("80"), effective_from=datetime.date(2026, 1, 1))  # fmt: skip
    SubsidyStandard.objects.create(node=hours.other_district, per_session=decimal.Decimal("999"),
                                   effective_from=datetime.date(2020, 1, 1))  # fmt: skip
    for offset in range(5):  # 11-30 (November) and 12-01 … 12-04
        day = MONDAY + datetime.timedelta(days=offset)
        add(personas.office_staff, hours.station_a, personas.clerk_a, day=day)
        add(personas.office_staff, hours.station_b, personas.clerk_b, day=day, session=Session.AFTERNOON)
    add(personas.office_staff, hours.station_a, personas.clerk_a, day=MONDAY + datetime.timedelta(days=1),
        session=Session.AFTERNOON)  # fmt: skip
    lines = {line.person.username: line for line in selectors.subsidy_sheet(hours.district, 2026, 12)}
    # clerk_a: 12-01 ×2 and 12-02 at 50, 12-03 and 12-04 at 60.
    assert (lines["clerk_a"].sessions, lines["clerk_a"].amount) == (5, decimal.Decimal("270.00"))
    assert (lines["clerk_b"].sessions, lines["clerk_b"].amount) == (4, decimal.Decimal("320.00"))
    november = selectors.subsidy_sheet(hours.district, 2026, 11)
    assert sum(x.amount for x in november) == decimal.Decimal("130.00")
    # Before the district had a standard the city's applies.
    assert selectors.rate(selectors.standards_for(hours.district), "", datetime.date(2025, 6, 3)) == 30
    # The other district's staff see nothing of 雁塔区.
    assert (
        client_for(personas.other_district_admin).get(f"/desk/duty/subsidy/{hours.district.pk}/").status_code
        == 404
    )
    response = client_for(personas.district_admin).get(
        f"/desk/duty/subsidy/{hours.district.pk}/?month=2026-12"
    )
    assert response.status_code == 200 and "590.00" in response.content.decode()
    response = client_for(personas.district_admin).get(
        f"/desk/duty/subsidy/{hours.district.pk}/export.xlsx?month=2026-12"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "雁塔区司法局" in str(values[1]) and "合计：2人，9个时段，590.00元" in values


# --- views and exports ---------------------------------------------------------------------------------


def test_roster_page_and_scoping(hours: Tree, personas: Personas) -> None:
    shift = add(personas.office_staff, hours.station_a, personas.clerk_a)
    url = f"/desk/duty/{hours.station_a.pk}/?week={MONDAY.isoformat()}"
    page = client_for(personas.clerk_a).get(url)
    assert (
        page.status_code == 200
        and "clerk_a" in page.content.decode()
        and "安排值班" not in page.content.decode()
    )
    assert client_for(personas.other_district_admin).get(url).status_code == 404
    assert client_for(personas.clerk_b).get(url).status_code == 404
    assert (
        client_for(personas.other_district_admin).post(f"/desk/duty/shift/{shift.pk}/remove/").status_code
        == 404
    )
    assert client_for(personas.clerk_a).post(f"/desk/duty/shift/{shift.pk}/remove/").status_code == 403
    assert client_for(personas.office_staff).post(f"/desk/duty/shift/{shift.pk}/remove/").status_code == 302
    assert not DutyShift.objects.exists()
    assert client_for(personas.office_staff).get(f"/desk/duty/{hours.office.pk}/").status_code == 404


def test_bad_input_gets_chinese_messages(hours: Tree, personas: Personas) -> None:
    client = client_for(personas.office_staff)
    url = f"/desk/duty/{hours.station_a.pk}/"
    response = client.post(url, {"date": "", "session": "morning", "person": "", "post": "reception"})
    text = response.content.decode()
    assert response.status_code == 400 and "请填写日期。" in text and "请选择值班人员。" in text
    response = client.post(url, {"date": "2026-10-01", "session": "morning", "person": personas.clerk_a.pk,
                                 "post": "reception"})  # fmt: skip
    assert response.status_code == 400 and "不是工作日" in response.content.decode()
    # A person from another district cannot be chosen.
    response = client.post(url, {"date": MONDAY.isoformat(), "session": "morning",
                                 "person": personas.other_district_admin.pk, "post": "reception"})  # fmt: skip
    assert response.status_code == 400 and "所选人员不能在本平台值班" in response.content.decode()
    response = client.post(url, {"date": MONDAY.isoformat(), "session": "morning", "person": personas.clerk_a.pk,
                                 "post": "reception", "duty": "接待来访"})  # fmt: skip
    assert response.status_code == 302 and DutyShift.objects.count() == 1


def test_roster_exports(hours: Tree, personas: Personas, tmp_path: Path) -> None:
    add(personas.office_staff, hours.station_a, personas.clerk_a, duty="接待来访、登记台帐")
    client = client_for(personas.clerk_a)
    base = f"/desk/duty/{hours.station_a.pk}"
    response = client.get(f"{base}/roster.xlsx?week=2026-12-02")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "小寨路街道公共法律服务站值班安排表"
    assert "2026年11月30日—12月06日" in str(rows[1][0])
    assert ("11月30日 星期一", "上午", "09:00—12:00", "clerk_a", "窗口接待", "接待来访、登记台帐") in rows
    assert "无人值班时段：9个" in str(rows[-1][0])
    response = client.get(f"{base}/roster.pdf?week=2026-12-02")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "roster.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "小寨路街道公共法律服务站值班安排表" in text and "clerk_a" in text and "2026年11月30日" in text
    assert client_for(personas.other_district_admin).get(f"{base}/roster.pdf").status_code == 404
    assert client_for(personas.other_district_admin).get(f"{base}/roster.xlsx").status_code == 404


def test_a_standard_is_set_by_a_bureau(hours: Tree) -> None:
    standard = SubsidyStandard(node=hours.station_a, per_session=decimal.Decimal("50"),
                               effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2025, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        standard.full_clean()
    assert "补助标准由市司法局或区(县)司法局制定。" in exc.value.message_dict["node"]
    assert "截止日期不能早于生效日期。" in exc.value.message_dict["effective_to"]


def test_copy_week_page(hours: Tree, personas: Personas) -> None:
    add(personas.office_staff, hours.station_a, personas.clerk_a)
    client = client_for(personas.office_staff)
    response = client.post(
        f"/desk/duty/{hours.station_a.pk}/copy/", {"week": MONDAY.isoformat(), "target": "2026-12-09"}
    )
    assert response.status_code == 302 and "week=2026-12-07" in response["Location"]
    assert DutyShift.objects.filter(date=datetime.date(2026, 12, 7), person=personas.clerk_a).exists()
    assert client_for(personas.clerk_a).post(f"/desk/duty/{hours.station_a.pk}/copy/",
                                             {"week": MONDAY.isoformat(), "target": "2026-12-16"}).status_code == 403  # fmt: skip
