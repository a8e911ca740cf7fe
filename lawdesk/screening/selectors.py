"""Reads of the screening records and the early warnings, each taking the actor (``lawdesk.accounts.scoping``).

- A mediation committee's handler sees their committee's rounds; the judicial office, district and city see the
  rounds of the offices in their reach.
- The warnings belong to a judicial office (or, for a signal across offices, the district): the office, district
  and city staff above see them; the records behind a signal are shown only as far as the viewer may see them
  (``lawdesk.matters.access``), so a signal never opens a record that its viewer could not open anyway.

A record out of reach answers 404, like one that does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.institutions.models import Institution, InstitutionKind, MediationScope
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Matter, Visit
from lawdesk.orgs.models import OrgNode, Village, subtree_q
from lawdesk.orgs.rules import NodeKind
from lawdesk.screening.models import ScreeningFinding, ScreeningRound, Signal

NOT_FOUND = "没有找到该记录，或您无权查看。"
# Roles that record a round on a committee's behalf, and that deal with warnings.
OFFICE_ROLES = (Role.OFFICE_STAFF,)
WARNING_ROLES = (Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# --- committees --------------------------------------------------------------------------------------------


def _committees() -> QuerySet[Institution]:
    return Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE, is_active=True
    ).select_related("home_node")


def can_record_for(actor: Any, committee: Institution) -> bool:
    """The committee's own handlers, and the judicial office staff over its home node."""
    if committee.kind != InstitutionKind.MEDIATION_COMMITTEE or not committee.is_active:
        return False
    return scoping.is_handler_of(actor, committee.pk) or scoping.holds_at(
        actor, committee.home_node, *OFFICE_ROLES
    )


def recording_committees(actor: Any) -> list[Institution]:
    """The committees whose rounds the actor may record."""
    scope = scoping.scope_for(actor)
    q = Q(pk__in=list(scope.institution_ids))
    q |= scoping.paths_q(scope.paths_of(*OFFICE_ROLES), "home_node__")
    return list(_committees().filter(q).order_by("name"))


def visible_committees(actor: Any) -> QuerySet[Institution]:
    """Committees whose screening the actor sees: their own, and those registered in their reach."""
    scope = scoping.scope_for(actor)
    q = Q(pk__in=list(scope.institution_ids)) | scoping.nodes_q(actor, "home_node__")
    return _committees().filter(q)


def committee_villages(committee: Institution) -> QuerySet[Village]:
    """The villages and communities a committee screens: those of the offices in its home node's subtree or in
    the subtree of a node it serves."""
    q = subtree_q(committee.home_node.path, "office__")
    for node in committee.served_nodes.all():
        q |= subtree_q(node.path, "office__")
    return (
        Village.objects.filter(q, is_active=True).select_related("office", "station").order_by("region_code")
    )


def round_node(committee: Institution, village: Village | None) -> OrgNode:
    """The judicial office a round is counted at: the village's, else the committee's home node."""
    return village.office if village is not None else committee.home_node


# --- rounds ------------------------------------------------------------------------------------------------


def rounds_for(actor: Any) -> QuerySet[ScreeningRound]:
    scope = scoping.scope_for(actor)
    q = scoping.nodes_q(actor, "node__") | Q(committee__in=list(scope.institution_ids))
    return ScreeningRound.objects.filter(q).select_related("committee", "village", "node", "screened_by")


