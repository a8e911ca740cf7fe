"""The bureaus' staff and their training (五(二)1–2, 四(五)): a district admin opens accounts at units of their
district, grants and withdraws the ordinary roles there and disables their staff's accounts — never a separated
(三员分立) or a city role, never at a node of another district; courses and attendance, the board of staff below
the year's hours and its Excel, the 队伍建设 figures with their drill-down; 404s for every other organisation."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.accounts import services as accounts
from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.core import clock
from lawdesk.core.models import AuditLog
from lawdesk.staff import selectors, services
from lawdesk.staff.models import Attendance, Course, StaffProfile
from lawdesk.stats import indicators
from tests.conftest import Personas, Tree, client_for

PASSWORD = "Xian-staff-2026!"


def worker(
    tree: Tree, actor: Any = None, *, username: str = "wangwu", node: Any = None, **extra: Any
) -> User:
    fields: dict[str, Any] = {
        "username": username, "full_name": "王五", "phone": "13912345678", "staff_category": "lawyer",
        "node": node or tree.station_a, "post": "窗口接待", "duty": "来访登记与咨询", "password": PASSWORD,
    }  # fmt: skip
    fields.update(extra)
    return services.staff_create(actor=actor, **fields)


def course(
    tree: Tree, actor: Any = None, *, organiser: Any = None, hours: str = "16", days_ago: int = 3
) -> Course:
    day = clock.today() - datetime.timedelta(days=days_ago)
    return services.course_create(
        actor=actor, title="民法典专题培训", organiser=organiser or tree.district, kind="business", start=day,
        end=day, hours=Decimal(hours), place="区局会议室",
    )  # fmt: skip


# --- accounts: create, roles, disable -------------------------------------------------------------------------


def test_a_district_admin_opens_an_account_at_a_unit_of_their_district(
    tree: Tree, personas: Personas
) -> None:
    user = worker(tree, personas.district_admin)
    assert user.staff_profile.node == tree.station_a and user.staff_profile.post == "窗口接待"
    assert user.check_password(PASSWORD) and user.get_staff_category_display() == "律师"
    assert (
        user.password_changed_at == accounts.MUST_CHANGE_AT_LOGIN
    )  # changed by its owner at the first login
    rows = AuditLog.objects.filter(action="staff.create")
    assert [(r.actor_id, r.object_id, r.node_id) for r in rows] == [
        (personas.district_admin.pk, str(user.pk), tree.station_a.pk)
    ]
    assert "13912345678" not in str(rows[0].data)


def test_no_account_is_opened_in_another_district(tree: Tree, personas: Personas) -> None:
    with pytest.raises(PermissionDenied, match="本辖区"):
        worker(tree, personas.other_district_admin)
    with pytest.raises(PermissionDenied, match="区\\(县\\)司法局管理员"):
        worker(tree, personas.office_staff)
    assert not User.objects.filter(username="wangwu").exists()


def test_a_wrong_form_names_each_field_in_chinese_and_saves_nothing(tree: Tree, personas: Personas) -> None:
    worker(tree, personas.district_admin, username="taken")
    with pytest.raises(ValidationError) as caught:
        worker(
            tree, personas.district_admin, username="Taken", full_name=" ", phone="12", staff_category="x",
            post="", password="short",
        )  # fmt: skip
    errors = caught.value.message_dict
    assert set(errors) == {"username", "full_name", "phone", "staff_category", "post", "password"}
    assert "已被使用" in errors["username"][0] and "姓名" in errors["full_name"][0]
    assert "人员类别" in errors["staff_category"][0] and "岗位" in errors["post"][0]
    assert all(m.startswith("初始密码") for m in errors["password"])
    assert User.objects.count() == User.objects.filter(username__in=["taken"]).count() + len(
        personas.__dict__
    )
    assert StaffProfile.objects.count() == 1


def test_roles_are_granted_and_withdrawn_only_at_nodes_of_the_admins_subtree(
    tree: Tree, personas: Personas
) -> None:
    user = worker(tree, personas.district_admin)
    granted = accounts.role_assign(
        actor=personas.district_admin, user=user, role=Role.WINDOW_CLERK, node=tree.station_a
    )
    row = AuditLog.objects.get(action="role_assign", object_id=str(granted.pk))
    assert row.actor_id == personas.district_admin.pk and row.node_id == tree.station_a.pk
    with pytest.raises(PermissionDenied, match="本辖区"):
        accounts.role_assign(
            actor=personas.district_admin, user=user, role=Role.WINDOW_CLERK, node=tree.station_d
        )
    with pytest.raises(PermissionDenied, match="本辖区"):
        accounts.role_revoke(actor=personas.other_district_admin, assignment=granted)
    accounts.role_revoke(actor=personas.district_admin, assignment=granted)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert AuditLog.objects.filter(action="role_revoke", actor=personas.district_admin).count() == 1


@pytest.mark.parametrize(
    ("role", "node", "refusal"),
    [
        (Role.SYSTEM_ADMIN, "city", "三员分立"),
        (Role.AUDITOR, "district", "三员分立"),
        (Role.SECURITY_ADMIN, "city", "三员分立"),
        (Role.CITY_ADMIN, "city", "系统管理员"),
        (Role.DISTRICT_ADMIN, "district", "市局管理员"),
        (Role.LEADER, "city", "本辖区"),
    ],
)
def test_a_district_admin_never_grants_separated_city_or_their_own_roles(
    tree: Tree, personas: Personas, role: str, node: str, refusal: str
) -> None:
    user = worker(tree, personas.district_admin)
    with pytest.raises(PermissionDenied, match=refusal):
        accounts.role_assign(actor=personas.district_admin, user=user, role=role, node=getattr(tree, node))
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_the_city_admin_makes_district_admins_and_the_node_kinds_still_hold(
    tree: Tree, personas: Personas
) -> None:
    user = worker(tree, personas.city_admin, node=tree.other_district)
    accounts.role_assign(
        actor=personas.city_admin, user=user, role=Role.DISTRICT_ADMIN, node=tree.other_district
    )
    with pytest.raises(ValidationError) as caught:
        accounts.role_assign(
            actor=personas.city_admin, user=user, role=Role.OFFICE_STAFF, node=tree.station_d
        )
    assert "司法所" in caught.value.message_dict["node"][0]
    with pytest.raises(PermissionDenied, match="系统管理员"):
        accounts.role_assign(actor=personas.city_admin, user=user, role=Role.CITY_ADMIN, node=tree.city)


def test_a_bureau_admin_never_touches_a_system_admins_account(tree: Tree, personas: Personas) -> None:
    user = worker(tree, personas.city_admin, node=tree.city)
    accounts.role_assign(actor=personas.system_admin, user=user, role=Role.SYSTEM_ADMIN, node=tree.city)
    with pytest.raises(PermissionDenied, match="三员分立"):
        accounts.role_assign(actor=personas.city_admin, user=user, role=Role.LEADER, node=tree.city)


def test_an_account_with_a_role_elsewhere_is_not_the_district_admins(tree: Tree, personas: Personas) -> None:
    user = worker(tree, personas.district_admin)
    accounts.role_assign(actor=personas.city_admin, user=user, role=Role.WINDOW_CLERK, node=tree.station_d)
    with pytest.raises(PermissionDenied, match="本辖区以外"):
        accounts.role_assign(
            actor=personas.district_admin, user=user, role=Role.WINDOW_CLERK, node=tree.station_a
        )
    with pytest.raises(PermissionDenied, match="本辖区以外"):
        accounts.user_deactivate(actor=personas.district_admin, user=user)


def test_a_district_admin_disables_their_staffs_account_once_audited(tree: Tree, personas: Personas) -> None:
    accounts.user_deactivate(actor=personas.district_admin, user=personas.clerk_a)
    personas.clerk_a.refresh_from_db()
    assert not personas.clerk_a.is_active
    assert AuditLog.objects.filter(action="user_deactivate", actor=personas.district_admin).count() == 1
    with pytest.raises(PermissionDenied):
        accounts.user_deactivate(actor=personas.other_district_admin, user=personas.clerk_b)
    with pytest.raises(PermissionDenied):
        accounts.user_deactivate(actor=personas.district_admin, user=personas.city_admin)


# --- training -----------------------------------------------------------------------------------------------


def test_attendance_is_counted_at_the_workers_unit_on_the_courses_last_day(
    tree: Tree, personas: Personas
) -> None:
    user = worker(tree, personas.district_admin)
    c = course(tree, personas.district_admin)
    a = services.attendance_record(
        actor=personas.district_admin, course=c, user=user, hours=Decimal("16"), certificate_number="PX-1"
    )
    assert (a.node, a.date, a.hours, a.passed) == (tree.station_a, c.end, Decimal("16"), True)
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(actor=personas.district_admin, course=c, user=user, hours=Decimal("20"))
    assert "已登记过" in caught.value.message_dict["user"][0]
    assert "不能超过本次培训的学时" in caught.value.message_dict["hours"][0]
    assert Attendance.objects.count() == 1


def test_attendance_of_another_districts_worker_or_course_is_refused(tree: Tree, personas: Personas) -> None:
    mine = worker(tree, personas.district_admin)
    theirs = worker(tree, personas.other_district_admin, username="zhaoliu", node=tree.station_d)
    their_course = course(tree, personas.other_district_admin, organiser=tree.other_district)
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=personas.district_admin, course=their_course, user=mine, hours=Decimal(1)
        )
    my_course = course(tree, personas.district_admin)
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=personas.district_admin, course=my_course, user=theirs, hours=Decimal(1)
        )
    assert not Attendance.objects.exists()


def test_a_city_course_is_attended_by_every_districts_staff(tree: Tree, personas: Personas) -> None:
    city_course = course(tree, personas.city_admin, organiser=tree.city)
    mine = worker(tree, personas.district_admin)
    services.attendance_record(actor=personas.district_admin, course=city_course, user=mine, hours=Decimal(8))
    assert selectors.get_course_for(personas.other_district_admin, city_course.pk) == city_course
    assert not selectors.attendances_for(personas.other_district_admin).exists()


def test_the_board_lists_staff_below_the_years_hours(tree: Tree, personas: Personas) -> None:
    admin = personas.district_admin
    done, behind = worker(tree, admin), worker(tree, admin, username="lisi", full_name="李四")
    first, second = course(tree, admin, hours="30"), course(tree, admin, hours="12")
    for c in (first, second):
        services.attendance_record(actor=admin, course=c, user=done, hours=c.hours)
    services.attendance_record(actor=admin, course=first, user=behind, hours=Decimal("10"))
    board = selectors.hours_board(admin, clock.today().year)
    assert behind in [r.user for r in board] and done not in [r.user for r in board]
    assert next(r for r in board if r.user == behind).missing == Decimal("30")
    services.training_requirement_set(actor=personas.city_admin, annual_hours=Decimal("50"))
    assert done in [r.user for r in selectors.hours_board(admin, clock.today().year)]
    with pytest.raises(PermissionDenied):
        services.training_requirement_set(actor=admin, annual_hours=Decimal("10"))
    with pytest.raises(ValidationError) as caught:
        services.training_requirement_set(actor=personas.city_admin, annual_hours=Decimal("-1"))
    assert "每年应完成学时" in caught.value.message_dict["annual_hours"][0]
    assert selectors.required_hours() == Decimal("50")


def test_a_course_with_wrong_dates_and_hours_names_the_fields(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.course_create(
            actor=personas.district_admin, title="", organiser=tree.district, kind="nope",
            start=clock.today(), end=clock.today() - datetime.timedelta(days=1), hours=Decimal(0),
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"title", "kind", "end", "hours"}
    assert not Course.objects.exists()


# --- the figures ------------------------------------------------------------------------------------------


def test_training_figures_add_up_per_platform_and_drill_down_to_the_attendance(
    tree: Tree, personas: Personas
) -> None:
    admin = personas.district_admin
    user = worker(tree, admin)
    other = worker(tree, admin, username="lisi", full_name="李四", node=tree.station_b)
    c = course(tree, admin, hours="6", days_ago=0)
    services.attendance_record(actor=admin, course=c, user=user, hours=Decimal("6"))
    services.attendance_record(actor=admin, course=c, user=other, hours=Decimal("2.5"), passed=False)
    start, end = c.end.replace(day=1), c.end + datetime.timedelta(days=1)
    hours = indicators.get("training_hours")
    assert isinstance(hours, indicators.Indicator)
    assert hours.total(tree.district.path, start, end) == 85  # 8.5 学时, stored in tenths
    assert hours.total(tree.station_a.path, start, end) == 60
    people, passed = indicators.get("training_attendances"), indicators.get("training_passed")
    assert isinstance(people, indicators.Indicator) and isinstance(passed, indicators.Indicator)
    assert (people.total(tree.office.path, start, end), passed.total(tree.office.path, start, end)) == (2, 1)
    month = f"{c.end:%Y-%m}"
    page = client_for(admin).get(reverse("stats:drill", args=[tree.office.pk, month, "training_hours"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "王五" in body and "李四" in body and reverse("staff:course", args=[c.pk]) in body
    refused = client_for(personas.other_district_admin).get(
        reverse("stats:drill", args=[tree.office.pk, month, "training_hours"])
    )
    assert refused.status_code == 404


# --- pages --------------------------------------------------------------------------------------------------


def test_the_staff_pages_work_end_to_end_for_a_district_admin(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.district_admin)
    page = client.post(
        reverse("staff:new"),
        {"username": "wangwu", "full_name": "王五", "phone": "13912345678", "staff_category": "grassroots_legal_worker",
         "node": tree.office.pk, "post": "值班", "duty": "", "password": PASSWORD},
    )  # fmt: skip
    user = User.objects.get(username="wangwu")
    assert page.status_code == 302 and page["Location"] == reverse("staff:detail", args=[user.pk])
    listing = client.get(reverse("staff:list"), {"q": "王五"}).content.decode()
    assert "王五" in listing and "139****5678" in listing and "13912345678" not in listing
    granted = client.post(
        reverse("staff:role_grant", args=[user.pk]), {"role": "office_staff", "node": tree.office.pk}
    )
    assert (
        granted.status_code == 302 and RoleAssignment.objects.filter(user=user, role="office_staff").exists()
    )
    refused = client.post(
        reverse("staff:role_grant", args=[user.pk]), {"role": "window_clerk", "node": tree.office.pk}
    )
    assert refused.status_code == 400 and "不能设在司法所" in refused.content.decode()
    detail = client.get(reverse("staff:detail", args=[user.pk])).content.decode()
    assert "司法所工作人员" in detail and "139****5678" in detail and "13912345678" not in detail
    kept = client.post(
        reverse("staff:detail", args=[user.pk]),
        {
            "full_name": "王五",
            "phone": "",
            "staff_category": "lawyer",
            "node": tree.office.pk,
            "post": "值班律师",
        },
    )
    user.refresh_from_db()
    assert kept.status_code == 302 and user.phone == "13912345678" and user.staff_profile.post == "值班律师"
    c = course(tree, personas.district_admin)
    recorded = client.post(
        reverse("staff:course", args=[c.pk]), {"user": user.pk, "hours": "8", "passed": "on"}
    )
    assert recorded.status_code == 302 and Attendance.objects.get(user=user).hours == Decimal("8")
    board = client.get(reverse("staff:board")).content.decode()
    assert "王五" in board
    export = client.get(reverse("staff:board_export"))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert "王五" in names
    assert AuditLog.objects.filter(action="export", actor=personas.district_admin).count() == 1
    deactivated = client.post(reverse("staff:deactivate", args=[user.pk]))
    assert deactivated.status_code == 302
    user.refresh_from_db()
    assert not user.is_active


def test_a_page_form_with_errors_says_so_in_chinese(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.district_admin)
    page = client.post(reverse("staff:new"), {"username": "x y", "full_name": "王五", "staff_category": "lawyer",
                                              "node": tree.office.pk, "post": "值班", "password": "a"})  # fmt: skip
    assert page.status_code == 400
    body = page.content.decode()
    assert "用户名只能包含" in body and "初始密码" in body
    assert not User.objects.filter(full_name="王五").exists()


def test_another_districts_admin_and_other_roles_get_404(tree: Tree, personas: Personas) -> None:
    user = worker(tree, personas.district_admin)
    assignment = accounts.role_assign(
        actor=personas.district_admin, user=user, role=Role.WINDOW_CLERK, node=tree.station_a
    )
    c = course(tree, personas.district_admin)
    other = client_for(personas.other_district_admin)
    for url in (
        reverse("staff:detail", args=[user.pk]),
        reverse("staff:course", args=[c.pk]),
    ):
        assert other.get(url).status_code == 404
    for url in (
        reverse("staff:role_grant", args=[user.pk]),
        reverse("staff:deactivate", args=[user.pk]),
        reverse("staff:role_revoke", args=[assignment.pk]),
    ):
        assert other.post(url, {"role": "window_clerk", "node": tree.station_d.pk}).status_code == 404
    assert "王五" not in other.get(reverse("staff:list")).content.decode()
    for persona in ("clerk_a", "office_staff", "leader", "system_admin", "auditor"):
        assert client_for(getattr(personas, persona)).get(reverse("staff:list")).status_code == 404
    user.refresh_from_db()
    assert user.is_active and RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_menu_shows_the_staff_pages_to_district_and_city_admins_only(
    tree: Tree, personas: Personas
) -> None:
    for persona, shown in (
        ("district_admin", True),
        ("city_admin", True),
        ("clerk_a", False),
        ("leader", False),
    ):
        home = client_for(getattr(personas, persona)).get(reverse("home")).content.decode()
        assert ('data-testid="staff-link"' in home) is shown, persona


def test_the_requirement_is_set_by_the_city_admin_on_the_board(tree: Tree, personas: Personas) -> None:
    assert (
        client_for(personas.district_admin)
        .post(reverse("staff:requirement"), {"annual_hours": "10"})
        .status_code
        == 403
    )
    response = client_for(personas.city_admin).post(reverse("staff:requirement"), {"annual_hours": "36"})
    assert response.status_code == 302 and selectors.required_hours() == Decimal("36")
