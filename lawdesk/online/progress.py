"""What a citizen reads on the progress page: the state in plain Chinese, the date it is due, and what the
platform told them (the answer, where to go, the outcome once they were told)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from lawdesk.matters import deadlines
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.online.models import OnlineRequest

S = MatterState


@dataclass
class Progress:
    code: str
    kind: str
    platform: str
    submitted: datetime.datetime
    state: str  # one line of plain Chinese
    step: int  # 1 received, 2 being handled, 3 done (for the step bar)
    due: datetime.date | None = None
    due_label: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    closed: bool = False


def _who(matter: Matter) -> str:
    return matter.institution.name if matter.institution_id and matter.institution else "相关机构"


def progress_of(request: OnlineRequest) -> Progress:
    matter = request.matter
    state = matter.state
    p = Progress(
        code=request.code,
        kind=request.get_kind_display(),
        platform=matter.node.name,
        submitted=timezone.localtime(request.created_at),
        state="",
        step=1,
    )
    if state == S.RECEIVED:
        p.state = f"{matter.node.name}已收到您的申请，工作人员正在处理。"
        # No stage clock runs at the window yet: the outcome deadline counted from the day it came in.
        p.due = deadlines.stage_due(
            node=matter.node, kind=matter.kind, stage="outcome", start=timezone.localdate(matter.created_at)
        )
        p.due_label = "答复期限" if matter.kind == MatterKind.CONSULTATION else "办理期限"
    elif state == S.ANSWERED:
        p.state, p.step = "工作人员已答复。", 3
        p.details.append(("答复", matter.answer))
    elif state == S.REDIRECTED:
        p.state, p.step = "该事项不在本平台办理范围内，已为您指引办理去处。", 3
        p.details += [("原因", matter.redirect_reason), ("请到", matter.redirect_to)]
        if matter.redirect_address:
            p.details.append(("地址", matter.redirect_address))
        if matter.redirect_phone:
            p.details.append(("电话", matter.redirect_phone))
    elif state == S.TRANSFERRED:
        p.state, p.step = f"已转交{_who(matter)}办理，等待对方承接。", 2
        p.due, p.due_label = matter.accept_due, "承接期限"
    elif state == S.ACCEPTED:
        p.state, p.step = f"{_who(matter)}正在办理。", 2
        p.due, p.due_label = matter.outcome_due, "办结期限"
    elif state == S.OUTCOME_RECORDED:
        p.state, p.step = "已办理完毕，工作人员将尽快告知您结果。", 2
        p.due, p.due_label = matter.feedback_due, "告知期限"
    elif state == S.CITIZEN_TOLD:
        p.state, p.step = "已办结，办理结果已告知您。", 3
        p.details.append(("办理结果", matter.outcome))
    elif state == S.CLOSED:
        p.state, p.step, p.closed = "已办结归档。", 3, True
        if matter.answer:
            p.details.append(("答复", matter.answer))
        elif matter.outcome and matter.told_at:
            p.details.append(("办理结果", matter.outcome))
    appointment = getattr(matter, "appointment", None)
    if appointment is not None:
        start = timezone.localtime(appointment.slot.start)
        end = timezone.localtime(appointment.slot.end)
        p.details.insert(
            0,
            (
                "预约时间",
                f"{start:%Y年%m月%d日} {start:%H:%M}—{end:%H:%M}，{appointment.slot.place_name}"
                f"（{appointment.slot.get_kind_display()}）",
            ),
        )
        p.details.insert(1, ("预约情况", appointment.get_status_display()))
        if state == S.RECEIVED:
            p.due, p.due_label = None, ""
            p.state = "预约成功，请按时到达。" if appointment.is_pending else p.state
    if matter.rating is not None:
        p.details.append(("您的评价", f"{matter.rating}分"))
    return p
