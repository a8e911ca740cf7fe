"""Who may do what with the divisions and the timetable: read through ``lawdesk.accounts.scoping`` only."""

from __future__ import annotations

from typing import Any

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core.tree import NodeKind

# Who manages the divisions and sets the timetable's plan dates: the city's admins.
CITY_MANAGERS = frozenset({Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
# Who reads the city board of problems by division: the city's admins and the city bureau's leaders.
CITY_READERS = CITY_MANAGERS | {Role.LEADER}


def _held_at_city(actor: Any, roles: frozenset[str]) -> bool:
    return any(
        g.role in roles and g.node_kind == NodeKind.CITY_BUREAU for g in scoping.scope_for(actor).grants
    )


def manages_city(actor: Any) -> bool:
    return _held_at_city(actor, CITY_MANAGERS)


def reads_city_board(actor: Any) -> bool:
    return _held_at_city(actor, CITY_READERS)


def may_report_progress(actor: Any, district: Any) -> bool:
    """The district's own admins, or the city's (the city covers every district)."""
    return scoping.holds_at(actor, district, Role.DISTRICT_ADMIN, *CITY_MANAGERS)
