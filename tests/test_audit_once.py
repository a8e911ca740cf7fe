"""Every public service writes its audit row exactly once (lawdesk.core.service).

Each service registered in ``SERVICES`` has a recipe here: it sets up what the service needs (through the services
themselves: those rows are not counted) and returns the one call to make, through the decorated function. The
test counts the audit rows written by that call alone: exactly one, named by the declared action (or, for a
service declared ``None``, by a member of the vocabulary), carrying the acting user (for an online request, the
platform's intake account; None for the system and for a citizen at the kiosk) and naming the object the act was
about. A new service fails here, by name, until it has its recipe. A refused call writes no row at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Max
from django.utils import timezone

from lawdesk.accounts import services as accounts
from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.advisers import services as advisers
from lawdesk.api import services as api
from lawdesk.appointments import services as appointments
from lawdesk.appointments.models import Appointment, Slot, SlotKind
from lawdesk.assessment import services as assessment
from lawdesk.assessment.models import Method, Rectification, Round, RoundKind, Score, Standard
from lawdesk.assessment.seed import ensure_default_standard
from lawdesk.bureau import selectors as bureau_selectors
from lawdesk.bureau import services as bureau
from lawdesk.bureau.models import Area, Division, Milestone, Stage
from lawdesk.complaints import services as complaints
from lawdesk.complaints.models import ComplaintDetail
from lawdesk.core import clock
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.models import AuditLog
from lawdesk.core.service import SERVICES
from lawdesk.correction import services as correction
from lawdesk.correction.models import ReleasedPerson, Supervisee
from lawdesk.coverage import services as coverage
from lawdesk.duty import services as duty
from lawdesk.duty.models import DutyShift, Post, Session
from lawdesk.governance import services as governance
from lawdesk.governance.criteria import CRITERIA_CODES
from lawdesk.governance.models import LegalOpinion, ModelVillageCase
from lawdesk.institutions import services as institutions
from lawdesk.institutions.models import InstitutionKind
from lawdesk.laws import services as laws
from lawdesk.laws.models import CorpusImport
from lawdesk.leaderwindow import services as leaderwindow
from lawdesk.leaderwindow.models import WindowDraw
from lawdesk.legalaid import services as legalaid
from lawdesk.legalaid.models import LegalAidApplication
from lawdesk.matters import attachments, personal_data
from lawdesk.matters import services as matters
from lawdesk.matters.models import Matter, MatterKind, ToldVia, Visit
from lawdesk.mediation import services as mediation
from lawdesk.mediation.models import DisputeDetail
from lawdesk.online import services as online
from lawdesk.online.models import IntakeAccount
from lawdesk.orgs import services as orgs
from lawdesk.orgs.models import FacilityItem, OrgNode, Village
from lawdesk.orgs.rules import NodeKind
from lawdesk.outreach import services as outreach
from lawdesk.outreach.models import PoorVillage, PovertyService, ServiceTeam
from lawdesk.quality import services as quality
from lawdesk.screening import services as screening
from lawdesk.staff import services as staff
from lawdesk.stats import services as stats
from lawdesk.video import services as video
from lawdesk.workcal.workdays import add_working_days
from tests.builders import APPLICATION, World, build, build_world, register
from tests.conftest import Personas, Tree, make_user, otp_code
from tests.test_audit_vocabulary import import_service_modules
from tests.video_fakes import with_janus

import_service_modules()

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
TZ = timezone.get_current_timezone()
PHONE = "13800138000"


@dataclass
class Act:
    """The one call a recipe makes, whose act it is, and what its row names."""

    run: Callable[[], Any]
    actor: User | Callable[[], User | None] | None  # a callable: the account exists only after the call
    names: Callable[[Any], models.Model] | None = None  # the object the row is about, from the call's result

    def actor_id(self) -> int | None:
        actor = self.actor() if callable(self.actor) else self.actor
        return actor.pk if actor is not None else None


Recipe = Callable[[World], Act]
RECIPES: dict[str, Recipe] = {}


def recipe(*names: str) -> Callable[[Recipe], Recipe]:
    """Register ``fn`` as the recipe of the services ``names`` ("app.module.function", without "lawdesk.")."""

    def register_recipe(fn: Recipe) -> Recipe:
        for name in names:
            assert f"lawdesk.{name}" not in RECIPES, name
            RECIPES[f"lawdesk.{name}"] = fn
        return fn

    return register_recipe


def itself(result: Any) -> models.Model:
    assert isinstance(result, models.Model)
    return result


def first(result: Any) -> models.Model:
    assert isinstance(result[0], models.Model)
    return result[0]


def the(obj: models.Model) -> Callable[[Any], models.Model]:
    return lambda _result: obj


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def next_working(n: int = 1) -> datetime.date:
    return add_working_days(clock.today(), n)


def security_admin(w: World) -> User:
    return make_user("security_admin", Role.SECURITY_ADMIN, w.tree.city)


# --- the tree, accounts, API clients ------------------------------------------------------------------------


@recipe("orgs.services.org_node_create")
def _org_node_create(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: orgs.org_node_create(
            actor=actor, parent=w.tree.office, kind=NodeKind.VILLAGE_STATION, name="大雁塔社区公共法律服务站",
            region_code="610113001002",
        ),
        actor,
        itself,
    )  # fmt: skip


@recipe("orgs.services.org_node_update")
def _org_node_update(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: orgs.org_node_update(actor=actor, node=w.tree.station_b, address="新址1号"), actor, itself
    )


@recipe("orgs.services.org_node_move")
def _org_node_move(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: orgs.org_node_move(
            actor=actor, node=w.tree.station_b, new_parent=w.tree.office2, region_code="610113002001"
        ),
        actor,
        itself,
    )


@recipe("orgs.services.village_create")
def _orgs_village_create(w: World) -> Act:
    actor = w.personas.office_staff
    return Act(
        lambda: orgs.village_create(
            actor=actor, office=w.tree.office, name="大雁塔社区", region_code="610113001005", kind="community"
        ),
        actor,
        itself,
    )


@recipe("orgs.services.village_update")
def _orgs_village_update(w: World) -> Act:
    actor = w.personas.office_staff
    village = orgs.village_create(actor=None, office=w.tree.office, name="吉祥村", region_code="610113001201")
    return Act(lambda: orgs.village_update(actor=actor, village=village, name="吉祥村（新）"), actor, itself)


@recipe("institutions.services.terminal_set")
def _terminal_set(w: World) -> Act:
    actor = w.personas.office_staff
    return Act(
        lambda: institutions.terminal_set(
            actor=actor, institution=w.tree.mediation, item="terminal_12348_web", present=True
        ),
        actor,
        itself,
    )


@recipe("orgs.services.facility_set")
def _facility_set(w: World) -> Act:
    actor = w.personas.office_staff
    return Act(
        lambda: orgs.facility_set(
            actor=actor, node=w.tree.station_a, item=FacilityItem.COMPUTER, present=True
        ),
        actor,
        itself,
    )


@recipe("accounts.services.role_assign")
def _role_assign(w: World) -> Act:
    actor = w.personas.system_admin
    return Act(
        lambda: accounts.role_assign(
            actor=actor, user=w.personas.clerk_b, role=Role.WINDOW_CLERK, node=w.tree.station_c
        ),
        actor,
        itself,
    )


@recipe("accounts.services.role_revoke")
def _role_revoke(w: World) -> Act:
    actor, user = w.personas.system_admin, w.personas.clerk_b
    assignment = RoleAssignment.objects.get(user=user)
    return Act(lambda: accounts.role_revoke(actor=actor, assignment=assignment), actor, the(user))


@recipe("accounts.services.user_deactivate")
def _user_deactivate(w: World) -> Act:
    actor, user = w.personas.system_admin, w.personas.clerk_b
    return Act(lambda: accounts.user_deactivate(actor=actor, user=user), actor, the(user))


@recipe("accounts.services.account_unlock")
def _account_unlock(w: World) -> Act:
    actor, user = security_admin(w), w.personas.clerk_a
    return Act(lambda: accounts.account_unlock(actor=actor, user=user), actor, the(user))


@recipe("accounts.services.otp_reset")
def _otp_reset(w: World) -> Act:
    actor, user = security_admin(w), w.personas.city_admin
    return Act(lambda: accounts.otp_reset(actor=actor, user=user), actor, the(user))


@recipe("accounts.services.password_reset")
def _password_reset(w: World) -> Act:
    actor, user = security_admin(w), w.personas.clerk_a
    return Act(
        lambda: accounts.password_reset(actor=actor, user=user, password="Reset-by-security-2026"),
        actor,
        the(user),
    )


@recipe("accounts.services.otp_device_bind")
def _otp_device_bind(w: World) -> Act:
    """Through the door that checks the code first."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = w.personas.clerk_a
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return Act(
        lambda: accounts.otp_device_confirm(actor=user, device=device, token=otp_code(device)),
        user,
        the(user),
    )


@recipe("api.services.api_client_create")
def _api_client_create(w: World) -> Act:
    actor = w.personas.system_admin
    return Act(
        lambda: api.api_client_create(actor=actor, user=w.personas.clerk_a, name="12348热线"), actor, first
    )


@recipe("api.services.api_client_set_active")
def _api_client_set_active(w: World) -> Act:
    actor = w.personas.system_admin
    client, _token = api.api_client_create(actor=actor, user=w.personas.clerk_a, name="12348热线")
    return Act(lambda: api.api_client_set_active(actor=actor, client=client, active=False), actor, itself)


