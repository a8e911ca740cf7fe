"""Changes to duty rosters. Keyword-only, one transaction each, audited; every message is Chinese.

Rules (四(五)2): a shift lies on a working day (China's public holidays and make-up workdays, as the working-day
calendar knows them) within one of the platform's hall-hour sessions; nobody is on duty in two places at
overlapping times anywhere in the city; only office staff (for their stations) and district/city admins (for their
subtree) arrange duty, and a platform out of reach answers 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.duty.models import DutyShift, Session
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.workcal.workdays import WorkCalendar

ONE_DAY = datetime.timedelta(days=1)


def session_hours(node: OrgNode, session: str) -> tuple[datetime.time, datetime.time] | None:
    """The platform's hall hours for a session, or None when the platform is closed then (hours not set)."""
    if session == Session.MORNING:
        opens, closes = node.morning_open, node.morning_close
    else:
        opens, closes = node.afternoon_open, node.afternoon_close
    if opens is None or closes is None:
        return None
    return opens, closes


def sessions_of(node: OrgNode) -> list[str]:
    return [s for s in Session.values if session_hours(node, s) is not None]


def can_arrange(actor: Any, node: OrgNode) -> bool:
    """Office staff for their stations, district and city admins for their subtree."""
    return scoping.can_edit_facilities(actor, node)


def platform_for(actor: Any, pk: Any) -> OrgNode:
    """A platform the actor may see, or 404."""
    node = node_access.get_node_for(actor, pk)
    if not node.is_platform:
        raise Http404("没有找到该平台，或您无权查看。")
    return node


def district_of(node: OrgNode) -> OrgNode | None:
    """The district bureau above ``node`` (or the node itself)."""
    from lawdesk.orgs.rules import NodeKind

    return (
        OrgNode.objects.filter(path__in=[*node.ancestor_paths(), node.path], kind=NodeKind.DISTRICT_BUREAU)
        .order_by("-depth")
        .first()
    )


def eligible_people(node: OrgNode) -> list[User]:
    """Who may be put on duty at a platform: people holding a role anywhere in its district (window clerks,
    office staff, volunteers registered as users), and handlers of institutions registered there."""
    from django.db.models import Q

    district = district_of(node) or node
    at_nodes = scoping.users_holding(within=district, people_only=True).values("pk")
    at_institutions = scoping.users_holding(at_institutions_within=district, people_only=True).values("pk")
    return list(
        User.objects.filter(Q(pk__in=at_nodes) | Q(pk__in=at_institutions)).order_by("full_name", "username")
    )


