"""Complaints (投诉举报, plan 五(四)6): record as said, pass on to the responsible department, acknowledge,
answer, record the complainant's response. Each service is keyword-only and runs in one transaction; the moves of
the matter go through ``lawdesk.matters.services`` (so the event registry, the deadlines of kind ``complaint``
and the 督办 apply), and every change is audited.

The subject of a complaint may never act on it (PermissionDenied), whatever role they hold.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.complaints.models import ComplaintDetail, ComplaintNote
from lawdesk.complaints.rules import ANONYMOUS, HIDDEN, detail_of, register_node
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_personal_phone
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import commands
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind, MatterState, ToldVia
from lawdesk.orgs.models import OrgNode

# What the matter and the visit say about a complaint wherever they are listed (ledger 1, the visit page, the
# matters list, reminders): the statement and the people stay in the complaint's own record.
MATTER_SUMMARY = "群众投诉（内容见群众投诉登记本）"
DEPARTMENT_KINDS = frozenset({InstitutionKind.OTHER_DEPARTMENT})


def _detail(matter: Matter) -> ComplaintDetail:
    detail = detail_of(matter)
    if detail is None:
        raise ValidationError("该事项不是投诉登记。", code="not_complaint")
    return detail


def _not_subject(actor: Any, detail: ComplaintDetail) -> None:
    if detail.subject_user_id is not None and detail.subject_user_id == actor.pk:
        raise PermissionDenied("您是该投诉的被投诉人，不能查看或办理该投诉。")


def guard(actor: Any, matter: Matter) -> None:
    """Before every command on a complaint: its subject may issue none, whatever role they hold."""
    detail = detail_of(matter)
    if detail is not None:
        _not_subject(actor, detail)


def subject_places(detail: ComplaintDetail) -> tuple[set[int], set[int]]:
    """Where the complaint's subject works: (institutions where they are a handler, nodes where they hold a
    role)."""
    if detail.subject_user is None:
        return set(), set()
    grants = scoping.scope_for(detail.subject_user).grants
    institutions = {g.institution_id for g in grants if g.institution_id is not None}
    nodes = {g.node_id for g in grants if g.node_id is not None}
    return institutions, nodes


def department_conflict(detail: ComplaintDetail, department: Institution) -> str:
    """Why ``department`` may not handle the complaint ("" when it may): never where the subject works, never an
    institution that sits at or serves the subject's own unit."""
    institutions, nodes = subject_places(detail)
    if department.pk in institutions:
        return "被投诉人是该部门（机构）的工作人员，不能转交该部门处理，请选择其他部门。"
    if department.home_node_id in nodes or department.served_nodes.filter(pk__in=nodes).exists():
        return "该部门与被投诉人所在单位同属或为其服务，不能转交该部门处理，请选择上级或其他部门。"
    return ""


def pass_on_check(actor: Any, matter: Matter, institution: Institution | None = None, **_: Any) -> Any:
    detail = detail_of(matter)
    if detail is None:
        return "该事项不是投诉登记。"
    if institution is None:
        return None
    if institution.kind not in DEPARTMENT_KINDS:
        return {"institution": "投诉只能转交负责处理投诉的部门。"}
    conflict = department_conflict(detail, institution)
    if conflict:
        return {"institution": conflict}
    from lawdesk.institutions import access as institution_access

    if (
        not institution.is_active
        or not institution_access.visible_institutions(actor).filter(pk=institution.pk).exists()
    ):
        return {"institution": "请从名录中选择处理部门。"}
    return None


def never_notify(matter: Matter) -> set[int]:
    detail = detail_of(matter)
    return {detail.subject_user_id} if detail is not None and detail.subject_user_id else set()


@service(AuditAction.COMPLAINT_RECORD)
def complaint_record(
    *,
    actor: Any,
    node: OrgNode,
    statement: str,
    channel: str = Channel.ON_SITE,
    anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    subject_user: User | None = None,
    subject_name: str = "",
    subject_unit: str = "",
    received_at: datetime.datetime | None = None,
    department: Institution | None = None,
    client_token: uuid.UUID | None = None,
) -> ComplaintDetail:
    """Record a complaint as said, received at ``node``, as a visit with one matter of kind complaint; pass it
    on to ``department`` at once when given. A complaint about a worker who can see ``node`` is registered at
    the node above out of their reach (``rules.register_node``), which counts, numbers and handles it. A repeated ``client_token`` returns the complaint already recorded."""
    if client_token is not None:
        from lawdesk.matters.models import Visit

        existing = Visit.objects.filter(client_token=client_token).first()
        if existing is not None:
            matter = existing.matters.filter(kind=MatterKind.COMPLAINT).first()
            if existing.received_by_id != actor.pk or matter is None:
                raise PermissionDenied("该登记表已由他人提交。")
            return _detail(matter)
    errors: dict[str, str] = {}
    statement = statement.strip()
    contact_name, contact_phone = contact_name.strip(), contact_phone.strip()
    subject_name, subject_unit = subject_name.strip(), subject_unit.strip()
    if not statement:
        errors["statement"] = "请如实记录投诉事项，不能为空。"
    if not anonymous and not contact_name:
        errors["contact_name"] = "实名投诉须填写投诉人姓名；投诉人不愿留名的，请勾选“匿名投诉”。"
    if contact_phone:
        try:
            validate_personal_phone(contact_phone)
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages[0]
    if subject_user is None and not subject_name and not subject_unit:
        errors["subject_name"] = "请选择或填写被投诉人或被投诉单位。"
    if subject_user is not None and subject_user.pk == actor.pk:
        errors["subject_user"] = "不能登记针对本人的投诉，请由其他工作人员登记。"
    if channel not in Channel.values:
        errors["channel"] = "投诉途径无效。"
    if received_at is not None and received_at > clock.now() + datetime.timedelta(minutes=5):
        errors["received_at"] = "投诉时间不能晚于现在。"
    if department is not None and department.kind not in DEPARTMENT_KINDS:
        errors["department"] = "请选择负责处理投诉的部门。"
    if errors:
        raise ValidationError(errors)
    if subject_user is not None and not subject_name:
        subject_name = str(subject_user)[:50]
    home = register_node(node, subject_user)
    with transaction.atomic():
        visit = matter_services.visit_register(
            actor=actor,
            node=node,
            register_at=home if home != node else None,
            person_data=matter_services.PersonInput(name=ANONYMOUS if anonymous else HIDDEN),
            matters=[matter_services.MatterInput(kind=MatterKind.COMPLAINT, summary=MATTER_SUMMARY)],
            channel=channel,
            summary=MATTER_SUMMARY,
            client_token=client_token,
            received_at=received_at,
        )
        matter = visit.matters.get()
        detail = ComplaintDetail.objects.create(
            matter=matter,
            anonymous=anonymous,
            contact_name=contact_name,
            contact_phone=contact_phone,
            subject_user=subject_user,
            subject_name=subject_name,
            subject_unit=subject_unit,
            statement=statement,
            recorded_by=actor,
            received_node=node if home != node else None,
        )
        audit(
            actor=actor,
            action="complaint.record",
            obj=detail,
            node=home,
            data={
                "matter": matter.pk,
                "anonymous": anonymous,
                "subject_user": getattr(subject_user, "pk", None),
            },
        )
        if department is not None:
            detail.matter = complaint_pass_on(actor=actor, matter=matter, department=department)
    return detail


