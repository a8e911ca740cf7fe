"""Reads for the public pages (no login): only what a platform or an institution shows the public — names, address,
hours, phones, services, position. Never people, visits or matters, so these take no actor: everyone sees the
same active platforms and institutions."""

from __future__ import annotations

import functools
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.http import Http404

from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.orgs import rules
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.public import guides

GEOJSON = Path(__file__).resolve().parent.parent / "static" / "vendor" / "xian-map" / "xian.geojson"
# How far (degrees) an approximate point may lie from its district's centre, so points do not overlap.
APPROXIMATE_SPREAD = 0.02
PLATFORM_KIND_ORDER = [
    NodeKind.SERVICE_CENTRE,
    NodeKind.SPECIAL_CENTRE,
    NodeKind.TOWN_STATION,
    NodeKind.VILLAGE_STATION,
]


@functools.cache
def district_centres() -> dict[str, tuple[float, float]]:
    """District name → the centre point (``cp``) the vendored boundaries give, e.g. 雁塔区 → (108.94, 34.21)."""
    with GEOJSON.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {f["properties"]["name"]: tuple(f["properties"]["cp"]) for f in data["features"]}


@functools.cache
def district_bounds() -> dict[str, tuple[float, float, float, float]]:
    """District name → its boundary's box (west, south, east, north), so the map can zoom to one district."""
    with GEOJSON.open(encoding="utf-8") as handle:
        data = json.load(handle)
    bounds = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        points = [point for polygon in polygons for ring in polygon for point in ring]
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        bounds[feature["properties"]["name"]] = (min(lons), min(lats), max(lons), max(lats))
    return bounds


def district_label(bureau: OrgNode) -> str:
    """雁塔区司法局 → 雁塔区."""
    return bureau.name.removesuffix("司法局")


@dataclass(frozen=True)
class Position:
    longitude: float
    latitude: float
    approximate: bool


@dataclass
class PublicPlatform:
    node: OrgNode
    district: str
    services: list[str]
    position: Position | None

    @property
    def service_labels(self) -> list[str]:
        return [guides.service_label(s) for s in self.services]


@dataclass
class PublicInstitution:
    institution: Institution
    district: str
    services: list[str]

    @property
    def service_labels(self) -> list[str]:
        return [guides.service_label(s) for s in self.services]


def _districts_by_path() -> dict[str, str]:
    return {
        b.path: district_label(b)
        for b in OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True).only("path", "name")
    }


def _district_of(node: OrgNode, districts: dict[str, str]) -> str:
    for path in node.ancestor_paths():
        if path in districts:
            return districts[path]
    return ""


def districts() -> list[str]:
    """The district filter: active district bureaus, in the tree's order."""
    return list(_districts_by_path().values())


