"""Who reaches which advisers' work, and the board of villages by contract state.

Judicial office staff, district and city admins and district leaders see the villages, contracts, service records
and WeChat groups of the offices in their subtree (``village__office`` / ``office`` paths). A legal adviser
(``Role.LEGAL_ADVISER``, a narrow role) sees only their own contracts and records. Everyone else gets 404, as for
a record out of reach. Checking records, keeping contracts and the WeChat group: office staff and the admins above.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.advisers.models import (
    EXPIRY_WARNING_DAYS,
    AdviserContract,
    ContractState,
    RecordStatus,
    ServiceKind,
    ServicePhoto,
    ServiceRecord,
    TownGroup,
    TownGroupMember,
)
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.rules import NodeKind

OVERSEE_ROLES = frozenset(
    {Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN, Role.LEADER}
)
CHECK_ROLES = frozenset({Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
NOT_FOUND = "没有找到该记录，或您无权查看。"


def _active(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def oversee_paths(actor: Any) -> tuple[str, ...]:
    return scoping.scope_for(actor).paths_of(*OVERSEE_ROLES)


def can_oversee(actor: Any) -> bool:
    return bool(oversee_paths(actor))


def is_adviser(actor: Any) -> bool:
    return bool(scoping.scope_for(actor).paths_of(Role.LEGAL_ADVISER))


def can_check_at(actor: Any, office: OrgNode) -> bool:
    """Office staff of the village's office, or an admin above it, check records and keep contracts/groups."""
    return scoping.holds_at(actor, office, *CHECK_ROLES)


def require_oversee(actor: Any) -> tuple[str, ...]:
    paths = oversee_paths(actor)
    if not paths:
        raise Http404(NOT_FOUND)
    return paths


def require_adviser(actor: Any) -> None:
    if not is_adviser(actor):
        raise Http404(NOT_FOUND)


def offices_for(actor: Any) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(
        scoping.paths_q(oversee_paths(actor)), kind=NodeKind.JUDICIAL_OFFICE, is_active=True
    ).order_by("path")


def check_offices_for(actor: Any) -> QuerySet[OrgNode]:
    paths = scoping.scope_for(actor).paths_of(*CHECK_ROLES)
    return OrgNode.objects.filter(
        scoping.paths_q(paths), kind=NodeKind.JUDICIAL_OFFICE, is_active=True
    ).order_by("path")


def villages_for(actor: Any) -> QuerySet[Village]:
    """The active villages of the offices the actor oversees."""
    return Village.objects.filter(
        scoping.paths_q(oversee_paths(actor), "office__"), is_active=True
    ).select_related("office", "office__parent", "station")


def _own_q(actor: Any, prefix: str = "") -> Q:
    """An adviser's own rows, while they still hold the adviser role at the village's office."""
    paths = scoping.scope_for(actor).paths_of(Role.LEGAL_ADVISER)
    if not paths or not _active(actor):
        return Q(pk__in=[])
    return Q(**{f"{prefix}adviser": actor}) & scoping.paths_q(paths, f"{prefix}village__office__")


def contracts_for(actor: Any) -> QuerySet[AdviserContract]:
    q = scoping.paths_q(oversee_paths(actor), "village__office__") | _own_q(actor)
    return AdviserContract.objects.filter(q).select_related(
        "village", "village__office", "adviser", "institution"
    )


def own_contracts(actor: Any) -> QuerySet[AdviserContract]:
    return AdviserContract.objects.filter(_own_q(actor)).select_related(
        "village", "village__office", "institution"
    )


def own_active_contracts(actor: Any, day: datetime.date) -> QuerySet[AdviserContract]:
    return own_contracts(actor).filter(start__lte=day, end__gte=day)


def records_for(actor: Any) -> QuerySet[ServiceRecord]:
    q = scoping.paths_q(oversee_paths(actor), "village__office__") | _own_q(actor)
    return ServiceRecord.objects.filter(q).select_related(
        "village", "village__office", "adviser", "contract", "contract__institution", "checked_by"
    )


def own_records(actor: Any) -> QuerySet[ServiceRecord]:
    return records_for(actor).filter(_own_q(actor))


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def get_record_for(actor: Any, pk: Any) -> ServiceRecord:
    return _get(records_for(actor), pk)


def get_photo_for(actor: Any, pk: Any) -> ServicePhoto:
    return _get(ServicePhoto.objects.filter(record__in=records_for(actor)), pk)


