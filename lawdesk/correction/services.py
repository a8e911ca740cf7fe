"""Every change of the community correction and resettlement records goes through here (one ``@service`` per
act, each checking that the actor holds ``Role.CORRECTION_OFFICER`` at the record's office); Chinese
ValidationErrors name the field that is wrong. The audit rows name records by number only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.correction import deadlines, selectors
from lawdesk.correction.models import (
    END_STATUSES,
    HOUR_KINDS,
    CorrectionType,
    HelpKind,
    RecordKind,
    ReleasedPerson,
    ReleasedRecord,
    ReleasedRecordKind,
    Supervisee,
    SuperviseeRecord,
    SuperviseeStatus,
    SupervisionLevel,
    TeamMember,
    TeamRole,
)
from lawdesk.orgs.models import OrgNode
from lawdesk.people.identity import IdInfo, parse_id_number

REFUSED = "只有本司法所的社区矫正工作人员可以办理。"


def _require(actor: Any, office: OrgNode) -> None:
    if not selectors.can_keep(actor, office):
        raise PermissionDenied(REFUSED)


def _not_future(field: str, day: datetime.date | None, today: datetime.date, label: str) -> dict[str, str]:
    if day is not None and day > today:
        return {field: f"{label}不能晚于今天。"}
    return {}


def _check_id(number: str) -> IdInfo:
    try:
        return parse_id_number(number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc


@service(AuditAction.CORRECTION_SUPERVISEE_CREATE)
def supervisee_create(
    *, actor: Any, office: OrgNode, name: str, id_number: str, correction_type: str, court: str, crime: str,
    decision_date: datetime.date, term_start: datetime.date, term_end: datetime.date, gender: str = "",
    birth_date: datetime.date | None = None, phone: str = "", address: str = "", workplace: str = "",
    level: str = "ordinary", received_on: datetime.date | None = None,
) -> Supervisee:  # fmt: skip
    """Register a person under community correction at ``office`` from the decision; the report deadline
    (第二十一条) is computed. With ``received_on`` the person has already reported (在册)."""
    _require(actor, office)
    today = clock.today()
    errors: dict[str, str] = {}
    if correction_type not in CorrectionType.values:
        errors["correction_type"] = "请选择矫正类别。"
    if term_end < term_start:
        errors["term_end"] = "矫正期止不能早于矫正期起。"
    if term_start < decision_date:
        errors["term_start"] = "矫正期起不能早于判决(裁定、决定)生效日期。"
    errors |= _not_future("decision_date", decision_date, today, "生效日期")
    errors |= _not_future("received_on", received_on, today, "报到日期")
    if received_on is not None and received_on < decision_date:
        errors["received_on"] = "报到日期不能早于生效日期。"
    if errors:
        raise ValidationError(errors)
    info = _check_id(id_number)
    person = Supervisee(
        office=office, name=name.strip(), id_number=info.number, gender=gender or info.gender,
        birth_date=birth_date or info.birth_date,
        phone=phone.strip(), address=address.strip(), workplace=workplace.strip(),
        correction_type=correction_type, court=court.strip(), crime=crime.strip(), decision_date=decision_date,
        report_due=deadlines.report_due(decision_date), term_start=term_start, term_end=term_end, level=level,
        received_on=received_on,
        status=SuperviseeStatus.ACTIVE if received_on else SuperviseeStatus.PENDING, recorded_by=actor,
    )  # fmt: skip
    person.full_clean()
    person.save()
    if received_on is not None:
        SuperviseeRecord.objects.create(
            supervisee=person, kind=RecordKind.REPORT, date=received_on, note="首次报到", recorded_by=actor
        )
    audit(
        actor=actor, action=AuditAction.CORRECTION_SUPERVISEE_CREATE, obj=person, node=office,
        data={"type": correction_type, "report_due": person.report_due.isoformat()},
    )  # fmt: skip
    return person


UPDATABLE = ("phone", "address", "workplace", "level")


@service(AuditAction.CORRECTION_SUPERVISEE_UPDATE)
def supervisee_update(*, actor: Any, supervisee: Supervisee, **changes: Any) -> Supervisee:
    """Change a supervisee's contact details or supervision level (分类管理, 第二十四条); the audit row names the
    fields changed, never their values."""
    _require(actor, supervisee.office)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}。")
    if "level" in changes and changes["level"] not in SupervisionLevel.values:
        raise ValidationError({"level": "请选择管理等级。"})
    changed = []
    for field, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(supervisee, field) != value:
            setattr(supervisee, field, value)
            changed.append(field)
    if not changed:
        raise ValidationError("没有需要保存的变更。")
    supervisee.full_clean()
    supervisee.save(update_fields=[*changed, "updated_at"])
    audit(
        actor=actor, action=AuditAction.CORRECTION_SUPERVISEE_UPDATE, obj=supervisee, node=supervisee.office,
        data={"fields": changed, **({"level": supervisee.level} if "level" in changed else {})},
    )  # fmt: skip
    return supervisee


@service(AuditAction.CORRECTION_TEAM_ADD)
def team_add(
    *, actor: Any, supervisee: Supervisee, name: str, role: str, is_female: bool = False
) -> TeamMember:
    """Add a member to the correction team (第二十五条)."""
    _require(actor, supervisee.office)
    if role not in TeamRole.values:
        raise ValidationError({"role": "请选择成员身份。"})
    if not name.strip():
        raise ValidationError({"name": "请填写成员姓名。"})
    member = TeamMember.objects.create(
        supervisee=supervisee, name=name.strip(), role=role, is_female=is_female
    )
    audit(
        actor=actor, action=AuditAction.CORRECTION_TEAM_ADD, obj=member, node=supervisee.office,
        data={"supervisee": supervisee.pk, "role": role},
    )  # fmt: skip
    return member


@service(AuditAction.CORRECTION_RECORD_ADD)
def record_add(
    *, actor: Any, supervisee: Supervisee, kind: str, date: datetime.date, note: str = "",
    hours: Decimal | None = None, help_kind: str = "", leave_from: datetime.date | None = None,
    leave_to: datetime.date | None = None, destination: str = "",
) -> SuperviseeRecord:  # fmt: skip
    """One entry of the daily record. The first 当面报告 of a pending supervisee is the reception (在册)."""
    _require(actor, supervisee.office)
    if not supervisee.is_open:
        raise ValidationError("该对象已解除或终止社区矫正，不能再登记记录。")
    today = clock.today()
    errors: dict[str, str] = {}
    if kind not in RecordKind.values or kind == RecordKind.END:
        errors["kind"] = "请选择记录类别。"
    errors |= _not_future("date", date, today, "日期")
    if date < supervisee.decision_date:
        errors["date"] = "日期不能早于判决(裁定、决定)生效日期。"
    if kind in HOUR_KINDS and (hours is None or hours <= 0):
        errors["hours"] = "教育学习和公益活动须填写时长(小时)。"
    if kind not in HOUR_KINDS:
        hours = None
    if kind == RecordKind.HELP and help_kind not in HelpKind.values:
        errors["help_kind"] = "请选择帮扶类别。"
    if kind != RecordKind.HELP:
        help_kind = ""
    if supervisee.status == SuperviseeStatus.PENDING and kind != RecordKind.REPORT:
        errors["kind"] = "该对象尚未报到，请先登记当面报到。"
    if kind == RecordKind.LEAVE:
        if leave_from is None:
            errors["leave_from"] = "请填写外出起始日期。"
        if leave_to is None:
            errors["leave_to"] = "请填写应返回日期。"
        if leave_from and leave_to and leave_to < leave_from:
            errors["leave_to"] = "应返回日期不能早于外出起始日期。"
        if not destination.strip():
            errors["destination"] = "请填写外出目的地。"
    else:
        leave_from = leave_to = None
        destination = ""
    if kind in (RecordKind.WARNING, RecordKind.HELP) and not note.strip():
        errors["note"] = "请填写情况记录（警告的事由、帮扶的内容）。"
    if errors:
        raise ValidationError(errors)
    record = SuperviseeRecord.objects.create(
        supervisee=supervisee, kind=kind, date=date, hours=hours, help_kind=help_kind, leave_from=leave_from,
        leave_to=leave_to, destination=destination.strip(), note=note.strip(), recorded_by=actor,
    )  # fmt: skip
    if supervisee.status == SuperviseeStatus.PENDING and kind == RecordKind.REPORT:
        supervisee.status = SuperviseeStatus.ACTIVE
        supervisee.received_on = date
        supervisee.save(update_fields=["status", "received_on", "updated_at"])
    audit(
        actor=actor, action=AuditAction.CORRECTION_RECORD_ADD, obj=record, node=supervisee.office,
        data={"supervisee": supervisee.pk, "kind": kind, "hours": str(hours) if hours is not None else None},
    )  # fmt: skip
    return record


@service(AuditAction.CORRECTION_LEAVE_RETURN)
def leave_return(*, actor: Any, record: SuperviseeRecord, returned_on: datetime.date) -> SuperviseeRecord:
    """The supervisee is back from approved leave (销假)."""
    supervisee = record.supervisee
    _require(actor, supervisee.office)
    if record.kind != RecordKind.LEAVE or record.returned_on is not None:
        raise ValidationError("这条记录不是尚未销假的请假外出。")
    errors = _not_future("returned_on", returned_on, clock.today(), "销假日期")
    if record.leave_from and returned_on < record.leave_from:
        errors["returned_on"] = "销假日期不能早于外出起始日期。"
    if errors:
        raise ValidationError(errors)
    record.returned_on = returned_on
    record.save(update_fields=["returned_on"])
    late = record.leave_to is not None and returned_on > record.leave_to
    audit(
        actor=actor, action=AuditAction.CORRECTION_LEAVE_RETURN, obj=record, node=supervisee.office,
        data={"supervisee": supervisee.pk, "late": late},
    )  # fmt: skip
    return record


@service(AuditAction.CORRECTION_END)
def supervisee_end(
    *, actor: Any, supervisee: Supervisee, status: str, date: datetime.date, note: str = ""
) -> Supervisee:
    """The end of community correction: 解除 (第四十四条), 终止 (第四十五条) or 收监 (第四十九条)."""
    _require(actor, supervisee.office)
    if not supervisee.is_open:
        raise ValidationError("该对象已解除或终止社区矫正。")
    errors: dict[str, str] = {}
    if status not in END_STATUSES:
        errors["status"] = "请选择解除、终止或收监。"
    errors |= _not_future("date", date, clock.today(), "日期")
    if status == SuperviseeStatus.RELEASED and date < supervisee.term_end:
        errors["date"] = "矫正期未满，不能解除（赦免的请在情况记录中注明并按终止办理）。"
    if status == SuperviseeStatus.IMPRISONED and supervisee.correction_type != CorrectionType.OUTSIDE:
        errors["status"] = "只有暂予监外执行的对象可以收监执行；撤销缓刑、假释的按终止办理。"
    if errors:
        raise ValidationError(errors)
    supervisee.status = status
    supervisee.ended_on = date
    supervisee.save(update_fields=["status", "ended_on", "updated_at"])
    SuperviseeRecord.objects.create(
        supervisee=supervisee, kind=RecordKind.END, date=date, note=note.strip(), recorded_by=actor
    )
    audit(
        actor=actor, action=AuditAction.CORRECTION_END, obj=supervisee, node=supervisee.office,
        data={"status": status, "date": date.isoformat()},
    )  # fmt: skip
    return supervisee


@service(AuditAction.CORRECTION_REVEAL)
def identity_reveal(*, actor: Any, person: Supervisee | ReleasedPerson, field: str) -> str:
    """The full ID number (or phone, address) of a supervisee or released person: an explicit, audited act."""
    if field not in ("id_number", "phone", "address"):
        raise ValidationError({"field": "只能查看身份证号、联系电话或居住地址。"})
    _require(actor, person.office)
    audit(
        actor=actor,
        action=AuditAction.CORRECTION_REVEAL,
        obj=person,
        node=person.office,
        data={"field": field},
    )
    return str(getattr(person, field) or "")


# --- released persons (安置帮教) ----------------------------------------------------------------------------


@service(AuditAction.CORRECTION_RELEASED_CREATE)
def released_create(
    *, actor: Any, office: OrgNode, name: str, id_number: str, prison: str, notice_date: datetime.date,
    release_date: datetime.date, help_until: datetime.date, crime: str = "", gender: str = "",
    birth_date: datetime.date | None = None, phone: str = "", address: str = "",
) -> ReleasedPerson:  # fmt: skip
    """Register a released person on the prison's notice; the hand-over deadline is computed."""
    _require(actor, office)
    errors = _not_future("notice_date", notice_date, clock.today(), "通知日期")
    if help_until <= release_date:
        errors["help_until"] = "帮教期满日期须晚于释放日期。"
    if errors:
        raise ValidationError(errors)
    info = _check_id(id_number)
    person = ReleasedPerson(
        office=office, name=name.strip(), id_number=info.number, gender=gender or info.gender,
        birth_date=birth_date or info.birth_date,
        phone=phone.strip(), address=address.strip(), prison=prison.strip(), notice_date=notice_date,
        release_date=release_date, crime=crime.strip(), handover_due=deadlines.handover_due(notice_date),
        help_until=help_until, recorded_by=actor,
    )  # fmt: skip
    person.full_clean()
    person.save()
    audit(
        actor=actor, action=AuditAction.CORRECTION_RELEASED_CREATE, obj=person, node=office,
        data={"handover_due": person.handover_due.isoformat()},
    )  # fmt: skip
    return person


