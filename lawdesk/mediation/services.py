"""Mediation of a dispute: its details and parties (the clerk), routing to a committee, and the committee's result,
which returns to the station and the judicial office (五(四)3). Keyword-only, one transaction each, audited."""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_phone
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import commands, services
from lawdesk.matters.escalation import matter_reference
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.mediation import routing
from lawdesk.mediation.models import (
    AgreementForm,
    DisputeDetail,
    DisputeParty,
    DisputeType,
    Guidance,
    MediationOutcome,
    MediationResult,
    PartyRole,
    PartyType,
    format_amount,
)
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode


@dataclass
class PartyInput:
    name: str
    role: str = PartyRole.RESPONDENT
    party_type: str = PartyType.PERSON
    phone: str = ""
    address: str = ""


# --- who --------------------------------------------------------------------------------------------------


def _users_above(node: OrgNode, role: str) -> list[User]:
    """Active users holding ``role`` at ``node`` or a node above it."""
    return list(scoping.users_holding(role, at_or_above=node))


def office_staff_for(matter: Matter) -> list[User]:
    return _users_above(matter.node, Role.OFFICE_STAFF)


def district_admins_for(matter: Matter) -> list[User]:
    return _users_above(matter.node, Role.DISTRICT_ADMIN)


def can_edit_dispute(actor: Any, matter: Matter) -> bool:
    return matter.kind == MatterKind.DISPUTE and commands.allows(actor, matter, "dispute_record")


def can_record_result(actor: Any, matter: Matter) -> bool:
    return matter.kind == MatterKind.DISPUTE and commands.allows(actor, matter, "mediation_result")


def result_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.institution is None or matter.institution.kind != InstitutionKind.MEDIATION_COMMITTEE:
        return "只有承接该纠纷的人民调解委员会登记调解结果；其他机构请登记办理结果。"
    if MediationResult.objects.filter(matter=matter).exists():
        return "该纠纷已登记调解结果。"
    return None


def outcome_check(actor: Any, matter: Matter, **_: Any) -> Any:
    """A committee records the mediation result, not a plain outcome."""
    if matter.institution is not None and matter.institution.kind == InstitutionKind.MEDIATION_COMMITTEE:
        return "人民调解委员会承接的纠纷，请登记调解结果（成功、不成功或终止）。"
    return None


def _require_dispute(matter: Matter) -> None:
    if matter.kind != MatterKind.DISPUTE:
        raise ValidationError("只有矛盾纠纷事项可以登记人民调解信息。")


def _unique(users: list[User]) -> list[User]:
    seen: set[int] = set()
    kept = []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            kept.append(user)
    return kept


# --- the dispute ------------------------------------------------------------------------------------------


def _clean_parties(parties: list[PartyInput]) -> tuple[list[PartyInput], dict[str, str]]:
    errors: dict[str, str] = {}
    kept: list[PartyInput] = []
    for index, party in enumerate(parties, start=1):
        name = party.name.strip()
        if not name:
            if party.phone.strip() or party.address.strip():
                errors.setdefault("parties", f"第{index}位当事人：请填写姓名或名称。")
            continue
        if party.role not in PartyRole.values:
            errors.setdefault("parties", f"第{index}位当事人：当事人地位无效。")
        if party.party_type not in PartyType.values:
            errors.setdefault("parties", f"第{index}位当事人：请选择自然人或单位。")
        if party.phone.strip():
            try:
                validate_phone(party.phone.strip())
            except ValidationError as exc:
                errors.setdefault("parties", f"第{index}位当事人：{exc.messages[0]}")
        kept.append(
            PartyInput(
                name=name[:100],
                role=party.role,
                party_type=party.party_type,
                phone=party.phone.strip(),
                address=party.address.strip()[:200],
            )
        )
    if not kept and "parties" not in errors:
        errors["parties"] = "请至少登记一位当事人（对方当事人的姓名或名称）。"
    return kept, errors


