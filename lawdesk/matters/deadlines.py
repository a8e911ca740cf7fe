"""Working-day deadlines of each stage of a matter: accept a transfer within N working days, record the outcome
within M, tell the citizen within K.

``stage_due`` is the one entry point the services call. The number of days comes from the most specific
``DeadlineRule`` (``lawdesk.workcal``, kept in the Django admin): a rule at the nearest node (the matter's platform
or a node above it) for the matter's kind, then one at the nearest node for all kinds, then a city-wide rule for
the kind, then the city-wide default; ``DEFAULT_DAYS`` when no rule applies. Working days come from
``lawdesk.workcal.workdays``.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from lawdesk.orgs.models import OrgNode
from lawdesk.workcal import workdays

STAGES = ("accept", "outcome", "feedback")
# Working days per stage when no rule is configured: accept a transfer within 3 working days, record the
# outcome within 15, tell the citizen within 2.
DEFAULT_DAYS = {"accept": 3, "outcome": 15, "feedback": 2}


def stage_days(*, node: OrgNode, kind: str, stage: str) -> int:
    """The working days ``stage`` may take for a matter of ``kind`` received at ``node``."""
    if stage not in DEFAULT_DAYS:
        raise ValueError(f"unknown stage {stage!r}")
    from lawdesk.workcal.models import DeadlineRule

    ancestors = node.ancestor_paths()
    depth = {path: i for i, path in enumerate(ancestors)}  # root first: deeper is larger
    rules = DeadlineRule.objects.filter(
        Q(node__isnull=True) | Q(node__path__in=ancestors),
        Q(kind="") | Q(kind=kind),
        stage=stage,
    ).values_list("node__path", "kind", "working_days")

    def rank(rule: tuple[str | None, str, int]) -> tuple[int, int]:
        path, rule_kind, _ = rule
        tier = {(True, True): 3, (True, False): 2, (False, True): 1, (False, False): 0}[
            (path is not None, bool(rule_kind))
        ]
        return tier, depth.get(path, -1) if path is not None else -1

    best = max(rules, key=rank, default=None)
    return best[2] if best is not None else DEFAULT_DAYS[stage]


def stage_due(*, node: OrgNode, kind: str, stage: str, start: datetime.date) -> datetime.date:
    return workdays.add_working_days(start, stage_days(node=node, kind=kind, stage=stage))
