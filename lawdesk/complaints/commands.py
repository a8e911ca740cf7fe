"""The complaint's commands (plan 五(四)6, 七(二)): recorded as said, passed on to the department responsible,
acknowledged, answered, the complainant told and their view recorded — each under the complaint rules: the
subject of a complaint issues no command on it, is never a recipient of it (the department where they work, or
one sitting at or serving their own unit), and is never notified of it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lawdesk.complaints import services
from lawdesk.complaints.forms import ComplaintTellForm, NoteForm, departments_for
from lawdesk.complaints.rules import detail_of
from lawdesk.matters import loop
from lawdesk.matters.commands import Command, KindExtension, Party
from lawdesk.matters.forms_matter import AcceptForm, OutcomeForm
from lawdesk.matters.models import Matter, MatterKind


def _pass_on(*, actor: Any, matter: Matter, institution: Any, note: str = "") -> Matter:
    return services.complaint_pass_on(actor=actor, matter=matter, department=institution, note=note)


def _answer(*, actor: Any, matter: Matter, outcome: str = "") -> Matter:
    return services.complaint_answer(actor=actor, matter=matter, answer=outcome)


def _tell(*, actor: Any, matter: Matter, told_via: str = "", satisfied: str = "", note: str = "") -> Any:
    value = {"yes": True, "no": False}.get(satisfied)
    return services.complaint_response(
        actor=actor, matter=matter, satisfied=value, response=note, via=told_via
    )


PASS_ON = Command(
    key="transfer",
    label="转交处理部门",
    verb="转交该投诉",
    event="transferred",
    party=Party.FRONT,
    form=loop.transfer_form,
    run=_pass_on,
    check=services.pass_on_check,
    done=lambda m, d: f"已转交“{d['institution']}”，确认收到期限 {m.accept_due:%Y-%m-%d}。",
    rule="记录人或其上级，受理状态；只转交负责处理投诉的部门，不转交被投诉人工作、同属或为其服务的部门。",
    template="matters/commands/_transfer.html",
    submit="转交",
)

ACKNOWLEDGE = Command(
    key="accept",
    label="确认收到",
    verb="确认收到该投诉",
    event="accepted",
    party=Party.HANDLER,
    form=lambda data, actor, matter: AcceptForm(data),
    run=services.complaint_acknowledge,
    done=lambda m, d: "已确认收到该投诉，请在期限内答复。",
    rule="处理部门的承办人（不是被投诉人），已转交状态，1个工作日内。",
    template="matters/commands/_accept.html",
    submit="确认收到",
)

ANSWER = Command(
    key="outcome",
    label="登记处理结果（答复）",
    verb="登记投诉的处理结果",
    event="outcome_recorded",
    party=Party.HANDLER_OR_OFFICE,
    form=lambda data, actor, matter: OutcomeForm(data),
    run=_answer,
    done=lambda m, d: "已登记处理结果，已返回登记平台答复投诉人。",
    rule="处理部门的承办人，或其上级司法所代为登记（不是被投诉人），已确认收到状态，15个工作日内。",
    template="matters/commands/_outcome.html",
    submit="登记处理结果",
    state_refusal="投诉尚未由处理部门确认收到，不能登记答复。",
)

RESPONSE = Command(
    key="tell",
    label="答复投诉人并登记意见",
    verb="登记答复投诉人",
    event="citizen_told",
    party=Party.FRONT,
    form=lambda data, actor, matter: ComplaintTellForm(data),
    run=_tell,
    done=lambda m, d: "已登记答复投诉人及投诉人意见。",
    rule="记录人或其上级，已答复状态；答复方式、投诉人是否满意必填。",
    submit="登记",
    state_refusal="投诉尚未答复，不能登记投诉人意见。",
)

NOTE = Command(
    key="complaint_note",
    label="补充投诉记录",
    verb="补充记录",
    event="complaint_note_added",
    party=Party.FRONT_OR_HANDLER,
    form=lambda data, actor, matter: NoteForm(data),
    run=services.complaint_add_note,
    check=services.note_check,
    done=lambda m, d: "已追加补充记录。",
    rule="记录人、其上级或处理部门（不是被投诉人），归档前；原记录不变，只追加。",
    submit="追加",
)


def _departments(actor: Any, matter: Matter, kind: str) -> Any:
    """The departments the complaint may go to: those in reach, less any where its subject works."""
    detail = detail_of(matter)
    departments = departments_for(actor)
    if detail is None:
        return departments
    return departments.exclude(pk__in=[d.pk for d in departments if services.department_conflict(detail, d)])


COMPLAINT = KindExtension(
    kind=MatterKind.COMPLAINT,
    commands=(
        loop.HANDOVER_CONFIRM,
        PASS_ON,
        ACKNOWLEDGE,
        loop.DECLINE,
        ANSWER,
        RESPONSE,
        NOTE,
        loop.CLOSE,
        loop.HANDOVER,
        loop.HANDOVER_WITHDRAW,
    ),
    hint="投诉举报在群众投诉登记本中办理：转交处理部门、确认收到、答复、登记投诉人意见。",
    guard=services.guard,
    never_notify=services.never_notify,
    transfer_targets=_departments,
)


def complaint_page(matter: Matter) -> str:
    return reverse("complaints:detail", args=[matter.pk])
