"""The legal-aid steps. Each is keyword-only, runs in one transaction, checks who may do it and writes an
AuditLog row; the matter's own moves (transfer, accept, outcome) go through ``lawdesk.matters.services``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.legalaid import rules
from lawdesk.legalaid.models import (
    Decision,
    LegalAidApplication,
    Material,
    OpponentType,
    ReviewOpinion,
    standard_for,
)
from lawdesk.matters import commands
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.orgs import places
from lawdesk.workcal.workdays import add_working_days


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def application_of(matter: Matter) -> LegalAidApplication | None:
    return LegalAidApplication.objects.filter(matter=matter).select_related("standard", "reviewed_by").first()


# --- who may do what -----------------------------------------------------------------------------------


def can_edit_application(actor: Any, matter: Matter) -> bool:
    """The first responder (or the office above) while the matter is still at the window."""
    return matter.kind == MatterKind.LEGAL_AID and commands.allows(actor, matter, "legal_aid_apply")


def can_review(actor: Any, matter: Matter, application: LegalAidApplication | None) -> bool:
    return application is not None and commands.allows(actor, matter, "legal_aid_review")


def can_transfer(actor: Any, matter: Matter, application: LegalAidApplication | None) -> bool:
    return matter.kind == MatterKind.LEGAL_AID and commands.allows(actor, matter, "transfer")


def can_decide(actor: Any, matter: Matter, application: LegalAidApplication | None) -> bool:
    return matter.kind == MatterKind.LEGAL_AID and commands.allows(actor, matter, "legal_aid_decide")


def apply_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.state != MatterState.RECEIVED:
        return "事项已移交法律援助机构，申请表不能再修改。"
    return None


def review_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.state != MatterState.RECEIVED:
        return "事项已移交法律援助机构，不能再初审。"
    if not LegalAidApplication.objects.filter(matter=matter).exists():
        return "请先填写法律援助申请表，再进行初审。"
    return None


def decide_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.institution is None or matter.institution.kind != InstitutionKind.LEGAL_AID_CENTRE:
        return "只有受理该申请的法律援助中心可以作出决定。"
    application = LegalAidApplication.objects.filter(matter=matter).first()
    if application is None:
        return "该事项没有法律援助申请表。"
    if application.decision:
        return "该申请已作出受理决定。"
    return None


# --- the application -----------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    case_facts: str
    category: str = ""
    category_basis: str = ""
    art32_situation: str = ""
    exempt_group: str = ""
    opponent_name: str = ""
    opponent_type: str = OpponentType.PERSON
    opponent_contact: str = ""
    household_size: int | None = 1
    monthly_income: Decimal | None = None
    economic_note: str = ""
    materials: list[str] = field(default_factory=list)
    materials_other: str = ""
    applied_on: datetime.date | None = None
    poverty_area: str = ""


def _clean(data: ApplicationInput, matter: Matter) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.case_facts.strip():
        errors["case_facts"] = "请填写案情及申请理由。"
    if data.category and data.category not in rules.ART31_ITEMS:
        errors["category"] = "事项类别无效。"
    if not data.category and not data.art32_situation:
        errors["category"] = (
            "请选择事项类别（第三十一条）或第三十二条情形；都不属于的，应指引而不是受理申请。"
        )
    if data.category == "other" and not data.category_basis.strip():
        errors["category_basis"] = "选择“法律、法规、规章规定的其他情形”的，须注明依据。"
    if data.art32_situation and data.art32_situation not in rules.ART32_ITEMS:
        errors["art32_situation"] = "第三十二条情形无效。"
    if data.exempt_group and data.exempt_group not in rules.ART42_ITEMS:
        errors["exempt_group"] = "免予核查人员类别无效。"
    if data.opponent_type not in OpponentType.values:
        errors["opponent_type"] = "对方类型无效。"
    if data.household_size is None or data.household_size < 1 or data.household_size > 50:
        errors["household_size"] = "家庭人口数应为1到50之间的整数。"
    needs_income = not data.art32_situation and not data.exempt_group
    if data.monthly_income is not None and data.monthly_income < 0:
        errors["monthly_income"] = "家庭月收入不能为负数。"
    elif needs_income and data.monthly_income is None:
        errors["monthly_income"] = "需核查经济困难状况的，请填写家庭月收入（没有收入填0）。"
    unknown = [m for m in data.materials if m not in Material.values]
    if unknown:
        errors["materials"] = "材料清单中有无效项目。"
    if data.poverty_area.strip() and data.poverty_area.strip() not in places.poverty_areas(matter.node):
        errors["poverty_area"] = "请从本区登记的贫困村中选择。"
    today = clock.today()
    if data.applied_on is not None:
        if data.applied_on > today:
            errors["applied_on"] = "申请日期不能晚于今天。"
        elif data.applied_on < timezone.localdate(matter.visit.received_at):
            errors["applied_on"] = "申请日期不能早于来访日期。"
    return errors


@service(None)
def application_record(*, actor: Any, matter: Matter, data: ApplicationInput) -> LegalAidApplication:
    """Record (or correct) the application form while the matter is at the window; the rules assess it."""
    if matter.kind != MatterKind.LEGAL_AID:
        raise ValidationError("只有法律援助申请事项才能填写法律援助申请表。")
    errors = _clean(data, matter)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="legal_aid_apply")
        application = LegalAidApplication.objects.filter(matter=matter).first()
        created = application is None
        if application is None:
            application = LegalAidApplication(matter=matter, recorded_by=actor)
        application.applied_on = data.applied_on or timezone.localdate(matter.visit.received_at)
        application.category = data.category
        application.category_basis = data.category_basis.strip() if data.category == "other" else ""
        application.art32_situation = data.art32_situation
        application.exempt_group = data.exempt_group
        application.case_facts = data.case_facts.strip()
        application.opponent_name = data.opponent_name.strip()
        application.opponent_type = data.opponent_type
        application.opponent_contact = data.opponent_contact.strip()
        application.household_size = data.household_size or 1
        application.monthly_income = data.monthly_income
        application.economic_note = data.economic_note.strip()
        application.poverty_area = data.poverty_area.strip()
        application.materials = [m for m in Material.values if m in set(data.materials)]
        application.materials_other = data.materials_other.strip()
        application.standard = standard_for(matter.node, application.applied_on)
        verdict = application.assessment()
        application.in_scope = verdict.eligible_in_scope
        application.hardship = verdict.hardship
        application.fast_track = verdict.fast_track
        if not created and application.review_opinion:
            # The form changed after the review: the review must be made again on what is now recorded.
            application.review_opinion = ""
            application.review_note = ""
            application.reviewed_by = None
            application.reviewed_on = None
        application.save()
        audit(
            actor=actor,
            action="legalaid.application_recorded" if created else "legalaid.application_changed",
            obj=application,
            node=matter.node,
            data={"matter": matter.pk, "hardship": verdict.hardship, "in_scope": verdict.eligible_in_scope},
        )
        matter_services.record_step(
            matter=matter, code="legal_aid_applied", actor=actor, note="" if created else "修改申请表"
        )
    return application


@service(AuditAction.LEGALAID_REVIEWED)
def preliminary_review(*, actor: Any, matter: Matter, opinion: str, note: str = "") -> LegalAidApplication:
    """初审: the window's opinion on the recorded application."""
    if opinion not in ReviewOpinion.values:
        raise ValidationError({"opinion": "请选择初审意见（符合、不符合、材料不全需补正）。"})
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="legal_aid_review")
        application = LegalAidApplication.objects.select_for_update().get(matter=matter)
        verdict = application.assessment()
        if opinion == ReviewOpinion.ELIGIBLE:
            if not application.materials_complete:
                raise ValidationError(
                    {
                        "opinion": f"材料不齐全（缺：{'、'.join(application.missing_materials)}），应选择“材料不全需补正”。"
                    }
                )
            if verdict.eligible is False and not note.strip():
                raise ValidationError(
                    {
                        "note": f"按《法律援助法》审查结果为“{verdict.summary}”，认为符合的，须在说明中写明理由。"
                    }
                )
        if opinion == ReviewOpinion.INELIGIBLE and not note.strip():
            raise ValidationError({"note": "初审意见为“不符合”的，须说明理由。"})
        if opinion == ReviewOpinion.SUPPLEMENT and not note.strip() and application.materials_complete:
            raise ValidationError({"note": "请写明需要补正的材料。"})
        application.review_opinion = opinion
        application.review_note = note.strip() or (
            "、".join(application.missing_materials) if opinion == ReviewOpinion.SUPPLEMENT else ""
        )
        application.reviewed_by = actor
        application.reviewed_on = clock.today()
        application.save()
        audit(
            actor=actor,
            action="legalaid.reviewed",
            obj=application,
            node=matter.node,
            data={"matter": matter.pk, "opinion": opinion},
        )
        matter_services.record_step(
            matter=matter,
            code="legal_aid_reviewed",
            actor=actor,
            note=application.get_review_opinion_display(),
        )
    return application


