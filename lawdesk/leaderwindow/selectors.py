"""Scoped reads of the leader-at-window records and the compliance board (district × week)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.leaderwindow.draw import MIN_MINUTES, week_monday
from lawdesk.leaderwindow.models import WindowDraw, WindowVisit
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.workcal.workdays import WorkCalendar


class Status(models.TextChoices):
    MET = "met", "达标"
    SHORT = "short", "不足"
    MISSED = "missed", "未驻窗口"
    PENDING = "pending", "待进驻"
    EXEMPT = "exempt", "节假日免排"


def visible_districts(actor: Any) -> list[OrgNode]:
    """The district bureaus the actor sees: their own, or all of them for the city."""
    return list(
        node_access.visible_nodes(actor)
        .filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True)
        .order_by("path")
    )


def get_district_for(actor: Any, pk: Any) -> OrgNode:
    node = node_access.get_node_for(actor, pk)
    if node.kind != NodeKind.DISTRICT_BUREAU:
        raise Http404("没有找到该区(县)司法局，或您无权查看。")
    return node


def get_draw_for(actor: Any, pk: Any) -> WindowDraw:
    try:
        return (
            WindowDraw.objects.filter(scoping.nodes_q(actor, "district__"))
            .select_related("district", "platform", "leader")
            .get(pk=int(pk))
        )
    except (WindowDraw.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该驻窗口安排，或您无权查看。") from exc


def district_draws(district: OrgNode) -> models.QuerySet[WindowDraw]:
    return (
        WindowDraw.objects.filter(district=district)
        .select_related("platform", "leader", "visit", "visit__leader")
        .order_by("-week_start")
    )


@dataclass
class Cell:
    district: OrgNode
    week_start: datetime.date
    status: str
    draw: WindowDraw | None
    visit: WindowVisit | None

    @property
    def label(self) -> str:
        return str(Status(self.status).label)

    @property
    def minutes(self) -> int | None:
        return self.visit.minutes if self.visit else None

    @property
    def matter_count(self) -> int:
        return len(self.visit.matters.all()) if self.visit else 0


def status_of(
    draw: WindowDraw | None,
    visit: WindowVisit | None,
    week_start: datetime.date,
    *,
    now: datetime.datetime,
    calendar: WorkCalendar,
) -> str:
    """达标 ≥ 2 hours; 不足 under 2 hours (or never checked out once the day is over); 未驻窗口 no check-in
    (or no draw) once the week is over; 待进驻 before that; a week without working days is exempt."""
    today = timezone.localtime(now).date()
    week_end = week_start + datetime.timedelta(days=6)
    if not any(calendar.is_working_day(week_start + datetime.timedelta(days=i)) for i in range(7)):
        return Status.EXEMPT
    if visit is not None:
        if visit.checked_out_at is not None:
            return Status.MET if (visit.minutes or 0) >= MIN_MINUTES else Status.SHORT
        if timezone.localtime(visit.checked_in_at).date() < today:
            return Status.SHORT
        return Status.PENDING
    if draw is not None and draw.date >= today:
        return Status.PENDING
    if draw is None and week_end >= today:
        return Status.PENDING
    return Status.MISSED


def weeks_ending(last: datetime.date, count: int) -> list[datetime.date]:
    monday = week_monday(last)
    return [monday - datetime.timedelta(weeks=i) for i in range(count - 1, -1, -1)]


def compliance_board(
    *, districts: list[OrgNode], weeks: list[datetime.date], now: datetime.datetime | None = None
) -> list[list[Cell]]:
    """One row per district, one cell per week."""
    now = now or clock.now()
    calendar = WorkCalendar()
    if weeks:
        calendar.load(weeks[0].year, (weeks[-1] + datetime.timedelta(days=6)).year)
    draws = {
        (d.district_id, d.week_start): d
        for d in WindowDraw.objects.filter(district__in=districts, week_start__in=weeks)
        .select_related("platform", "leader", "visit")
        .prefetch_related("visit__matters")
    }
    rows = []
    for district in districts:
        row = []
        for week in weeks:
            draw = draws.get((district.pk, week))
            visit = getattr(draw, "visit", None) if draw is not None else None
            status = status_of(draw, visit, week, now=now, calendar=calendar)
            row.append(Cell(district, week, status, draw, visit))
        rows.append(row)
    return rows
