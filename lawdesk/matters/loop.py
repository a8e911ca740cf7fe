"""The common loop's commands (受理 → 当场解答 | 指引 | 移交 → 承接 → 办结 → 告知 → 归档, 首问负责的交接, 最多跑一次),
declared once. The kinds that need nothing more — consultation, service transfer, appointment — take this table
as it is; the apps that own the other kinds build theirs from these entries and their own
(``lawdesk.matters.commands``)."""

from __future__ import annotations

from typing import Any

from lawdesk.institutions.models import Institution
from lawdesk.matters import selectors, services
from lawdesk.matters.commands import Command, KindExtension, Party, register_kind
from lawdesk.matters.forms_matter import (
    AcceptForm,
    AnswerForm,
    CloseForm,
    DeclineForm,
    HandoverConfirmForm,
    HandoverForm,
    HandoverWithdrawForm,
    OneTripForm,
    OutcomeForm,
    RedirectForm,
    TellForm,
    TransferForm,
)
from lawdesk.matters.models import Matter, MatterKind, OneTripMode, ToldVia


def transfer_form(data: Any, actor: Any, matter: Matter) -> TransferForm:
    """Any active institution in the actor's reach is read; the kind's rules decide where the matter may go
    (so every door hears the same reason). The page offers only the kind's likely targets."""
    from lawdesk.institutions import access as institution_access

    return TransferForm(
        data, institutions=institution_access.visible_institutions(actor).filter(is_active=True)
    )


def _outcome_done(matter: Matter, data: dict[str, Any]) -> str:
    if matter.outcome_by_proxy:
        return "已代承办人登记办理结果（标注为司法所代为登记），结果已返回受理平台。"
    return "已登记办理结果，结果已返回受理平台。"


def _redirect(
    *, actor: Any, matter: Matter, department: Institution | None = None, redirect_reason: str = "",
    redirect_to: str = "", redirect_address: str = "", redirect_phone: str = "",
) -> Matter:  # fmt: skip
    return services.redirect_command(
        actor=actor, matter=matter, reason=redirect_reason, redirect_to=redirect_to, address=redirect_address,
        phone=redirect_phone,
    )  # fmt: skip


ANSWER = Command(
    key="answer",
    label="当场解答办结",
    verb="当场解答该事项",
    event="answered",
    party=Party.FRONT,
    form=lambda data, actor, matter: AnswerForm(data),
    run=services.answer_command,
    done=lambda m, d: "已登记当场解答，事项已办结，请群众评价后归档。",
    rule="首问负责人或其上级，受理状态；须填写答复意见。",
    template="matters/commands/_answer.html",
    submit="登记解答",
)

REDIRECT = Command(
    key="redirect",
    label="指引到其他部门",
    verb="指引该事项",
    event="redirected",
    party=Party.FRONT,
    form=lambda data, actor, matter: RedirectForm(
        data, departments=selectors.redirect_departments(actor=actor, matter=matter)
    ),
    run=_redirect,
    done=lambda m, d: "已登记指引，请打印指引单交给群众。",
    rule="首问负责人或其上级，受理状态；须写明原因和去向（可从名录选择部门）。",
    template="matters/commands/_redirect.html",
    submit="登记指引",
    api_names={
        "reason": "redirect_reason",
        "redirect_to": "redirect_to",
        "address": "redirect_address",
        "phone": "redirect_phone",
    },
)

TRANSFER = Command(
    key="transfer",
    label="移交后台机构",
    verb="移交该事项",
    event="transferred",
    party=Party.FRONT,
    form=transfer_form,
    run=services.transfer_command,
    check=services.transfer_check,
    done=lambda m, d: f"已移交“{d['institution']}”，承接期限 {m.accept_due:%Y-%m-%d}。",
    rule="首问负责人或其上级，受理状态；只移交给服务本平台（或其上级）的在用机构，不移交给其他部门。",
    template="matters/commands/_transfer.html",
    submit="移交",
)

ACCEPT = Command(
    key="accept",
    label="承接",
    verb="承接该事项",
    event="accepted",
    party=Party.HANDLER,
    form=lambda data, actor, matter: AcceptForm(data),
    run=services.accept_command,
    done=lambda m, d: f"已承接该事项，办结期限 {m.outcome_due:%Y-%m-%d}。",
    rule="承接机构的承办人，已移交状态。",
    template="matters/commands/_accept.html",
    submit="承接",
)

DECLINE = Command(
    key="decline",
    label="退回移交方",
    verb="退回该事项",
    event="declined",
    party=Party.HANDLER,
    form=lambda data, actor, matter: DeclineForm(data),
    run=services.decline_command,
    done=lambda m, d: "已退回移交方。",
    rule="承接机构的承办人，已移交状态；须说明原因。",
    submit="退回",
)

OUTCOME = Command(
    key="outcome",
    label="登记办理结果",
    verb="登记办理结果",
    event="outcome_recorded",
    party=Party.HANDLER_OR_OFFICE,
    form=lambda data, actor, matter: OutcomeForm(data),
    run=services.outcome_command,
    done=_outcome_done,
    rule="承办人，或其上级司法所代为登记（标注），已承接状态。",
    template="matters/commands/_outcome.html",
    submit="登记结果",
)