FAST_TRACK_ACCEPT_DAYS = 1


def transfer_check(actor: Any, matter: Matter, institution: Institution | None = None, **_: Any) -> Any:
    """Only after a passed 初审, and only to an active legal aid centre in reach that serves the platform."""
    application = LegalAidApplication.objects.filter(matter=matter).first()
    if application is None or application.review_opinion != ReviewOpinion.ELIGIBLE:
        return "初审意见为“符合”后才能移交法律援助中心。"
    if institution is None:
        return None
    if institution.kind != InstitutionKind.LEGAL_AID_CENTRE:
        return {"institution": "法律援助申请只能移交法律援助中心。"}
    return matter_services.transfer_check(actor, matter, institution=institution)


@service(AuditAction.LEGALAID_TRANSFERRED)
def transfer_to_centre(*, actor: Any, matter: Matter, institution: Institution, note: str = "") -> Matter:
    """Hand a reviewed application to a legal aid centre (the matter's own transfer move)."""
    with transaction.atomic():
        # The matter first, then its application: the same order as every step.
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="transfer", institution=institution)
        application = LegalAidApplication.objects.select_for_update().get(matter=matter)
        moved = matter_services.move_transfer(matter, actor=actor, institution=institution, note=note)
        if application.fast_track:
            # The simplified, faster path (plan 五(四)4): the centre accepts by the next working day.
            fast_due = add_working_days(clock.today(), FAST_TRACK_ACCEPT_DAYS)
            if moved.accept_due is None or fast_due < moved.accept_due:
                Matter.objects.filter(pk=moved.pk).update(accept_due=fast_due)
                moved.accept_due = fast_due
        audit(
            actor=actor,
            action="legalaid.transferred",
            obj=application,
            node=matter.node,
            data={"matter": matter.pk, "institution": institution.pk},
        )
    return moved


