"""Ledger 6 (群众投诉登记本) cells of one complaint, keyed by the headers of
``lawdesk.ledgers.definitions.COMPLAINTS``. The complainant's name and contact read ``（身份保密）`` for anyone
``can_see_complainant`` refuses; the screen, Excel and PDF all read these values."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lawdesk.complaints.rules import ANONYMOUS, HIDDEN, can_see_complainant, detail_of
from lawdesk.matters.models import Matter


def complainant_label(detail: Any, visible: bool) -> str:
    if not visible:
        return HIDDEN
    if detail.anonymous:
        return f"{ANONYMOUS}（留有联系人：{detail.contact_name}）" if detail.contact_name else ANONYMOUS
    return str(detail.contact_name)


def statement_text(detail: Any) -> str:
    """The statement as recorded, then each appended note with its date."""
    parts = [detail.statement]
    for note in detail.notes.all():
        parts.append(f"〔补充 {timezone.localtime(note.created_at):%Y-%m-%d}〕{note.text}")
    return "\n".join(parts)


def _day(moment: Any) -> Any:
    return timezone.localtime(moment).date() if moment else None


def ledger6_values(matter: Matter, *, actor: Any) -> dict[str, Any]:
    """Every ledger-6 column but 编号, for one complaint matter, as ``actor`` may see it."""
    detail = detail_of(matter)
    visit = matter.visit
    visible = can_see_complainant(actor, matter)
    if detail is None:  # recorded as a plain matter (before the register): the visit's person complained
        person = visit.person
        return {
            "投诉时间": timezone.localtime(visit.received_at),
            "投诉途径": visit.get_channel_display(),
            "投诉人(可匿名)": person.name if visible else HIDDEN,
            "联系方式": person.phone if visible else HIDDEN,
            "被投诉人或单位": "",
            "投诉事项(如实记录)": matter.summary,
            "记录人": str(matter.owner),
            "转交部门": matter.institution.name if matter.institution is not None else "",
            "转交日期": _day(matter.transferred_at),
            "处理结果": matter.outcome,
            "答复投诉人日期": _day(matter.told_at),
            "投诉人意见": matter.rating_comment,
            "备注": "",
        }
    remarks = []
    if detail.anonymous:
        remarks.append("匿名投诉")
    if matter.accepted_at:
        remarks.append(f"处理部门确认收到：{_day(matter.accepted_at):%Y-%m-%d}")
    if matter.outcome_by_proxy:
        remarks.append("处理结果由司法所代为登记")
    return {
        "投诉时间": timezone.localtime(visit.received_at),
        "投诉途径": visit.get_channel_display(),
        "投诉人(可匿名)": complainant_label(detail, visible),
        "联系方式": (detail.contact_phone if visible else HIDDEN),
        "被投诉人或单位": detail.subject_label,
        "投诉事项(如实记录)": statement_text(detail),
        "记录人": str(detail.recorded_by),
        "转交部门": matter.institution.name if matter.institution is not None else "",
        "转交日期": _day(matter.transferred_at),
        "处理结果": matter.outcome,
        "答复投诉人日期": _day(matter.told_at),
        "投诉人意见": detail.response_label,
        "备注": "；".join(remarks),
    }
