"""Ledger numbers: per platform, ledger and year, with no gaps and no duplicates under concurrent intake.

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite every transaction takes the write
lock at BEGIN, see settings) inside the caller's transaction, so a number is used exactly when the record that
carries it commits.
"""

from __future__ import annotations

from django.db import transaction

from lawdesk.matters.models import LedgerCounter, MatterKind
from lawdesk.orgs.models import OrgNode

VISIT_LEDGER = "visit"
# The ledger (2–6) each matter kind is numbered in; consultations only appear in the visit ledger (1).
KIND_LEDGERS: dict[str, str] = {
    MatterKind.DISPUTE: "dispute",
    MatterKind.LEGAL_AID: "legal_aid",
    MatterKind.APPOINTMENT: "appointment",
    MatterKind.SERVICE_TRANSFER: "service_transfer",
    MatterKind.COMPLAINT: "complaint",
}


def next_number(*, node: OrgNode, ledger: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that saves the numbered record")
    counter, _ = LedgerCounter.objects.select_for_update().get_or_create(node=node, ledger=ledger, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
