"""The organisation tree's shared vocabulary: the kinds of node the plan names (四(一)) and the materialised paths
that place a node in the tree.

Every layer speaks of the tree — roles are held at a node of a kind, records hang on nodes, reach is a subtree —
so these few definitions sit at the bottom, beside the clock; ``lawdesk.orgs`` builds the tree itself (the model,
its naming rules, its services) on them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class NodeKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", "市司法局"
    DISTRICT_BUREAU = "district_bureau", "区(县)司法局"
    SERVICE_CENTRE = "service_centre", "区(县)公共法律服务中心"
    JUDICIAL_OFFICE = "judicial_office", "司法所"
    TOWN_STATION = "town_station", "镇(街道)公共法律服务站"
    VILLAGE_STATION = "village_station", "村(社区)公共法律服务站"
    SPECIAL_CENTRE = "special_centre", "专项公共法律服务中心"


PLATFORM_KINDS = frozenset(
    {NodeKind.SERVICE_CENTRE, NodeKind.TOWN_STATION, NodeKind.VILLAGE_STATION, NodeKind.SPECIAL_CENTRE}
)
BUREAU_KINDS = frozenset({NodeKind.CITY_BUREAU, NodeKind.DISTRICT_BUREAU})


def kind_label(kind: str) -> str:
    try:
        return str(NodeKind(kind).label)
    except ValueError:
        return kind


# --- materialised paths ----------------------------------------------------------------------------------

PATH_SEGMENT_WIDTH = 9
# Every character of a path sorts below this one, so a subtree is the range [path, path + PATH_END).
PATH_END = "~"


def subtree_q(path: str, prefix: str = "") -> Q:
    """Records whose node (reached through ``prefix``, e.g. ``"node__"``) lies in the subtree at ``path``."""
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path + PATH_END})


def ancestor_paths(path: str) -> list[str]:
    """The paths of the node at ``path`` and of every node above it, root first."""
    segment = PATH_SEGMENT_WIDTH + 1
    return [path[: i + segment] for i in range(0, len(path), segment)]


def covers(outer: str, inner: str) -> bool:
    """Whether the node at ``inner`` lies in the subtree at ``outer`` (itself included)."""
    return inner.startswith(outer)
