"""Working-day deadlines of each stage of a matter.

``stage_due`` is the one entry point the services call. Working days come from ``lawdesk.matters.workdays``.
"""

from __future__ import annotations

import datetime

from lawdesk.matters import workdays
from lawdesk.orgs.models import OrgNode

# Default working days per stage, before any configured rule: accept a transfer within 3 working days, record
# the outcome within 15, tell the citizen within 2.
DEFAULT_DAYS = {"accept": 3, "outcome": 15, "feedback": 2}


def stage_days(*, node: OrgNode, kind: str, stage: str) -> int:
    return DEFAULT_DAYS[stage]


def stage_due(*, node: OrgNode, kind: str, stage: str, start: datetime.date) -> datetime.date:
    return workdays.add_working_days(start, stage_days(node=node, kind=kind, stage=stage))
