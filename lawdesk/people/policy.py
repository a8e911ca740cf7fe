"""The one personal-data policy: for an actor, the platform that received a person (a node) and a door, whether
ID numbers and phones are shown masked or in full, whether the actor may ask for a full value, and what the door
writes to the audit log (issue 9, issue 16).

The doors:

- ``page``: a screen. Masked for everyone; roles that may see personal data in full there
  (``scoping.can_see_personal_data``) get a reveal button, and each reveal writes ``personal_data.read``
  (``lawdesk.matters.personal_data``).
- ``search``: the window's person search. Masked for everyone, whatever was typed; picking a hit carries the
  person's id, never a number.
- ``api``: the REST API, for every role and every token. Masked; a full value only from the API's explicit reveal
  (the same audited service as the page's). Every response that carries personal data writes one
  ``personal_data.bulk_read`` row naming the rows it returned.
- ``export``: Excel and PDF. In full for the roles that may see it, masked otherwise; the audit middleware writes
  one ``export`` row naming what it held (``lawdesk.core.audit.mark_export``).

``disclose`` is the one place the rule is written; ``Policy`` asks it once per node for one actor and door.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from lawdesk.accounts import scoping
from lawdesk.core.audit import audit_event
from lawdesk.core.audit_actions import AuditAction
from lawdesk.people.identity import mask_id_number, mask_phone


class Door(enum.StrEnum):
    PAGE = "page"
    SEARCH = "search"
    API = "api"
    EXPORT = "export"


# What each door writes: a page and the search write nothing for a masked value (a reveal writes its own
# ``personal_data.read``); the API writes one bulk-read row per response; an export one ``export`` row.
DOOR_AUDIT: dict[Door, str] = {
    Door.PAGE: "",
    Door.SEARCH: "",
    Door.API: AuditAction.PERSONAL_DATA_BULK_READ.value,
    Door.EXPORT: AuditAction.EXPORT.value,
}


@dataclass(frozen=True)
class Disclosure:
    """How one door shows the personal data of people received at one node to one actor."""

    door: Door
    full: bool  # ID numbers and phones shown in full
    may_reveal: bool  # the actor may ask for a full value (page and API reveal, audited)
    audit: str  # the audit action this door writes for showing it ("" none)

    @property
    def masked(self) -> bool:
        return not self.full

    def phone(self, value: str | None) -> str:
        value = value or ""
        return value if self.full or not value else mask_phone(value)

    def id_number(self, value: str | None) -> str:
        value = value or ""
        return value if self.full or not value else mask_id_number(value)

    def address(self, value: str | None) -> str | None:
        """An address is not masked but shown only to those who may see personal data at the node."""
        return (value or "") if self.full or self.may_reveal else None


def disclose(actor: Any, node: Any, door: Door | str) -> Disclosure:
    """The rule, for every door: masked at the page, the search and the API for every role (a full value only
    through an audited reveal); in full in an export for the roles that may see personal data at ``node``."""
    door = Door(door)
    allowed = node is not None and scoping.can_see_personal_data(actor, node)
    if door is Door.EXPORT:
        return Disclosure(door=door, full=allowed, may_reveal=False, audit=DOOR_AUDIT[door])
    return Disclosure(door=door, full=False, may_reveal=allowed, audit=DOOR_AUDIT[door])


class Policy:
    """``disclose`` asked once per node for one actor at one door."""

    def __init__(self, actor: Any, door: Door | str) -> None:
        self.actor = actor
        self.door = Door(door)
        self._by_node: dict[int | None, Disclosure] = {}

    def at(self, node: Any) -> Disclosure:
        key = getattr(node, "pk", None)
        if key not in self._by_node:
            self._by_node[key] = disclose(self.actor, node, self.door)
        return self._by_node[key]


def record_bulk_read(
    *,
    actor: Any,
    request: Any,
    object_type: str,
    ids: list[Any],
    people: list[Any] | None = None,
    node: Any = None,
    data: dict[str, Any] | None = None,
) -> None:
    """The one ``personal_data.bulk_read`` row of a response that returned personal data (masked or not):
    which rows, how many, and the path (never the query string)."""
    ids = list(dict.fromkeys(ids))
    row: dict[str, Any] = {
        "path": getattr(request, "path", ""),
        "object_type": object_type,
        "ids": ids,
        "count": len(ids),
    }
    if people is not None:
        row["people"] = list(dict.fromkeys(people))
    row.update(data or {})
    audit_event(
        actor=actor,
        action=AuditAction.PERSONAL_DATA_BULK_READ.value,
        request=request,
        object_type=object_type,
        object_id=str(ids[0]) if len(ids) == 1 else "",
        object_repr=f"{len(ids)} 条记录",
        node=node,
        data=row,
    )
