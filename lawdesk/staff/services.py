"""Every change of the staff and their training goes through here; Chinese ValidationErrors name the field that is
wrong, and nothing is saved when one is raised. Roles and disabling an account are ``lawdesk.accounts.services``
(``role_assign``, ``role_revoke``, ``user_deactivate``), whose rules let a bureau admin act in their subtree."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import StaffCategory, User
from lawdesk.accounts.services import BUREAU_ADMIN_ROLES, MUST_CHANGE_AT_LOGIN, bureau_paths
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_phone
from lawdesk.orgs.models import OrgNode
from lawdesk.staff import selectors
from lawdesk.staff.models import Attendance, Course, CourseKind, StaffProfile, TrainingRequirement

MAX_COURSE_HOURS = Decimal("500")
MAX_ANNUAL_HOURS = Decimal("500")


def _require_admin_at(actor: Any, node: OrgNode, what: str) -> None:
    """``actor=None`` is the system itself (the demo loader)."""
    if actor is None:
        return
    if not bureau_paths(actor):
        raise PermissionDenied(f"只有区(县)司法局管理员或市局管理员可以{what}。")
    if not scoping.holds_at(actor, node, *BUREAU_ADMIN_ROLES):
        raise PermissionDenied(f"只能在本辖区内{what}（{node.name}不在本辖区）。")


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


@service(AuditAction.STAFF_CREATE)
def staff_create(
    *, actor: Any, username: str, full_name: str, phone: str, staff_category: str, node: OrgNode, post: str,
    duty: str = "", password: str, is_demo: bool = False,
) -> User:  # fmt: skip
    """Open a worker's account at a unit of the actor's subtree, with their profile. The initial password is
    checked by the site's rules, and the worker must change it at the first login (``is_demo``: the demo loader's
    account, with the demo's shared password)."""
    _require_admin_at(actor, node, "新建工作人员账号")
    username, full_name, phone, post = username.strip(), full_name.strip(), phone.strip(), post.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        _add(errors, "username", "请填写用户名。")
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            _add(errors, "username", "用户名只能包含字母、数字和 @ . + - _ 字符。")
        if len(username) > 150:
            _add(errors, "username", "用户名不能超过150个字符。")
        elif User.objects.filter(username__iexact=username).exists():
            _add(errors, "username", f"用户名“{username}”已被使用，请换一个。")
    if not full_name:
        _add(errors, "full_name", "请填写姓名。")
    if phone:
        try:
            validate_phone(phone)
        except ValidationError:
            _add(errors, "phone", "手机号格式不正确：应为11位手机号或带区号的固定电话。")
    if staff_category not in StaffCategory.values:
        _add(errors, "staff_category", "请选择人员类别。")
    if not node.is_active:
        _add(errors, "node", f"{node.name}已停用，不能在此建档。")
    if not post:
        _add(errors, "post", "请填写岗位。")
    if len(duty) > 200:
        _add(errors, "duty", "职责不能超过200个字。")
    if is_demo and actor is not None:
        raise PermissionDenied("演示账号只能由演示数据载入程序建立。")
    if not is_demo:  # a demo account takes the demo's one published password, like every demo user
        try:
            password_validation.validate_password(password, User(username=username, full_name=full_name))
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, "password", f"初始密码：{message}")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(
            username=username,
            full_name=full_name,
            phone=phone,
            staff_category=staff_category,
            is_demo=is_demo,
        )
        user.set_password(password)
        user.password_changed_at = MUST_CHANGE_AT_LOGIN  # the worker sets their own at the first login
        user.save()
        StaffProfile.objects.create(user=user, node=node, post=post, duty=duty.strip(), created_by=actor)
        audit(
            actor=actor,
            action=AuditAction.STAFF_CREATE,
            obj=user,
            node=node,
            data={"category": staff_category, "node": node.pk, "post": post},
        )
    return user


@service(AuditAction.STAFF_UPDATE)
def staff_update(
    *, actor: Any, user: User, full_name: str, phone: str, staff_category: str, node: OrgNode, post: str,
    duty: str = "",
) -> StaffProfile:  # fmt: skip
    """Change a worker's name, phone, category, unit, post and duty (a worker of the actor's subtree, moved to a
    unit of it)."""
    if actor is not None and not selectors.manages_worker(actor, user):
        raise PermissionDenied("只能修改本辖区工作人员的档案。")
    _require_admin_at(actor, node, "安排工作人员")
    full_name, phone, post = full_name.strip(), phone.strip(), post.strip()
    errors: dict[str, list[str]] = {}
    if not full_name:
        _add(errors, "full_name", "请填写姓名。")
    if phone:
        try:
            validate_phone(phone)
        except ValidationError:
            _add(errors, "phone", "手机号格式不正确：应为11位手机号或带区号的固定电话。")
    if staff_category not in StaffCategory.values:
        _add(errors, "staff_category", "请选择人员类别。")
    if not post:
        _add(errors, "post", "请填写岗位。")
    if len(duty) > 200:
        _add(errors, "duty", "职责不能超过200个字。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = [
            f for f, v in (("full_name", full_name), ("phone", phone), ("staff_category", staff_category))
            if getattr(locked, f) != v
        ]  # fmt: skip
        locked.full_name, locked.phone, locked.staff_category = full_name, phone, staff_category
        locked.save(update_fields=["full_name", "phone", "staff_category"])
        profile, _ = StaffProfile.objects.update_or_create(
            user=locked, defaults={"node": node, "post": post, "duty": duty.strip()}, create_defaults={
                "node": node, "post": post, "duty": duty.strip(), "created_by": actor},
        )  # fmt: skip
        audit(
            actor=actor,
            action=AuditAction.STAFF_UPDATE,
            obj=locked,
            node=node,
            data={"changed": changed, "node": node.pk, "post": post},
        )
    user.full_name, user.phone, user.staff_category = full_name, phone, staff_category
    return profile


