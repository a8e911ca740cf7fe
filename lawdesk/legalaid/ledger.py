"""Ledger 3 (法律援助案件移交台帐): the cells the application fills, keyed by the ledger's Chinese headers.

``lawdesk.ledgers.definitions.LEGAL_AID`` declares these columns as NO_SOURCE today; it can read them from here.
"""

from __future__ import annotations

from typing import Any

from lawdesk.ledgers.definitions import Cell
from lawdesk.legalaid.models import LegalAidApplication
from lawdesk.legalaid.rules import ART32_ITEMS, ART42_ITEMS, HARDSHIP_LABELS, citation
from lawdesk.matters.models import Matter

HEADERS = (
    Cell.CATEGORY,
    Cell.HARDSHIP,
    Cell.MATERIALS_COMPLETE,
    Cell.REVIEW_OPINION,
    Cell.REVIEWER,
    Cell.DECISION,
)


def _hardship(application: LegalAidApplication) -> str:
    if application.hardship == "exempt_art32":
        key = application.art32_situation
        return f"免予核查：{citation(32, ART32_ITEMS, key)}"
    if application.hardship == "exempt_art42":
        key = application.exempt_group
        return f"免予核查：{citation(42, ART42_ITEMS, key)}"
    if application.hardship in ("passed", "failed"):
        return f"核查：{'符合' if application.hardship == 'passed' else '不符合'}经济困难标准"
    return HARDSHIP_LABELS.get(application.hardship, "")


def ledger3_values(matter: Matter) -> dict[Cell, Any]:
    """The ledger-3 cells of one legal-aid matter; every header maps to None when there is no application."""
    application: LegalAidApplication | None = getattr(matter, "legal_aid", None)
    if application is None:
        return dict.fromkeys(HEADERS)
    category = application.get_category_display() if application.category else ""
    if not category and application.art32_situation:
        category = application.get_art32_situation_display()
    decision = ""
    if application.decision:
        decision = f"{application.get_decision_display()}（{application.decided_on:%Y-%m-%d}）"
        if application.lawyer_name:
            decision += f"，指派{application.lawyer_name}"
        elif application.decision_reason:
            decision += f"，理由：{application.decision_reason}"
    return {
        Cell.CATEGORY: category or None,
        Cell.HARDSHIP: _hardship(application) or None,
        Cell.MATERIALS_COMPLETE: "齐全" if application.materials_complete else "不齐全",
        Cell.REVIEW_OPINION: (
            f"{application.get_review_opinion_display()}"
            + (f"：{application.review_note}" if application.review_note else "")
            if application.review_opinion
            else None
        ),
        Cell.REVIEWER: str(application.reviewed_by) if application.reviewed_by else None,
        Cell.DECISION: decision or None,
    }
