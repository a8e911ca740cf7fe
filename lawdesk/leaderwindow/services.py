"""Leader-at-window (七(三)): draw a district's weekly slot, assign a leader in rotation and tell them; record the
leader's check-in and check-out and link the matters received meanwhile. Keyword-only, one transaction each,
audited; every refusal is a Chinese message."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.leaderwindow.draw import HallHours, NoSlotError, Slot, draw_slot, week_label
from lawdesk.leaderwindow.models import WindowDraw, WindowVisit
from lawdesk.matters.models import Matter
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.workcal.workdays import WorkCalendar

# --- who and where ----------------------------------------------------------------------------------------


def district_leaders(district: OrgNode) -> list[User]:
    """The district's leaders (局领导 held at the district bureau), in rotation order."""
    return list(scoping.users_holding(Role.LEADER, at=district).order_by("pk"))


def next_leader(district: OrgNode, week_start: datetime.date) -> User:
    """The leader after the one assigned to the latest earlier week (the first leader when none was)."""
    leaders = district_leaders(district)
    if not leaders:
        raise ValidationError(f"{district.name}尚未配置局领导（局领导角色），无法抽签。")
    last = (
        WindowDraw.objects.filter(district=district, week_start__lt=week_start)
        .order_by("-week_start")
        .values_list("leader_id", flat=True)
        .first()
    )
    ids = [u.pk for u in leaders]
    if last in ids:
        return leaders[(ids.index(last) + 1) % len(leaders)]
    return leaders[0]


def district_platform(district: OrgNode) -> OrgNode:
    """Where the leader sits: the district's public legal service centre."""
    centre = (
        OrgNode.objects.filter(parent=district, kind=NodeKind.SERVICE_CENTRE, is_active=True)
        .order_by("path")
        .first()
    )
    if centre is None:
        raise ValidationError(f"{district.name}下没有启用的公共法律服务中心，无法安排驻窗口。")
    return centre


def working_days(week_start: datetime.date, calendar: WorkCalendar | None = None) -> list[datetime.date]:
    """The working days of the week starting ``week_start`` (holidays out, make-up workdays in)."""
    calendar = calendar or WorkCalendar()
    days = [week_start + datetime.timedelta(days=i) for i in range(7)]
    return [d for d in days if calendar.is_working_day(d)]


def slot_for(
    *, seed: str, week_start: datetime.date, platform: OrgNode, not_before: datetime.datetime | None = None
) -> Slot:
    """The slot the stored ``seed`` gives: drawing again with the same seed (and the same moment of drawing,
    ``not_before``: a week drawn while under way keeps to the time still ahead) yields the same slot."""
    local = timezone.localtime(not_before).replace(tzinfo=None) if not_before is not None else None
    try:
        return draw_slot(
            seed=seed, days=working_days(week_start), hours=HallHours.of(platform), not_before=local
        )
    except NoSlotError as exc:
        raise ValidationError({"week": f"{week_label(week_start)}：{exc}"}) from exc


def reproduce(draw: WindowDraw) -> Slot:
    """Draw again from the stored seed, as at the moment it was drawn (to check a draw)."""
    return slot_for(
        seed=draw.seed, week_start=draw.week_start, platform=draw.platform, not_before=draw.drawn_from
    )


def can_draw(actor: Any, district: OrgNode) -> bool:
    return district.kind == NodeKind.DISTRICT_BUREAU and scoping.can_manage_node(actor, district)


def can_check(actor: Any, draw: WindowDraw) -> bool:
    """The assigned leader, or a district admin recording for them."""
    return getattr(actor, "pk", None) == draw.leader_id or scoping.can_manage_node(actor, draw.district)


# --- the draw ---------------------------------------------------------------------------------------------


