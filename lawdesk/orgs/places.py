"""Facts about places that other apps keep and the tree's users ask for: which poverty areas (poor villages) lie
around a platform. The outreach app keeps the poor villages and registers its lookup here from its
``AppConfig.ready``; legal aid asks it for the plan's 五(四)4 (the left-behind and the disabled of a poverty
area get the lowered threshold), without importing outreach."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# node → [(name of the poverty area, whether the platform is that village's own station)]
PovertyAreas = Callable[[Any], list[tuple[str, bool]]]
_LOOKUPS: list[PovertyAreas] = []


def register_poverty_areas(lookup: PovertyAreas) -> None:
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def poverty_areas(node: Any) -> list[str]:
    """The poverty areas of the platform's district, the platform's own village first."""
    found: list[tuple[str, bool]] = []
    for lookup in _LOOKUPS:
        found.extend(lookup(node))
    found.sort(key=lambda item: (not item[1], item[0]))
    return list(dict.fromkeys(name for name, _ in found))


def own_poverty_area(node: Any) -> str:
    """The poor village whose station ``node`` is, or ""."""
    for lookup in _LOOKUPS:
        for name, own in lookup(node):
            if own:
                return name
    return ""