@service(AuditAction.CORRECTION_RELEASED_HANDOVER)
def released_handover(
    *, actor: Any, person: ReleasedPerson, date: datetime.date, assessment: str, help_plan: str,
    key_person: bool = False,
) -> ReleasedPerson:  # fmt: skip
    """The hand-over (衔接): the person is met, assessed, and gets a help plan; key persons are flagged."""
    _require(actor, person.office)
    if person.handover_on is not None or not person.is_open:
        raise ValidationError("该人员已衔接。")
    errors = _not_future("date", date, clock.today(), "衔接日期")
    if not assessment.strip():
        errors["assessment"] = "请填写衔接评估。"
    if not help_plan.strip():
        errors["help_plan"] = "请填写帮教方案。"
    if errors:
        raise ValidationError(errors)
    person.handover_on = date
    person.assessment = assessment.strip()
    person.help_plan = help_plan.strip()
    person.key_person = key_person
    person.save(update_fields=["handover_on", "assessment", "help_plan", "key_person", "updated_at"])
    audit(
        actor=actor, action=AuditAction.CORRECTION_RELEASED_HANDOVER, obj=person, node=person.office,
        data={"on_time": date <= person.handover_due, "key_person": key_person},
    )  # fmt: skip
    return person


@service(AuditAction.CORRECTION_RELEASED_RECORD)
def released_record_add(
    *, actor: Any, person: ReleasedPerson, kind: str, date: datetime.date, note: str, help_kind: str = ""
) -> ReleasedRecord:
    _require(actor, person.office)
    errors: dict[str, str] = {}
    if not person.is_open:
        raise ValidationError("该人员已解除帮教。")
    if kind not in ReleasedRecordKind.values:
        errors["kind"] = "请选择记录类别。"
    if kind == ReleasedRecordKind.HELP and help_kind not in HelpKind.values:
        errors["help_kind"] = "请选择帮扶类别。"
    errors |= _not_future("date", date, clock.today(), "日期")
    if not note.strip():
        errors["note"] = "请填写情况记录。"
    if errors:
        raise ValidationError(errors)
    record = ReleasedRecord.objects.create(
        person=person, kind=kind, date=date, note=note.strip(),
        help_kind=help_kind if kind == ReleasedRecordKind.HELP else "", recorded_by=actor,
    )  # fmt: skip
    audit(
        actor=actor, action=AuditAction.CORRECTION_RELEASED_RECORD, obj=record, node=person.office,
        data={"person": person.pk, "kind": kind},
    )  # fmt: skip
    return record


@service(AuditAction.CORRECTION_RELEASED_CLOSE)
def released_close(*, actor: Any, person: ReleasedPerson, date: datetime.date) -> ReleasedPerson:
    """Close the help after the help period (帮教期满)."""
    _require(actor, person.office)
    if not person.is_open:
        raise ValidationError("该人员已解除帮教。")
    errors = _not_future("date", date, clock.today(), "解除日期")
    if date < person.help_until:
        errors["date"] = "帮教期未满，不能解除帮教。"
    if person.handover_on is None:
        errors["date"] = "尚未衔接，不能解除帮教。"
    if errors:
        raise ValidationError(errors)
    person.closed_on = date
    person.save(update_fields=["closed_on", "updated_at"])
    audit(actor=actor, action=AuditAction.CORRECTION_RELEASED_CLOSE, obj=person, node=person.office, data={})
    return person
