"""局长驻窗口 (七(三)): the seeded draw lands in working hours on a working day, rotation, check-in/out with the
matters received meanwhile, the compliance statuses, scoping and the Excel export."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from lawdesk.accounts.models import Role
from lawdesk.core.models import AuditLog
from lawdesk.leaderwindow import selectors, services
from lawdesk.leaderwindow.draw import (
    DEFAULT_AFTERNOON,
    DEFAULT_MORNING,
    HallHours,
    NoSlotError,
    draw_slot,
    parse_week,
)
from lawdesk.leaderwindow.models import WindowDraw, WindowVisit
from lawdesk.leaderwindow.tasks import BEAT_SCHEDULE, draw_next_week, next_monday
from lawdesk.matters import services as matter_services
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.models import Notification
from tests.conftest import Personas, Tree, client_for, make_user

T = datetime.time
D = datetime.date
HOURS = HallHours(morning=(T(9, 0), T(12, 0)), afternoon=(T(14, 0), T(17, 30)))
# Week 40 of 2026: Mon 28 Sep – Sun 4 Oct; National Day holidays from Thu 1 Oct.
NATIONAL_DAY_WEEK = D(2026, 9, 28)


def _inside(slot: Any, hours: HallHours) -> bool:
    return any(o <= slot.start and slot.end <= c for _, o, c in hours.halves())


def _minutes(slot: Any) -> int:
    return (slot.end.hour * 60 + slot.end.minute) - (slot.start.hour * 60 + slot.start.minute)


# --- the pure draw ----------------------------------------------------------------------------------------


def test_a_pinned_seed_gives_a_pinned_slot_inside_working_hours() -> None:
    days = [D(2026, 11, 30) + datetime.timedelta(days=i) for i in range(5)]
    slot = draw_slot(seed="yanta-2026-W49", days=days, hours=HOURS)
    assert slot == draw_slot(seed="yanta-2026-W49", days=days, hours=HOURS)  # reproducible
    assert slot.date in days
    assert _inside(slot, HOURS) and _minutes(slot) == 120
    assert (slot.date, slot.start, slot.end, slot.half) == _PINNED


_PINNED = (D(2026, 12, 2), T(15, 30), T(17, 30), "afternoon")


def test_seeded_draws_never_land_on_the_national_day_holiday(db: Any) -> None:
    days = services.working_days(NATIONAL_DAY_WEEK)
    assert days == [D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30)]
    seen_halves = set()
    for n in range(300):
        slot = draw_slot(seed=f"seed-{n}", days=days, hours=HOURS)
        assert slot.date in days
        assert _inside(slot, HOURS)
        assert slot.start.minute in (0, 30)
        seen_halves.add(slot.half)
    assert seen_halves == {"morning", "afternoon"}  # random between morning and afternoon


def test_the_week_after_counts_the_make_up_saturday(db: Any) -> None:
    days = services.working_days(D(2026, 10, 5))
    assert days == [D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)]  # Sat 10 Oct is a make-up workday


def test_a_week_without_working_days_and_too_short_hours_are_refused_in_chinese() -> None:
    with pytest.raises(NoSlotError, match="没有工作日"):
        draw_slot(seed="x", days=[], hours=HOURS)
    short = HallHours(morning=(T(9, 0), T(10, 30)), afternoon=None)
    with pytest.raises(NoSlotError, match="不足2小时"):
        draw_slot(seed="x", days=[D(2026, 11, 30)], hours=short)
    only_afternoon = HallHours(morning=(T(9, 0), T(10, 30)), afternoon=(T(14, 0), T(16, 0)))
    slot = draw_slot(seed="x", days=[D(2026, 11, 30)], hours=only_afternoon)
    assert (slot.start, slot.end, slot.half) == (T(14, 0), T(16, 0), "afternoon")


def test_a_draw_made_during_a_day_keeps_to_the_time_still_ahead() -> None:
    days = [D(2026, 11, 26), D(2026, 11, 27)]
    at_ten = datetime.datetime(2026, 11, 26, 10, 10)
    for n in range(200):
        slot = draw_slot(seed=f"k{n}", days=days, hours=HOURS, not_before=at_ten)
        if slot.date == D(2026, 11, 26):
            assert slot.half == "afternoon"  # 10:30 + 2h would pass the 12:00 close
            assert slot.start >= T(14, 0)
    late = datetime.datetime(2026, 11, 27, 15, 31)
    with pytest.raises(NoSlotError, match="已没有剩余的工作时间"):
        draw_slot(seed="x", days=days, hours=HOURS, not_before=late)
    assert draw_slot(
        seed="x", days=days, hours=HOURS, not_before=datetime.datetime(2026, 11, 27, 15, 30)
    ) == (draw_slot(seed="y", days=days, hours=HOURS, not_before=datetime.datetime(2026, 11, 27, 15, 30)))


def test_hall_hours_come_from_the_platform_or_the_defaults(tree: Tree) -> None:
    assert HallHours.of(tree.centre) == HallHours(DEFAULT_MORNING, DEFAULT_AFTERNOON)
    tree.centre.morning_open, tree.centre.morning_close = T(8, 30), T(11, 30)
    assert HallHours.of(tree.centre).morning == (T(8, 30), T(11, 30))


def test_parse_week() -> None:
    assert parse_week("2026-W49") == D(2026, 11, 30)
    assert parse_week("2026-12-03") == D(2026, 11, 30)
    with pytest.raises(NoSlotError, match="周次格式"):
        parse_week("下周")


# --- the draw service -------------------------------------------------------------------------------------

TODAY = D(2026, 11, 26)
W49 = D(2026, 11, 30)


def test_district_admin_draws_the_leader_is_told_and_the_seed_reproduces_the_slot(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    personas.leader.phone = "13800138000"
    personas.leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        draw = services.window_draw(
            actor=personas.district_admin, district=tree.district, week_start=W49, today=TODAY
        )
    assert draw.leader == personas.leader
    assert draw.platform == tree.centre
    assert W49 <= draw.date <= W49 + datetime.timedelta(days=4)
    assert _inside(draw, HallHours.of(tree.centre))
    again = services.reproduce(WindowDraw.objects.get(pk=draw.pk))
    assert (again.date, again.start, again.end) == (draw.date, draw.start, draw.end)
    notice = Notification.objects.get(user=personas.leader)
    assert "局长驻窗口" in notice.text and draw.slot_text in notice.text
    assert AuditLog.objects.filter(action="leader_window_drawn", object_id=str(draw.pk)).exists()


def test_a_week_under_way_is_drawn_from_its_remaining_days(tree: Tree, personas: Personas) -> None:
    for n in range(20):
        draw = services.window_draw(
            actor=personas.district_admin,
            district=tree.district,
            week_start=D(2026, 11, 23),
            seed=f"s{n}",
            reason="重抽" if n else "",
            today=TODAY,
        )
        assert draw.date in (D(2026, 11, 26), D(2026, 11, 27))
        again = services.reproduce(WindowDraw.objects.get(pk=draw.pk))
        assert (again.date, again.start, again.end, again.half) == (
            draw.date,
            draw.start,
            draw.end,
            draw.half,
        )
    with pytest.raises(ValidationError, match="已没有剩余的工作时间"):
        services.window_draw(
            actor=personas.district_admin,
            district=tree.district,
            week_start=D(2026, 11, 23),
            reason="重抽",
            today=D(2026, 11, 28),
        )


def test_rotation_goes_to_the_next_leader_each_week(tree: Tree, personas: Personas) -> None:
    second = make_user("leader2", Role.LEADER, tree.district)
    leaders = []
    for week in range(3):
        monday = W49 + datetime.timedelta(weeks=week)
        draw = services.window_draw(
            actor=personas.district_admin, district=tree.district, week_start=monday, today=TODAY
        )
        leaders.append(draw.leader)
    assert leaders == [personas.leader, second, personas.leader]


def test_a_second_draw_needs_a_reason_and_is_audited(tree: Tree, personas: Personas) -> None:
    first = services.window_draw(
        actor=personas.district_admin, district=tree.district, week_start=W49, seed="a", today=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        services.window_draw(
            actor=personas.district_admin, district=tree.district, week_start=W49, today=TODAY
        )
    assert "如需重抽请填写原因" in exc.value.messages[0]
    redrawn = services.window_draw(
        actor=personas.district_admin,
        district=tree.district,
        week_start=W49,
        seed="b",
        reason="领导当天参加市局会议",
        today=TODAY,
    )
    assert redrawn.pk == first.pk and redrawn.redraw_count == 1 and redrawn.leader == personas.leader
    log = AuditLog.objects.get(action="leader_window_redrawn")
    assert log.data["previous"]["seed"] == "a" and log.data["reason"] == "领导当天参加市局会议"
    assert WindowDraw.objects.count() == 1


def test_who_may_draw_and_what_is_refused(tree: Tree, personas: Personas) -> None:
    for actor in (personas.other_district_admin, personas.leader, personas.office_staff):
        with pytest.raises(PermissionDenied):
            services.window_draw(actor=actor, district=tree.district, week_start=W49, today=TODAY)
    services.window_draw(actor=personas.city_admin, district=tree.district, week_start=W49, today=TODAY)
    with pytest.raises(ValidationError, match="已经过去"):
        services.window_draw(
            actor=personas.district_admin, district=tree.district, week_start=D(2026, 11, 9), today=TODAY
        )
    with pytest.raises(ValidationError, match="尚未配置局领导"):
        services.window_draw(
            actor=personas.city_admin, district=tree.other_district, week_start=W49, today=TODAY
        )


# --- check-in, check-out, linked matters ------------------------------------------------------------------


def _local(day: D, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, T(hour, minute)))


def _past_draw(tree: Tree, personas: Personas, monday: D) -> WindowDraw:
    return services.window_draw(
        actor=personas.district_admin, district=tree.district, week_start=monday, today=monday
    )


def test_check_in_and_out_link_the_matters_received_meanwhile(tree: Tree, personas: Personas) -> None:
    monday = D(2026, 11, 16)
    draw = _past_draw(tree, personas, monday)
    day = draw.date
    centre_clerk = make_user("centre_clerk", Role.WINDOW_CLERK, tree.centre)
    for hour in (9, 10, 15):
        matter_services.visit_register(
            actor=centre_clerk,
            node=tree.centre,
            person_data=PersonInput(name=f"来访人{hour}", phone="13700137000"),
            matters=[MatterInput(kind="consultation", summary="劳动合同咨询")],
            received_at=_local(day, hour, 30),
        )
    admin = personas.district_admin
    visit = services.window_check_in(actor=admin, draw=draw, at=_local(day, 9))
    with pytest.raises(ValidationError, match="不能重复签到"):
        services.window_check_in(actor=personas.leader, draw=draw)
    with pytest.raises(ValidationError, match="签退时间须晚于签到时间"):
        services.window_check_out(actor=admin, draw=draw, at=_local(day, 8))
    visit = services.window_check_out(actor=admin, draw=draw, at=_local(day, 11, 15))
    assert visit.minutes == 135 and visit.is_met
    assert visit.matters.count() == 2  # 09:30 and 10:30, not 15:30
    assert AuditLog.objects.filter(action="leader_window_checked_out").exists()


def test_only_the_leader_or_a_district_admin_checks_in(tree: Tree, personas: Personas) -> None:
    draw = _past_draw(tree, personas, D(2026, 11, 16))
    for actor in (personas.clerk_a, personas.other_district_admin, personas.office_staff):
        with pytest.raises(PermissionDenied):
            services.window_check_in(actor=actor, draw=draw, at=_local(draw.date, 9))
    with pytest.raises(ValidationError, match="补录时间"):
        services.window_check_in(actor=personas.leader, draw=draw, at=_local(draw.date, 9))
    with pytest.raises(ValidationError, match="签到日期须在"):
        services.window_check_in(actor=personas.leader, draw=draw)  # now is outside that week
    with pytest.raises(ValidationError, match="尚未签到"):
        services.window_check_out(actor=personas.leader, draw=draw)


def test_compliance_statuses(tree: Tree, personas: Personas) -> None:
    make_user("xc_leader", Role.LEADER, tree.other_district)
    weeks = [D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 16)]
    met, short, _missed = (_past_draw(tree, personas, w) for w in weeks)
    admin = personas.district_admin
    services.window_check_in(actor=admin, draw=met, at=_local(met.date, 9))
    services.window_check_out(actor=admin, draw=met, at=_local(met.date, 11))
    services.window_check_in(actor=admin, draw=short, at=_local(short.date, 14))
    services.window_check_out(actor=admin, draw=short, at=_local(short.date, 15, 30))
    now = _local(TODAY, 10)
    future = D(2026, 11, 30)
    services.window_draw(actor=admin, district=tree.district, week_start=future, today=TODAY)
    rows = selectors.compliance_board(
        districts=[tree.district, tree.other_district],
        weeks=[*weeks, D(2026, 11, 23), future, D(2026, 9, 28), D(2026, 10, 5)],
        now=now,
    )
    yanta = [c.status for c in rows[0]]
    assert yanta[:5] == ["met", "short", "missed", "pending", "pending"]
    assert [c.label for c in rows[0][:3]] == ["达标", "不足", "未驻窗口"]
    xincheng = [c.status for c in rows[1]]
    assert xincheng[:3] == ["missed", "missed", "missed"]  # no draw at all counts as missed
    assert xincheng[3] == "pending"  # the current week is not over yet


# --- pages ------------------------------------------------------------------------------------------------


def test_pages_are_scoped_and_bad_input_gets_chinese(tree: Tree, personas: Personas) -> None:
    url = f"/desk/leader-window/district/{tree.district.pk}/"
    assert client_for(personas.district_admin).get(url).status_code == 200
    assert client_for(personas.leader).get(url).status_code == 200
    assert client_for(personas.city_admin).get(url).status_code == 200
    assert client_for(personas.other_district_admin).get(url).status_code == 404
    assert client_for(personas.office_staff).get(url).status_code == 404
    assert (
        client_for(personas.district_admin).get(f"/desk/leader-window/district/{tree.centre.pk}/").status_code
        == 404
    )
    # The index sends a district to its page and the city to the board.
    assert client_for(personas.district_admin).get("/desk/leader-window/")["Location"] == url
    assert (
        client_for(personas.city_admin).get("/desk/leader-window/")["Location"]
        == "/desk/leader-window/board/"
    )
    # Draws: only the district's managers; bad week in Chinese.
    draw_url = f"/desk/leader-window/district/{tree.district.pk}/draw/"
    assert client_for(personas.other_district_admin).post(draw_url, {"week": "2026-W50"}).status_code == 404
    assert client_for(personas.leader).post(draw_url, {"week": "2026-W50"}).status_code == 404
    response = client_for(personas.district_admin).post(draw_url, {"week": "下周"})
    assert response.status_code == 400 and "周次格式" in response.content.decode()
    response = client_for(personas.district_admin).post(draw_url, {"week": "2026-W50"})
    assert response.status_code == 302
    response = client_for(personas.district_admin).post(draw_url, {"week": "2026-W50"})
    assert response.status_code == 400 and "如需重抽请填写原因" in response.content.decode()


def test_board_city_sees_all_districts_a_district_its_own(tree: Tree, personas: Personas) -> None:
    board = "/desk/leader-window/board/"
    city = client_for(personas.city_admin).get(board).content.decode()
    assert "雁塔区司法局" in city and "新城区司法局" in city
    own = client_for(personas.district_admin).get(board).content.decode()
    assert "雁塔区司法局" in own and "新城区司法局" not in own
    assert (
        client_for(personas.district_admin).get(f"{board}?district={tree.other_district.pk}").status_code
        == 404
    )
    assert client_for(personas.office_staff).get(board).status_code == 404
    assert client_for(personas.clerk_a).get(board).status_code == 404
    bad = client_for(personas.city_admin).get(f"{board}?week=abc")
    assert bad.status_code == 400 and "周次格式" in bad.content.decode()


def test_board_excel_export(tree: Tree, personas: Personas) -> None:
    draw = _past_draw(tree, personas, D(2026, 11, 16))
    services.window_check_in(actor=personas.district_admin, draw=draw, at=_local(draw.date, 9))
    services.window_check_out(actor=personas.district_admin, draw=draw, at=_local(draw.date, 11, 30))
    response = client_for(personas.city_admin).get("/desk/leader-window/board.xlsx?week=2026-W47")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["A1"].value == "局长驻窗口情况表"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    yanta = [r for r in values if r[0] == "雁塔区司法局" and r[1] and "第47周" in str(r[1])]
    assert yanta and yanta[0][7] == 150 and yanta[0][9] == "达标"
    assert len([r for r in values if r[0] in ("雁塔区司法局", "新城区司法局")]) == 16  # 2 districts × 8 weeks
    assert "合计" in str(values[-1][0])
    assert (
        client_for(personas.other_district_admin)
        .get(f"/desk/leader-window/board.xlsx?district={tree.district.pk}")
        .status_code
        == 404
    )


# --- periodic work ----------------------------------------------------------------------------------------


def test_the_command_and_the_task_draw_next_week_for_every_district(
    tree: Tree, personas: Personas, capsys: Any
) -> None:
    assert BEAT_SCHEDULE["lawdesk-draw-leader-window"]["task"] == "lawdesk.leaderwindow.tasks.draw_next_week"
    call_command("draw_leader_window", "--week", "2026-W50")
    out = capsys.readouterr()
    assert "新抽签1个区(县)" in out.out and "新城区司法局" in out.err  # no leader there yet
    make_user("xc_leader", Role.LEADER, tree.other_district)
    call_command("draw_leader_window", "--week", "2026-W50")
    assert WindowDraw.objects.filter(week_start=D(2026, 12, 7)).count() == 2
    assert draw_next_week() == 2
    assert WindowDraw.objects.filter(week_start=next_monday(timezone.localdate())).count() == 2
    assert draw_next_week() == 0  # idempotent
    assert WindowVisit.objects.count() == 0


def test_check_in_and_out_through_the_pages(tree: Tree, personas: Personas) -> None:
    draw = _past_draw(tree, personas, D(2026, 11, 16))
    check_in = f"/desk/leader-window/draw/{draw.pk}/check-in/"
    check_out = f"/desk/leader-window/draw/{draw.pk}/check-out/"
    admin = client_for(personas.district_admin)
    assert client_for(personas.clerk_a).post(check_in).status_code == 404
    assert client_for(personas.other_district_admin).post(check_in).status_code == 404
    bad = admin.post(check_in, {"at": "昨天上午"})
    assert bad.status_code == 400 and "时间格式应为" in bad.content.decode()
    assert admin.post(check_in, {"at": f"{draw.date}T14:00"}).status_code == 302
    early = admin.post(check_out, {"at": f"{draw.date}T13:00"})
    assert early.status_code == 400 and "签退时间须晚于签到时间" in early.content.decode()
    assert admin.post(check_out, {"at": f"{draw.date}T15:00"}).status_code == 302
    visit = WindowVisit.objects.get(draw=draw)
    assert visit.minutes == 60 and visit.recorded_by == personas.district_admin
