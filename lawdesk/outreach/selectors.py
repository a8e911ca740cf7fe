"""Who reaches which district's poverty-area work, quarters, and the compliance board.

District admins (and city/system admins above them) and judicial office staff of a district record; every other
role gets 404, as for a record out of reach. Office staff reach the district their office belongs to.

Publicity events (三(四), 九(四)) are recorded by any platform (its clerks), judicial office, district or the city
bureau, at the recorder's node; each sees the events of its subtree. The 谁执法谁普法 responsibility list is kept
by the district and city admins.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core.tree import ancestor_paths
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import PLATFORM_KINDS, NodeKind
from lawdesk.outreach.models import (
    OutreachPhoto,
    PoorVillage,
    PovertyService,
    PublicityDuty,
    PublicityEvent,
    ServiceTeam,
)
from lawdesk.workcal.workdays import WorkCalendar

MANAGE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
RECORD_ROLES = MANAGE_ROLES | {Role.OFFICE_STAFF}
PUBLICITY_ROLES = RECORD_ROLES | {Role.WINDOW_CLERK}
PUBLICITY_NODE_KINDS = frozenset(PLATFORM_KINDS) | {
    NodeKind.JUDICIAL_OFFICE,
    NodeKind.DISTRICT_BUREAU,
    NodeKind.CITY_BUREAU,
}
DUTY_NODE_KINDS = (NodeKind.CITY_BUREAU, NodeKind.DISTRICT_BUREAU)
NOT_FOUND = "没有找到该记录，或您无权查看。"


def districts_for(actor: Any) -> QuerySet[OrgNode]:
    """The district bureaus whose poverty-area work the actor records (empty for every other role)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return OrgNode.objects.none()
    q = Q(pk__in=[])
    for grant in scoping.scope_for(actor).grants_of(*MANAGE_ROLES, Role.OFFICE_STAFF):
        if grant.role in MANAGE_ROLES:
            q |= subtree_q(grant.path)
        else:  # the office's district: the node above it
            q |= Q(pk__in=OrgNode.objects.filter(pk=grant.node_id or 0).values("parent_id"))
    return OrgNode.objects.filter(q, kind=NodeKind.DISTRICT_BUREAU, is_active=True).order_by("path")


def can_record(actor: Any) -> bool:
    return districts_for(actor).exists()


def can_manage_district(actor: Any, district: OrgNode) -> bool:
    """Villages and teams are kept by the district admins (and those above)."""
    return scoping.has_role(actor, *MANAGE_ROLES) and scoping.can_manage_node(actor, district)


def require_districts(actor: Any) -> QuerySet[OrgNode]:
    """``districts_for``, read (its rows stay with the queryset: iterating, ``count()``, ``exists()`` and
    ``first()`` on it ask the database no more); 404 when there is none."""
    districts = districts_for(actor)
    if not districts:
        raise Http404(NOT_FOUND)
    return districts


def _district_filter(actor: Any, districts: QuerySet[OrgNode] | None) -> Q:
    """The actor's districts: ``districts`` when the page already read ``require_districts(actor)``, by id."""
    if districts is None:
        return Q(district__in=districts_for(actor))
    return Q(district_id__in=[d.pk for d in districts])


def villages_for(actor: Any, *, districts: QuerySet[OrgNode] | None = None) -> QuerySet[PoorVillage]:
    return PoorVillage.objects.filter(_district_filter(actor, districts)).select_related(
        "district", "office", "station"
    )


def teams_for(actor: Any, *, districts: QuerySet[OrgNode] | None = None) -> QuerySet[ServiceTeam]:
    return ServiceTeam.objects.filter(_district_filter(actor, districts)).select_related("district", "lead")


def services_for(actor: Any) -> QuerySet[PovertyService]:
    return PovertyService.objects.filter(village__district__in=districts_for(actor)).select_related(
        "village", "team", "village__district"
    )


# --- publicity events and the responsibility list ----------------------------------------------------------


def publicity_paths(actor: Any) -> tuple[str, ...]:
    return scoping.scope_for(actor).paths_of(*PUBLICITY_ROLES)


def can_publicize(actor: Any) -> bool:
    return bool(publicity_paths(actor))


def require_publicity(actor: Any) -> tuple[str, ...]:
    paths = publicity_paths(actor)
    if not paths:
        raise Http404(NOT_FOUND)
    return paths


