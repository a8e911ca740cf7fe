"""Ledger 6 (群众投诉登记本) cells of one complaint, keyed by the headers of
``lawdesk.ledgers.definitions.COMPLAINTS``. The complainant's name and contact read ``（身份保密）`` for anyone
``can_see_complainant`` refuses; the screen, Excel and PDF all read these values."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lawdesk.complaints.rules import ANONYMOUS, HIDDEN, can_see_complainant, detail_of
from lawdesk.ledgers.definitions import Cell
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


def ledger6_values(matter: Matter, *, actor: Any) -> dict[Cell, Any]:
    """Every ledger-6 column but 编号, for one complaint matter, as ``actor`` may see it."""
    detail = detail_of(matter)
    visit = matter.visit
    visible = can_see_complainant(actor, matter)
    if detail is None:  # recorded as a plain matter (before the register): the visit's person complained
        person = visit.person_as_told
        return {
            Cell.RECEIVED_AT: timezone.localtime(visit.received_at),
            Cell.CHANNEL: visit.get_channel_display(),
            Cell.COMPLAINANT: person.name if visible else HIDDEN,
            Cell.CONTACT: person.phone if visible else HIDDEN,
            Cell.SUBJECT: "",
            Cell.STATEMENT: matter.summary,
            Cell.RECORDER: str(matter.owner),
            Cell.INSTITUTION: matter.institution.name if matter.institution is not None else "",
            Cell.TRANSFERRED_ON: _day(matter.transferred_at),
            Cell.OUTCOME: matter.outcome,
            Cell.TOLD_ON: _day(matter.told_at),
            Cell.RESPONSE: matter.rating_comment,
            Cell.REMARKS: "",
        }
    remarks = []
    if detail.received_node_id is not None:
        remarks.append(f"{detail.received_node.name}受理，被投诉人在该平台工作，由本级登记")
    if detail.anonymous:
        remarks.append("匿名投诉")
    if matter.accepted_at:
        remarks.append(f"处理部门确认收到：{_day(matter.accepted_at):%Y-%m-%d}")
    if matter.outcome_by_proxy:
        remarks.append("处理结果由司法所代为登记")
    return {
        Cell.RECEIVED_AT: timezone.localtime(visit.received_at),
        Cell.CHANNEL: visit.get_channel_display(),
        Cell.COMPLAINANT: complainant_label(detail, visible),
        Cell.CONTACT: (detail.contact_phone if visible else HIDDEN),
        Cell.SUBJECT: detail.subject_label,
        Cell.STATEMENT: statement_text(detail),
        Cell.RECORDER: str(detail.recorded_by),
        Cell.INSTITUTION: matter.institution.name if matter.institution is not None else "",
        Cell.TRANSFERRED_ON: _day(matter.transferred_at),
        Cell.OUTCOME: matter.outcome,
        Cell.TOLD_ON: _day(matter.told_at),
        Cell.RESPONSE: detail.response_label,
        Cell.REMARKS: "；".join(remarks),
    }