def _tell(*, actor: Any, matter: Matter, told_via: str = "", adoption: str = "", note: str = "") -> Matter:
    return services.tell_command(actor=actor, matter=matter, via=told_via, note=note, adoption=adoption)


TELL = Command(
    key="tell",
    label="告知群众办理结果",
    verb="登记反馈",
    event="citizen_told",
    party=Party.FRONT,
    form=lambda data, actor, matter: TellForm(data),
    run=_tell,
    done=lambda m, d: f"已登记告知群众（{ToldVia(m.told_via).label}）。",
    rule="首问负责人或其上级，已办结状态；告知方式必填，可登记群众是否采纳意见。",
    template="matters/commands/_tell.html",
    submit="登记已告知",
)

CLOSE = Command(
    key="close",
    label="评价并归档",
    verb="归档该事项",
    event="closed",
    party=Party.FRONT,
    form=lambda data, actor, matter: CloseForm(data),
    run=services.close_command,
    done=lambda m, d: f"事项已归档（群众评价：{m.rating}分）。" if m.rating else "事项已归档。",
    rule="首问负责人或其上级，当场办结、已指引或已告知状态；工作人员不能评分。",
    template="matters/commands/_close.html",
    submit="不评价，直接归档",
)

HANDOVER = Command(
    key="handover",
    label="交接给同事",
    verb="发起交接",
    event="handover_offered",
    party=Party.FRONT,
    form=lambda data, actor, matter: HandoverForm(
        data, colleagues=selectors.handover_colleagues(matter=matter)
    ),
    run=services.matter_handover_offer,
    check=services.handover_check,
    done=lambda m, d: f"已发起交接，等待“{d['to_user']}”确认；确认前仍由原首问负责人负责。",
    rule="首问负责人或其上级，未归档；交接给在本平台工作的同事，对方确认后才转移负责人；一次只有一个待确认的交接。",
    template="matters/commands/_handover.html",
    submit="发起交接",
)

HANDOVER_WITHDRAW = Command(
    key="handover_withdraw",
    label="撤回交接",
    verb="撤回交接",
    event="handover_withdrawn",
    party=Party.FRONT,
    form=lambda data, actor, matter: HandoverWithdrawForm(data),
    run=services.matter_handover_withdraw,
    check=services.handover_withdraw_check,
    done=lambda m, d: "已撤回交接，事项仍由您负责。",
    rule="首问负责人或其上级，有待确认的交接时。",
    submit="撤回交接",
)


def _confirm(*, actor: Any, matter: Matter, decision: str, note: str = "") -> Matter:
    return services.matter_handover_confirm(
        actor=actor, matter=matter, accept=decision == "accept", note=note
    )


HANDOVER_CONFIRM = Command(
    key="handover_confirm",
    label="确认交接",
    verb="确认交接",
    event="handover_confirmed",
    party=Party.HANDOVER_TARGET,
    form=lambda data, actor, matter: HandoverConfirmForm(data),
    run=_confirm,
    done=lambda m, d: (
        "已接手该事项，您现在是首问负责人。"
        if d["decision"] == "accept"
        else "已拒绝交接，事项仍由原首问负责人负责。"
    ),
    rule="被交接的同事：确认接手或拒绝。",
    template="matters/commands/_handover_confirm.html",
)


def _one_trip(*, actor: Any, matter: Matter, one_trip_mode: str = "", one_trip_due: Any = None) -> Matter:
    return services.matter_mark_one_trip(actor=actor, matter=matter, mode=one_trip_mode, due=one_trip_due)


ONE_TRIP = Command(
    key="one_trip",
    label="最多跑一次（代办 / 上门服务）",
    verb="标记“最多跑一次”",
    event="one_trip_marked",
    party=Party.FRONT,
    form=lambda data, actor, matter: OneTripForm(data),
    run=_one_trip,
    check=services.one_trip_check,
    done=lambda m, d: (
        f"已标记“{OneTripMode(m.one_trip_mode).label}”，期限 {m.one_trip_due:%Y-%m-%d}，已列入司法所的待办。"
    ),
    rule="首问负责人或其上级，受理、已移交或已承接状态；代办或上门服务，列入司法所待办。",
    template="matters/commands/_one_trip.html",
    submit="标记并列入司法所待办",
)

# The whole loop, in the order the matter page shows it.
LOOP: tuple[Command, ...] = (
    HANDOVER_CONFIRM, ACCEPT, DECLINE, OUTCOME, ANSWER, TRANSFER, REDIRECT, TELL, CLOSE, ONE_TRIP, HANDOVER,
    HANDOVER_WITHDRAW,
)  # fmt: skip


def register() -> None:
    for kind in (MatterKind.CONSULTATION, MatterKind.SERVICE_TRANSFER, MatterKind.APPOINTMENT):
        register_kind(KindExtension(kind=kind, commands=LOOP))