def event_nodes_for(actor: Any) -> QuerySet[OrgNode]:
    """The nodes at which the actor records publicity events: platforms, offices and bureaus in its reach."""
    return OrgNode.objects.filter(
        scoping.paths_q(publicity_paths(actor)), kind__in=PUBLICITY_NODE_KINDS, is_active=True
    ).order_by("path")


def events_for(actor: Any) -> QuerySet[PublicityEvent]:
    return PublicityEvent.objects.filter(scoping.paths_q(publicity_paths(actor), "node__")).select_related(
        "node", "district", "duty"
    )


def duty_nodes_for(actor: Any) -> QuerySet[OrgNode]:
    """The city and district bureaus whose responsibility list the actor keeps."""
    return OrgNode.objects.filter(
        scoping.paths_q(scoping.scope_for(actor).paths_of(*MANAGE_ROLES)),
        kind__in=DUTY_NODE_KINDS,
        is_active=True,
    ).order_by("path")


def duties_for(actor: Any) -> QuerySet[PublicityDuty]:
    """The responsibility lists the actor keeps (district and city admins; 404 for the others)."""
    return PublicityDuty.objects.filter(node__in=duty_nodes_for(actor)).select_related("node")


def duties_usable_by(actor: Any) -> QuerySet[PublicityDuty]:
    """Active duties an event recorded in the actor's reach may name: those of the bureaus above or in it."""
    paths = publicity_paths(actor)
    above = {p for path in paths for p in ancestor_paths(path)} | set(paths)
    return (
        PublicityDuty.objects.filter(Q(node__path__in=above) | scoping.paths_q(paths, "node__"), active=True)
        .select_related("node")
        .order_by("node__path", "-year", "department")
    )


def get_duty_for(actor: Any, pk: Any) -> PublicityDuty:
    return _get(duties_for(actor), pk)


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def get_service_for(actor: Any, pk: Any) -> PovertyService:
    return _get(services_for(actor), pk)


def get_team_for(actor: Any, pk: Any) -> ServiceTeam:
    return _get(teams_for(actor), pk)


def get_photo_for(actor: Any, pk: Any) -> OutreachPhoto:
    districts = districts_for(actor)
    queryset = OutreachPhoto.objects.filter(
        Q(service__village__district__in=districts) | Q(event__in=events_for(actor))
    )
    return _get(queryset, pk)


# --- quarters ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        if self.number == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.number + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}季度"

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def in_last_month(self, day: datetime.date) -> bool:
        return self.contains(day) and day.month == 3 * self.number

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)


# --- the compliance board ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    village: PoorVillage
    services_in_quarter: int
    last_service: datetime.date | None

    @property
    def served(self) -> bool:
        return self.services_in_quarter > 0


@dataclass(frozen=True)
class Board:
    quarter: Quarter
    today: datetime.date
    rows: list[BoardRow]
    days_left: int | None  # calendar days from today to the quarter's end, both counted; None if not current
    working_days_left: int | None
    warning: str

    @property
    def unserved(self) -> list[BoardRow]:
        return [r for r in self.rows if not r.served]

    @property
    def served(self) -> list[BoardRow]:
        return [r for r in self.rows if r.served]


def days_left(
    quarter: Quarter, today: datetime.date, calendar: WorkCalendar | None = None
) -> tuple[int, int, str]:
    """Calendar and working days from ``today`` to the quarter's end (both counted), and the holiday warning."""
    calendar = calendar or WorkCalendar()
    before = today - datetime.timedelta(days=1)
    return (
        (quarter.end - today).days + 1,
        calendar.working_days_between(before, quarter.end),
        calendar.deadline_warning(today, quarter.end),
    )


def board(villages: QuerySet[PoorVillage], quarter: Quarter, today: datetime.date) -> Board:
    """Every active village of ``villages``: how many services it had in ``quarter`` and its last one."""
    rows_qs = (
        villages.filter(active=True)
        .annotate(last_service=Max("services__date", filter=Q(services__date__lte=quarter.end)))
        .order_by("district__path", "region_code")
    )
    counts: dict[int, int] = {}
    for village_id in PovertyService.objects.filter(
        village__in=rows_qs, date__gte=quarter.start, date__lte=quarter.end
    ).values_list("village_id", flat=True):
        counts[village_id] = counts.get(village_id, 0) + 1
    rows = [BoardRow(v, counts.get(v.pk, 0), v.last_service) for v in rows_qs]
    if quarter.contains(today):
        calendar_days, working_days, warning = days_left(quarter, today)
        return Board(quarter, today, rows, calendar_days, working_days, warning)
    return Board(quarter, today, rows, None, None, "")
