"""Who may see a complainant's identity, and who is the subject of a complaint.

The identity (name and contact, even of a named complainant) is shown only to the roles that handle complaints:
judicial office staff, district and city admins and system admins whose node covers the platform that received
it, and the clerk who recorded it (or the first responder it was handed over to). Everyone else — leaders,
auditors, other clerks, the department's handlers — reads ``HIDDEN``. The subject of a complaint never sees it at
all (``matter_access.matters_q`` leaves it out), and never sees the identity even through a role that otherwise could.
"""

from __future__ import annotations

from typing import Any

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.matters.models import Matter, MatterKind

HIDDEN = "（身份保密）"
ANONYMOUS = "匿名"
COMPLAINT_ROLES = frozenset({Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})


def detail_of(matter: Matter) -> Any:
    """The complaint detail of a complaint matter, or None."""
    if matter.kind != MatterKind.COMPLAINT:
        return None
    from lawdesk.complaints.models import ComplaintDetail

    try:
        return getattr(matter, "complaint")  # noqa: B009 — the reverse one-to-one mypy does not know
    except ComplaintDetail.DoesNotExist:
        return None


def is_subject(actor: Any, matter: Matter) -> bool:
    detail = detail_of(matter)
    return detail is not None and actor.pk is not None and detail.subject_user_id == actor.pk


def register_node(node: Any, subject: Any) -> Any:
    """Where a complaint received at ``node`` is registered: the receiving platform, or — when the worker it is
    about can see that platform (works there, or at an office or bureau above it) — the nearest node above it
    that the worker cannot see: a complaint about a station's clerk is registered at the judicial office, one
    about the office's staff at the district bureau. There it is counted in the monthly report, drilled down
    to and numbered in ledger 6, so no figure, drill-down or ledger number of the subject's own reach betrays
    it (issue 16). A worker who sees the whole tree leaves it at the top."""
    if subject is None:
        return node
    current = node
    while current.parent_id is not None and scoping.can_see_node(subject, current):
        current = current.parent
    return current


def can_see_complainant(actor: Any, matter: Matter) -> bool:
    """Whether ``actor`` sees who complained (name and contact) on screen, in ledger 6, Excel and PDF."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if matter.kind != MatterKind.COMPLAINT:
        return False
    detail = detail_of(matter)
    if detail is not None and detail.subject_user_id == actor.pk:
        return False
    recorder = detail.recorded_by_id if detail is not None else matter.visit.received_by_id
    if actor.pk in (recorder, matter.owner_id):
        return True
    return scoping.holds_at(actor, matter.node, *COMPLAINT_ROLES)
