"""Who reaches the coverage register and the lightbox points, and how each village is served.

How a village is served is defined once, here (``annotate_coverage`` and ``SERVED_BY``): by a station (its village
station, active), by a lightbox point in use (在用), by a legal adviser whose contract is in force on the day, or by
nothing. The board's counts, its drill-down lists and the Excel export all filter with these same definitions.

Reach: judicial office staff, district and city admins, district leaders and system admins see the villages of the
offices in their subtree (as for the advisers); the lightbox points are kept by the office's staff and the
district admins above; a district's village list is imported by its district admin (or a city/system admin).
Anything out of reach is 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.advisers.models import AdviserContract
from lawdesk.coverage.models import LightboxPoint, LightboxState
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.rules import NodeKind

VIEW_ROLES = frozenset(
    {Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN, Role.LEADER}
)
MANAGE_ROLES = frozenset({Role.OFFICE_STAFF, Role.DISTRICT_ADMIN})
IMPORT_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
NOT_FOUND = "没有找到该记录，或您无权查看。"


# --- reach ---------------------------------------------------------------------------------------------------


def view_paths(actor: Any) -> tuple[str, ...]:
    return scoping.scope_for(actor).paths_of(*VIEW_ROLES)


def require_view(actor: Any) -> tuple[str, ...]:
    paths = view_paths(actor)
    if not paths:
        raise Http404(NOT_FOUND)
    return paths


def can_manage_at(actor: Any, office: OrgNode) -> bool:
    """The office's own staff, or a district admin above it, keep its lightbox points."""
    return scoping.holds_at(actor, office, *MANAGE_ROLES)


def manage_offices(actor: Any) -> QuerySet[OrgNode]:
    paths = scoping.scope_for(actor).paths_of(*MANAGE_ROLES)
    return OrgNode.objects.filter(
        scoping.paths_q(paths), kind=NodeKind.JUDICIAL_OFFICE, is_active=True
    ).order_by("path")


def can_import_at(actor: Any, district: OrgNode) -> bool:
    return district.kind == NodeKind.DISTRICT_BUREAU and scoping.holds_at(actor, district, *IMPORT_ROLES)


def import_districts(actor: Any) -> list[OrgNode]:
    """The districts whose village list the actor imports: none (and no query) without an import role; else the
    active districts in the subtrees where one is held (issue 21: not every district of the city read)."""
    paths = scoping.scope_for(actor).paths_of(*IMPORT_ROLES)
    if not paths:
        return []
    districts = OrgNode.objects.filter(
        scoping.paths_q(paths), kind=NodeKind.DISTRICT_BUREAU, is_active=True
    ).order_by("path")
    return [d for d in districts if can_import_at(actor, d)]


def villages_for(actor: Any) -> QuerySet[Village]:
    """The active villages of the judicial offices the actor oversees."""
    return Village.objects.filter(
        scoping.paths_q(view_paths(actor), "office__"), is_active=True
    ).select_related("office", "office__parent", "station")


def districts_for(actor: Any) -> QuerySet[OrgNode]:
    """The districts whose villages (some or all) the actor sees."""
    ids = villages_for(actor).values("office__parent_id")
    return OrgNode.objects.filter(pk__in=ids, kind=NodeKind.DISTRICT_BUREAU).order_by("path")


def lightboxes_for(actor: Any) -> QuerySet[LightboxPoint]:
    return LightboxPoint.objects.filter(
        scoping.paths_q(view_paths(actor), "village__office__")
    ).select_related("village", "village__office", "village__office__parent", "platform")


def get_lightbox_for(actor: Any, pk: Any) -> LightboxPoint:
    try:
        return lightboxes_for(actor).get(pk=int(pk))
    except (ValueError, TypeError, LightboxPoint.DoesNotExist) as exc:
        raise Http404(NOT_FOUND) from exc


def serving_platform(office: OrgNode) -> OrgNode | None:
    """The platform a lightbox of the office's villages points to by default: the office's town station."""
    return (
        OrgNode.objects.filter(parent=office, kind=NodeKind.TOWN_STATION, is_active=True)
        .order_by("path")
        .first()
    )


