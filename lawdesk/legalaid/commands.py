"""The legal-aid application's commands (plan 五(四)2 and 4; 《法律援助法》 arts. 31, 32, 41–43): the window records
the application and makes the 初审; only an application found eligible goes, and only to a legal aid centre
serving the platform; the centre decides (给予 or 不予) instead of simply accepting; the rest is the common loop."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lawdesk.institutions.models import InstitutionKind
from lawdesk.legalaid import services
from lawdesk.legalaid.forms import ApplicationForm, DecisionForm, ReviewForm
from lawdesk.legalaid.models import Decision, ReviewOpinion
from lawdesk.matters import loop, selectors
from lawdesk.matters.commands import Command, KindExtension, Party
from lawdesk.matters.models import Matter, MatterKind


def _page(matter: Matter) -> str:
    return reverse("legalaid:application", args=[matter.pk])


def _apply(*, actor: Any, matter: Matter, **data: Any) -> Any:
    data["materials"] = list(data.get("materials") or [])
    return services.application_record(actor=actor, matter=matter, data=services.ApplicationInput(**data))


APPLY = Command(
    key="legal_aid_apply",
    label="填写法律援助申请表",
    verb="填写该申请表",
    event="legal_aid_applied",
    party=Party.FRONT,
    form=lambda data, actor, matter: ApplicationForm(data, matter=matter),
    run=_apply,
    check=services.apply_check,
    done=lambda m, d: "已保存法律援助申请表。",
    rule="首问负责人或其上级，事项仍在窗口（受理状态）；按第三十一、三十二、四十二条和本区经济困难标准审查。",
    page=_page,
)

REVIEW = Command(
    key="legal_aid_review",
    label="初审",
    verb="初审",
    event="legal_aid_reviewed",
    party=Party.FRONT,
    form=lambda data, actor, matter: ReviewForm(data),
    run=services.preliminary_review,
    check=services.review_check,
    done=lambda m, d: f"已登记初审意见：{ReviewOpinion(d['opinion']).label}。",
    rule="首问负责人或其上级，已填申请表、仍在窗口；材料不全不能认定“符合”，不符合须说明理由。",
    page=_page,
)

TRANSFER = Command(
    key="transfer",
    label="移交法律援助中心",
    verb="移交该事项",
    event="transferred",
    party=Party.FRONT,
    form=loop.transfer_form,
    run=services.transfer_to_centre,
    check=services.transfer_check,
    done=lambda m, d: f"已移交“{d['institution']}”，承接期限 {m.accept_due:%Y-%m-%d}。",
    rule="首问负责人或其上级，初审“符合”之后；只移交服务本平台的法律援助中心；快速通道的申请次个工作日内承接。",
    template="matters/commands/_transfer.html",
    submit="移交",
)

DECIDE = Command(
    key="legal_aid_decide",
    label="作出受理决定（给予 / 不予）",
    verb="作出受理决定",
    event="accepted",
    party=Party.HANDLER,
    form=lambda data, actor, matter: DecisionForm(data),
    run=services.centre_decision,
    check=services.decide_check,
    done=lambda m, d: f"已登记受理决定：{Decision(d['decision']).label}法律援助。",
    rule="受理该申请的法律援助中心的承办人，已移交状态；给予须指派人员，不予须说明理由（转为办结，由窗口告知申请人）。",
)


def _centres(actor: Any, matter: Matter, kind: str) -> Any:
    return selectors.transfer_targets(actor=actor, matter=matter, kind=InstitutionKind.LEGAL_AID_CENTRE)


LEGAL_AID = KindExtension(
    kind=MatterKind.LEGAL_AID,
    commands=(
        loop.HANDOVER_CONFIRM,
        APPLY,
        REVIEW,
        TRANSFER,
        DECIDE,
        loop.DECLINE,
        loop.OUTCOME,
        loop.ANSWER,
        loop.REDIRECT,
        loop.TELL,
        loop.CLOSE,
        loop.ONE_TRIP,
        loop.HANDOVER,
        loop.HANDOVER_WITHDRAW,
    ),
    hint="法律援助申请须先填写申请表并初审，再移交服务本平台的法律援助中心，由中心作出给予或不予的决定。",
    transfer_targets=_centres,
)