@service(AuditAction.LEGALAID_DECIDED)
def centre_decision(
    *,
    actor: Any,
    matter: Matter,
    decision: str,
    decided_on: datetime.date | None,
    reason: str = "",
    lawyer_name: str = "",
) -> LegalAidApplication:
    """The centre's decision (art. 43). 给予: the centre accepts the matter and names the lawyer; 不予: it accepts
    the application and records the refusal with its reason as the outcome, for the window to tell the
    applicant in writing."""
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "请选择受理决定（给予或不予）。"
    today = clock.today()
    if decided_on is None:
        errors["decided_on"] = "请填写决定日期。"
    elif decided_on > today:
        errors["decided_on"] = "决定日期不能晚于今天。"
    if decision == Decision.GRANT and not lawyer_name.strip():
        errors["lawyer_name"] = "决定给予法律援助的，请填写指派的法律援助人员。"
    if decision == Decision.DENY and not reason.strip():
        errors["reason"] = "决定不予法律援助的，须说明理由（将书面告知申请人）。"
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None
    with transaction.atomic():
        locked = matter_services.lock_matter(matter)
        application = LegalAidApplication.objects.select_for_update().filter(matter=locked).first()
        commands.authorize(actor=actor, matter=locked, key="legal_aid_decide")
        assert application is not None
        if decided_on < application.applied_on:
            raise ValidationError({"decided_on": "决定日期不能早于申请日期。"})
        application.decision = decision
        application.decision_reason = reason.strip()
        application.decided_on = decided_on
        application.decided_by = actor
        application.lawyer_name = lawyer_name.strip() if decision == Decision.GRANT else ""
        application.save()
        label = Decision(decision).label
        note = f"受理决定：{label}（{decided_on:%Y-%m-%d}）"
        if decision == Decision.GRANT:
            note += f"，指派 {application.lawyer_name}"
        matter_services.move_accept(locked, actor=actor, note=note)
        if decision == Decision.DENY:
            matter_services.move_outcome(
                locked, actor=actor, outcome=f"决定不予法律援助。理由：{application.decision_reason}"
            )
        audit(
            actor=actor,
            action="legalaid.decided",
            obj=application,
            node=locked.node,
            data={"matter": locked.pk, "decision": decision, "decided_on": decided_on.isoformat()},
        )
        matter_services.record_step(
            matter=locked, code="legal_aid_decided", actor=actor, note=application.get_decision_display()
        )
    return application