def groups_for(actor: Any) -> QuerySet[TownGroup]:
    return TownGroup.objects.filter(scoping.paths_q(oversee_paths(actor), "office__")).select_related(
        "office", "office__parent"
    )


def get_group_for(actor: Any, pk: Any) -> TownGroup:
    return _get(groups_for(actor), pk)


def get_member_for(actor: Any, pk: Any) -> TownGroupMember:
    return _get(TownGroupMember.objects.filter(group__in=groups_for(actor)).select_related("group"), pk)


def office_has_group(office: OrgNode) -> bool:
    """Whether the judicial office leads its town's WeChat group (read by the assessment and the board)."""
    return TownGroup.objects.filter(office=office).exists()


def offices_with_group(offices: Any) -> set[int]:
    return set(TownGroup.objects.filter(office__in=offices).values_list("office_id", flat=True))


# --- the board ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    village: Village
    contract: AdviserContract | None  # the one active today, else the latest ended one
    state: str

    @property
    def state_label(self) -> str:
        return str(ContractState(self.state).label)


@dataclass
class BoardTotals:
    name: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def villages(self) -> int:
        return sum(self.counts.values())

    def of(self, state: str) -> int:
        return self.counts.get(state, 0)


@dataclass(frozen=True)
class Board:
    today: datetime.date
    rows: list[BoardRow]
    offices: list[BoardTotals]
    districts: list[BoardTotals]

    @property
    def needing_action(self) -> list[BoardRow]:
        return [r for r in self.rows if r.state != ContractState.ACTIVE]


def state_of(contract: AdviserContract | None, today: datetime.date) -> str:
    if contract is None:
        return ContractState.NONE
    if contract.end < today:
        return ContractState.EXPIRED
    if contract.start > today:
        return ContractState.NONE  # signed but not begun: no adviser today
    if (contract.end - today).days <= EXPIRY_WARNING_DAYS:
        return ContractState.EXPIRING
    return ContractState.ACTIVE


def board(villages: QuerySet[Village], today: datetime.date) -> Board:
    """Every village of ``villages`` with its adviser and contract state; counts per office and district."""
    # the few columns the board shows and counts by, not every field of the village, its station, office and
    # district (issue 21)
    village_list = list(
        villages.select_related(None)
        .select_related("office__parent")
        .only("name", "region_code", "office__name", "office__parent__name")
        .order_by("office__path", "region_code")
    )
    current: dict[int, AdviserContract] = {}
    contracts = AdviserContract.objects.filter(village__in=village_list, start__lte=today).select_related(
        "adviser", "institution"
    )
    for contract in contracts.order_by("end", "id"):  # the latest end wins
        current[contract.village_id] = contract
    rows = [BoardRow(v, current.get(v.pk), state_of(current.get(v.pk), today)) for v in village_list]
    offices: dict[int, BoardTotals] = {}
    districts: dict[int, BoardTotals] = {}
    for row in rows:
        office = row.village.office
        offices.setdefault(office.pk, BoardTotals(office.name)).counts[row.state] += 1
        district = office.parent
        if district is not None:
            districts.setdefault(district.pk, BoardTotals(district.name)).counts[row.state] += 1
    return Board(today, rows, list(offices.values()), list(districts.values()))


# --- month figures ------------------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    count: int
    hours: Decimal
    people: int


def month_figures(records: QuerySet[ServiceRecord], by: str) -> list[FigureRow]:
    """Counts, hours and people per adviser (``by="adviser"``) or per village (``by="village"``), returned
    records left out (a returned record is not a service until it is corrected)."""
    counted = records.exclude(status=RecordStatus.RETURNED)
    if by == "adviser":
        keys, label = ("adviser_id", "adviser__full_name"), "adviser__full_name"
    else:
        keys, label = ("village_id", "village__name"), "village__name"
    rows = (
        counted.values(*keys).annotate(n=Count("id"), h=Sum("hours"), p=Sum("people_served")).order_by(label)
    )
    return [
        FigureRow(str(r[keys[0]]), r[label] or "", r["n"], r["h"] or Decimal(0), r["p"] or 0) for r in rows
    ]


def kinds_of(records: QuerySet[ServiceRecord]) -> list[tuple[str, int]]:
    counted = dict(
        records.exclude(status=RecordStatus.RETURNED).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return [(str(label), counted.get(value, 0)) for value, label in ServiceKind.choices]