@service(AuditAction.MEDIATION_DISPUTE_RECORDED)
def dispute_record(
    *,
    actor: Any,
    matter: Matter,
    dispute_type: str,
    parties: list[PartyInput],
    people_involved: int,
    amount: decimal.Decimal | None = None,
    escalation_risk: bool = False,
    place: OrgNode | None = None,
) -> DisputeDetail:
    """Record (or correct, before the transfer) a dispute's type, parties, amount, people and risk. A dispute
    newly marked as risking escalation alerts the judicial office and the district at once, by SMS too."""
    _require_dispute(matter)
    errors: dict[str, str] = {}
    if dispute_type not in DisputeType.values:
        errors["dispute_type"] = "请选择纠纷类型。"
    if amount is not None and amount < 0:
        errors["amount"] = "涉及金额不能为负数。"
    if people_involved is None or people_involved < 1:
        errors["people_involved"] = "涉及人数至少为1人。"
    kept, party_errors = _clean_parties(parties)
    errors.update(party_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        matter = services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="dispute_record")
        place = place or matter.node
        if not scoping.can_see_node(actor, place) and place.pk != matter.node_id:
            raise ValidationError({"place": "纠纷发生地不在您的管辖范围内。"})
        detail = DisputeDetail.objects.filter(matter=matter).first() or DisputeDetail(
            matter=matter, recorded_by=actor
        )
        was_risky = detail.escalation_risk and detail.escalation_alerted_at is not None
        detail.dispute_type = dispute_type
        detail.amount = amount
        detail.people_involved = people_involved
        detail.escalation_risk = escalation_risk
        detail.place = place
        detail.save()
        detail.parties.all().delete()
        DisputeParty.objects.bulk_create(
            DisputeParty(
                detail=detail,
                role=p.role,
                party_type=p.party_type,
                name=p.name,
                phone=p.phone,
                address=p.address,
            )
            for p in kept
        )
        audit(
            actor=actor,
            action="mediation_dispute_recorded",
            obj=detail,
            node=matter.node,
            data={
                "matter": matter.pk,
                "type": dispute_type,
                "amount": str(amount) if amount is not None else None,
                "people": people_involved,
                "escalation_risk": escalation_risk,
                "parties": len(kept),
            },
        )
        services.record_step(
            matter=matter, code="dispute_recorded", actor=actor, note=detail.get_dispute_type_display()
        )
        if escalation_risk and not was_risky:
            _alert_escalation(actor=actor, matter=matter, detail=detail)
    return detail


def _alert_escalation(*, actor: Any, matter: Matter, detail: DisputeDetail) -> None:
    amount = f"，涉及金额{format_amount(detail.amount)}元" if detail.amount is not None else ""
    text = (
        f"【易激化纠纷预警】{matter_reference(matter)}（{detail.get_dispute_type_display()}，"
        f"涉及{detail.people_involved}人{amount}）有激化风险，请立即关注、及早化解。"
    )
    recipients = _unique(office_staff_for(matter) + district_admins_for(matter))
    for user in recipients:
        notify(user=user, text=text, matter=matter, sms=True)
    detail.escalation_alerted_at = clock.now()
    detail.save(update_fields=["escalation_alerted_at"])
    audit(
        actor=actor,
        action="mediation_escalation_alerted",
        obj=detail,
        node=matter.node,
        data={"matter": matter.pk, "recipients": [u.pk for u in recipients]},
    )
    services.record_step(
        matter=matter, code="escalation_risk_alerted", actor=actor, note="已通知司法所和区(县)司法局"
    )


# --- routing ----------------------------------------------------------------------------------------------


def dispute_record_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.state != MatterState.RECEIVED:
        return "纠纷已移交调解组织，不能再修改纠纷详情（调解组织退回后可以修改）。"
    return None


def dispute_transfer_check(actor: Any, matter: Matter, institution: Institution | None = None, note: str = "",
                           **_: Any) -> Any:  # fmt: skip
    """A dispute goes to a mediation committee once its details are recorded; to another institution only with
    the reason written down."""
    if institution is None:
        return None
    if institution.kind == InstitutionKind.MEDIATION_COMMITTEE:
        if not DisputeDetail.objects.filter(matter=matter).exists():
            return {"institution": "请先登记纠纷详情（类型、当事人、金额、人数），再移交调解组织。"}
    elif not note.strip():
        return {"note": "矛盾纠纷移交人民调解委员会以外的机构，须在移交说明中写明原因。"}
    return services.transfer_check(actor, matter, institution=institution)


@service(None)
def dispute_transfer(*, actor: Any, matter: Matter, institution: Institution, note: str = "") -> Matter:
    """The dispute's transfer: to a committee through the routing rules, elsewhere with the reason recorded."""
    if institution.kind == InstitutionKind.MEDIATION_COMMITTEE:
        try:
            return dispute_route(actor=actor, matter=matter, committee=institution, reason=note)
        except ValidationError as exc:
            # The route page calls the override's reason "reason"; the transfer form calls it "note".
            if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                renamed = {("note" if k == "reason" else k): v for k, v in exc.error_dict.items()}
                raise ValidationError(renamed) from exc
            raise
    with transaction.atomic():
        matter = services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="transfer", institution=institution, note=note)
        return services.move_transfer(
            matter,
            actor=actor,
            institution=institution,
            note=f"移交人民调解委员会以外的机构，原因：{note.strip()}",
        )


