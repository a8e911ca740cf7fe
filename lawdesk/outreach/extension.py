"""What the outreach app tells the rest: the poor villages around a platform (lawdesk.orgs.places)."""

from __future__ import annotations

from typing import Any

from lawdesk.core.tree import ancestor_paths


def poverty_areas(node: Any) -> list[tuple[str, bool]]:
    """The active poor villages around the platform — the one whose station it is, and those of its judicial
    office that have no station of their own: (name, whether the platform is its station). A village with another
    station is that station's (out of this one's reach)."""
    from django.db.models import Q

    from lawdesk.outreach.models import PoorVillage

    above = ancestor_paths(node.path)
    villages = PoorVillage.objects.filter(
        Q(office__path__in=above, station__isnull=True) | Q(station=node),
        active=True,
        district__path__in=above,
    ).values_list("name", "station_id")
    return [(name, station_id == node.pk) for name, station_id in villages]


def register() -> None:
    from lawdesk.orgs import places

    places.register_poverty_areas(poverty_areas)
