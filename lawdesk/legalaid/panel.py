"""What the matter page shows of a legal-aid matter: the application's verdict, links and the allowed steps."""

from __future__ import annotations

from typing import Any

from lawdesk.legalaid import services
from lawdesk.matters.models import Matter, MatterKind


def panel_context(*, actor: Any, matter: Matter) -> dict[str, Any] | None:
    """None for other kinds of matter; otherwise the context of ``legalaid/_matter_panel.html``."""
    if matter.kind != MatterKind.LEGAL_AID:
        return None
    application = services.application_of(matter)
    return {
        "matter": matter,
        "application": application,
        "assessment": application.assessment() if application else None,
        "can_edit": services.can_edit_application(actor, matter),
        "can_review": services.can_review(actor, matter, application),
        "can_transfer": services.can_transfer(actor, matter, application),
        "can_decide": services.can_decide(actor, matter, application),
    }
