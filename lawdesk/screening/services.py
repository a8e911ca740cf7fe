"""Every change of the screening records and the warnings goes through here (keyword-only, one transaction each,
audited once, Chinese messages naming the field).

- ``round_record``: a committee's handler (or the judicial office staff over it) records a screening round of a
  village, or of its whole area, with what it found.
- ``finding_register``: a found dispute becomes a matter through the normal services — a visit registered at the
  village's station (channel 排查) by someone who may register visits there (the judicial office staff or the
  station's clerk), its dispute details recorded (易激化 alerts at once, as for any dispute) and routed to the
  committee that found it, which then accepts it in its inbox like any transferred dispute.
- ``signal_handle``: the office or district marks a warning handled, with what was done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.institutions.models import Institution
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind
from lawdesk.mediation import services as mediation
from lawdesk.mediation.models import DisputeType, PartyRole, PartyType
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import Village
from lawdesk.screening import selectors
from lawdesk.screening.models import (
    Disposition,
    ScreeningFinding,
    ScreeningRound,
    Signal,
    SignalState,
)

MAX_FINDINGS = 30


@dataclass
class FindingInput:
    disposition: str
    description: str = ""
    dispute_type: str = ""
    applicant: str = ""
    counterpart: str = ""
    people_involved: int = 1
    escalation_risk: bool = False


def _clean_findings(findings: list[FindingInput]) -> tuple[list[FindingInput], dict[str, str]]:
    errors: dict[str, str] = {}
    kept: list[FindingInput] = []
    if len(findings) > MAX_FINDINGS:
        errors["findings"] = f"一次排查最多登记{MAX_FINDINGS}条发现。"
    for index, item in enumerate(findings, start=1):
        prefix = f"第{index}条发现："
        if item.disposition not in Disposition.values:
            errors.setdefault("findings", f"{prefix}请选择处理方式。")
            continue
        description = item.description.strip()
        if item.disposition != Disposition.NO_DISPUTE:
            if not description:
                errors.setdefault("findings", f"{prefix}请填写纠纷情况。")
            if item.dispute_type not in DisputeType.values:
                errors.setdefault("findings", f"{prefix}请选择纠纷类型。")
            if item.disposition == Disposition.TO_MATTER and not item.applicant.strip():
                errors.setdefault("findings", f"{prefix}转为事项须填写当事人姓名。")
        if item.people_involved is None or item.people_involved < 1:
            errors.setdefault("findings", f"{prefix}涉及人数至少为1人。")
        kept.append(
            FindingInput(
                disposition=item.disposition,
                description=description[:2000] or "未发现矛盾纠纷",
                dispute_type=item.dispute_type if item.disposition != Disposition.NO_DISPUTE else "",
                applicant=item.applicant.strip()[:100],
                counterpart=item.counterpart.strip()[:100],
                people_involved=item.people_involved or 1,
                escalation_risk=bool(item.escalation_risk) and item.disposition == Disposition.TO_MATTER,
            )
        )
    return kept, errors


@service(AuditAction.SCREENING_ROUND_RECORD)
def round_record(
    *,
    actor: Any,
    committee: Institution,
    date: datetime.date,
    village: Village | None = None,
    households: int = 0,
    summary: str = "",
    findings: list[FindingInput] | None = None,
) -> ScreeningRound:
    """Record one screening round and what it found. Findings to become matters are announced to the judicial
    office staff, who register them (``finding_register``)."""
    if not selectors.can_record_for(actor, committee):
        raise PermissionDenied("只有该人民调解委员会的调解员或其所属司法所可以登记排查。")
    errors: dict[str, str] = {}
    if date is None or date > clock.today():
        errors["date"] = "排查日期不能晚于今天。"
    if village is not None and not selectors.committee_villages(committee).filter(pk=village.pk).exists():
        errors["village"] = f"“{village.name}”不在“{committee.name}”的辖区内。"
    if households is None or households < 0:
        errors["households"] = "走访户数不能为负数。"
    kept, finding_errors = _clean_findings(findings or [])
    errors.update(finding_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        node = selectors.round_node(committee, village)
        record = ScreeningRound.objects.create(
            committee=committee,
            node=node,
            village=village,
            period=selectors.month_start(date),
            date=date,
            households=households,
            summary=summary.strip()[:4000],
            screened_by=actor,
        )
        ScreeningFinding.objects.bulk_create(
            ScreeningFinding(
                round=record,
                disposition=f.disposition,
                description=f.description,
                dispute_type=f.dispute_type,
                applicant=f.applicant,
                counterpart=f.counterpart,
                people_involved=f.people_involved,
                escalation_risk=f.escalation_risk,
            )
            for f in kept
        )
        pending = sum(1 for f in kept if f.disposition == Disposition.TO_MATTER)
        notified: list[int] = []
        if pending:
            text = (
                f"【矛盾纠纷排查】“{committee.name}”{date:%m月%d日}排查"
                f"{'“' + village.name + '”' if village else '辖区'}，发现{pending}件纠纷待转为事项，请登记。"
            )
            for user in scoping.users_holding(Role.OFFICE_STAFF, at=node):
                if user.pk != actor.pk:
                    notify(user=user, text=text, sms=False)
                    notified.append(user.pk)
        audit(
            actor=actor,
            action=AuditAction.SCREENING_ROUND_RECORD,
            obj=record,
            node=node,
            data={
                "committee": committee.pk,
                "village": village.pk if village else None,
                "period": record.period.isoformat(),
                "findings": len(kept),
                "to_matter": pending,
                "notified": notified,
            },
        )
    return record


@service(AuditAction.SCREENING_FINDING_REGISTER)
def finding_register(*, actor: Any, finding: ScreeningFinding, phone: str = "") -> Matter:
    """Turn a found dispute into a matter through the intake and mediation services, routed to the committee that
    found it."""
    with transaction.atomic():
        finding = (
            ScreeningFinding.objects.select_for_update(of=("self",))
            .select_related("round__committee", "round__village__station", "round__node")
            .get(pk=finding.pk)
        )
        if not finding.awaiting_matter:
            raise ValidationError({"finding": "该排查发现不需要或已经转为事项。"})
        node = selectors.intake_node(finding)
        if node is None:
            raise ValidationError({"finding": "该司法所没有可登记来访的公共法律服务站。"})
        if not scoping.can_receive_at(actor, node):
            raise PermissionDenied(f"您无权在“{node.name}”登记来访：请由司法所或该服务站登记。")
        committee = finding.round.committee
        summary = f"{finding.description}（{committee.name}{finding.round.date:%Y-%m-%d}排查发现）"
        visit = matter_services.visit_register(
            actor=actor,
            node=node,
            person_data=matter_services.PersonInput(name=finding.applicant, phone=phone.strip()),
            matters=[matter_services.MatterInput(kind=MatterKind.DISPUTE, summary=summary)],
            channel=Channel.SCREENING,
        )
        matter = visit.matters.get()
        parties = [mediation.PartyInput(name=finding.applicant, role=PartyRole.APPLICANT)]
        if finding.counterpart:
            parties.append(
                mediation.PartyInput(
                    name=finding.counterpart,
                    role=PartyRole.RESPONDENT,
                    party_type=PartyType.UNIT if _looks_like_unit(finding.counterpart) else PartyType.PERSON,
                )
            )
        mediation.dispute_record(
            actor=actor,
            matter=matter,
            dispute_type=finding.dispute_type,
            parties=parties,
            people_involved=finding.people_involved,
            escalation_risk=finding.escalation_risk,
            place=node,
        )
        matter = mediation.dispute_route(
            actor=actor,
            matter=matter,
            committee=committee,
            reason=f"排查发现，由开展排查的“{committee.name}”调解",
        )
        finding.matter = matter
        finding.registered_by = actor
        finding.registered_at = clock.now()
        finding.save(update_fields=["matter", "registered_by", "registered_at", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.SCREENING_FINDING_REGISTER,
            obj=finding,
            node=finding.round.node,
            data={"round": finding.round_id, "matter": matter.pk, "visit": visit.pk},
        )
    return matter


def _looks_like_unit(name: str) -> bool:
    return any(
        word in name for word in ("公司", "工地", "项目部", "厂", "店", "物业", "医院", "学校", "合作社")
    )


@service(AuditAction.SCREENING_SIGNAL_HANDLE)
def signal_handle(*, actor: Any, signal: Signal, note: str) -> Signal:
    """Mark a warning handled, saying what was done."""
    note = note.strip()
    with transaction.atomic():
        signal = Signal.objects.select_for_update(of=("self",)).select_related("node").get(pk=signal.pk)
        if not selectors.can_handle(actor, signal):
            raise PermissionDenied("只有预警所属司法所或上级司法局可以处置该预警。")
        if signal.state == SignalState.HANDLED:
            raise ValidationError({"note": "该预警已处置。"})
        if not note:
            raise ValidationError({"note": "请填写处置情况。"})
        signal.state = SignalState.HANDLED
        signal.handled_by = actor
        signal.handled_at = clock.now()
        signal.note = note[:2000]
        signal.save(update_fields=["state", "handled_by", "handled_at", "note"])
        audit(
            actor=actor,
            action=AuditAction.SCREENING_SIGNAL_HANDLE,
            obj=signal,
            node=signal.node,
            data={"kind": signal.kind},
        )
    return signal
