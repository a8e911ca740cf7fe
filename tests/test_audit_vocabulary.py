"""The audit log's one vocabulary (lawdesk.core.audit_actions): every name a row may carry is a member, and every
matter event has the member its mirror row uses."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.core.audit import audit_event
from lawdesk.core.audit_actions import AuditAction, action_label
from lawdesk.core.service import SERVICES
from lawdesk.matters.events import EVENTS


def test_every_matter_event_has_its_audit_action() -> None:
    missing = [code for code in EVENTS if f"matter.{code}" not in AuditAction.values]
    assert missing == []


def test_a_name_outside_the_vocabulary_is_refused(db: Any) -> None:
    with pytest.raises(ValueError, match="not a valid AuditAction"):
        audit_event(actor=None, action="matter.teleported")


def import_service_modules() -> None:
    """Every module that declares public services (they register themselves when imported)."""
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "lawdesk").rglob("*.py")):
        if "migrations" in path.parts or "@service(" not in path.read_text(encoding="utf-8"):
            continue
        importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))


def test_every_public_service_declares_a_member_or_names_its_row_by_its_first() -> None:
    import_service_modules()
    assert len(SERVICES) >= 60
    for name, action in SERVICES.items():
        assert action == "" or action in AuditAction.values, name


def test_the_audit_page_shows_words_not_codes() -> None:
    assert action_label("matter.accepted") == "承接"
    assert all(str(a.label) and not str(a.label).isascii() for a in AuditAction)