def conflicts_for(
    *, person: User, date: datetime.date, start: datetime.time, end: datetime.time, exclude: int | None = None
) -> list[DutyShift]:
    """The person's shifts anywhere in the city overlapping ``start``–``end`` on ``date``."""
    qs = DutyShift.objects.filter(person=person, date=date, start__lt=end, end__gt=start).select_related(
        "node"
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(qs)


def check_date(date: datetime.date, calendar: WorkCalendar | None = None) -> str:
    """Why no duty may be arranged on ``date`` (a weekend, a public holiday, a year without holiday data), or ""."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_known_year(date.year):
        return f"{date.year}年节假日数据未录入，无法确认是否为工作日，请先录入节假日安排。"
    if not calendar.is_working_day(date):
        return f"{date:%Y年%m月%d日}不是工作日（周末或法定节假日），不安排值班。"
    return ""


def check_shift(
    *,
    node: OrgNode,
    date: datetime.date,
    session: str,
    person: User | None,
    start: datetime.time | None = None,
    end: datetime.time | None = None,
    calendar: WorkCalendar | None = None,
) -> tuple[datetime.time, datetime.time]:
    """Validate a shift; return its hours (the session's hall hours when not given). Raises ValidationError."""
    errors: dict[str, list[str]] = {}
    calendar = calendar or WorkCalendar()
    if not node.is_platform:
        raise ValidationError("只有公共法律服务中心（站）才安排值班。")
    date_error = check_date(date, calendar)
    if date_error:
        errors.setdefault("date", []).append(date_error)
    hours = session_hours(node, session)
    if session not in Session.values:
        errors.setdefault("session", []).append("请选择上午或下午。")
    elif hours is None:
        label = Session(session).label
        errors.setdefault("session", []).append(
            f"{node.name}未设置{label}坐班时间，请先在组织机构中填写与政务大厅相同的坐班时间。"
        )
    if hours is not None:
        start = start or hours[0]
        end = end or hours[1]
        if start >= end:
            errors.setdefault("end", []).append("结束时间应晚于开始时间。")
        elif start < hours[0] or end > hours[1]:
            errors.setdefault("start", []).append(
                f"值班时间须在坐班时间{hours[0]:%H:%M}—{hours[1]:%H:%M}之内。"
            )
    if person is None:
        errors.setdefault("person", []).append("请选择值班人员。")
    elif not person.is_active:
        errors.setdefault("person", []).append(f"{person}已停用，不能安排值班。")
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None and person is not None
    clashes = conflicts_for(person=person, date=date, start=start, end=end)
    if clashes:
        where = "；".join(f"{c.node.name} {c.hours_text}" for c in clashes)
        raise ValidationError(
            {
                "person": [
                    f"{person}在{date:%Y年%m月%d日}同一时间已在别处值班：{where}。一人不能同时在两处值班。"
                ]
            },
            code="conflict",
        )
    return start, end


@service(AuditAction.DUTY_SHIFT_ADD)
def shift_add(
    *,
    actor: Any,
    node: OrgNode,
    date: datetime.date,
    session: str,
    person: User | None,
    post: str,
    duty: str = "",
    start: datetime.time | None = None,
    end: datetime.time | None = None,
) -> DutyShift:
    if not can_arrange(actor, node):
        raise PermissionDenied("您无权安排该平台的值班。")
    with transaction.atomic():
        # Serialise on the person, so two clerks cannot put one person in two places at once.
        if person is not None:
            User.objects.select_for_update().filter(pk=person.pk).first()
        start, end = check_shift(node=node, date=date, session=session, person=person, start=start, end=end)
        assert person is not None
        shift = DutyShift.objects.create(
            node=node,
            date=date,
            session=session,
            person=person,
            post=post,
            duty=duty.strip(),
            start=start,
            end=end,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="duty.shift_add",
            obj=shift,
            node=node,
            data={"date": date.isoformat(), "session": session, "person": person.pk, "post": post},
        )
    return shift


@service(AuditAction.DUTY_SHIFT_REMOVE)
def shift_remove(*, actor: Any, shift: DutyShift) -> None:
    if not can_arrange(actor, shift.node):
        raise PermissionDenied("您无权调整该平台的值班。")
    with transaction.atomic():
        audit(
            actor=actor,
            action="duty.shift_remove",
            obj=shift,
            node=shift.node,
            data={"date": shift.date.isoformat(), "session": shift.session, "person": shift.person_id},
        )
        shift.delete()


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@service(AuditAction.DUTY_ROSTER_COPY)
def roster_copy_week(
    *, actor: Any, node: OrgNode, source_monday: datetime.date, target_monday: datetime.date
) -> tuple[list[DutyShift], list[str]]:
    """Copy one week's shifts at a platform to another week, weekday to weekday. Shifts that would fall on a
    holiday or clash with the person's other duty are skipped and explained; the rest are created."""
    if not can_arrange(actor, node):
        raise PermissionDenied("您无权安排该平台的值班。")
    created: list[DutyShift] = []
    skipped: list[str] = []
    offset = target_monday - source_monday
    source = DutyShift.objects.filter(
        node=node, date__gte=source_monday, date__lt=source_monday + 7 * ONE_DAY
    ).select_related("person")
    for shift in source:
        day = shift.date + offset
        if DutyShift.objects.filter(node=node, date=day, session=shift.session, person=shift.person).exists():
            continue
        try:
            created.append(
                shift_add(
                    actor=actor,
                    node=node,
                    date=day,
                    session=shift.session,
                    person=shift.person,
                    post=shift.post,
                    duty=shift.duty,
                    start=shift.start,
                    end=shift.end,
                )
            )
        except ValidationError as exc:
            skipped.append(
                f"{day:%m月%d日}{shift.get_session_display()} {shift.person}：{'；'.join(exc.messages)}"
            )
    # The row is about the platform's roster (the shifts made are gathered into it), even when nothing was copied.
    audit(
        actor=actor,
        action="duty.roster_copy",
        obj=node,
        node=node,
        data={
            "from": source_monday.isoformat(),
            "to": target_monday.isoformat(),
            "created": [s.pk for s in created],
            "skipped": len(skipped),
        },
    )
    return created, skipped
