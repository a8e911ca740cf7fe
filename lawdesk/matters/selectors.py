"""Scoped reads of matters: the actor's lists, the handler inbox, the one-trip tasks, the transfer picker."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.core import clock
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import access as matter_access
from lawdesk.matters.events import OPEN_STATES
from lawdesk.matters.models import Matter, MatterKind, MatterState, ServiceType

_RELATED = ("node", "visit", "visit__person", "institution", "owner", "handover_to")

# The stages a matter waits in, and the deadline that runs while it waits.
STAGE_DUE = {
    MatterState.TRANSFERRED: "accept_due",
    MatterState.ACCEPTED: "outcome_due",
    MatterState.OUTCOME_RECORDED: "feedback_due",
}
# A one-trip task is open until the matter has its answer or outcome.
ONE_TRIP_OPEN_STATES = frozenset({MatterState.RECEIVED, MatterState.TRANSFERRED, MatterState.ACCEPTED})


def current_due(matter: Matter) -> datetime.date | None:
    field = STAGE_DUE.get(MatterState(matter.state)) if matter.state in MatterState.values else None
    return getattr(matter, field) if field else None


def is_overdue(matter: Matter, today: datetime.date | None = None) -> bool:
    due = current_due(matter)
    return due is not None and due < (today or clock.today())


def _open_q() -> Q:
    return Q(state__in=list(OPEN_STATES))


def my_open_matters(*, actor: Any) -> QuerySet[Matter]:
    """The actor's own open matters, and those offered to them by a hand-over awaiting their answer."""
    return (
        matter_access.visible_matters(actor)
        .filter(_open_q() & (Q(owner=actor) | Q(handover_to=actor)))
        .select_related(*_RELATED)
        .order_by("-created_at", "-id")
    )


def handovers_for(*, actor: Any) -> QuerySet[Matter]:
    """Matters whose first responder offered them to the actor; they confirm or refuse."""
    return (
        matter_access.visible_matters(actor)
        .filter(handover_to=actor)
        .select_related(*_RELATED)
        .order_by("created_at")
    )