def get_round_for(actor: Any, pk: Any) -> ScreeningRound:
    try:
        return rounds_for(actor).prefetch_related("findings", "findings__matter").get(pk=int(pk))
    except (ScreeningRound.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(NOT_FOUND) from exc


def findings_for(actor: Any) -> QuerySet[ScreeningFinding]:
    return ScreeningFinding.objects.filter(round__in=rounds_for(actor)).select_related("round", "matter")


def get_finding_for(actor: Any, pk: Any) -> ScreeningFinding:
    try:
        return (
            findings_for(actor)
            .select_related("round__committee", "round__village", "round__node")
            .get(pk=int(pk))
        )
    except (ScreeningFinding.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(NOT_FOUND) from exc


def intake_node(finding: ScreeningFinding) -> OrgNode | None:
    """The platform a finding is registered at when it becomes a matter: its village's station, else the town
    station of the round's judicial office."""
    village = finding.round.village
    if village is not None and village.station is not None and village.station.is_active:
        return village.station
    office = finding.round.node
    return (
        OrgNode.objects.filter(parent=office, kind=NodeKind.TOWN_STATION, is_active=True)
        .order_by("path")
        .first()
    )


def can_register(actor: Any, finding: ScreeningFinding) -> bool:
    node = intake_node(finding)
    return finding.awaiting_matter and node is not None and scoping.can_receive_at(actor, node)


@dataclass
class BoardRow:
    committee: Institution
    rounds: int
    findings: int
    last: datetime.date | None

    @property
    def screened(self) -> bool:
        return self.rounds > 0


def board(actor: Any, period: datetime.date) -> list[BoardRow]:
    """The place committees in the actor's sight with their rounds in the month ``period``: those that have not
    screened come first."""
    committees = list(visible_committees(actor).filter(mediation_scope=MediationScope.PLACE))
    rounds = ScreeningRound.objects.filter(
        committee__in=committees, period=month_start(period)
    ).prefetch_related("findings")
    by_committee: dict[int, list[ScreeningRound]] = {}
    for item in rounds:
        by_committee.setdefault(item.committee_id, []).append(item)
    rows = []
    for committee in committees:
        mine = by_committee.get(committee.pk, [])
        rows.append(
            BoardRow(
                committee=committee,
                rounds=len(mine),
                findings=sum(r.disputes_found for r in mine),
                last=max((r.date for r in mine), default=None),
            )
        )
    rows.sort(key=lambda r: (r.screened, r.committee.home_node.path, r.committee.name))
    return rows


# --- warnings ----------------------------------------------------------------------------------------------


def sees_warnings(actor: Any) -> bool:
    return scoping.has_role(actor, *WARNING_ROLES)


def signals_for(actor: Any) -> QuerySet[Signal]:
    """The signals of the offices and districts in the actor's reach (for the roles that deal with warnings)."""
    paths = scoping.scope_for(actor).paths_of(*WARNING_ROLES)
    return Signal.objects.filter(scoping.paths_q(paths, "node__")).select_related("node", "handled_by")


def get_signal_for(actor: Any, pk: Any) -> Signal:
    try:
        return signals_for(actor).get(pk=int(pk))
    except (Signal.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(NOT_FOUND) from exc


def can_handle(actor: Any, signal: Signal) -> bool:
    return scoping.holds_at(actor, signal.node, *WARNING_ROLES)


@dataclass
class SignalRecords:
    matters: list[Matter]
    visits: list[Visit]
    hidden: int  # records behind the signal that the viewer may not open


def signal_records(actor: Any, signal: Signal) -> SignalRecords:
    matters = list(
        matter_access.visible_matters(actor)
        .filter(pk__in=signal.matter_ids)
        .select_related("node", "visit", "institution")
        .order_by("created_at", "pk")
    )
    visits = list(
        matter_access.visible_visits(actor)
        .filter(pk__in=signal.visit_ids)
        .select_related("node")
        .order_by("received_at", "pk")
    )
    hidden = len(set(signal.matter_ids)) + len(set(signal.visit_ids)) - len(matters) - len(visits)
    return SignalRecords(matters=matters, visits=visits, hidden=max(hidden, 0))


def sees_screening(actor: Any) -> bool:
    """The screening page opens for the mediation committees' handlers and the roles above the offices."""
    scope = scoping.scope_for(actor)
    if scope.view_paths:
        return True
    return visible_committees(actor).exists()
