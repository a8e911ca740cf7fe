"""What the mediation app adds to the matters core, registered from ``MediationConfig.ready``."""

from __future__ import annotations

from typing import Any


def forget_person(person: Any) -> None:
    """Retention: the phones and addresses of the dispute parties on the person's matters."""
    from lawdesk.mediation.models import DisputeParty

    DisputeParty.objects.filter(detail__matter__visit__person=person).update(phone="", address="")


def party_phone(actor: Any, matter: Any, key: str) -> str | None:
    """A dispute party's phone (``party-<id>``), for the mediator who must call them and the window."""
    from lawdesk.mediation.models import DisputeParty

    if not key.isdigit():
        return None
    party = DisputeParty.objects.filter(pk=int(key), detail__matter=matter).first()
    return None if party is None else str(party.phone or "")


def panel(actor: Any, matter: Any) -> dict[str, Any] | None:
    from lawdesk.mediation.panel import panel_context

    return panel_context(actor=actor, matter=matter)


def register() -> None:
    from lawdesk.matters.events import OPEN_STATES, EventSpec, register_event

    register_event(EventSpec("dispute_recorded", "登记纠纷详情", OPEN_STATES, None))
    register_event(
        EventSpec(
            "escalation_risk_alerted", "易激化预警", OPEN_STATES, None, report="escalation_risk",
            describe=lambda data: ["已即时通知司法所和区(县)司法局"],
        )
    )  # fmt: skip
    from dataclasses import replace

    from lawdesk.ledgers.definitions import register_cells
    from lawdesk.matters.commands import register_kind
    from lawdesk.mediation.commands import DISPUTE
    from lawdesk.mediation.ledger import ledger2_values
    from lawdesk.people import retention

    register_kind(replace(DISPUTE, panel=panel, panel_template="mediation/_matter_panel.html"))
    retention.register(anonymiser=forget_person)
    from lawdesk.matters import personal_data

    personal_data.register_contact("party", party_phone, keyed=True, for_handlers=True)
    register_cells(
        2,
        lambda matter, actor: ledger2_values(matter),
        related=("dispute_detail", "mediation_result"),
        prefetch=("dispute_detail__parties",),
    )
