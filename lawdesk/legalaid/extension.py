"""What the legal aid app adds to the matters core, registered from ``LegalAidConfig.ready``."""

from __future__ import annotations

from typing import Any


def forget_person(person: Any) -> None:
    """Retention: the household income on the person's applications."""
    from lawdesk.legalaid.models import LegalAidApplication

    LegalAidApplication.objects.filter(matter__visit__person=person).update(monthly_income=None)


def panel(actor: Any, matter: Any) -> dict[str, Any] | None:
    from lawdesk.legalaid.panel import panel_context

    return panel_context(actor=actor, matter=matter)


def register() -> None:
    from lawdesk.matters.events import OPEN_STATES, EventSpec, register_event

    for spec in (
        EventSpec("legal_aid_applied", "填写法律援助申请表", OPEN_STATES, None, report="legal_aid_applied"),
        EventSpec("legal_aid_reviewed", "法律援助初审", OPEN_STATES, None, report="legal_aid_reviewed"),
        EventSpec("legal_aid_decided", "法律援助受理决定", OPEN_STATES, None, report="legal_aid_decided"),
    ):
        register_event(spec)
    from dataclasses import replace

    from lawdesk.ledgers.definitions import register_cells
    from lawdesk.legalaid.commands import LEGAL_AID
    from lawdesk.legalaid.ledger import ledger3_values
    from lawdesk.matters.commands import register_kind
    from lawdesk.people import retention

    register_kind(replace(LEGAL_AID, panel=panel, panel_template="legalaid/_matter_panel.html"))
    retention.register(anonymiser=forget_person)
    register_cells(
        3, lambda matter, actor: ledger3_values(matter), related=("legal_aid", "legal_aid__reviewed_by")
    )
