"""The dispute's commands (plan 五(四)3; 人民调解法): the window records the dispute's details, routes it to a
mediation committee by place or trade (another institution only with the reason written down), the committee
accepts and records the mediation result, which returns to the station and the judicial office; the rest is the
common loop."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lawdesk.matters import loop
from lawdesk.matters.commands import Command, KindExtension, Party
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.mediation import services
from lawdesk.mediation.forms import DisputeCommandForm, ResultForm
from lawdesk.mediation.models import MediationOutcome, PartyRole, PartyType


def _record(
    *, actor: Any, matter: Matter, dispute_type: str = "", amount: Any = None, people_involved: Any = None,
    escalation_risk: bool = False, parties: list[dict[str, str]] | None = None,
) -> Any:  # fmt: skip
    rows = [
        services.PartyInput(
            name=p.get("name", ""),
            role=p.get("role") or PartyRole.RESPONDENT,
            party_type=p.get("party_type") or PartyType.PERSON,
            phone=p.get("phone", ""),
            address=p.get("address", ""),
        )
        for p in parties or []
    ]
    return services.dispute_record(
        actor=actor, matter=matter, dispute_type=dispute_type, parties=rows,
        people_involved=people_involved if people_involved is not None else 0, amount=amount,
        escalation_risk=escalation_risk,
    )  # fmt: skip


DISPUTE_RECORD = Command(
    key="dispute_record",
    label="登记纠纷详情",
    verb="登记纠纷详情",
    event="dispute_recorded",
    party=Party.FRONT,
    form=lambda data, actor, matter: DisputeCommandForm(data),
    run=_record,
    check=services.dispute_record_check,
    done=lambda m, d: (
        "已保存纠纷详情。"
        + ("已标记易激化，司法所和区司法局已收到预警。" if d.get("escalation_risk") else "")
    ),
    rule="首问负责人或其上级，纠纷仍在窗口；类型、当事人、金额、人数；易激化立即预警司法所和区司法局。",
    page=lambda matter: reverse("mediation:detail", args=[matter.pk]),
)

TRANSFER = Command(
    key="transfer",
    label="移交调解组织",
    verb="移交该纠纷",
    event="transferred",
    party=Party.FRONT,
    form=loop.transfer_form,
    run=services.dispute_transfer,
    check=services.dispute_transfer_check,
    done=lambda m, d: f"已移交“{d['institution']}”，承接期限 {m.accept_due:%Y-%m-%d}。",
    rule=(
        "首问负责人或其上级，受理状态；移交人民调解委员会须先登记纠纷详情，改选系统建议以外的委员会须说明原因；"
        "移交其他机构须写明原因。"
    ),
    template="matters/commands/_transfer.html",
    submit="移交",
)

RESULT = Command(
    key="mediation_result",
    label="登记调解结果",
    verb="登记调解结果",
    event="outcome_recorded",
    party=Party.HANDLER,
    form=lambda data, actor, matter: ResultForm(data),
    run=services.mediation_result_record,
    check=services.result_check,
    done=lambda m, d: (
        f"已登记调解结果（{MediationOutcome(d['result']).label}），已返回受理平台和司法所。"
        if d.get("result") in MediationOutcome.values
        else "已登记调解结果。"
    ),
    rule="承接纠纷的人民调解委员会的承办人，已承接状态；成功须注明协议形式，不成功须注明引导途径；结果即时返回站和司法所。",
    submit="登记调解结果",
)

OUTCOME = Command(
    key="outcome",
    label=loop.OUTCOME.label,
    verb=loop.OUTCOME.verb,
    event=loop.OUTCOME.event,
    party=loop.OUTCOME.party,
    form=loop.OUTCOME.form,
    run=loop.OUTCOME.run,
    check=services.outcome_check,
    done=loop.OUTCOME.done,
    rule="移交人民调解委员会以外机构的纠纷：承办人或其上级司法所代为登记。",
    template=loop.OUTCOME.template,
    submit=loop.OUTCOME.submit,
)

DISPUTE = KindExtension(
    kind=MatterKind.DISPUTE,
    commands=(
        loop.HANDOVER_CONFIRM,
        DISPUTE_RECORD,
        TRANSFER,
        loop.ACCEPT,
        loop.DECLINE,
        RESULT,
        OUTCOME,
        loop.ANSWER,
        loop.REDIRECT,
        loop.TELL,
        loop.CLOSE,
        loop.ONE_TRIP,
        loop.HANDOVER,
        loop.HANDOVER_WITHDRAW,
    ),
    hint="矛盾纠纷先登记纠纷详情，再移交人民调解委员会，由委员会登记调解结果。",
)