@recipe("institutions.services.institution_create")
def _institution_create(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: institutions.institution_create(
            actor=actor, kind=InstitutionKind.LAW_FIRM, name="陕西小寨测试律师事务所", home_node=w.tree.district,
            served_nodes=[w.tree.district], phone="029-88880002",
        ),
        actor,
        itself,
    )  # fmt: skip


@recipe("institutions.services.institution_update")
def _institution_update(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: institutions.institution_update(
            actor=actor, institution=w.tree.law_firm, phone="029-88880009"
        ),
        actor,
        itself,
    )


@recipe("laws.services.import_corpus")
def _import_corpus(w: World) -> Act:
    return Act(
        lambda: laws.import_corpus(actor=None, only=["仲裁法"], force=True),
        None,
        lambda _result: CorpusImport.objects.get(),
    )


# --- visits and the common loop ------------------------------------------------------------------------------


def consultation(w: World, state: str = "received") -> Matter:
    return build(w, MatterKind.CONSULTATION, state)


@recipe("matters.services.visit_register")
def _visit_register(w: World) -> Act:
    clerk = w.personas.clerk_a
    return Act(
        lambda: matters.visit_register(
            actor=clerk, node=w.tree.station_a, person_data=matters.PersonInput(name="张三", phone=PHONE),
            matters=[
                matters.MatterInput(kind=MatterKind.CONSULTATION, summary="咨询劳动报酬", answer="可申请劳动仲裁"),
                matters.MatterInput(kind=MatterKind.DISPUTE, summary="邻里漏水纠纷"),
            ],
        ),
        clerk,
        itself,
    )  # fmt: skip


