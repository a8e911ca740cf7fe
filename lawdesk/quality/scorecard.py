"""Scorecards (服务质量评价, plan 七(七)): per worker and per platform, per month, quarter or year.

Every figure is computed from the records themselves, over the matters the reader may see
(``matter_access.visible_matters``) received in the period, with a few plain queries and a pass in Python — fine at a
city's scale (tens of thousands of matters a year); ``lawdesk.stats`` keeps the pre-aggregated monthly figures.
The definitions (shown on the pages too):

- 服务事项: matters received in the period that the worker did (首问负责人 or 承办人), or received at the node;
- 满意度: among the matters the citizen rated themselves (``citizen_rated``: SMS link, window tablet, kiosk — never a
  rating typed by staff), the share rated 4 or 5; 平均评分 their mean;
- 采纳率: among the matters whose adoption was recorded at feedback, the share 采纳 or 部分采纳;
- 按期率: among the matters with a deadline that are decided (every stage done, or a stage late), the share whose
  every stage (承接, 办结, 反馈) was done by its due date;
- 查实投诉: complaints received in the period found well founded (``ComplaintFinding.upheld``) against the worker
  or the platform.
Each figure is a list of matter ids, so the drill-down lists exactly the records behind it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.core import clock
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Adoption, Matter, MatterEvent
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.quality.models import ComplaintFinding


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11", "2026-Q4", "2026"
    label: str
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def range(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz),
        )


def parse_period(value: str | None) -> Period:
    """``YYYY-MM`` (month), ``YYYY-Qn`` (quarter) or ``YYYY`` (year); empty: this month. Else ValueError."""
    value = (value or "").strip()
    if not value:
        today = clock.today()
        value = f"{today:%Y-%m}"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(m[1]), int(m[2])
        if not 2000 <= year <= 2100 or not 1 <= month <= 12:
            raise ValueError(value)
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), month % 12 + 1, 1)
        return Period(f"{year}-{month:02d}", f"{year}年{month}月", start, end)
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
        year, quarter = int(m[1]), int(m[2])
        if not 2000 <= year <= 2100:
            raise ValueError(value)
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return Period(f"{year}-Q{quarter}", f"{year}年第{quarter}季度", start, end)
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        if not 2000 <= year <= 2100:
            raise ValueError(value)
        return Period(str(year), f"{year}年", datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    raise ValueError(value)


def period_choices(period: Period) -> list[Period]:
    """The month, quarter and year around ``period``, and the previous and next of its kind, for the picker."""
    year = period.start.year
    month = period.start.month
    quarter = (month - 1) // 3 + 1
    keys = [f"{year}-{month:02d}", f"{year}-Q{quarter}", str(year)]
    return [parse_period(k) for k in keys]


def timely(matter: Matter, today: datetime.date) -> bool | None:
    """True: every stage with a deadline was done by it; False: one was late (done late, or past due and not
    done); None: no deadline, or still within its deadlines."""
    return stages_timely(
        (
            (matter.accept_due, matter.accepted_at),
            (matter.outcome_due, matter.outcome_at),
            (matter.feedback_due, matter.told_at),
        ),
        today,
    )


def stages_timely(
    stages: Iterable[tuple[datetime.date | None, datetime.datetime | None]], today: datetime.date
) -> bool | None:
    decided = True
    any_due = False
    tz = timezone.get_current_timezone()
    for due, done in stages:
        if due is None:
            continue
        any_due = True
        if done is not None:
            if done.astimezone(tz).date() > due:
                return False
        elif due < today:
            return False
        else:
            decided = False
    if not any_due or not decided:
        return None
    return True


FIGURES = {
    "service": "服务事项",
    "rated": "群众评价",
    "satisfied": "满意（4–5分）",
    "adoption_recorded": "已登记采纳情况",
    "adopted": "采纳或部分采纳",
    "timely_decided": "时效已可判定",
    "timely": "按期办理",
    "late": "逾期",
    "upheld": "查实投诉",
}


@dataclass
class Card:
    """One scorecard: the ids behind each figure, and the figures."""

    ids: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in FIGURES})
    rating_sum: int = 0

    def count(self, key: str) -> int:
        return len(self.ids[key])

    @staticmethod
    def _rate(num: int, den: int) -> float | None:
        return round(100.0 * num / den, 1) if den else None

    @property
    def service(self) -> int:
        return self.count("service")

    @property
    def rated(self) -> int:
        return self.count("rated")

    @property
    def satisfied(self) -> int:
        return self.count("satisfied")

    @property
    def satisfaction(self) -> float | None:
        return self._rate(self.satisfied, self.rated)

    @property
    def average(self) -> float | None:
        return round(self.rating_sum / self.rated, 2) if self.rated else None

    @property
    def adoption_recorded(self) -> int:
        return self.count("adoption_recorded")

    @property
    def adopted(self) -> int:
        return self.count("adopted")

    @property
    def adoption(self) -> float | None:
        return self._rate(self.adopted, self.adoption_recorded)

    @property
    def timely_decided(self) -> int:
        return self.count("timely_decided")

    @property
    def timely(self) -> int:
        return self.count("timely")

    @property
    def timeliness(self) -> float | None:
        return self._rate(self.timely, self.timely_decided)

    @property
    def count_late(self) -> int:
        return self.count("late")

    @property
    def upheld(self) -> int:
        return self.count("upheld")


@dataclass
class Facts:
    """What one matter contributes."""

    pk: int
    node_path: str
    workers: tuple[int, ...]
    rating: int | None
    adoption: str
    timely: bool | None


def _add(card: Card, f: Facts) -> None:
    card.ids["service"].append(f.pk)
    if f.rating is not None:
        card.ids["rated"].append(f.pk)
        card.rating_sum += f.rating
        if f.rating >= 4:
            card.ids["satisfied"].append(f.pk)
    if f.adoption:
        card.ids["adoption_recorded"].append(f.pk)
        if f.adoption in (Adoption.ADOPTED, Adoption.PARTLY):
            card.ids["adopted"].append(f.pk)
    if f.timely is not None:
        card.ids["timely_decided"].append(f.pk)
        card.ids["timely" if f.timely else "late"].append(f.pk)


def citizen_ratings(matters: Iterable[int] | QuerySet[Matter]) -> dict[int, int]:
    """The citizen's own rating of each matter (its last ``citizen_rated`` step); ``matters`` is a list of ids or
    a queryset of matters (then one query with a subquery)."""
    ratings: dict[int, int] = {}
    chosen = matters.values("pk") if isinstance(matters, QuerySet) else list(matters)
    rows = (
        MatterEvent.objects.filter(code="citizen_rated", matter_id__in=chosen)
        .order_by("created_at", "id")
        .values_list("matter_id", "data")
    )
    for matter_id, data in rows:
        value = (data or {}).get("rating")
        if isinstance(value, int) and 1 <= value <= 5:
            ratings[matter_id] = value
    return ratings


class Scope:
    """The matters and upheld complaints of one reader and period, from which every card is cut."""

    def __init__(
        self, actor: Any, period: Period, *, within: OrgNode | None = None, worker_id: int | None = None
    ) -> None:
        self.actor = actor
        self.period = period
        start, end = period.range
        in_period = matter_access.visible_matters(actor).filter(created_at__gte=start, created_at__lt=end)
        matters = in_period
        if within is not None:
            matters = matters.filter(subtree_q(within.path, "node__"))
        if worker_id is not None:
            matters = matters.filter(Q(owner_id=worker_id) | Q(handler_id=worker_id))
        self.matters: QuerySet[Matter] = matters
        today = clock.today()
        rows = matters.values_list(
            "pk", "node__path", "owner_id", "handler_id", "adoption",
            "accept_due", "accepted_at", "outcome_due", "outcome_at", "feedback_due", "told_at",
        )  # fmt: skip
        ratings = citizen_ratings(matters)
        self.facts: list[Facts] = []
        self.by_path: dict[str, list[Facts]] = {}
        self.by_worker: dict[int, list[Facts]] = {}
        for pk, path, owner, handler, adoption, a_due, a_at, o_due, o_at, f_due, f_at in rows.iterator(2000):
            workers = (owner,) if handler is None or handler == owner else (owner, handler)
            fact = Facts(
                pk, path, workers, ratings.get(pk), adoption,
                stages_timely(((a_due, a_at), (o_due, o_at), (f_due, f_at)), today),
            )  # fmt: skip
            self.facts.append(fact)
            self.by_path.setdefault(path, []).append(fact)
            for w in workers:
                self.by_worker.setdefault(w, []).append(fact)
        # A complaint counts against the worker and platform it concerns, wherever it was received.
        findings = ComplaintFinding.objects.filter(upheld=True, matter__in=in_period)
        if within is not None:
            findings = findings.filter(subtree_q(within.path, "against_node__"))
        if worker_id is not None:
            findings = findings.filter(against_user_id=worker_id)
        self.findings = list(findings.values_list("matter_id", "against_user_id", "against_node__path"))

    def node_card(self, node: OrgNode) -> Card:
        card = Card()
        for path, facts in self.by_path.items():
            if path.startswith(node.path):
                for f in facts:
                    _add(card, f)
        card.ids["upheld"] = [m for m, _u, path in self.findings if path.startswith(node.path)]
        return card

    def worker_card(self, user_id: int) -> Card:
        card = Card()
        for f in self.by_worker.get(user_id, []):
            _add(card, f)
        card.ids["upheld"] = [m for m, u, _p in self.findings if u == user_id]
        return card

    def worker_ids(self) -> list[int]:
        found: set[int] = set(self.by_worker)
        found.update(u for _m, u, _p in self.findings if u is not None)
        return sorted(found)


def own_upheld(user: Any, period: Period) -> list[int]:
    """Complaints upheld against ``user`` received in the period: counted on their own card, never listed to
    them (a complaint's subject never sees it)."""
    start, end = period.range
    return list(
        ComplaintFinding.objects.filter(
            upheld=True, against_user_id=user.pk, matter__created_at__gte=start, matter__created_at__lt=end
        ).values_list("matter_id", flat=True)
    )


def platforms_in(actor: Any, root: OrgNode) -> list[OrgNode]:
    return list(
        node_access.visible_nodes(actor)
        .filter(subtree_q(root.path))
        .filter(Q(kind__in=_platform_kinds()))
        .order_by("path")
        .only("name", "path", "depth")  # what a board row and its card read (issue 21: a city has hundreds)
    )


def _platform_kinds() -> list[str]:
    from lawdesk.orgs.rules import PLATFORM_KINDS

    return list(PLATFORM_KINDS)


def worker_visible(actor: Any, user_id: int) -> bool:
    """A worker's card is visible to themselves, and to a reader who sees some of their matters or who oversees
    a node where they hold a role."""
    if user_id == actor.pk:
        return True
    if matter_access.visible_matters(actor).filter(Q(owner_id=user_id) | Q(handler_id=user_id)).exists():
        return True
    return any(
        scoping.users_holding(within=root).filter(pk=user_id).exists()
        for root in node_access.root_nodes_for(actor)
    )


def require_worker(actor: Any, user_id: int) -> Any:
    from lawdesk.accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or not worker_visible(actor, user_id):
        raise Http404("没有找到该工作人员，或您无权查看。")
    return user