@service(None)
def window_draw(
    *,
    actor: Any,
    district: OrgNode,
    week_start: datetime.date,
    seed: str | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> WindowDraw:
    """Draw the week's slot for ``district`` and assign the next leader; they are told in-app and by SMS.
    ``actor`` None is the periodic task. A week already drawn is redrawn only with a reason."""
    if district.kind != NodeKind.DISTRICT_BUREAU:
        raise ValidationError("只能为区(县)司法局抽签。")
    if actor is not None and not can_draw(actor, district):
        raise PermissionDenied("只有本区(县)司法局管理员或市局管理员可以抽签。")
    if week_start.weekday() != 0:
        raise ValidationError({"week": "周次无效：应从周一开始。"})
    now = clock.now()
    if today is None or today == timezone.localdate(now):
        today, drawn_from = timezone.localdate(now), now
    else:  # a past or future day of drawing (tests, back-fills): from its start
        drawn_from = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if week_start + datetime.timedelta(days=6) < today:
        raise ValidationError({"week": f"{week_label(week_start)}已经过去，不能抽签。"})
    reason = reason.strip()
    seed = seed or secrets.token_hex(8)
    with transaction.atomic():
        existing = (
            WindowDraw.objects.select_for_update().filter(district=district, week_start=week_start).first()
        )
        if existing is not None:
            if not reason:
                raise ValidationError(
                    {
                        "reason": f"{week_label(week_start)}已抽签（{existing.slot_text}），如需重抽请填写原因。"
                    }
                )
            if WindowVisit.objects.filter(draw=existing).exists():
                raise ValidationError({"reason": "该周领导已签到，不能重抽。"})
        platform = district_platform(district)
        slot = slot_for(seed=seed, week_start=week_start, platform=platform, not_before=drawn_from)
        leader = existing.leader if existing is not None else next_leader(district, week_start)
        previous = None
        if existing is not None:
            previous = {"seed": existing.seed, "slot": existing.slot_text, "leader": existing.leader_id}
            draw = existing
            draw.redraw_count += 1
            draw.redraw_reason = reason[:300]
        else:
            draw = WindowDraw(district=district, week_start=week_start, leader=leader)
        draw.seed = seed
        draw.platform = platform
        draw.date, draw.start, draw.end, draw.half = slot.date, slot.start, slot.end, slot.half
        draw.drawn_from = drawn_from
        draw.drawn_by = actor if getattr(actor, "pk", None) else None
        draw.save()
        audit(
            actor=actor,
            action="leader_window_redrawn" if previous else "leader_window_drawn",
            obj=draw,
            node=district,
            data={
                "week": week_start.isoformat(),
                "seed": seed,
                "slot": draw.slot_text,
                "platform": platform.pk,
                "leader": leader.pk,
                "previous": previous,
                "reason": reason if previous else "",
            },
        )
        verb = "调整为" if previous else "安排在"
        notify(
            user=leader,
            text=(
                f"【局长驻窗口】您{week_label(week_start)}的驻窗口时间{verb}{draw.slot_text}，"
                f"地点：{platform.name}{('（' + platform.address + '）') if platform.address else ''}，"
                "不少于2小时，请到岗后签到、离开时签退。"
            ),
            sms=True,
        )
    return draw


# --- check-in and check-out -------------------------------------------------------------------------------


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _when(
    actor: Any, draw: WindowDraw, at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime:
    if at is None:
        return now
    if actor.pk == draw.leader_id and not scoping.can_manage_node(actor, draw.district):
        raise ValidationError(
            {"at": "领导本人签到、签退按当前时间记录；补录时间请由区(县)司法局管理员办理。"}
        )
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + datetime.timedelta(minutes=1):
        raise ValidationError({"at": "时间不能晚于现在。"})
    return at


@service(AuditAction.LEADER_WINDOW_CHECKED_IN)
def window_check_in(
    *, actor: Any, draw: WindowDraw, at: datetime.datetime | None = None, now: datetime.datetime | None = None
) -> WindowVisit:
    """The leader arrives at the window (or a district admin records it afterwards with ``at``)."""
    now = now or clock.now()
    if not can_check(actor, draw):
        raise PermissionDenied("只有被安排的驻窗口领导本人或区(县)司法局管理员可以签到。")
    at = _when(actor, draw, at, now)
    with transaction.atomic():
        draw = WindowDraw.objects.select_for_update().get(pk=draw.pk)
        if WindowVisit.objects.filter(draw=draw).exists():
            raise ValidationError("本周驻窗口已签到，不能重复签到。")
        local = _local(at).date()
        if not (draw.week_start <= local <= draw.week_start + datetime.timedelta(days=6)):
            raise ValidationError({"at": f"签到日期须在{draw.week_text}之内。"})
        visit = WindowVisit.objects.create(draw=draw, leader=draw.leader, checked_in_at=at, recorded_by=actor)
        audit(
            actor=actor,
            action="leader_window_checked_in",
            obj=visit,
            node=draw.district,
            data={"draw": draw.pk, "at": at.isoformat()},
        )
    return visit


def matters_during(visit: WindowVisit, until: datetime.datetime | None = None) -> Any:
    """Matters received at the platform between check-in and check-out (or ``until``)."""
    end = until or visit.checked_out_at or clock.now()
    return Matter.objects.filter(
        node=visit.draw.platform_id, visit__received_at__gte=visit.checked_in_at, visit__received_at__lte=end
    )


@service(AuditAction.LEADER_WINDOW_CHECKED_OUT)
def window_check_out(
    *, actor: Any, draw: WindowDraw, at: datetime.datetime | None = None, now: datetime.datetime | None = None
) -> WindowVisit:
    """The leader leaves: the time is recorded and the matters received meanwhile are linked."""
    now = now or clock.now()
    if not can_check(actor, draw):
        raise PermissionDenied("只有被安排的驻窗口领导本人或区(县)司法局管理员可以签退。")
    at = _when(actor, draw, at, now)
    with transaction.atomic():
        visit = WindowVisit.objects.select_for_update().select_related("draw").filter(draw=draw).first()
        if visit is None:
            raise ValidationError("尚未签到，不能签退。")
        if visit.checked_out_at is not None:
            raise ValidationError("本周驻窗口已签退。")
        if at <= visit.checked_in_at:
            raise ValidationError({"at": "签退时间须晚于签到时间。"})
        if _local(at).date() != _local(visit.checked_in_at).date():
            raise ValidationError({"at": "签退须与签到在同一天。"})
        visit.checked_out_at = at
        visit.save(update_fields=["checked_out_at"])
        linked = list(matters_during(visit).values_list("pk", flat=True))
        visit.matters.set(linked)
        audit(
            actor=actor,
            action="leader_window_checked_out",
            obj=visit,
            node=draw.district,
            data={"draw": draw.pk, "at": at.isoformat(), "minutes": visit.minutes, "matters": linked},
        )
    return visit


# --- the periodic draw ------------------------------------------------------------------------------------


def draw_week_for_all(
    *, week_start: datetime.date, today: datetime.date | None = None
) -> tuple[int, list[str]]:
    """Draw ``week_start`` for every active district that has no draw yet. Returns (drawn, problems)."""
    drawn = 0
    problems: list[str] = []
    districts = OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True).order_by("path")
    for district in districts:
        if WindowDraw.objects.filter(district=district, week_start=week_start).exists():
            continue
        try:
            window_draw(actor=None, district=district, week_start=week_start, today=today)
        except ValidationError as exc:
            problems.append(f"{district.name}：{'；'.join(exc.messages)}")
        else:
            drawn += 1
    return drawn, problems