@recipe("matters.services.answer_command")
def _answer_command(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    return Act(lambda: matters.answer_command(actor=clerk, matter=matter, answer="已当场解答"), clerk, itself)


@recipe("matters.services.matter_answer")
def _matter_answer(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    return Act(lambda: matters.matter_answer(actor=clerk, matter=matter, answer="已当场解答"), clerk, itself)


@recipe("matters.services.redirect_command")
def _redirect_command(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    return Act(
        lambda: matters.redirect_command(
            actor=clerk, matter=matter, reason="不属本平台受理", redirect_to="雁塔区人社局"
        ),
        clerk,
        itself,
    )


@recipe("matters.services.matter_redirect")
def _matter_redirect(w: World) -> Act:
    matter, clerk = build(w, MatterKind.DISPUTE, "received"), w.personas.clerk_a
    return Act(
        lambda: matters.matter_redirect(
            actor=clerk, matter=matter, reason="已起诉，不属调解范围", redirect_to="雁塔区人民法院",
            phone="029-85550009",
        ),
        clerk,
        itself,
    )  # fmt: skip


@recipe("matters.services.transfer_command")
def _transfer_command(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    return Act(
        lambda: matters.transfer_command(actor=clerk, matter=matter, institution=w.tree.law_firm),
        clerk,
        itself,
    )


@recipe("matters.services.matter_transfer")
def _matter_transfer(w: World) -> Act:
    """The generic transfer of a legal-aid application is the legal-aid transfer."""
    matter, clerk = build(w, MatterKind.LEGAL_AID, "reviewed"), w.personas.clerk_a
    application = LegalAidApplication.objects.get(matter=matter)
    return Act(
        lambda: matters.matter_transfer(actor=clerk, matter=matter, institution=w.centre),
        clerk,
        the(application),
    )


@recipe("matters.services.accept_command")
def _accept_command(w: World) -> Act:
    matter, handler = consultation(w, "transferred"), w.personas.handler
    return Act(lambda: matters.accept_command(actor=handler, matter=matter), handler, itself)


@recipe("matters.services.matter_accept")
def _matter_accept(w: World) -> Act:
    """The generic accept of a complaint is the department's acknowledgement."""
    matter, handler = build(w, MatterKind.COMPLAINT, "passed_on"), w.department_handler
    detail = ComplaintDetail.objects.get(matter=matter)
    return Act(lambda: matters.matter_accept(actor=handler, matter=matter), handler, the(detail))


@recipe("matters.services.decline_command")
def _decline_command(w: World) -> Act:
    matter, handler = consultation(w, "transferred"), w.personas.handler
    return Act(
        lambda: matters.decline_command(actor=handler, matter=matter, reason="不属本所业务范围"),
        handler,
        itself,
    )


@recipe("matters.services.matter_decline")
def _matter_decline(w: World) -> Act:
    matter, handler = build(w, MatterKind.SERVICE_TRANSFER, "transferred"), w.personas.handler
    return Act(
        lambda: matters.matter_decline(actor=handler, matter=matter, reason="不属本所业务范围"),
        handler,
        itself,
    )


@recipe("matters.services.outcome_command")
def _outcome_command(w: World) -> Act:
    matter, handler = consultation(w, "accepted"), w.personas.handler
    return Act(
        lambda: matters.outcome_command(actor=handler, matter=matter, outcome="已办结"), handler, itself
    )


@recipe("matters.services.matter_record_outcome")
def _matter_record_outcome(w: World) -> Act:
    """Recorded by the judicial office on the handler's behalf."""
    matter, staff = consultation(w, "accepted"), w.personas.office_staff
    return Act(
        lambda: matters.matter_record_outcome(actor=staff, matter=matter, outcome="已代为登记办结"),
        staff,
        itself,
    )


@recipe("matters.services.tell_command")
def _tell_command(w: World) -> Act:
    matter, clerk = consultation(w, "outcome_recorded"), w.personas.clerk_a
    return Act(lambda: matters.tell_command(actor=clerk, matter=matter, via=ToldVia.PHONE), clerk, itself)


@recipe("matters.services.matter_tell_citizen")
def _matter_tell_citizen(w: World) -> Act:
    matter, clerk = build(w, MatterKind.LEGAL_AID, "outcome_recorded"), w.personas.clerk_a
    return Act(
        lambda: matters.matter_tell_citizen(actor=clerk, matter=matter, via=ToldVia.SMS, adoption="adopted"),
        clerk,
        itself,
    )


@recipe("matters.services.close_command")
def _close_command(w: World) -> Act:
    matter, clerk = consultation(w, "citizen_told"), w.personas.clerk_a
    return Act(lambda: matters.close_command(actor=clerk, matter=matter), clerk, itself)


@recipe("matters.services.matter_close")
def _matter_close(w: World) -> Act:
    matter, clerk = consultation(w, "answered"), w.personas.clerk_a
    return Act(lambda: matters.matter_close(actor=clerk, matter=matter), clerk, itself)


@recipe("matters.services.matter_handover_offer")
def _matter_handover_offer(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    return Act(
        lambda: matters.matter_handover_offer(actor=clerk, matter=matter, to_user=w.colleague), clerk, itself
    )


@recipe("matters.services.matter_handover_withdraw")
def _matter_handover_withdraw(w: World) -> Act:
    matter, clerk = consultation(w, "handover_offered"), w.personas.clerk_a
    return Act(lambda: matters.matter_handover_withdraw(actor=clerk, matter=matter), clerk, itself)


@recipe("matters.services.matter_handover_confirm")
def _matter_handover_confirm(w: World) -> Act:
    matter = consultation(w, "handover_offered")
    return Act(lambda: matters.matter_handover_confirm(actor=w.colleague, matter=matter), w.colleague, itself)


@recipe("matters.services.matter_mark_one_trip")
def _matter_mark_one_trip(w: World) -> Act:
    matter, clerk = register(w, MatterKind.CONSULTATION, groups=["elderly"]), w.personas.clerk_a
    return Act(lambda: matters.matter_mark_one_trip(actor=clerk, matter=matter, mode="proxy"), clerk, itself)


@recipe("matters.attachments.attachment_add")
def _attachment_add(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    scan = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    return Act(lambda: attachments.attachment_add(actor=clerk, matter=matter, file=scan), clerk, itself)


@recipe("matters.personal_data.person_reveal")
def _person_reveal(w: World) -> Act:
    matter, clerk = consultation(w), w.personas.clerk_a
    person = matter.visit.person
    return Act(
        lambda: personal_data.person_reveal(actor=clerk, person_pk=person.pk, field="phone"),
        clerk,
        the(person),
    )


@recipe("matters.personal_data.contact_reveal")
def _contact_reveal(w: World) -> Act:
    matter, clerk = build(w, MatterKind.COMPLAINT, "received"), w.personas.clerk_a
    return Act(
        lambda: personal_data.contact_reveal(actor=clerk, matter_pk=matter.pk, which="complainant"),
        clerk,
        the(matter),
    )


# --- complaints ------------------------------------------------------------------------------------------------


def detail_of(matter: Matter) -> ComplaintDetail:
    return ComplaintDetail.objects.get(matter=matter)


@recipe("complaints.services.complaint_record")
def _complaint_record(w: World) -> Act:
    """Recorded and passed on at once: two acts of the clerk, one row."""
    clerk = w.personas.clerk_a
    return Act(
        lambda: complaints.complaint_record(
            actor=clerk, node=w.tree.station_a, statement="律师收费后不提供服务", contact_name="陈磊",
            contact_phone="13591234505", subject_user=w.subject, department=w.department,
        ),
        clerk,
        itself,
    )  # fmt: skip


@recipe("complaints.services.complaint_pass_on")
def _complaint_pass_on(w: World) -> Act:
    matter, clerk = build(w, MatterKind.COMPLAINT, "received"), w.personas.clerk_a
    return Act(
        lambda: complaints.complaint_pass_on(actor=clerk, matter=matter, department=w.department),
        clerk,
        the(detail_of(matter)),
    )


@recipe("complaints.services.complaint_acknowledge")
def _complaint_acknowledge(w: World) -> Act:
    matter, handler = build(w, MatterKind.COMPLAINT, "passed_on"), w.department_handler
    return Act(
        lambda: complaints.complaint_acknowledge(actor=handler, matter=matter),
        handler,
        the(detail_of(matter)),
    )


@recipe("complaints.services.complaint_answer")
def _complaint_answer(w: World) -> Act:
    matter, handler = build(w, MatterKind.COMPLAINT, "acknowledged"), w.department_handler
    return Act(
        lambda: complaints.complaint_answer(actor=handler, matter=matter, answer="已责令退还代理费"),
        handler,
        the(detail_of(matter)),
    )


@recipe("complaints.services.complaint_response")
def _complaint_response(w: World) -> Act:
    matter, clerk = build(w, MatterKind.COMPLAINT, "answered"), w.personas.clerk_a
    return Act(
        lambda: complaints.complaint_response(actor=clerk, matter=matter, satisfied=True, via=ToldVia.PHONE),
        clerk,
        itself,
    )


@recipe("complaints.services.complaint_add_note")
def _complaint_add_note(w: World) -> Act:
    matter, clerk = build(w, MatterKind.COMPLAINT, "received"), w.personas.clerk_a
    return Act(
        lambda: complaints.complaint_add_note(actor=clerk, matter=matter, text="补充：代理费为6000元。"),
        clerk,
        the(detail_of(matter)),
    )


@recipe("quality.services.complaint_finding_record")
def _complaint_finding_record(w: World) -> Act:
    matter, staff = build(w, MatterKind.COMPLAINT, "answered"), w.personas.office_staff
    return Act(
        lambda: quality.complaint_finding_record(actor=staff, matter=matter, upheld=True, note="查实"),
        staff,
        itself,
    )


# --- mediation and legal aid -----------------------------------------------------------------------------------


@recipe("mediation.services.dispute_record")
def _dispute_record(w: World) -> Act:
    """At risk of escalating: the alert is part of the recording's one row."""
    matter, clerk = build(w, MatterKind.DISPUTE, "received"), w.personas.clerk_a
    return Act(
        lambda: mediation.dispute_record(
            actor=clerk, matter=matter, dispute_type="neighbourhood", people_involved=6,
            parties=[mediation.PartyInput(name="李四")], amount=Decimal("20000"), escalation_risk=True,
        ),
        clerk,
        itself,
    )  # fmt: skip


@recipe("mediation.services.dispute_transfer")
def _dispute_transfer(w: World) -> Act:
    matter, clerk = build(w, MatterKind.DISPUTE, "details"), w.personas.clerk_a
    detail = DisputeDetail.objects.get(matter=matter)
    return Act(
        lambda: mediation.dispute_transfer(
            actor=clerk, matter=matter, institution=w.tree.mediation, note="就近调解"
        ),
        clerk,
        the(detail),
    )


@recipe("mediation.services.dispute_route")
def _dispute_route(w: World) -> Act:
    matter, clerk = build(w, MatterKind.DISPUTE, "details"), w.personas.clerk_a
    detail = DisputeDetail.objects.get(matter=matter)
    return Act(
        lambda: mediation.dispute_route(
            actor=clerk, matter=matter, committee=w.tree.mediation, reason="就近调解"
        ),
        clerk,
        the(detail),
    )


@recipe("mediation.services.mediation_result_record")
def _mediation_result_record(w: World) -> Act:
    matter, mediator = build(w, MatterKind.DISPUTE, "accepted"), w.personas.mediator
    return Act(
        lambda: mediation.mediation_result_record(
            actor=mediator, matter=matter, result="success", agreement_form="written",
            agreed_amount=Decimal("5000"), judicial_confirmation_advised=True,
        ),
        mediator,
        itself,
    )  # fmt: skip


def application_input() -> legalaid.ApplicationInput:
    return legalaid.ApplicationInput(
        **{**APPLICATION, "monthly_income": Decimal(APPLICATION["monthly_income"])}
    )


@recipe("legalaid.services.application_record")
def _application_record(w: World) -> Act:
    matter, clerk = build(w, MatterKind.LEGAL_AID, "received"), w.personas.clerk_a
    return Act(
        lambda: legalaid.application_record(actor=clerk, matter=matter, data=application_input()),
        clerk,
        itself,
    )


@recipe("legalaid.services.preliminary_review")
def _preliminary_review(w: World) -> Act:
    matter, clerk = build(w, MatterKind.LEGAL_AID, "applied"), w.personas.clerk_a
    return Act(
        lambda: legalaid.preliminary_review(actor=clerk, matter=matter, opinion="eligible"), clerk, itself
    )


@recipe("legalaid.services.transfer_to_centre")
def _transfer_to_centre(w: World) -> Act:
    matter, clerk = build(w, MatterKind.LEGAL_AID, "reviewed"), w.personas.clerk_a
    application = LegalAidApplication.objects.get(matter=matter)
    return Act(
        lambda: legalaid.transfer_to_centre(actor=clerk, matter=matter, institution=w.centre),
        clerk,
        the(application),
    )


@recipe("legalaid.services.centre_decision")
def _centre_decision(w: World) -> Act:
    """A refusal: accepted and answered in one act."""
    matter, handler = build(w, MatterKind.LEGAL_AID, "transferred"), w.centre_handler
    return Act(
        lambda: legalaid.centre_decision(
            actor=handler,
            matter=matter,
            decision="deny",
            decided_on=clock.today(),
            reason="经济状况不符合标准",
        ),
        handler,
        itself,
    )


@recipe("legalaid.standards.standard_add")
def _standard_add(w: World) -> Act:
    from lawdesk.legalaid.standards import standard_add

    admin = w.personas.other_district_admin
    data = {
        "monthly_income_per_head": Decimal("1100.00"), "lowered_for_vulnerable": Decimal("1600.00"),
        "effective_from": datetime.date(2026, 1, 1), "basis": "新城区民政局通知",
    }  # fmt: skip
    return Act(lambda: standard_add(actor=admin, node=w.tree.other_district, data=data), admin, itself)


# --- appointments ----------------------------------------------------------------------------------------------


def slot(w: World, n: int = 1, hour: int = 9) -> Slot:
    day = next_working(n)
    return appointments.slot_create(
        actor=w.personas.clerk_a, node=w.tree.station_a, start=at(day, hour), end=at(day, hour + 1),
        kind=SlotKind.STATION, capacity=2,
    )  # fmt: skip


def booked(w: World) -> Appointment:
    return appointments.appointment_book(
        actor=w.personas.clerk_a, slot=slot(w), summary="咨询赡养费纠纷",
        person_data=matters.PersonInput(name="王秀英", phone=PHONE),
    )  # fmt: skip


def arrived(w: World) -> Appointment:
    """The slot began ten minutes ago (as on the day itself)."""
    appointment = booked(w)
    now = timezone.now()
    Slot.objects.filter(pk=appointment.slot_id).update(
        start=now - datetime.timedelta(minutes=10), end=now + datetime.timedelta(minutes=50)
    )
    return Appointment.objects.get(pk=appointment.pk)


def video_room(w: World) -> Any:
    matter = consultation(w)
    return with_janus(lambda: video.room_open(actor=w.personas.clerk_a, matter=matter, send_sms=False))


@recipe("video.services.room_open")
def _video_room_open(w: World) -> Act:
    clerk, matter = w.personas.clerk_a, consultation(w)
    return Act(lambda: with_janus(lambda: video.room_open(actor=clerk, matter=matter, phone=PHONE)), clerk,
               lambda opened: opened.room)  # fmt: skip


@recipe("video.services.invite_use")
def _video_invite_use(w: World) -> Act:
    opened = video_room(w)
    return Act(lambda: video.invite_use(token=opened.token), None, lambda invite: invite.room)


@recipe("video.services.recording_consent")
def _video_recording_consent(w: World) -> Act:
    clerk, opened = w.personas.clerk_a, video_room(w)
    video.recording_consent(actor=None, room=opened.room, party="citizen")
    return Act(lambda: with_janus(lambda: video.recording_consent(actor=clerk, room=opened.room, party="staff")),
               clerk, itself)  # fmt: skip


@recipe("video.services.room_end")
def _video_room_end(w: World) -> Act:
    clerk, opened = w.personas.clerk_a, video_room(w)
    video.invite_use(token=opened.token)
    return Act(lambda: with_janus(lambda: video.room_end(actor=clerk, room=opened.room)), clerk, itself)


def video_terminal(w: World, *, paired: bool = True) -> Any:
    registered = video.terminal_register(actor=w.personas.clerk_a, node=w.tree.station_a, name="村12348终端")
    return video.terminal_pair(key=registered.key) if paired else registered


@recipe("video.services.terminal_register")
def _video_terminal_register(w: World) -> Act:
    clerk = w.personas.clerk_a
    return Act(lambda: video.terminal_register(actor=clerk, node=w.tree.station_a, name="村12348终端"), clerk,
               lambda registered: registered.terminal)  # fmt: skip


@recipe("video.services.terminal_pair")
def _video_terminal_pair(w: World) -> Act:
    registered = video_terminal(w, paired=False)
    return Act(lambda: video.terminal_pair(key=registered.key), None, itself)


@recipe("video.services.terminal_revoke")
def _video_terminal_revoke(w: World) -> Act:
    clerk, terminal = w.personas.clerk_a, video_terminal(w)
    return Act(lambda: video.terminal_revoke(actor=clerk, terminal=terminal), clerk, itself)


@recipe("video.services.terminal_call")
def _video_terminal_call(w: World) -> Act:
    terminal = video_terminal(w)
    return Act(lambda: with_janus(lambda: video.terminal_call(terminal=terminal)), None,
               lambda opened: opened.room)  # fmt: skip


@recipe("appointments.services.slot_create")
def _slot_create(w: World) -> Act:
    clerk, day = w.personas.clerk_a, next_working(2)
    return Act(
        lambda: appointments.slot_create(
            actor=clerk, node=w.tree.station_a, start=at(day, 14), end=at(day, 15), kind=SlotKind.STATION
        ),
        clerk,
        itself,
    )


@recipe("appointments.services.slots_generate")
def _slots_generate(w: World) -> Act:
    clerk, day = w.personas.clerk_a, next_working(1)
    return Act(
        lambda: appointments.slots_generate(
            actor=clerk, first_day=day, last_day=day + datetime.timedelta(days=13), weekdays=[0, 2, 4],
            start_time=datetime.time(9), end_time=datetime.time(10), kind=SlotKind.STATION, node=w.tree.station_a,
        ),
        clerk,
        first,
    )  # fmt: skip


@recipe("appointments.services.appointment_book")
def _appointment_book(w: World) -> Act:
    clerk, place = w.personas.clerk_a, slot(w)
    return Act(
        lambda: appointments.appointment_book(
            actor=clerk, slot=place, summary="咨询赡养费纠纷", person_data=matters.PersonInput(name="王秀英"),
            phone=PHONE,
        ),
        clerk,
        itself,
    )  # fmt: skip


@recipe("appointments.services.appointment_reschedule")
def _appointment_reschedule(w: World) -> Act:
    clerk, appointment = w.personas.clerk_a, booked(w)
    later = slot(w, n=3, hour=14)
    return Act(
        lambda: appointments.appointment_reschedule(actor=clerk, appointment=appointment, slot=later),
        clerk,
        itself,
    )


@recipe("appointments.services.appointment_cancel")
def _appointment_cancel(w: World) -> Act:
    clerk, appointment = w.personas.clerk_a, booked(w)
    return Act(
        lambda: appointments.appointment_cancel(actor=clerk, appointment=appointment, reason="群众来电取消"),
        clerk,
        itself,
    )


@recipe("appointments.services.appointment_no_show")
def _appointment_no_show(w: World) -> Act:
    clerk, appointment = w.personas.clerk_a, arrived(w)
    return Act(lambda: appointments.appointment_no_show(actor=clerk, appointment=appointment), clerk, itself)


@recipe("appointments.services.appointment_serve")
def _appointment_serve(w: World) -> Act:
    """Serving answers the appointment's matter in the same act."""
    clerk, appointment = w.personas.clerk_a, arrived(w)
    return Act(
        lambda: appointments.appointment_serve(
            actor=clerk, appointment=appointment, result="已解答赡养费问题"
        ),
        clerk,
        itself,
    )


# --- online requests: the platform's intake account acts for the citizen ------------------------------------------


def citizen() -> online.Citizen:
    return online.Citizen(name="王建国", phone=PHONE, groups=[])


def intake_user(node: OrgNode) -> Callable[[], User]:
    return lambda: IntakeAccount.objects.get(node=node).user


@recipe("online.services.consultation_submit")
def _consultation_submit(w: World) -> Act:
    """The platform's first request: its intake account is made in the same act."""
    node = w.tree.station_a
    assert not IntakeAccount.objects.filter(node=node).exists()
    return Act(
        lambda: online.consultation_submit(
            node=node, citizen=citizen(), question="公司拖欠我三个月工资，我应该怎么办？", legal_field="labour",
            address="203.0.113.7",
        ),
        intake_user(node),
        itself,
    )  # fmt: skip


@recipe("online.services.legal_aid_submit")
def _legal_aid_submit(w: World) -> Act:
    node = w.tree.station_a
    online.intake_account_for(node)
    return Act(
        lambda: online.legal_aid_submit(
            node=node, citizen=citizen(), application=application_input(), address="203.0.113.7"
        ),
        intake_user(node),
        itself,
    )


@recipe("online.services.complaint_submit")
def _complaint_submit(w: World) -> Act:
    node = w.tree.station_a
    online.intake_account_for(node)
    return Act(
        lambda: online.complaint_submit(
            node=node, citizen=citizen(), anonymous=False, statement="窗口人员态度恶劣", subject_unit="某服务站",
            address="203.0.113.7",
        ),
        intake_user(node),
        itself,
    )  # fmt: skip


@recipe("online.services.appointment_submit")
def _appointment_submit(w: World) -> Act:
    place = slot(w)
    online.intake_account_for(w.tree.station_a)
    return Act(
        lambda: online.appointment_submit(
            slot=place, citizen=citizen(), summary="咨询离婚财产分割", address="203.0.113.7"
        ),
        intake_user(w.tree.station_a),
        itself,
    )


@recipe("online.services.online_claim")
def _online_claim(w: World) -> Act:
    tracked = online.consultation_submit(
        node=w.tree.station_a, citizen=citizen(), question="公司拖欠我三个月工资，我应该怎么办？", address="x"
    )
    matter, clerk = Matter.objects.get(pk=tracked.matter_id), w.personas.clerk_a
    return Act(lambda: online.online_claim(actor=clerk, matter=matter), clerk, itself)


# --- quality -------------------------------------------------------------------------------------------------------


@recipe("quality.services.tablet_rate")
def _tablet_rate(w: World) -> Act:
    """The citizen's tap closes the matter: the clerk who handed the tablet is the row's actor."""
    matter, clerk = consultation(w, "answered"), w.personas.clerk_a
    return Act(
        lambda: quality.tablet_rate(handed_by=clerk, matter=matter, rating=5, comment="很耐心"), clerk, itself
    )


@recipe("quality.services.kiosk_code_issue")
def _kiosk_code_issue(w: World) -> Act:
    matter, clerk = consultation(w, "answered"), w.personas.clerk_a
    visit = Visit.objects.get(pk=matter.visit_id)
    return Act(lambda: quality.kiosk_code_issue(actor=clerk, visit=visit), clerk, the(visit))


@recipe("quality.services.kiosk_rate_visit")
def _kiosk_rate_visit(w: World) -> Act:
    """At the kiosk, nobody logged in: through ``kiosk_rate``, the public door to the service."""
    matter = consultation(w, "answered")
    _record, code = quality.kiosk_code_issue(actor=w.personas.clerk_a, visit=matter.visit)
    return Act(
        lambda: quality.kiosk_rate(
            node=w.tree.station_a, visit_seq=str(matter.visit.seq), code=code, rating=4
        ),
        None,
        the(matter),
    )


@recipe("online.rating.citizen_rate")
def _citizen_rate(w: World) -> Act:
    """The SMS link, nobody logged in: the rating and the matter's step are one row."""
    from lawdesk.online import rating

    matter = consultation(w, "answered")
    token = rating.rating_link_send(matter_id=matter.pk, any_channel=True)
    assert token is not None
    return Act(lambda: rating.citizen_rate(token=token, rating=5, comment="很满意"), None, the(matter))


# --- duty, the leader at the window, statistics ------------------------------------------------------------------


def monday(weeks: int) -> datetime.date:
    """The Monday ``weeks`` weeks from this one (on the pinned clock)."""
    today = clock.today()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)


class Month(TypedDict):
    year: int
    month: int


def last_month() -> Month:
    day = clock.today().replace(day=1) - datetime.timedelta(days=1)
    return Month(year=day.year, month=day.month)


def hall_hours(node: OrgNode) -> None:
    OrgNode.objects.filter(pk=node.pk).update(
        morning_open=datetime.time(9), morning_close=datetime.time(12),
        afternoon_open=datetime.time(14), afternoon_close=datetime.time(17, 30),
    )  # fmt: skip


def shift(w: World, day: datetime.date | None = None) -> DutyShift:
    hall_hours(w.tree.station_a)
    return duty.shift_add(
        actor=w.personas.office_staff, node=OrgNode.objects.get(pk=w.tree.station_a.pk), date=day or monday(1),
        session=Session.MORNING, person=w.personas.clerk_a, post=Post.RECEPTION,
    )  # fmt: skip


@recipe("duty.services.shift_add")
def _shift_add(w: World) -> Act:
    hall_hours(w.tree.station_a)
    staff, node = w.personas.office_staff, OrgNode.objects.get(pk=w.tree.station_a.pk)
    return Act(
        lambda: duty.shift_add(
            actor=staff, node=node, date=monday(1), session=Session.AFTERNOON, person=w.personas.clerk_a,
            post=Post.CONSULTATION, duty="法律咨询",
        ),
        staff,
        itself,
    )  # fmt: skip


@recipe("duty.services.shift_remove")
def _shift_remove(w: World) -> Act:
    staff, planned = w.personas.office_staff, shift(w)
    removed = DutyShift(pk=planned.pk)
    return Act(lambda: duty.shift_remove(actor=staff, shift=planned), staff, the(removed))


@recipe("duty.services.roster_copy_week")
def _roster_copy_week(w: World) -> Act:
    """The row is about the platform's roster; the shifts it made are gathered into it."""
    staff = w.personas.office_staff
    shift(w, monday(-1))
    node = OrgNode.objects.get(pk=w.tree.station_a.pk)
    return Act(
        lambda: duty.roster_copy_week(
            actor=staff, node=node, source_monday=monday(-1), target_monday=monday(1)
        ),
        staff,
        the(node),
    )


def past_draw(w: World) -> WindowDraw:
    return leaderwindow.window_draw(
        actor=w.personas.district_admin, district=w.tree.district, week_start=monday(-1), today=monday(-1)
    )


@recipe("leaderwindow.services.window_draw")
def _window_draw(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(
        lambda: leaderwindow.window_draw(actor=admin, district=w.tree.district, week_start=monday(1)),
        admin,
        itself,
    )


@recipe("leaderwindow.services.window_check_in")
def _window_check_in(w: World) -> Act:
    admin, draw = w.personas.district_admin, past_draw(w)
    return Act(
        lambda: leaderwindow.window_check_in(actor=admin, draw=draw, at=at(draw.date, draw.start.hour)),
        admin,
        itself,
    )


@recipe("leaderwindow.services.window_check_out")
def _window_check_out(w: World) -> Act:
    admin, draw = w.personas.district_admin, past_draw(w)
    leaderwindow.window_check_in(actor=admin, draw=draw, at=at(draw.date, draw.start.hour))
    return Act(
        lambda: leaderwindow.window_check_out(actor=admin, draw=draw, at=at(draw.date, draw.start.hour + 2)),
        admin,
        itself,
    )


def submitted(w: World) -> None:
    stats.report_submit(actor=w.personas.clerk_a, node=w.tree.station_a, **last_month(), refresh=False)


@recipe("stats.services.report_submit")
def _report_submit(w: World) -> Act:
    clerk = w.personas.clerk_a
    return Act(
        lambda: stats.report_submit(actor=clerk, node=w.tree.station_a, **last_month(), refresh=False),
        clerk,
        itself,
    )


@recipe("stats.services.report_accept")
def _report_accept(w: World) -> Act:
    staff = w.personas.office_staff
    submitted(w)
    return Act(lambda: stats.report_accept(actor=staff, node=w.tree.station_a, **last_month()), staff, itself)


@recipe("stats.services.report_return")
def _report_return(w: World) -> Act:
    staff = w.personas.office_staff
    submitted(w)
    return Act(
        lambda: stats.report_return(actor=staff, node=w.tree.station_a, **last_month(), reason="来访数有误"),
        staff,
        itself,
    )


@recipe("stats.services.report_reopen")
def _report_reopen(w: World) -> Act:
    clerk = w.personas.clerk_a
    submitted(w)
    return Act(
        lambda: stats.report_reopen(actor=clerk, node=w.tree.station_a, **last_month(), reason="漏报一件"),
        clerk,
        itself,
    )


@recipe("stats.services.station_deadline_set")
def _station_deadline_set(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(
        lambda: stats.station_deadline_set(actor=admin, district=w.tree.district, station_day=20),
        admin,
        itself,
    )


# --- outreach --------------------------------------------------------------------------------------------------------


def village(w: World) -> PoorVillage:
    return outreach.village_create(
        actor=w.personas.district_admin, district=w.tree.district, name="五星村", region_code="610113001201",
        office=w.tree.office,
    )  # fmt: skip


def team(w: World) -> ServiceTeam:
    return outreach.team_create(
        actor=w.personas.district_admin, district=w.tree.district, name="雁塔区脱贫攻坚法律服务团",
        kind="service_group", lead=w.personas.office_staff,
    )  # fmt: skip


def poverty_service(w: World) -> PovertyService:
    return outreach.service_record(
        actor=w.personas.district_admin, village=village(w), team=team(w), date=clock.today(),
        activities=["consultation"], description="入户走访", people_served=3,
    )  # fmt: skip


@recipe("outreach.services.village_create")
def _village_create(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(
        lambda: outreach.village_create(
            actor=admin,
            district=w.tree.district,
            name="五星村",
            region_code="610113001201",
            office=w.tree.office,
        ),
        admin,
        itself,
    )


@recipe("outreach.services.team_create")
def _team_create(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(
        lambda: outreach.team_create(
            actor=admin,
            district=w.tree.district,
            name="基层法律服务小分队",
            kind="squad",
            lead=w.personas.office_staff,
        ),
        admin,
        itself,
    )


@recipe("outreach.services.member_add")
def _member_add(w: World) -> Act:
    admin, squad = w.personas.district_admin, team(w)
    return Act(
        lambda: outreach.member_add(
            actor=admin, team=squad, name="", category="lawyer", user=w.personas.handler
        ),
        admin,
        itself,
    )


@recipe("outreach.services.service_record")
def _service_record(w: World) -> Act:
    admin, place, squad = w.personas.district_admin, village(w), team(w)
    taken_in = consultation(w)
    return Act(
        lambda: outreach.service_record(
            actor=admin, village=place, team=squad, date=clock.today(), activities=["consultation", "publicity"],
            description="入户走访，讲解土地承包法", people_served=12, matters=[taken_in], photos=[png()],
        ),
        admin,
        itself,
    )  # fmt: skip


@recipe("outreach.services.event_record")
def _event_record(w: World) -> Act:
    staff = w.personas.office_staff
    return Act(
        lambda: outreach.event_record(
            actor=staff, node=w.tree.office, date=clock.today(), place="小寨十字", theme="宪法宣传周",
            organiser="司法所", audience_count=200, materials_count=50, photos=[png()],
        ),
        staff,
        itself,
    )  # fmt: skip


@recipe("outreach.services.photos_add")
def _photos_add(w: World) -> Act:
    admin, record = w.personas.district_admin, poverty_service(w)
    return Act(
        lambda: outreach.photos_add(actor=admin, service=record, photos=[png("一.png"), png("二.png")]),
        admin,
        the(record),
    )


@recipe("outreach.services.duty_create")
def _duty_create(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(
        lambda: outreach.duty_create(
            actor=admin,
            node=w.tree.district,
            year=clock.today().year,
            department="区公安分局",
            laws="治安管理处罚法",
        ),
        admin,
        itself,
    )


@recipe("outreach.services.duty_update")
def _duty_update(w: World) -> Act:
    admin = w.personas.district_admin
    duty = outreach.duty_create(
        actor=admin,
        node=w.tree.district,
        year=clock.today().year,
        department="区公安分局",
        laws="治安管理处罚法",
    )
    return Act(
        lambda: outreach.duty_update(
            actor=admin,
            duty=duty,
            year=duty.year,
            department="区公安分局",
            laws="道路交通安全法",
            contact="",
            active=True,
        ),
        admin,
        itself,
    )


# --- governance ------------------------------------------------------------------------------------------------------


def governance_village(w: World) -> Village:
    return Village.objects.create(office=w.tree.office, name="长延堡村", region_code="610113001201")


def model_case(w: World) -> ModelVillageCase:
    return governance.case_apply(
        actor=w.personas.office_staff, village=governance_village(w), level="district",
        applied_on=clock.today(), summary="创建情况",
    )  # fmt: skip


def legal_opinion(w: World) -> LegalOpinion:
    return governance.opinion_record(
        actor=w.personas.office_staff, office=w.tree.office, requester="小寨路街道办事处", subject="征收补偿方案",
        requested_on=clock.today(), opinion_on=clock.today(), opinion="依法公示",
    )  # fmt: skip


@recipe("governance.services.case_apply")
def _case_apply(w: World) -> Act:
    staff, place = w.personas.office_staff, governance_village(w)
    return Act(
        lambda: governance.case_apply(
            actor=staff, village=place, level="district", applied_on=clock.today(), summary="创建情况"
        ),
        staff,
        itself,
    )


@recipe("governance.services.case_inspect")
def _case_inspect(w: World) -> Act:
    staff, case = w.personas.office_staff, model_case(w)
    return Act(
        lambda: governance.case_inspect(
            actor=staff,
            case=case,
            date=clock.today(),
            inspector="王检查",
            findings="达标",
            criteria_met=sorted(CRITERIA_CODES),
        ),
        staff,
        itself,
    )


@recipe("governance.services.case_decide")
def _case_decide(w: World) -> Act:
    admin, case = w.personas.district_admin, model_case(w)
    governance.case_inspect(
        actor=w.personas.office_staff, case=case, date=clock.today(), inspector="王检查", findings="达标",
        criteria_met=sorted(CRITERIA_CODES),
    )  # fmt: skip
    return Act(
        lambda: governance.case_decide(
            actor=admin, case=case, named=True, date=clock.today(), document="雁司发〔2026〕1号"
        ),
        admin,
        itself,
    )


@recipe("governance.services.case_review")
def _case_review(w: World) -> Act:
    admin, case = w.personas.district_admin, model_case(w)
    governance.case_inspect(
        actor=w.personas.office_staff, case=case, date=clock.today(), inspector="王检查", findings="达标",
        criteria_met=sorted(CRITERIA_CODES),
    )  # fmt: skip
    governance.case_decide(
        actor=admin, case=case, named=True, date=clock.today(), document="雁司发〔2026〕1号"
    )
    return Act(
        lambda: governance.case_review(
            actor=admin, case=case, date=clock.today(), result="kept", notes="复核合格"
        ),
        admin,
        itself,
    )


@recipe("governance.services.opinion_record")
def _opinion_record(w: World) -> Act:
    staff = w.personas.office_staff
    return Act(
        lambda: governance.opinion_record(
            actor=staff,
            office=w.tree.office,
            requester="小寨路街道党工委",
            subject="村规民约修订",
            requested_on=clock.today(),
            opinion_on=clock.today(),
            opinion="删去违法条款",
        ),
        staff,
        itself,
    )


@recipe("governance.services.opinion_adoption")
def _opinion_adoption(w: World) -> Act:
    staff, opinion = w.personas.office_staff, legal_opinion(w)
    return Act(
        lambda: governance.opinion_adoption(
            actor=staff, opinion=opinion, adoption="adopted", date=clock.today()
        ),
        staff,
        itself,
    )


@recipe("governance.services.safety_record")
def _safety_record(w: World) -> Act:
    staff = w.personas.office_staff
    return Act(
        lambda: governance.safety_record(
            actor=staff,
            office=w.tree.office,
            date=clock.today(),
            kind="patrol",
            participants=20,
            summary="夜间巡逻",
        ),
        staff,
        itself,
    )


# --- community correction ------------------------------------------------------------------------------------------


def correction_id(seq: int) -> str:
    from lawdesk.people.identity import check_digit

    first17 = f"61011319850505{seq:03d}"
    return first17 + check_digit(first17)


def supervisee(w: World, received: bool = True) -> Supervisee:
    today = clock.today()
    return correction.supervisee_create(
        actor=w.personas.correction_officer, office=w.tree.office, name="赵某", id_number=correction_id(1),
        correction_type="probation", court="雁塔区人民法院", crime="盗窃罪",
        decision_date=today - datetime.timedelta(days=3), term_start=today - datetime.timedelta(days=3),
        term_end=today + datetime.timedelta(days=300), received_on=today if received else None,
    )  # fmt: skip


def released_person(w: World) -> ReleasedPerson:
    today = clock.today()
    return correction.released_create(
        actor=w.personas.correction_officer, office=w.tree.office, name="钱某", id_number=correction_id(2),
        prison="陕西省某监狱", notice_date=today, release_date=today, help_until=today + datetime.timedelta(days=900),
    )  # fmt: skip


@recipe("correction.services.supervisee_create")
def _supervisee_create(w: World) -> Act:
    return Act(lambda: supervisee(w), w.personas.correction_officer, itself)


@recipe("correction.services.supervisee_update")
def _supervisee_update(w: World) -> Act:
    person = supervisee(w)
    return Act(
        lambda: correction.supervisee_update(
            actor=w.personas.correction_officer, supervisee=person, level="strict", address="雁塔区某路1号"
        ),
        w.personas.correction_officer,
        itself,
    )


@recipe("correction.services.team_add")
def _correction_team_add(w: World) -> Act:
    person = supervisee(w)
    return Act(
        lambda: correction.team_add(actor=w.personas.correction_officer, supervisee=person, name="孙某",
                                    role="committee"),
        w.personas.correction_officer,
        itself,
    )  # fmt: skip


@recipe("correction.services.record_add")
def _correction_record_add(w: World) -> Act:
    person = supervisee(w)
    return Act(
        lambda: correction.record_add(actor=w.personas.correction_officer, supervisee=person,
                                      kind="public_benefit", date=clock.today(), hours=Decimal("3")),
        w.personas.correction_officer,
        itself,
    )  # fmt: skip


@recipe("correction.services.leave_return")
def _correction_leave_return(w: World) -> Act:
    person, today = supervisee(w), clock.today()
    leave = correction.record_add(
        actor=w.personas.correction_officer, supervisee=person, kind="leave", date=today, leave_from=today,
        leave_to=today, destination="咸阳市",
    )  # fmt: skip
    return Act(
        lambda: correction.leave_return(actor=w.personas.correction_officer, record=leave, returned_on=today),
        w.personas.correction_officer,
        itself,
    )


@recipe("correction.services.supervisee_end")
def _correction_end(w: World) -> Act:
    person = supervisee(w)
    return Act(
        lambda: correction.supervisee_end(actor=w.personas.correction_officer, supervisee=person,
                                          status="terminated", date=clock.today()),
        w.personas.correction_officer,
        itself,
    )  # fmt: skip


@recipe("correction.services.identity_reveal")
def _correction_reveal(w: World) -> Act:
    person = supervisee(w)
    return Act(
        lambda: correction.identity_reveal(
            actor=w.personas.correction_officer, person=person, field="id_number"
        ),
        w.personas.correction_officer,
        lambda _result: person,
    )


@recipe("correction.services.released_create")
def _released_create(w: World) -> Act:
    return Act(lambda: released_person(w), w.personas.correction_officer, itself)


@recipe("correction.services.released_handover")
def _released_handover(w: World) -> Act:
    person = released_person(w)
    return Act(
        lambda: correction.released_handover(actor=w.personas.correction_officer, person=person,
                                             date=clock.today(), assessment="稳定", help_plan="就业帮扶"),
        w.personas.correction_officer,
        itself,
    )  # fmt: skip


@recipe("correction.services.released_record_add")
def _released_record(w: World) -> Act:
    person = released_person(w)
    return Act(
        lambda: correction.released_record_add(actor=w.personas.correction_officer, person=person, kind="visit",
                                               date=clock.today(), note="家访"),
        w.personas.correction_officer,
        itself,
    )  # fmt: skip


@recipe("correction.services.released_close")
def _released_close(w: World) -> Act:
    today = clock.today()
    person = correction.released_create(
        actor=w.personas.correction_officer, office=w.tree.office, name="钱某", id_number=correction_id(3),
        prison="陕西省某监狱", notice_date=today - datetime.timedelta(days=800),
        release_date=today - datetime.timedelta(days=790), help_until=today - datetime.timedelta(days=1),
    )  # fmt: skip
    correction.released_handover(
        actor=w.personas.correction_officer, person=person, date=today - datetime.timedelta(days=785),
        assessment="稳定", help_plan="就业帮扶",
    )  # fmt: skip
    return Act(
        lambda: correction.released_close(actor=w.personas.correction_officer, person=person, date=today),
        w.personas.correction_officer,
        itself,
    )


# --- screening -------------------------------------------------------------------------------------------------------


def screening_round(w: World) -> Any:
    return screening.round_record(
        actor=w.personas.mediator, committee=w.tree.mediation, date=clock.today(),
        findings=[screening.FindingInput(disposition="to_matter", description="欠薪", dispute_type="labour",
                                         applicant="王建国", counterpart="宏达建筑有限公司")],
    )  # fmt: skip


@recipe("screening.services.round_record")
def _screening_round_record(w: World) -> Act:
    return Act(lambda: screening_round(w), w.personas.mediator, itself)


@recipe("screening.services.finding_register")
def _screening_finding_register(w: World) -> Act:
    finding = screening_round(w).findings.get()
    staff = w.personas.office_staff
    return Act(lambda: screening.finding_register(actor=staff, finding=finding), staff, the(finding))


@recipe("screening.services.signal_handle")
def _screening_signal_handle(w: World) -> Act:
    from lawdesk.screening.models import Signal

    signal = Signal.objects.create(
        kind="repeat", key="k" * 64, node=w.tree.office, title="同一来访人30日内来访3次",
        first_seen=clock.now(), last_seen=clock.now(),
    )  # fmt: skip
    staff = w.personas.office_staff
    return Act(lambda: screening.signal_handle(actor=staff, signal=signal, note="已约谈"), staff, itself)


# --- village and community legal advisers ------------------------------------------------------------------------


def adviser_contract(w: World) -> Any:
    village = orgs.village_create(actor=None, office=w.tree.office, name="吉祥村", region_code="610113001201")
    return advisers.contract_create(
        actor=None, village=village, adviser=w.personas.adviser, institution=w.tree.law_firm,
        start=clock.today() - datetime.timedelta(days=30), end=clock.today() + datetime.timedelta(days=300),
        signed=clock.today() - datetime.timedelta(days=40),
    )  # fmt: skip


def adviser_record(w: World) -> Any:
    return advisers.record_create(
        actor=w.personas.adviser, contract=adviser_contract(w), date=clock.today(), kind="consultation",
        hours=Decimal("2"), people_served=3, description="坐班接待",
    )  # fmt: skip


@recipe("advisers.services.contract_create")
def _adviser_contract_create(w: World) -> Act:
    staff = w.personas.office_staff
    village = orgs.village_create(actor=None, office=w.tree.office, name="吉祥村", region_code="610113001201")
    return Act(
        lambda: advisers.contract_create(
            actor=staff, village=village, adviser=w.personas.adviser, institution=w.tree.law_firm,
            start=clock.today(), end=clock.today() + datetime.timedelta(days=365), signed=clock.today(),
        ),
        staff,
        itself,
    )  # fmt: skip


@recipe("advisers.services.record_create")
def _adviser_record_create(w: World) -> Act:
    contract = adviser_contract(w)
    return Act(
        lambda: advisers.record_create(
            actor=w.personas.adviser, contract=contract, date=clock.today(), kind="lecture", hours=Decimal("1.5"),
            people_served=30, description="民法典讲座", photos=[png()],
        ),
        w.personas.adviser,
        itself,
    )  # fmt: skip


@recipe("advisers.services.record_check")
def _adviser_record_check(w: World) -> Act:
    staff, record = w.personas.office_staff, adviser_record(w)
    return Act(
        lambda: advisers.record_check(actor=staff, record=record, approve=False, comment="请补充照片"),
        staff,
        itself,
    )


@recipe("advisers.services.record_resubmit")
def _adviser_record_resubmit(w: World) -> Act:
    record = adviser_record(w)
    advisers.record_check(actor=w.personas.office_staff, record=record, approve=False, comment="请补充照片")
    return Act(
        lambda: advisers.record_resubmit(
            actor=w.personas.adviser, record=record, date=clock.today(), kind="consultation", hours=Decimal("2"),
            people_served=3, description="坐班接待，补充照片", photos=[png()],
        ),
        w.personas.adviser,
        itself,
    )  # fmt: skip


@recipe("advisers.services.town_group_set")
def _town_group_set(w: World) -> Act:
    staff = w.personas.office_staff
    return Act(
        lambda: advisers.town_group_set(
            actor=staff, office=w.tree.office, name="法律服务群", created=clock.today()
        ),
        staff,
        itself,
    )


@recipe("advisers.services.town_group_member_add")
def _town_group_member_add(w: World) -> Act:
    staff = w.personas.office_staff
    group = advisers.town_group_set(
        actor=staff, office=w.tree.office, name="法律服务群", created=clock.today()
    )
    return Act(
        lambda: advisers.town_group_member_add(
            actor=staff, group=group, name="李书记", category="secretary", phone=PHONE
        ),
        staff,
        itself,
    )


@recipe("advisers.services.town_group_member_remove")
def _town_group_member_remove(w: World) -> Act:
    staff = w.personas.office_staff
    group = advisers.town_group_set(
        actor=staff, office=w.tree.office, name="法律服务群", created=clock.today()
    )
    member = advisers.town_group_member_add(actor=staff, group=group, name="李书记", category="secretary")
    return Act(lambda: advisers.town_group_member_remove(actor=staff, member=member), staff, the(group))


# --- bureau: the city's divisions and the construction timetable ----------------------------------------------------


def division(w: World, areas: list[str] | None = None) -> Division:
    return bureau.division_create(
        actor=w.personas.city_admin, name="办公室", areas=areas or [Area.STATISTICS], head="王主任"
    )


@recipe("bureau.services.division_create")
def _division_create(w: World) -> Act:
    admin = w.personas.city_admin
    return Act(
        lambda: bureau.division_create(actor=admin, name="法律援助处", areas=[Area.LEGAL_AID], head="赵处长"),
        admin,
        itself,
    )


@recipe("bureau.services.division_update")
def _division_update(w: World) -> Act:
    admin, item = w.personas.city_admin, division(w)
    return Act(
        lambda: bureau.division_update(
            actor=admin, division=item, name="办公室", areas=[Area.STATISTICS], head="新主任",
            staff=[w.personas.auditor],
        ),
        admin,
        itself,
    )  # fmt: skip


@recipe("bureau.services.supervise")
def _supervise(w: World) -> Act:
    """October's reports were due in November (the clock is pinned in December): the statistics division's."""
    admin, item = w.personas.city_admin, division(w)
    key = bureau_selectors.problems_of(item, clock.today())[0].key
    return Act(
        lambda: bureau.supervise(actor=admin, division=item, problem_key=key, note="限期报送"), admin, itself
    )


def planned(w: World) -> list[Milestone]:
    return bureau.milestone_plan(
        actor=w.personas.city_admin,
        district=w.tree.district,
        planned={Stage.SURVEY: datetime.date(2026, 10, 20)},
    )


@recipe("bureau.services.milestone_plan")
def _milestone_plan(w: World) -> Act:
    admin = w.personas.city_admin
    dates: dict[str, datetime.date] = {
        Stage.SURVEY: datetime.date(2026, 10, 20),
        Stage.OPENING: datetime.date(2026, 11, 30),
    }
    return Act(
        lambda: bureau.milestone_plan(actor=admin, district=w.tree.district, planned=dates), admin, first
    )


@recipe("bureau.services.milestone_report")
def _milestone_report(w: World) -> Act:
    admin, (item,) = w.personas.district_admin, planned(w)
    return Act(
        lambda: bureau.milestone_report(actor=admin, milestone=item, progress=60, note="选址完成"),
        admin,
        itself,
    )


# --- coverage: lightbox points -------------------------------------------------------------------------------------


def lightbox(w: World) -> Any:
    village = orgs.village_create(actor=None, office=w.tree.office, name="吉祥村", region_code="610113001201")
    return coverage.lightbox_create(
        actor=None, village=village, place="村委会门口", installed=clock.today() - datetime.timedelta(days=30)
    )


@recipe("coverage.services.lightbox_create")
def _lightbox_create(w: World) -> Act:
    staff = w.personas.office_staff
    village = orgs.village_create(actor=None, office=w.tree.office, name="吉祥村", region_code="610113001201")
    return Act(
        lambda: coverage.lightbox_create(
            actor=staff, village=village, place="村委会门口", installed=clock.today()
        ),
        staff,
        itself,
    )


@recipe("coverage.services.lightbox_update")
def _lightbox_update(w: World) -> Act:
    admin = w.personas.district_admin
    point = lightbox(w)
    return Act(lambda: coverage.lightbox_update(actor=admin, point=point, state="damaged"), admin, itself)


@recipe("coverage.services.lightbox_inspect")
def _lightbox_inspect(w: World) -> Act:
    staff = w.personas.office_staff
    point = lightbox(w)
    return Act(lambda: coverage.lightbox_inspect(actor=staff, point=point), staff, itself)


# --- assessment ----------------------------------------------------------------------------------------------------

START, CUT_OFF = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)


def draft(w: World) -> Standard:
    return assessment.standard_new_version(actor=w.personas.city_admin, standard=ensure_default_standard())


def new_round(w: World) -> Round:
    return assessment.round_create(
        actor=w.personas.district_admin, organiser=w.tree.district, title="2026年第4季度考核",
        kind=RoundKind.QUARTER, period_start=START, cut_off=CUT_OFF, standard=ensure_default_standard(),
    )  # fmt: skip


def collecting(w: World) -> Round:
    return assessment.round_collect(actor=w.personas.district_admin, round_=new_round(w))


def manual_scores(round_: Round) -> list[Score]:
    return list(
        Score.objects.filter(entry__round=round_, indicator__method=Method.MANUAL)
        .select_related("indicator", "entry")
        .order_by("pk")
    )


def short_score(w: World, round_: Round) -> Score:
    """An automatic score of station A below full marks."""
    scores = Score.objects.filter(
        entry__round=round_, entry__platform=w.tree.station_a, indicator__method=Method.AUTO
    ).select_related("indicator", "entry__round", "entry__platform")
    return next(s for s in scores.order_by("pk") if s.points is not None and not s.is_full)


def rectification(w: World) -> Rectification:
    round_ = collecting(w)
    return assessment.rectification_create(
        actor=w.personas.district_admin, score=short_score(w, round_), owner=w.personas.clerk_a,
        deadline=clock.today() + datetime.timedelta(days=10), description="补齐窗口背景标识",
    )  # fmt: skip


def rectification_submitted(w: World) -> Rectification:
    task = rectification(w)
    return assessment.rectification_submit(actor=w.personas.clerk_a, task=task, note="已制作", files=[png()])


@recipe("assessment.services.standard_new_version")
def _standard_new_version(w: World) -> Act:
    admin, standard = w.personas.city_admin, ensure_default_standard()
    return Act(lambda: assessment.standard_new_version(actor=admin, standard=standard), admin, itself)


@recipe("assessment.services.standard_update")
def _standard_update(w: World) -> Act:
    admin, standard = w.personas.city_admin, draft(w)
    item = standard.indicators.get(code="A1")
    return Act(
        lambda: assessment.standard_update(
            actor=admin, standard=standard, weights={item.pk: item.weight}, bands={5: Decimal(95)}
        ),
        admin,
        itself,
    )


@recipe("assessment.services.standard_activate")
def _standard_activate(w: World) -> Act:
    """The version in force is retired in the same act: the row is about the one activated."""
    admin, standard = w.personas.city_admin, draft(w)
    return Act(lambda: assessment.standard_activate(actor=admin, standard=standard), admin, itself)


@recipe("assessment.services.standard_retire")
def _standard_retire(w: World) -> Act:
    admin, standard = w.personas.city_admin, draft(w)
    return Act(lambda: assessment.standard_retire(actor=admin, standard=standard), admin, itself)


@recipe("assessment.services.population_set")
def _population_set(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(
        lambda: assessment.population_set(
            actor=admin, node=w.tree.station_a, population=12000, as_of=datetime.date(2026, 1, 1)
        ),
        admin,
        itself,
    )


@recipe("assessment.services.round_create")
def _round_create(w: World) -> Act:
    admin = w.personas.district_admin
    return Act(lambda: new_round(w), admin, itself)


@recipe("assessment.services.round_collect")
def _round_collect(w: World) -> Act:
    admin, round_ = w.personas.district_admin, new_round(w)
    return Act(lambda: assessment.round_collect(actor=admin, round_=round_), admin, itself)


@recipe("assessment.services.score_manual")
def _score_manual(w: World) -> Act:
    admin, score = w.personas.district_admin, manual_scores(collecting(w))[0]
    return Act(
        lambda: assessment.score_manual(
            actor=admin, score=score, points=Decimal(0), notes="无独立调解室", photos=[png("现场.png")]
        ),
        admin,
        itself,
    )


@recipe("assessment.services.round_publish")
def _round_publish(w: World) -> Act:
    admin, round_ = w.personas.district_admin, collecting(w)
    for score in manual_scores(round_):
        assessment.score_manual(actor=admin, score=score, points=score.indicator.weight, notes="")
    return Act(lambda: assessment.round_publish(actor=admin, round_=round_), admin, itself)


@recipe("assessment.services.rule_save")
def _rule_save(w: World) -> Act:
    admin = w.personas.city_admin
    return Act(
        lambda: assessment.rule_save(
            actor=admin, name="平台满分通报表扬", unit_kind="platform", measure="commend", min_total=Decimal(95),
            wording="考核成绩突出，予以通报表扬。",
        ),
        admin,
        itself,
    )  # fmt: skip


@recipe("assessment.services.round_apply_rewards")
def _round_apply_rewards(w: World) -> Act:
    admin, round_ = w.personas.district_admin, collecting(w)
    for score in manual_scores(round_):
        assessment.score_manual(actor=admin, score=score, points=Decimal(0), notes="现场未见")
    assessment.round_publish(actor=admin, round_=round_)  # every platform is under the pass mark
    return Act(lambda: assessment.round_apply_rewards(actor=admin, round_=round_), admin, lambda _r: round_)


@recipe("assessment.services.rectification_create")
def _rectification_create(w: World) -> Act:
    admin, round_ = w.personas.district_admin, collecting(w)
    score = short_score(w, round_)
    return Act(
        lambda: assessment.rectification_create(
            actor=admin, score=score, owner=w.personas.clerk_a, deadline=clock.today() + datetime.timedelta(days=10),
            description="补齐窗口背景标识",
        ),
        admin,
        itself,
    )  # fmt: skip


@recipe("assessment.services.rectification_submit")
def _rectification_submit(w: World) -> Act:
    clerk, task = w.personas.clerk_a, rectification(w)
    return Act(
        lambda: assessment.rectification_submit(actor=clerk, task=task, note="已制作背景标识", files=[png()]),
        clerk,
        itself,
    )


@recipe("assessment.services.rectification_verify")
def _rectification_verify(w: World) -> Act:
    admin, task = w.personas.district_admin, rectification_submitted(w)
    return Act(lambda: assessment.rectification_verify(actor=admin, task=task), admin, itself)


@recipe("assessment.services.rectification_reopen")
def _rectification_reopen(w: World) -> Act:
    admin, task = w.personas.district_admin, rectification_submitted(w)
    return Act(
        lambda: assessment.rectification_reopen(actor=admin, task=task, reason="照片看不清"), admin, itself
    )


# --- the tests -------------------------------------------------------------------------------------------------------


@pytest.fixture
def world(tree: Tree, personas: Personas, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_world(tree, personas)


def rows_after(last: int) -> list[AuditLog]:
    return list(AuditLog.objects.filter(pk__gt=last).order_by("pk"))


def last_row() -> int:
    return int(AuditLog.objects.aggregate(last=Max("pk"))["last"] or 0)


# --- the bureaus' staff and their training (lawdesk.staff) ---------------------------------------------------------

STAFF_PASSWORD = "Xian-staff-2026!"


def staff_member(w: World) -> User:
    return staff.staff_create(
        actor=None, username="worker1", full_name="王五", phone=PHONE, staff_category="lawyer",
        node=w.tree.station_a, post="窗口接待", password=STAFF_PASSWORD,
    )  # fmt: skip


def training_course(w: World) -> Any:
    return staff.course_create(
        actor=w.personas.district_admin, title="民法典专题培训", organiser=w.tree.district, kind="business",
        start=clock.today(), end=clock.today(), hours=Decimal("8"),
    )  # fmt: skip


@recipe("staff.services.staff_create")
def _staff_create(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: staff.staff_create(
            actor=actor, username="worker2", full_name="赵六", phone="", staff_category="volunteer_academic",
            node=w.tree.office, post="值班律师", password=STAFF_PASSWORD,
        ),
        actor,
        itself,
    )  # fmt: skip


@recipe("staff.services.staff_update")
def _staff_update(w: World) -> Act:
    actor, user = w.personas.district_admin, staff_member(w)
    return Act(
        lambda: staff.staff_update(
            actor=actor, user=user, full_name="王五", phone="", staff_category="lawyer", node=w.tree.office,
            post="值班律师",
        ),
        actor,
        the(user),
    )  # fmt: skip


@recipe("staff.services.course_create")
def _course_create(w: World) -> Act:
    actor = w.personas.district_admin
    return Act(
        lambda: staff.course_create(
            actor=actor, title="职业道德教育", organiser=w.tree.district, kind="ethics", start=clock.today(),
            end=clock.today(), hours=Decimal("4"), place="区局会议室",
        ),
        actor,
        itself,
    )  # fmt: skip


@recipe("staff.services.attendance_record")
def _attendance_record(w: World) -> Act:
    actor, user, course = w.personas.district_admin, staff_member(w), training_course(w)
    return Act(
        lambda: staff.attendance_record(
            actor=actor, course=course, user=user, hours=Decimal("8"), certificate_number="PX-001"
        ),
        actor,
        itself,
    )


@recipe("staff.services.training_requirement_set")
def _training_requirement_set(w: World) -> Act:
    actor = w.personas.city_admin
    return Act(lambda: staff.training_requirement_set(actor=actor, annual_hours=Decimal("48")), actor, itself)


def test_every_recipe_is_of_a_public_service() -> None:
    assert len(SERVICES) >= 60
    assert sorted(set(RECIPES) - set(SERVICES)) == []


# What a commit sets off is the system's own act, with its own row: the rating SMS of a matter just answered or
# told (lawdesk.online.rating, after the commit, so a rolled-back act sends nothing).
AFTER_COMMIT = frozenset({AuditAction.ONLINE_RATING_LINK_SENT})


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_a_public_service_writes_exactly_one_audit_row(
    name: str, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    make = RECIPES.get(name)
    if make is None:
        pytest.fail(f"the public service {name} has no recipe in tests/test_audit_once.py: add one")
    act = make(world)
    last = last_row()
    with django_capture_on_commit_callbacks() as after_commit:
        result = act.run()
    rows = rows_after(last)
    assert len(rows) == 1, f"{name} wrote {len(rows)} rows: {[(r.action, r.object_type) for r in rows]}"
    row = rows[0]
    declared = SERVICES[name]
    if declared:
        assert row.action == declared
    else:
        assert row.action in AuditAction.values
    assert row.actor_id == act.actor_id()
    assert row.object_type and row.object_id, f"{name}: the row names no object"
    if act.names is not None:
        obj = act.names(result)
        assert (row.object_type, row.object_id) == (obj._meta.label, str(obj.pk))
    # Once committed: nothing more of the act itself, only what the system does next, as itself.
    for callback in after_commit:
        callback()
    later = [(r.action, r.actor_id) for r in rows_after(row.pk)]
    assert all(action in AFTER_COMMIT and actor is None for action, actor in later), later


# --- a refused call writes nothing ------------------------------------------------------------------------------


def _transfer_unreviewed(w: World) -> Callable[[], Any]:
    matter = build(w, MatterKind.LEGAL_AID, "applied")
    return lambda: matters.matter_transfer(actor=w.personas.clerk_a, matter=matter, institution=w.centre)


def _answer_out_of_reach(w: World) -> Callable[[], Any]:
    matter = consultation(w)
    return lambda: matters.matter_answer(actor=w.personas.clerk_b, matter=matter, answer="不是我的事项")


def _outcome_before_accept(w: World) -> Callable[[], Any]:
    matter = build(w, MatterKind.COMPLAINT, "passed_on")
    return lambda: complaints.complaint_answer(actor=w.department_handler, matter=matter, answer="已处理")


def _kiosk_before_finished(w: World) -> Callable[[], Any]:
    matter = consultation(w)
    _record, code = quality.kiosk_code_issue(actor=w.personas.clerk_a, visit=matter.visit)
    return lambda: quality.kiosk_rate(
        node=w.tree.station_a, visit_seq=str(matter.visit.seq), code=code, rating=5
    )


def _correction_by_office_staff(w: World) -> Callable[[], Any]:
    person = supervisee(w)
    return lambda: correction.record_add(
        actor=w.personas.office_staff, supervisee=person, kind="phone", date=clock.today()
    )


def _role_grant_in_another_district(w: World) -> Callable[[], Any]:
    user = staff_member(w)
    return lambda: accounts.role_assign(
        actor=w.personas.other_district_admin, user=user, role=Role.WINDOW_CLERK, node=w.tree.station_a
    )


REFUSED: dict[str, tuple[Callable[[World], Callable[[], Any]], type[Exception]]] = {
    "role_grant_by_a_district_admin_outside_their_district": (
        _role_grant_in_another_district,
        PermissionDenied,
    ),
    "correction_record_by_office_staff_without_the_role": (_correction_by_office_staff, PermissionDenied),
    "legal_aid_transfer_without_review": (_transfer_unreviewed, ValidationError),
    "answer_by_a_clerk_elsewhere": (_answer_out_of_reach, PermissionDenied),
    "complaint_answer_before_acknowledged": (_outcome_before_accept, ValidationError),
    "kiosk_rating_before_finished": (_kiosk_before_finished, ValidationError),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_call_writes_no_row(case: str, world: World) -> None:
    make, refusal = REFUSED[case]
    call = make(world)
    last = last_row()
    with pytest.raises(refusal):
        call()
    assert rows_after(last) == []


def test_a_wrong_code_for_a_new_device_binds_nothing_and_writes_no_row(world: World) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.personas.clerk_a
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    wrong = f"{(int(otp_code(device)) + 1) % 1_000_000:06d}"
    last = last_row()
    assert accounts.otp_device_confirm(actor=user, device=device, token=wrong) is False
    assert rows_after(last) == []
    device.refresh_from_db()
    assert not device.confirmed


def test_disabling_a_client_already_disabled_is_still_one_row(world: World) -> None:
    """The admin's action over a selection may include clients already in that state: each call is one row."""
    admin = world.personas.system_admin
    client, _token = api.api_client_create(actor=admin, user=world.personas.clerk_a, name="12348热线")
    api.api_client_set_active(actor=admin, client=client, active=False)
    last = last_row()
    api.api_client_set_active(actor=admin, client=client, active=False)
    assert [(r.action, r.object_id) for r in rows_after(last)] == [("api_client_disabled", str(client.pk))]


def test_a_roster_copy_that_copies_nothing_still_names_the_platform(world: World) -> None:
    staff, node = world.personas.office_staff, world.tree.station_a
    last = last_row()
    created, skipped = duty.roster_copy_week(
        actor=staff, node=node, source_monday=monday(-1), target_monday=monday(1)
    )
    assert created == [] and skipped == []
    assert [(r.action, r.object_type, r.object_id, r.node_id) for r in rows_after(last)] == [
        ("duty.roster_copy", "orgs.OrgNode", str(node.pk), node.pk)
    ]