@service(AuditAction.MEDIATION_DISPUTE_ROUTED)
def dispute_route(*, actor: Any, matter: Matter, committee: Institution, reason: str = "") -> Matter:
    """Transfer the dispute to ``committee``; choosing another than the proposed one needs a reason."""
    _require_dispute(matter)
    reason = reason.strip()
    with transaction.atomic():
        matter = services.lock_matter(matter)
        if committee.kind != InstitutionKind.MEDIATION_COMMITTEE:
            raise ValidationError({"committee": "矛盾纠纷只能移交人民调解委员会。"})
        commands.authorize(actor=actor, matter=matter, key="transfer", institution=committee, note=reason)
        detail = DisputeDetail.objects.select_related("place").get(matter=matter)
        proposal = routing.propose(matter=matter, dispute_type=detail.dispute_type, place=detail.place)
        overridden = proposal.committee is None or proposal.committee.pk != committee.pk
        if overridden and not reason:
            raise ValidationError({"reason": "所选调解组织与系统建议不同，请说明改选原因。"})
        if proposal.committee is not None and not overridden:
            note = proposal.explanation_cn
        else:
            note = f"改选调解组织，原因：{reason}"
        matter = services.move_transfer(matter, actor=actor, institution=committee, note=note)
        detail.proposed_committee = proposal.committee
        detail.proposal_basis = proposal.basis
        detail.routed_committee = committee
        detail.override_reason = reason[:300] if overridden else ""
        detail.save()
        audit(
            actor=actor,
            action="mediation_dispute_routed",
            obj=detail,
            node=matter.node,
            data={
                "matter": matter.pk,
                "committee": committee.pk,
                "proposed": proposal.committee.pk if proposal.committee else None,
                "basis": proposal.basis,
                "override_reason": detail.override_reason,
            },
        )
    return matter


# --- the result -------------------------------------------------------------------------------------------


def outcome_text(result: MediationResult) -> str:
    """The Chinese outcome written on the matter (and so in ledgers 1 and 2)."""
    parts = [f"调解{result.get_result_display()}"]
    if result.result == MediationOutcome.SUCCESS:
        parts.append(f"达成{result.get_agreement_form_display()}调解协议")
        if result.agreed_amount is not None:
            parts.append(f"协议金额{format_amount(result.agreed_amount)}元")
        if result.judicial_confirmation_advised:
            parts.append("建议双方申请司法确认")
    elif result.result == MediationOutcome.FAILURE:
        guidance = result.get_guidance_display()
        parts.append(
            f"已引导当事人{guidance}" + (f"（{result.guidance_text}）" if result.guidance_text else "")
        )
    text = "，".join(parts) + "。"
    if result.note:
        text += result.note
    return text


@service(AuditAction.MEDIATION_RESULT_RECORDED)
def mediation_result_record(
    *,
    actor: Any,
    matter: Matter,
    result: str,
    agreement_form: str = "",
    agreed_amount: decimal.Decimal | None = None,
    guidance: str = "",
    guidance_text: str = "",
    judicial_confirmation_advised: bool = False,
    note: str = "",
) -> MediationResult:
    """The committee's handler records the result; it returns to the station (the matter's owner) and to the
    judicial office staff above it at once."""
    _require_dispute(matter)
    errors: dict[str, str] = {}
    if result not in MediationOutcome.values:
        errors["result"] = "请选择调解结果（成功、不成功或终止）。"
    if result == MediationOutcome.SUCCESS:
        if agreement_form not in AgreementForm.values:
            errors["agreement_form"] = "调解成功须注明协议形式（书面或口头）。"
    elif agreement_form:
        errors["agreement_form"] = "只有调解成功才填写协议形式。"
    if agreed_amount is not None:
        if agreed_amount < 0:
            errors["agreed_amount"] = "协议金额不能为负数。"
        elif result != MediationOutcome.SUCCESS:
            errors["agreed_amount"] = "只有调解成功才填写协议金额。"
    if result == MediationOutcome.FAILURE:
        if guidance not in Guidance.values:
            errors["guidance"] = "调解不成功须注明引导当事人的途径（申请仲裁、向人民法院起诉或其他）。"
        elif guidance == Guidance.OTHER and not guidance_text.strip():
            errors["guidance_text"] = "请说明引导当事人通过什么途径解决。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        matter = services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="mediation_result")
        now = clock.now()
        record = MediationResult(
            matter=matter,
            result=result,
            agreement_form=agreement_form if result == MediationOutcome.SUCCESS else "",
            agreed_amount=agreed_amount,
            guidance=guidance if result == MediationOutcome.FAILURE else "",
            guidance_text=guidance_text.strip()[:300] if result == MediationOutcome.FAILURE else "",
            note=note.strip(),
            judicial_confirmation_advised=judicial_confirmation_advised,
            recorded_by=actor,
            recorded_at=now,
        )
        text = outcome_text(record)
        matter = services.move_outcome(matter, actor=actor, outcome=text)
        committee = matter.institution.name if matter.institution else "调解组织"
        message = f"{matter_reference(matter)}：“{committee}”已登记调解结果——{text}"
        notify(user=matter.owner, text=message + "请告知当事人。", matter=matter)
        record.returned_to_station_at = now
        office = [u for u in office_staff_for(matter) if u.pk != matter.owner_id]
        for user in office:
            notify(user=user, text=message, matter=matter)
        record.returned_to_office_at = now
        record.save()
        audit(
            actor=actor,
            action="mediation_result_recorded",
            obj=record,
            node=matter.node,
            data={
                "matter": matter.pk,
                "result": result,
                "agreement_form": record.agreement_form,
                "agreed_amount": str(agreed_amount) if agreed_amount is not None else None,
                "guidance": record.guidance,
                "judicial_confirmation_advised": judicial_confirmation_advised,
                "notified": [matter.owner_id, *[u.pk for u in office]],
            },
        )
    return record
