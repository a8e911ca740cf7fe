"""What the outreach app tells the rest: the poor villages around a platform (lawdesk.orgs.places)."""

from __future__ import annotations

from typing import Any

from lawdesk.core.tree import ancestor_paths


def poverty_areas(node: Any) -> list[tuple[str, bool]]:
    """The active poor villages of the platform's district: (name, whether the platform is its station)."""
    from lawdesk.outreach.models import PoorVillage

    villages = PoorVillage.objects.filter(
        active=True, district__path__in=ancestor_paths(node.path)
    ).values_list("name", "station_id")
    return [(name, station_id == node.pk) for name, station_id in villages]


def register() -> None:
    from lawdesk.orgs import places

    places.register_poverty_areas(poverty_areas)