@service(AuditAction.COMPLAINT_PASS_ON)
def complaint_pass_on(*, actor: Any, matter: Matter, department: Institution, note: str = "") -> Matter:
    """Pass the complaint to the responsible department (a transfer): it must acknowledge within the
    complaint's accept deadline (1 working day by default). Never to where the subject works."""
    detail = _detail(matter)
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="transfer", institution=department)
        matter = matter_services.move_transfer(matter, actor=actor, institution=department, note=note)
        audit(
            actor=actor,
            action="complaint.pass_on",
            obj=detail,
            node=matter.node,
            data={"department": department.pk},
        )
    return matter


@service(AuditAction.COMPLAINT_ACKNOWLEDGE)
def complaint_acknowledge(*, actor: Any, matter: Matter, note: str = "") -> Matter:
    """The department acknowledges receipt; the answer is then due within the outcome deadline (15)."""
    detail = _detail(matter)
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="accept")
        matter = matter_services.move_accept(matter, actor=actor, note=note)
        audit(actor=actor, action="complaint.acknowledge", obj=detail, node=matter.node)
    return matter


@service(AuditAction.COMPLAINT_ANSWER)
def complaint_answer(*, actor: Any, matter: Matter, answer: str) -> Matter:
    """The department's answer (处理结果); the recording platform then tells the complainant."""
    detail = _detail(matter)
    if not answer.strip():
        raise ValidationError({"answer": "请填写处理结果（对投诉的答复）。"})
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="outcome")
        matter = matter_services.move_outcome(matter, actor=actor, outcome=answer)
        audit(actor=actor, action="complaint.answer", obj=detail, node=matter.node)
    return matter


@service(AuditAction.COMPLAINT_RESPONSE)
def complaint_response(
    *, actor: Any, matter: Matter, satisfied: bool | None, response: str = "", via: str = ToldVia.PHONE
) -> ComplaintDetail:
    """The complainant was told the answer (答复投诉人日期) and said whether they are satisfied."""
    detail = _detail(matter)
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="tell")
        errors: dict[str, str] = {}
        if satisfied is None:
            errors["satisfied"] = "请选择投诉人对答复是否满意。"
        if via not in ToldVia.values:
            errors["via"] = "请选择答复投诉人的方式（电话、短信、现场、信函）。"
        if errors:
            raise ValidationError(errors)
        detail = ComplaintDetail.objects.select_for_update().get(pk=detail.pk)
        verdict = "满意" if satisfied else "不满意"
        matter_services.move_tell(
            matter,
            actor=actor,
            via=via,
            note=f"投诉人意见：{verdict}" + (f"，{response.strip()}" if response.strip() else ""),
        )
        detail.response_satisfied = satisfied
        detail.response = response.strip()
        detail.response_at = clock.now()
        detail.save(update_fields=["response_satisfied", "response", "response_at"])
        audit(
            actor=actor,
            action="complaint.response",
            obj=detail,
            node=matter.node,
            data={"satisfied": satisfied},
        )
    return detail


def note_check(actor: Any, matter: Matter, **_: Any) -> Any:
    if matter.state == MatterState.CLOSED:
        return {"text": "投诉已归档，不能再补充记录。"}
    return None


@service(AuditAction.COMPLAINT_NOTE)
def complaint_add_note(*, actor: Any, matter: Matter, text: str) -> ComplaintNote:
    """A correction or addition to the statement, appended (the statement as recorded stays)."""
    detail = _detail(matter)
    if not text.strip():
        raise ValidationError({"text": "请填写补充记录的内容。"})
    with transaction.atomic():
        matter = matter_services.lock_matter(matter)
        commands.authorize(actor=actor, matter=matter, key="complaint_note")
        note = ComplaintNote.objects.create(complaint=detail, author=actor, text=text.strip())
        audit(actor=actor, action="complaint.note", obj=detail, node=matter.node, data={"note": note.pk})
        matter_services.record_step(matter=matter, code="complaint_note_added", actor=actor, note="补充记录")
    return note