def position_of(node: OrgNode, district: str) -> Position | None:
    """The node's own coordinates; without them, its district's centre plus a small offset derived from its
    region code or name (the same every time), marked approximate; outside every district, none."""
    if node.longitude is not None and node.latitude is not None:
        return Position(float(node.longitude), float(node.latitude), approximate=False)
    centre = district_centres().get(district)
    if centre is None:
        return None
    seed = zlib.crc32((node.region_code + node.name).encode("utf-8"))
    dx = ((seed % 1001) / 1000 * 2 - 1) * APPROXIMATE_SPREAD
    dy = (((seed // 1001) % 1001) / 1000 * 2 - 1) * APPROXIMATE_SPREAD
    return Position(round(centre[0] + dx, 6), round(centre[1] + dy, 6), approximate=True)


def _serving_kinds(nodes: list[OrgNode]) -> dict[str, set[str]]:
    """Path → the kinds of active institutions serving that node."""
    through = Institution.served_nodes.through
    rows = through.objects.filter(institution__is_active=True).values_list(
        "orgnode__path", "institution__kind"
    )
    kinds: dict[str, set[str]] = {}
    for path, kind in rows:
        kinds.setdefault(path, set()).add(kind)
    return kinds


def _platform_query() -> Any:
    return OrgNode.objects.platforms().filter(is_active=True)


def public_platforms(
    *, district: str = "", kind: str = "", service: str = "", query: str = ""
) -> list[PublicPlatform]:
    """Active platforms with their district, services (their own and their serving institutions') and position,
    filtered by district name, node kind, service and a word of the name or address."""
    nodes = _platform_query()
    if kind:
        nodes = nodes.filter(kind=kind)
    query = query.strip()
    if query:
        nodes = nodes.filter(Q(name__contains=query) | Q(address__contains=query))
    node_list = list(nodes.order_by("path"))
    by_path = _districts_by_path()
    serving = _serving_kinds(node_list)
    result = []
    for node in node_list:
        name = _district_of(node, by_path)
        if district and name != district:
            continue
        kinds: set[str] = set()
        for path in node.ancestor_paths():
            kinds |= serving.get(path, set())
        services = guides.platform_services(kinds, takes_appointments=bool(node.appointment_phone))
        if service and service not in services:
            continue
        result.append(PublicPlatform(node, name, services, position_of(node, name)))
    order: dict[str, int] = {str(k): i for i, k in enumerate(PLATFORM_KIND_ORDER)}
    result.sort(key=lambda p: (order.get(p.node.kind, 9), p.node.path))
    return result


def public_institutions(
    *, district: str = "", kind: str = "", service: str = "", query: str = ""
) -> list[PublicInstitution]:
    institutions = Institution.objects.filter(is_active=True).select_related("home_node")
    if kind:
        institutions = institutions.filter(kind=kind)
    query = query.strip()
    if query:
        institutions = institutions.filter(
            Q(name__contains=query) | Q(address__contains=query) | Q(business_scope__contains=query)
        )
    by_path = _districts_by_path()
    result = []
    for institution in institutions.order_by("kind", "name"):
        name = _district_of(institution.home_node, by_path)
        if district and name != district:
            continue
        services = guides.institution_services(institution.kind)
        if service and service not in services:
            continue
        result.append(PublicInstitution(institution, name, services))
    return result


def get_public_platform(pk: Any) -> PublicPlatform:
    """An active platform, or 404 for anything else (a bureau, an office, an inactive node, a missing one)."""
    try:
        node = _platform_query().get(pk=int(pk))
    except (OrgNode.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该服务网点。") from exc
    by_path = _districts_by_path()
    district = _district_of(node, by_path)
    serving = _serving_kinds([node])
    kinds: set[str] = set()
    for path in node.ancestor_paths():
        kinds |= serving.get(path, set())
    return PublicPlatform(
        node,
        district,
        guides.platform_services(kinds, takes_appointments=bool(node.appointment_phone)),
        position_of(node, district),
    )


def platform_institutions(node: OrgNode) -> list[Institution]:
    """Active institutions serving the platform or a node above it, or registered under its judicial office:
    where the platform sends people (五(四)7)."""
    served = Institution.served_nodes.through.objects.filter(orgnode__path__in=node.ancestor_paths()).values(
        "institution_id"
    )
    return list(
        Institution.objects.filter(is_active=True, pk__in=served)
        .exclude(kind=InstitutionKind.OTHER_DEPARTMENT)
        .order_by("kind", "name")
    )


def get_public_institution(pk: Any) -> PublicInstitution:
    try:
        institution = Institution.objects.select_related("home_node").get(pk=int(pk), is_active=True)
    except (Institution.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该机构。") from exc
    district = _district_of(institution.home_node, _districts_by_path())
    return PublicInstitution(institution, district, guides.institution_services(institution.kind))


def map_points(platforms: list[PublicPlatform], url_for: Any) -> list[dict[str, Any]]:
    """The map's points: one per platform with a position."""
    points = []
    for p in platforms:
        if p.position is None:
            continue
        points.append(
            {
                "id": p.node.pk,
                "name": p.node.name,
                "kind": rules.kind_label(p.node.kind),
                "district": p.district,
                "address": p.node.address,
                "value": [p.position.longitude, p.position.latitude],
                "approximate": p.position.approximate,
                "url": url_for(p.node),
            }
        )
    return points