def platform_choices(office: OrgNode) -> QuerySet[OrgNode]:
    """The platforms a lightbox of the office's villages may point to: the active platforms of its district."""
    district = office.parent or office
    return OrgNode.objects.platforms().filter(path__startswith=district.path, is_active=True).order_by("path")


def platforms_for_offices(offices: QuerySet[OrgNode]) -> QuerySet[OrgNode]:
    """The platforms the lightboxes of these offices' villages may point to (the offices' paths read as rows)."""
    districts = {parent or path for path, parent in offices.values_list("path", "parent__path")}
    q = Q(pk__in=[])
    for path in districts:
        q |= Q(path__startswith=path)
    return OrgNode.objects.platforms().filter(q, is_active=True).order_by("path")


# --- how a village is served: the one definition --------------------------------------------------------------


def annotate_coverage(villages: QuerySet[Village], day: datetime.date) -> QuerySet[Village]:
    """``has_station``, ``has_lightbox``, ``has_adviser`` on each village, as of ``day``."""
    return villages.annotate(
        has_station=Exists(OrgNode.objects.filter(pk=OuterRef("station_id"), is_active=True)),
        has_lightbox=Exists(LightboxPoint.objects.filter(village=OuterRef("pk"), state=LightboxState.IN_USE)),
        has_adviser=Exists(
            AdviserContract.objects.filter(village=OuterRef("pk"), start__lte=day, end__gte=day)
        ),
    )


NOTHING_Q = Q(has_station=False, has_lightbox=False, has_adviser=False)
# key -> (label, filter over annotated villages); "all" is every village
SERVED_BY: dict[str, tuple[str, Q]] = {
    "all": ("村(社区)总数", Q()),
    "station": ("有服务站", Q(has_station=True)),
    "lightbox": ("有灯箱点", Q(has_lightbox=True)),
    "adviser": ("有法律顾问", Q(has_adviser=True)),
    "none": ("无任何服务", NOTHING_Q),
}
SERVED_KEYS = tuple(SERVED_BY)


def served_by(village: Any) -> str:
    """The first way an annotated village is served, in the order station, lightbox, adviser; or "none"."""
    for key in ("station", "lightbox", "adviser"):
        if getattr(village, f"has_{key}"):
            return key
    return "none"


def served_label(village: Any) -> str:
    labels = {"station": "服务站", "lightbox": "灯箱点", "adviser": "法律顾问"}
    found = [labels[k] for k in ("station", "lightbox", "adviser") if getattr(village, f"has_{k}")]
    return "、".join(found) if found else "无"


def served_villages(villages: QuerySet[Village], day: datetime.date, key: str) -> QuerySet[Village]:
    """The villages behind one figure of the board."""
    if key not in SERVED_BY:
        raise Http404("没有这一项。")
    return annotate_coverage(villages, day).filter(SERVED_BY[key][1]).order_by("office__path", "region_code")


@dataclass
class CoverageRow:
    node: OrgNode | None  # the district (None: the total)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def villages(self) -> int:
        return self.counts.get("all", 0)

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(key, self.counts.get(key, 0)) for key in SERVED_BY]

    @property
    def served(self) -> int:
        return self.villages - self.counts.get("none", 0)

    @property
    def percent(self) -> str:
        if not self.villages:
            return "—"
        return f"{self.served * 100 / self.villages:.1f}%"


def coverage_counts(villages: QuerySet[Village], day: datetime.date, by: str) -> dict[Any, dict[str, int]]:
    """Per value of ``by`` (e.g. ``office__parent_id``): the count of each ``SERVED_BY`` figure."""
    aggregates = {key: Count("pk", filter=q) for key, (_label, q) in SERVED_BY.items()}
    rows = annotate_coverage(villages, day).order_by().values(by).annotate(**aggregates)
    return {row[by]: {key: row[key] for key in SERVED_BY} for row in rows}


def board(villages: QuerySet[Village], districts: Iterable[OrgNode], day: datetime.date) -> list[CoverageRow]:
    """One row per district, then the total (``node=None``)."""
    counts = coverage_counts(villages, day, "office__parent_id")
    rows = [CoverageRow(node=d, counts=counts.get(d.pk, {k: 0 for k in SERVED_BY})) for d in districts]
    total = CoverageRow(node=None, counts={k: sum(r.counts[k] for r in rows) for k in SERVED_BY})
    return [*rows, total]
