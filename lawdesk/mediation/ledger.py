"""Ledger 2 (矛盾纠纷案件移交台帐) cells that the mediation records fill, keyed by the headers in
``lawdesk.ledgers.definitions.DISPUTES``. A dispute without details gives an empty dict (the cells stay as they are)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from lawdesk.ledgers.definitions import Cell
from lawdesk.matters.models import Matter
from lawdesk.mediation.models import DisputeDetail, MediationResult, PartyRole, format_amount


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _related(matter: Matter, name: str, model: Any) -> Any:
    try:
        return getattr(matter, name)
    except model.DoesNotExist:
        return None


def ledger2_values(matter: Matter) -> dict[Cell, Any]:
    values: dict[Cell, Any] = {}
    detail: DisputeDetail | None = _related(matter, "dispute_detail", DisputeDetail)
    if detail is not None:
        parties = list(detail.parties.all())
        others = [p for p in parties if p.role != PartyRole.APPLICANT]
        values[Cell.OPPONENT] = "、".join(p.name for p in others)
        values[Cell.DISPUTE_TYPE] = detail.get_dispute_type_display()
        values[Cell.AMOUNT] = format_amount(detail.amount) or None
        values[Cell.PEOPLE_INVOLVED] = detail.people_involved
        values[Cell.ESCALATION_RISK] = "是" if detail.escalation_risk else "否"
    result: MediationResult | None = _related(matter, "mediation_result", MediationResult)
    if result is not None:
        values[Cell.MEDIATION_RESULT] = result.get_result_display()
        values[Cell.AGREEMENT_FORM] = result.get_agreement_form_display() if result.agreement_form else ""
        values[Cell.RETURNED_TO_STATION_ON] = _day(result.returned_to_station_at)
        values[Cell.RETURNED_TO_OFFICE_ON] = _day(result.returned_to_office_at)
    return values