# --- training -----------------------------------------------------------------------------------------------


@service(AuditAction.COURSE_CREATE)
def course_create(
    *, actor: Any, title: str, organiser: OrgNode, kind: str, start: datetime.date, end: datetime.date,
    hours: Decimal, place: str = "",
) -> Course:  # fmt: skip
    """Register a training or education course organised by a node of the actor's subtree."""
    _require_admin_at(actor, organiser, "登记培训")
    title = title.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        _add(errors, "title", "请填写培训名称。")
    if kind not in CourseKind.values:
        _add(errors, "kind", "请选择培训类型。")
    if end < start:
        _add(errors, "end", "结束日期不能早于开始日期。")
    if hours <= 0:
        _add(errors, "hours", "学时须大于0。")
    elif hours > MAX_COURSE_HOURS:
        _add(errors, "hours", f"学时不能超过{MAX_COURSE_HOURS}。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        course = Course.objects.create(
            title=title, organiser=organiser, kind=kind, start=start, end=end, hours=hours, place=place.strip(),
            created_by=actor,
        )  # fmt: skip
        audit(actor=actor, action=AuditAction.COURSE_CREATE, obj=course, node=organiser,
              data={"kind": kind, "hours": str(hours)})  # fmt: skip
    return course


@service(AuditAction.ATTENDANCE_RECORD)
def attendance_record(
    *, actor: Any, course: Course, user: User, hours: Decimal, passed: bool = True, certificate_number: str = "",
) -> Attendance:  # fmt: skip
    """Record that a worker of the actor's subtree attended a course (one organised in the subtree or above it):
    counted at the worker's unit on the course's last day."""
    if actor is not None:
        if not selectors.is_staff_admin(actor):
            raise PermissionDenied("只有区(县)司法局管理员或市局管理员可以登记参训记录。")
        if not selectors.courses_for(actor).filter(pk=course.pk).exists():
            raise PermissionDenied("只能为本辖区或上级组织的培训登记参训记录。")
    unit = selectors.unit_of(user)
    errors: dict[str, list[str]] = {}
    if unit is None:
        _add(errors, "user", f"{user}没有所在单位，请先为其建档或分配角色。")
    elif actor is not None and not scoping.holds_at(actor, unit, *BUREAU_ADMIN_ROLES):
        raise PermissionDenied("只能为本辖区的工作人员登记参训记录。")
    if not user.is_active:
        _add(errors, "user", f"{user}的账号已停用。")
    if Attendance.objects.filter(course=course, user=user).exists():
        _add(errors, "user", f"{user}已登记过本次培训。")
    if hours < 0:
        _add(errors, "hours", "获得学时不能为负数。")
    elif hours > course.hours:
        _add(errors, "hours", f"获得学时不能超过本次培训的学时（{course.hours}）。")
    certificate_number = certificate_number.strip()
    if len(certificate_number) > 50:
        _add(errors, "certificate_number", "证书编号不能超过50个字符。")
    if errors:
        raise ValidationError(errors)
    assert unit is not None
    with transaction.atomic():
        attendance = Attendance.objects.create(
            course=course, user=user, node=unit, date=course.end, hours=hours, passed=passed,
            certificate_number=certificate_number, recorded_by=actor,
        )  # fmt: skip
        audit(
            actor=actor,
            action=AuditAction.ATTENDANCE_RECORD,
            obj=attendance,
            node=unit,
            data={"course": course.pk, "hours": str(hours), "passed": passed},
        )
    return attendance


@service(AuditAction.TRAINING_REQUIREMENT_SET)
def training_requirement_set(*, actor: Any, annual_hours: Decimal) -> TrainingRequirement:
    """Set the hours every worker must earn a year (one for the whole city: the city admin's)."""
    if actor is not None and not selectors.is_city_admin(actor):
        raise PermissionDenied("只有市局管理员可以设置年度培训学时要求。")
    if annual_hours < 0 or annual_hours > MAX_ANNUAL_HOURS:
        raise ValidationError({"annual_hours": f"每年应完成学时须在0至{MAX_ANNUAL_HOURS}之间。"})
    with transaction.atomic():
        row = TrainingRequirement.objects.select_for_update().order_by("pk").first()
        before = str(row.annual_hours) if row is not None else ""
        if row is None:
            row = TrainingRequirement(annual_hours=annual_hours, updated_by=actor)
        row.annual_hours = annual_hours
        row.updated_by = actor
        row.save()
        audit(actor=actor, action=AuditAction.TRAINING_REQUIREMENT_SET, obj=row,
              data={"before": before, "after": str(annual_hours)})  # fmt: skip
    return row