def matter_list(*, actor: Any, state: str = "", kind: str = "") -> QuerySet[Matter]:
    """Every matter the actor may see, filtered by state and kind: the actor's own open ones first (and those
    offered to them), then the rest, newest first."""
    matters = matter_access.visible_matters(actor)
    if state in MatterState.values:
        matters = matters.filter(state=state)
    if kind in MatterKind.values:
        matters = matters.filter(kind=kind)
    mine = _open_q() & (Q(owner=actor) | Q(handover_to=actor))
    return (
        matters.select_related(*_RELATED)
        .annotate(
            is_mine=Case(When(mine, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by("-is_mine", "-created_at", "-id")
    )


@dataclass(frozen=True)
class ListCounts:
    total: int  # the matters the list shows (after the filters)
    mine_open: int  # ``my_open_matters(actor).count()``
    offered: int  # ``handovers_for(actor).count()``


def matter_list_counts(*, actor: Any, state: str = "", kind: str = "") -> ListCounts:
    """The matters list's three counts in one query over the visible matters."""
    shown = Q()
    if state in MatterState.values:
        shown &= Q(state=state)
    if kind in MatterKind.values:
        shown &= Q(kind=kind)
    counts = matter_access.visible_matters(actor).aggregate(
        total=Count("id", filter=shown) if shown else Count("id"),
        mine_open=Count("id", filter=_open_q() & (Q(owner=actor) | Q(handover_to=actor))),
        offered=Count("id", filter=Q(handover_to=actor)),
    )
    return ListCounts(counts["total"], counts["mine_open"], counts["offered"])


# What a row of the matters list reads (``matter_list_rows``, templates/matters/matter_list.html) as plain values,
# and the annotation that groups the actor's own matters first: the encrypted personal numbers and the long texts
# are not read (decrypting them was most of a row's cost).
LIST_VALUES = (
    "id", "kind", "one_trip_mode", "summary", "state", "created_at", *STAGE_DUE.values(), "node__name",
    "visit__channel", "visit__said_name", "visit__by_reference", "visit__person__name", "institution__name",
    "owner__full_name", "owner__username", "handover_to_id", "handover_to__full_name", "handover_to__username",
    "is_mine",
)  # fmt: skip


def matter_list_rows(matters: QuerySet[Matter]) -> list[dict[str, Any]]:
    """The rows of one page of ``matter_list`` as plain values (``LIST_VALUES``), in its order: no matter, visit,
    person, platform, institution and users built per row (issue 21: building them was most of a row's cost)."""
    return list(matters.values(*LIST_VALUES))


def row_due(row: dict[str, Any]) -> datetime.date | None:
    """``current_due`` of a row of ``matter_list_rows``."""
    field = STAGE_DUE.get(MatterState(row["state"])) if row["state"] in MatterState.values else None
    return row[field] if field else None


def handler_inbox(*, actor: Any) -> dict[str, QuerySet[Matter]]:
    """Matters transferred to the actor's institution(s): awaiting acceptance (earliest deadline first), and
    accepted ones awaiting an outcome."""
    institutions = list(scoping.scope_for(actor).institution_ids)
    base = (
        Matter.objects.filter(institution__in=institutions)
        .filter(matter_access.matters_q(actor))  # never a complaint against the handler
        .select_related(*_RELATED, "handler")
    )
    return {
        "to_accept": base.filter(state=MatterState.TRANSFERRED).order_by(
            "accept_due", "transferred_at", "id"
        ),
        "to_finish": base.filter(state=MatterState.ACCEPTED).order_by("outcome_due", "accepted_at", "id"),
    }


def one_trip_tasks(*, actor: Any, include_done: bool = False) -> QuerySet[Matter]:
    """At-most-one-trip matters (proxy handling, home visit) in the actor's subtree, earliest due first — so the
    overdue ones lead."""
    tasks = matter_access.visible_matters(actor).exclude(one_trip_mode="")
    if not include_done:
        tasks = tasks.filter(state__in=list(ONE_TRIP_OPEN_STATES))
    return tasks.select_related(*_RELATED).order_by("one_trip_due", "created_at", "id")


# --- the transfer picker and the redirect prefill ------------------------------------------------------

SERVICE_TYPE_KINDS = {
    ServiceType.LAWYER: InstitutionKind.LAW_FIRM,
    ServiceType.NOTARY: InstitutionKind.NOTARY_OFFICE,
    ServiceType.FORENSIC: InstitutionKind.FORENSIC_OFFICE,
    ServiceType.GRASSROOTS_LEGAL: InstitutionKind.GRASSROOTS_LEGAL_OFFICE,
}
TRANSFER_KINDS = [(v, label) for v, label in InstitutionKind.choices if v != InstitutionKind.OTHER_DEPARTMENT]


def default_institution_kind(matter: Matter) -> str:
    """The kind of institution a matter usually goes to ("" when there is no obvious one)."""
    if matter.kind == MatterKind.DISPUTE:
        return InstitutionKind.MEDIATION_COMMITTEE
    if matter.kind == MatterKind.LEGAL_AID:
        return InstitutionKind.LEGAL_AID_CENTRE
    if matter.kind == MatterKind.SERVICE_TRANSFER:
        return SERVICE_TYPE_KINDS.get(ServiceType(matter.service_type), "") if matter.service_type else ""
    return ""


def institutions_serving(*, actor: Any, matter: Matter, kind: str = "") -> QuerySet[Institution]:
    """Active institutions the actor may see that serve the matter's node or a node above it."""
    served = Institution.served_nodes.through.objects.filter(
        orgnode__path__in=matter.node.ancestor_paths()
    ).values("institution_id")
    institutions = institution_access.visible_institutions(actor).filter(is_active=True, pk__in=served)
    if kind:
        institutions = institutions.filter(kind=kind)
    return institutions.order_by("kind", "name")


def transfer_targets(*, actor: Any, matter: Matter, kind: str = "") -> QuerySet[Institution]:
    return institutions_serving(actor=actor, matter=matter, kind=kind).exclude(
        kind=InstitutionKind.OTHER_DEPARTMENT
    )


def kind_transfer_targets(*, actor: Any, matter: Matter, kind: str = "") -> QuerySet[Institution]:
    """Where this kind of matter may be transferred, as its extension lists them (legal aid: the centres serving
    the platform; complaints: the departments, less any where the subject works); the common targets
    otherwise."""
    from lawdesk.matters import commands

    extension = commands.kind_extension(matter.kind)
    if extension.transfer_targets is not None:
        targets: QuerySet[Institution] = extension.transfer_targets(actor, matter, kind)
        return targets
    return transfer_targets(actor=actor, matter=matter, kind=kind)


def redirect_departments(*, actor: Any, matter: Matter) -> QuerySet[Institution]:
    return institutions_serving(actor=actor, matter=matter, kind=InstitutionKind.OTHER_DEPARTMENT)


def handover_colleagues(*, matter: Matter) -> QuerySet[User]:
    """People who work at the matter's platform (window clerks there, judicial office staff above it), besides
    its first responder: the ones a hand-over may go to."""
    # The platform's online intake account is nobody to hand over to (people_only).
    return (
        scoping.users_holding(*scoping.INTAKE_ROLES, at_or_above=matter.node, people_only=True)
        .exclude(pk=matter.owner_id)
        .order_by("full_name", "username")
    )
