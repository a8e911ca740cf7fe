"""Every change of the governance records goes through here; the rules (who, in which state) are checked here and
refused with Chinese messages under their fields."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.core import clock
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.governance import selectors
from lawdesk.governance.criteria import CRITERIA, CRITERIA_CODES
from lawdesk.governance.models import (
    LEVEL_ORDER,
    Adoption,
    CaseState,
    Inspection,
    LegalOpinion,
    ModelVillageCase,
    Review,
    ReviewResult,
    SafetyActivity,
    SafetyKind,
)
from lawdesk.orgs.models import OrgNode, Village

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _check_day(errors: Errors, field: str, day: datetime.date, today: datetime.date, label: str) -> None:
    if day > today:
        _add(errors, field, f"{label}不能晚于今天。")


def _require_office(actor: Any, office: OrgNode) -> None:
    if not selectors.can_record_at(actor, office):
        raise PermissionDenied("您无权登记该司法所的记录。")


# --- 民主法治示范村(社区) ---------------------------------------------------------------------------------------


@service(AuditAction.GOVERNANCE_CASE_APPLY)
def case_apply(
    *, actor: Any, village: Village, level: str, applied_on: datetime.date, summary: str,
    today: datetime.date | None = None,
) -> ModelVillageCase:  # fmt: skip
    """A village applies for the title at a level; above 区级 it must hold the title of the level below."""
    _require_office(actor, village.office)
    today = today or clock.today()
    errors: Errors = {}
    if level not in LEVEL_ORDER:
        _add(errors, "level", "申报级别无效。")
    elif level != LEVEL_ORDER[0]:
        below = LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]
        if not ModelVillageCase.objects.filter(village=village, level=below, state=CaseState.NAMED).exists():
            _add(errors, "level", "申报该级别须先获得下一级民主法治示范村(社区)命名。")
    if (
        level in LEVEL_ORDER
        and ModelVillageCase.objects.filter(
            village=village, level=level, state__in=(CaseState.APPLYING, CaseState.NAMED)
        ).exists()
    ):
        _add(errors, "level", "该村(社区)在这一级别已在申报中或已命名。")
    _check_day(errors, "applied_on", applied_on, today, "申报日期")
    if not summary.strip():
        _add(errors, "summary", "请填写创建情况。")
    _raise(errors)
    return ModelVillageCase.objects.create(
        village=village, office=village.office, level=level, applied_on=applied_on, summary=summary.strip(),
        created_by=actor,
    )  # fmt: skip


def _require_state(case: ModelVillageCase, state: str, message: str) -> None:
    if case.state != state:
        raise ValidationError(message)


@service(AuditAction.GOVERNANCE_CASE_INSPECT)
def case_inspect(
    *, actor: Any, case: ModelVillageCase, date: datetime.date, inspector: str, findings: str,
    criteria_met: Iterable[str], today: datetime.date | None = None,
) -> Inspection:  # fmt: skip
    """An inspection of an applying village against the criteria checklist."""
    _require_office(actor, case.office)
    _require_state(case, CaseState.APPLYING, f"该申报{case.get_state_display()}，不能再登记检查。")
    today = today or clock.today()
    met = list(criteria_met)
    errors: Errors = {}
    _check_day(errors, "date", date, today, "检查日期")
    if date < case.applied_on:
        _add(errors, "date", "检查日期不能早于申报日期。")
    if not inspector.strip():
        _add(errors, "inspector", "请填写检查人。")
    if not findings.strip():
        _add(errors, "findings", "请填写检查情况。")
    if any(c not in CRITERIA_CODES for c in met):
        _add(errors, "criteria_met", "所选标准无效。")
    _raise(errors)
    return Inspection.objects.create(
        case=case, date=date, inspector=inspector.strip(), findings=findings.strip(),
        criteria_met=[code for code, _label in CRITERIA if code in met], recorded_by=actor,
    )  # fmt: skip


@service(AuditAction.GOVERNANCE_CASE_DECIDE)
def case_decide(
    *, actor: Any, case: ModelVillageCase, named: bool, date: datetime.date, document: str = "",
    today: datetime.date | None = None,
) -> ModelVillageCase:  # fmt: skip
    """Name the village at the level it applied for (its latest inspection met every criterion), or not."""
    if not selectors.can_decide(actor, case):
        raise PermissionDenied("区级示范村(社区)由区(县)司法局审定，市级及以上由市司法局登记命名。")
    _require_state(case, CaseState.APPLYING, f"该申报{case.get_state_display()}，不能再审定。")
    today = today or clock.today()
    errors: Errors = {}
    _check_day(errors, "date", date, today, "审定日期")
    if date < case.applied_on:
        _add(errors, "date", "审定日期不能早于申报日期。")
    if named:
        latest = case.inspections.order_by("-date", "-id").first()
        if latest is None:
            _add(errors, "named", "尚未检查验收，不能命名。")
        elif set(latest.criteria_met) != CRITERIA_CODES:
            missing = len(CRITERIA_CODES - set(latest.criteria_met))
            _add(errors, "named", f"最近一次检查尚有{missing}项标准未达到，不能命名。")
        if not document.strip():
            _add(errors, "document", "请填写命名文号。")
    _raise(errors)
    case.state = CaseState.NAMED if named else CaseState.REJECTED
    case.decided_on, case.decided_by, case.document = date, actor, document.strip()
    case.save(update_fields=["state", "decided_on", "decided_by", "document", "updated_at"])
    return case


@service(AuditAction.GOVERNANCE_CASE_REVIEW)
def case_review(
    *, actor: Any, case: ModelVillageCase, date: datetime.date, result: str, notes: str,
    today: datetime.date | None = None,
) -> Review:  # fmt: skip
    """The periodic review (复核) of a named village: kept, or revoked (the title is withdrawn)."""
    if not selectors.can_decide(actor, case):
        raise PermissionDenied("您无权复核该级别的示范村(社区)。")
    _require_state(
        case, CaseState.NAMED, f"该申报{case.get_state_display()}，只有已命名的示范村(社区)可以复核。"
    )
    today = today or clock.today()
    errors: Errors = {}
    _check_day(errors, "date", date, today, "复核日期")
    if case.decided_on and date < case.decided_on:
        _add(errors, "date", "复核日期不能早于命名日期。")
    if result not in ReviewResult.values:
        _add(errors, "result", "复核结果无效。")
    if not notes.strip():
        _add(errors, "notes", "请填写复核情况。")
    _raise(errors)
    review = Review.objects.create(
        case=case, date=date, result=result, notes=notes.strip(), recorded_by=actor
    )
    if result == ReviewResult.REVOKED:
        case.state, case.revoked_on = CaseState.REVOKED, date
        case.save(update_fields=["state", "revoked_on", "updated_at"])
    return review


# --- legal opinions and advice --------------------------------------------------------------------------------


@service(AuditAction.GOVERNANCE_OPINION_RECORD)
def opinion_record(
    *, actor: Any, office: OrgNode, requester: str, subject: str, requested_on: datetime.date,
    opinion_on: datetime.date, opinion: str, today: datetime.date | None = None,
) -> LegalOpinion:  # fmt: skip
    """The judicial office records a request of the town party committee or government and the opinion it gave."""
    _require_office(actor, office)
    today = today or clock.today()
    errors: Errors = {}
    for field, text, label in (
        ("requester", requester, "提请单位"), ("subject", subject, "事项"), ("opinion", opinion, "意见建议内容"),
    ):  # fmt: skip
        if not text.strip():
            _add(errors, field, f"请填写{label}。")
    _check_day(errors, "requested_on", requested_on, today, "提请日期")
    _check_day(errors, "opinion_on", opinion_on, today, "出具日期")
    if opinion_on < requested_on:
        _add(errors, "opinion_on", "出具日期不能早于提请日期。")
    _raise(errors)
    return LegalOpinion.objects.create(
        office=office, requester=requester.strip(), subject=subject.strip(), requested_on=requested_on,
        opinion_on=opinion_on, opinion=opinion.strip(), given_by=actor,
    )  # fmt: skip


@service(AuditAction.GOVERNANCE_OPINION_ADOPTION)
def opinion_adoption(
    *, actor: Any, opinion: LegalOpinion, adoption: str, date: datetime.date, note: str = "",
    today: datetime.date | None = None,
) -> LegalOpinion:  # fmt: skip
    """Whether the town adopted the opinion; recorded once."""
    _require_office(actor, opinion.office)
    if opinion.adoption:
        raise ValidationError(f"已登记采纳情况（{opinion.get_adoption_display()}），不能重复登记。")
    today = today or clock.today()
    errors: Errors = {}
    if adoption not in Adoption.values:
        _add(errors, "adoption", "请选择采纳情况。")
    _check_day(errors, "date", date, today, "反馈日期")
    if date < opinion.opinion_on:
        _add(errors, "date", "反馈日期不能早于出具日期。")
    _raise(errors)
    opinion.adoption, opinion.adoption_on, opinion.adoption_note = adoption, date, note.strip()
    opinion.save(update_fields=["adoption", "adoption_on", "adoption_note", "updated_at"])
    return opinion


# --- 平安创建 ---------------------------------------------------------------------------------------------------


@service(AuditAction.GOVERNANCE_SAFETY_RECORD)
def safety_record(
    *, actor: Any, office: OrgNode, date: datetime.date, kind: str, participants: int, summary: str,
    today: datetime.date | None = None,
) -> SafetyActivity:  # fmt: skip
    _require_office(actor, office)
    today = today or clock.today()
    errors: Errors = {}
    _check_day(errors, "date", date, today, "日期")
    if kind not in SafetyKind.values:
        _add(errors, "kind", "活动类型无效。")
    if participants < 1:
        _add(errors, "participants", "参与人数至少为1人。")
    if not summary.strip():
        _add(errors, "summary", "请填写活动情况。")
    _raise(errors)
    return SafetyActivity.objects.create(
        office=office,
        date=date,
        kind=kind,
        participants=participants,
        summary=summary.strip(),
        recorded_by=actor,
    )
