"""The monthly report's workflow: submit (freezes a snapshot), review or return, re-open with a reason; and the
reminders to those who have not submitted. Each change is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.stats import selectors
from lawdesk.stats.fill import fill_counts
from lawdesk.stats.models import (
    DistrictReportSetting,
    MonthlyReport,
    ReportReminder,
    ReportSchedule,
    ReportStatus,
)
from lawdesk.stats.selectors import Month, due_date, figures, level_of


def _locked(node: OrgNode, year: int, month: int) -> MonthlyReport:
    report, _ = MonthlyReport.objects.get_or_create(node=node, year=year, month=month)
    return MonthlyReport.objects.select_for_update().get(pk=report.pk)


def _reason(reason: str, field: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: "请填写原因。"})
    if len(reason) > 300:
        raise ValidationError({field: "原因不能超过300字。"})
    return reason


@service(AuditAction.STATS_REPORT_SUBMITTED)
def report_submit(
    *,
    actor: Any,
    node: OrgNode,
    year: int,
    month: int,
    now: datetime.datetime | None = None,
    refresh: bool = True,
    confirm_missing: bool = False,
) -> MonthlyReport:
    """Submit the node's report for the month: the figures are brought up to date, then frozen as a snapshot.
    Submitted after the level's deadline, it is flagged late. While units below have not submitted theirs, it is
    refused unless the submitter confirms (``confirm_missing``); the units missing are then named in the
    snapshot and the audit row."""
    selectors.require_node(actor, node)
    if not selectors.can_submit(actor, node):
        raise PermissionDenied("您不能报送该单位的统计月报。")
    now = now or clock.now()
    period = Month(year, month)
    if period.end > timezone.localtime(now).date():
        raise ValidationError({"month": f"{period.label}尚未结束，不能报送。"})
    if refresh:
        fill_counts()
    with transaction.atomic():
        report = _locked(node, year, month)
        if report.is_frozen:
            raise ValidationError({"status": f"{period.label}统计月报已报送；如需修改，请先重新打开。"})
        missing = selectors.unsubmitted_below(node, period)
        if missing and not confirm_missing:
            names = "、".join(n.name for n in missing)
            raise ValidationError(
                {
                    "confirm_missing": f"下级单位尚有{len(missing)}个未报送{period.label}月报：{names}。"
                    "请先催报；确需先行报送的，请勾选“下级未报送，仍要报送”。"
                },
                code="missing_below",
            )
        due = due_date(node, period)
        report.snapshot = {
            "figures": figures(node, period),
            "taken_at": now.isoformat(),
            "missing_below": [{"id": n.pk, "name": n.name} for n in missing],
        }
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = actor
        report.submitted_at = now
        report.due_on = due
        report.late = bool(due and timezone.localtime(now).date() > due)
        report.reviewed_by = None
        report.reviewed_at = None
        report.save()
        audit(
            actor=actor,
            action="stats.report_submitted",
            obj=report,
            node=node,
            data={
                "late": report.late,
                "due_on": due.isoformat() if due else None,
                "missing_below": [n.pk for n in missing],
            },
        )
        late_text = "（逾期报送）" if report.late else ""
        for user in selectors.reviewers(node):
            notify(user=user, text=f"{node.name}已报送{period.label}统计月报{late_text}，请审核。", sms=False)
    return report


def _frozen_for_review(actor: Any, node: OrgNode, year: int, month: int) -> MonthlyReport:
    selectors.require_node(actor, node)
    if not selectors.can_review(actor, node):
        raise PermissionDenied("您不能审核该单位的统计月报。")
    report = _locked(node, year, month)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            {"status": f"该月报当前为“{report.get_status_display()}”，只有已报送的月报可以审核。"}
        )
    return report


@service(AuditAction.STATS_REPORT_REVIEWED)
def report_accept(*, actor: Any, node: OrgNode, year: int, month: int) -> MonthlyReport:
    """The level above accepts a submitted report (it stays frozen)."""
    with transaction.atomic():
        report = _frozen_for_review(actor, node, year, month)
        report.status = ReportStatus.REVIEWED
        report.reviewed_by = actor
        report.reviewed_at = clock.now()
        report.save()
        audit(actor=actor, action="stats.report_reviewed", obj=report, node=node)
    return report


@service(AuditAction.STATS_REPORT_RETURNED)
def report_return(*, actor: Any, node: OrgNode, year: int, month: int, reason: str) -> MonthlyReport:
    """The level above sends a submitted report back with a reason; the submitters are told."""
    reason = _reason(reason, "reason")
    with transaction.atomic():
        report = _frozen_for_review(actor, node, year, month)
        report.status = ReportStatus.RETURNED
        report.return_reason = reason
        report.reviewed_by = actor
        report.reviewed_at = clock.now()
        report.save()
        audit(actor=actor, action="stats.report_returned", obj=report, node=node, data={"reason": reason})
        for user in selectors.submitters(node):
            notify(
                user=user,
                text=f"{node.name}{report.year}年{report.month}月统计月报被退回：{reason}",
                sms=False,
            )
    return report


@service(AuditAction.STATS_REPORT_REOPENED)
def report_reopen(*, actor: Any, node: OrgNode, year: int, month: int, reason: str) -> MonthlyReport:
    """Re-open a submitted (or reviewed) report so it can be submitted again; the old snapshot goes to the audit."""
    selectors.require_node(actor, node)
    if not (selectors.can_submit(actor, node) or selectors.can_review(actor, node)):
        raise PermissionDenied("您不能重新打开该单位的统计月报。")
    reason = _reason(reason, "reason")
    with transaction.atomic():
        report = _locked(node, year, month)
        if not report.is_frozen:
            raise ValidationError({"status": "该月报尚未报送，无需重新打开。"})
        old = report.snapshot
        report.status = ReportStatus.REOPENED
        report.reopen_reason = reason
        report.save()
        audit(
            actor=actor,
            action="stats.report_reopened",
            obj=report,
            node=node,
            data={"reason": reason, "snapshot": old},
        )
        for user in {*selectors.submitters(node), *selectors.reviewers(node)} - {actor}:
            notify(
                user=user,
                text=f"{node.name}{report.year}年{report.month}月统计月报已重新打开：{reason}",
                sms=False,
            )
    return report


def send_report_reminders(*, today: datetime.date | None = None) -> int:
    """Remind whoever has not submitted last month's report once its deadline is near or past (at most once a
    day per user and report). Returns how many reminders were sent."""
    today = today or clock.today()
    period = Month.of(today).previous()
    schedule = ReportSchedule.current()
    days = selectors.station_days()
    frozen = set(
        MonthlyReport.objects.filter(
            year=period.year, month=period.month, status__in=[ReportStatus.SUBMITTED, ReportStatus.REVIEWED]
        ).values_list("node_id", flat=True)
    )
    sent = 0
    for node in OrgNode.objects.filter(is_active=True).order_by("path"):
        level = level_of(node)
        if level is None or node.pk in frozen:
            continue
        due = due_date(node, period, schedule, days)
        if due is None:  # a station whose district set no deadline of its own
            continue
        if today < due - datetime.timedelta(days=schedule.remind_days_before):
            continue
        if today > due:
            text = f"{node.name}{period.label}统计月报已超过报送期限（{due:%m月%d日}），请尽快报送。"
        else:
            text = f"{node.name}{period.label}统计月报应于{due:%m月%d日}前报送，尚未报送。"
        for user in selectors.submitters(node):
            with transaction.atomic():
                _, created = ReportReminder.objects.get_or_create(
                    user=user, node=node, year=period.year, month=period.month, day=today
                )
                if created:
                    notify(user=user, text=text, sms=False)
                    sent += 1
    return sent


def can_set_station_deadline(actor: Any, district: OrgNode) -> bool:
    return district.kind == NodeKind.DISTRICT_BUREAU and scoping.can_manage_node(actor, district)


@service(AuditAction.STATS_STATION_DEADLINE_SET)
def station_deadline_set(*, actor: Any, district: OrgNode, station_day: int | None) -> DistrictReportSetting:
    """A district sets (or clears, ``None``) the day of the next month by which its stations report. The plan
    (七(八)) sets none for stations: it must fall before the 司法所's day so the office can sum them up."""
    if not can_set_station_deadline(actor, district):
        raise PermissionDenied("只有本区(县)司法局管理员可以设置服务中心(站)报送日。")
    office_day = ReportSchedule.current().office_day
    if station_day is not None and not 1 <= station_day <= office_day:
        raise ValidationError(
            {"station_day": f"服务中心(站)报送日应在1到{office_day}日（司法所报送日）之间。"}
        )
    with transaction.atomic():
        row, _ = DistrictReportSetting.objects.update_or_create(
            district=district, defaults={"station_day": station_day, "updated_by": actor}
        )
        audit(actor=actor, action="stats.station_deadline_set", obj=row, node=district,
              data={"station_day": station_day})  # fmt: skip
    return row
