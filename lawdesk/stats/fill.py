"""Filling the pre-aggregated counts.

``fill_counts()`` is incremental: for each stored indicator it recomputes, from the records, the days from a few
days before its ``FillState.filled_until`` up to today (so late entries of the last days are caught), plus every
earlier day that has a record written or changed since the indicator's last run (a record entered later for an
earlier month lands in that month). Each recomputed day replaces that day's ``StatCount`` rows. Then the month
totals (``StatMonth``) of every touched month are derived from the day counts and summed up the tree.
``rebuild_counts()`` throws the counts away and fills them again from the first record, a month at a time.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max, Min, Sum
from django.utils import timezone

from lawdesk.core import clock
from lawdesk.orgs.models import OrgNode
from lawdesk.stats import indicators as registry
from lawdesk.stats.indicators import Indicator, Source
from lawdesk.stats.models import FillState, StatCount, StatMonth

logger = logging.getLogger(__name__)

# Days before the last filled day that every run recomputes.
REFILL_DAYS = 3
BATCH = 5000


@dataclass
class FillResult:
    indicators: int = 0
    days: int = 0
    rows: int = 0
    months: list[datetime.date] = field(default_factory=list)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + 1, 1, 1) if day.month == 12 else datetime.date(day.year, day.month + 1, 1)


def _as_local_date(value: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _earliest(source: Source) -> datetime.date | None:
    return _as_local_date(source.queryset().aggregate(v=Min(source.date_field))["v"])


def _dirty_days(source: Source, since: datetime.datetime | int) -> set[datetime.date]:
    """Days of records of ``source`` written or changed since ``since`` (a time, or for "pk" sources the last
    id seen)."""
    if not source.entered_field:
        return set()
    lookup = "pk__gt" if source.entered_field == "pk" else f"{source.entered_field}__gte"
    rows = (
        source.queryset()
        .filter(**{lookup: since, f"{source.date_field}__isnull": False})
        .annotate(stat_day=source.day_expression())
        .values_list("stat_day", flat=True)
        .distinct()
        .order_by()
    )
    return {d for d in (_as_local_date(v) for v in rows) if d is not None}


def _ranges(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Contiguous [start, end] ranges covering ``days``."""
    out: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(set(days)):
        if out and out[-1][1] + datetime.timedelta(days=1) == day:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def _months_of(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    months = set()
    month = month_start(start)
    while month <= end:
        months.add(month)
        month = next_month(month)
    return months


def _pieces(start: datetime.date, end: datetime.date) -> Iterable[tuple[datetime.date, datetime.date]]:
    """[start, end] cut at month boundaries, so that one piece's counts fit in memory at city scale (about
    1.6 million day counts a month at 10 million matters)."""
    while start <= end:
        last = min(end, next_month(start) - datetime.timedelta(days=1))
        yield start, last
        start = last + datetime.timedelta(days=1)


def _write_ranges(indicators: list[Indicator], start: datetime.date, end: datetime.date) -> int:
    """Replace the counts of ``indicators`` (all of one source) for days [start, end] (inclusive), computed,
    a month at a time, in one GROUP BY over the source's rows with one filtered aggregate per indicator.
    Returns rows written."""
    return sum(_write_piece(indicators, first, last) for first, last in _pieces(start, end))


def _write_piece(indicators: list[Indicator], start: datetime.date, end: datetime.date) -> int:
    source = indicators[0].source
    aggregates = {f"v{i}": ind.aggregate(filtered=True) for i, ind in enumerate(indicators)}
    rows = (
        source.queryset()
        .filter(source.date_range_q(start, end + datetime.timedelta(days=1)))
        .annotate(stat_node=F(source.node_field), stat_day=source.day_expression())
        .values("stat_node", "stat_day")
        .annotate(**aggregates)
        .order_by()
    )
    objs = []
    for row in rows:
        node_id, day = row["stat_node"], _as_local_date(row["stat_day"])
        if node_id is None or day is None:
            continue
        for i, ind in enumerate(indicators):
            value = ind.to_int(row[f"v{i}"])
            if value:
                objs.append(StatCount(node_id=node_id, indicator=ind.code, day=day, value=value))
    StatCount.objects.filter(
        indicator__in=[i.code for i in indicators], day__gte=start, day__lte=end
    ).delete()
    StatCount.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)


def fill_counts(
    *,
    until: datetime.date | None = None,
    codes: Iterable[str] | None = None,
    since: datetime.date | None = None,
) -> FillResult:
    """Fill the counts of every stored indicator (or of ``codes``) up to ``until`` (default today), then the
    month totals of the months touched. ``since`` forces a recomputation from that day.

    Indicators of one source are computed together: one scan of the source's rows per range of days."""
    until = until or clock.today()
    run_started = clock.now()
    wanted = set(codes) if codes is not None else None
    result = FillResult()
    touched: set[datetime.date] = set()
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in registry.stored():
        if wanted is None or indicator.code in wanted:
            by_source[indicator.source.code].append(indicator)
    for members in by_source.values():
        source = members[0].source
        earliest: list[datetime.date | None] = []  # computed at most once per source
        dirty: dict[datetime.datetime | int, set[datetime.date]] = {}
        by_pk = source.entered_field == "pk"
        max_pk = source.queryset().aggregate(v=Max("pk"))["v"] if by_pk else None
        with transaction.atomic():
            for indicator in members:
                FillState.objects.get_or_create(indicator=indicator.code)
            states = {
                s.indicator: s
                for s in FillState.objects.select_for_update().filter(indicator__in=[i.code for i in members])
            }
            plans: dict[tuple[tuple[datetime.date, datetime.date], ...], list[Indicator]] = defaultdict(list)
            for indicator in members:
                state = states[indicator.code]
                if since is not None:
                    start: datetime.date | None = since
                elif state.filled_until is not None:
                    start = state.filled_until - datetime.timedelta(days=REFILL_DAYS - 1)
                else:
                    if not earliest:
                        earliest.append(_earliest(source))
                    start = earliest[0]
                ranges: list[tuple[datetime.date, datetime.date]] = []
                if start is not None and start <= until:
                    ranges.append((start, until))
                mark = (state.last_pk if by_pk else state.last_run_at) if since is None else None
                if mark is not None:
                    if mark not in dirty:
                        dirty[mark] = _dirty_days(source, mark)
                    days = {d for d in dirty[mark] if d <= until and (start is None or d < start)}
                    ranges.extend(_ranges(days))
                plans[tuple(ranges)].append(indicator)
            for ranges_key, group in plans.items():
                for first, last in ranges_key:
                    result.rows += _write_ranges(group, first, last)
                    result.days += ((last - first).days + 1) * len(group)
                    touched |= _months_of(first, last)
            for state in states.values():
                state.filled_until = until if state.filled_until is None else max(state.filled_until, until)
                state.last_run_at = run_started
                if by_pk:
                    state.last_pk = max_pk
                state.save()
        result.indicators += len(members)
    result.months = sorted(touched)
    rebuild_months(result.months)
    return result


def rebuild_months(months: Iterable[datetime.date]) -> int:
    """Recompute the subtree month totals of ``months`` from the day counts. Returns rows written."""
    months = sorted({month_start(m) for m in months})
    if not months:
        return 0
    path_of = dict(OrgNode.objects.values_list("id", "path"))
    id_of = {path: pk for pk, path in path_of.items()}
    ancestors_cache: dict[int, list[int]] = {}

    def ancestors(node_id: int) -> list[int]:
        if node_id not in ancestors_cache:
            paths = OrgNode(path=path_of[node_id]).ancestor_paths()
            ancestors_cache[node_id] = [id_of[p] for p in paths if p in id_of]
        return ancestors_cache[node_id]

    written = 0
    for month in months:
        totals: dict[tuple[int, str], int] = defaultdict(int)
        rows = (
            StatCount.objects.filter(day__gte=month, day__lt=next_month(month))
            .values("node_id", "indicator")
            .annotate(v=Sum("value"))
            .order_by()
        )
        for row in rows:
            if row["node_id"] not in path_of:
                continue
            for node_id in ancestors(row["node_id"]):
                totals[(node_id, row["indicator"])] += row["v"]
        objs = [
            StatMonth(node_id=n, month=month, indicator=code, value=v) for (n, code), v in totals.items() if v
        ]
        with transaction.atomic():
            StatMonth.objects.filter(month=month).delete()
            StatMonth.objects.bulk_create(objs, batch_size=BATCH)
        written += len(objs)
    return written


def rebuild_counts(
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    progress: Callable[[datetime.date, FillResult], None] | None = None,
) -> FillResult:
    """Throw the counts away (from ``since``, or all of them) and fill them again from the records, one month
    at a time, each month committed as it is done (a city's full history takes hours; an interrupted rebuild
    leaves the months done in place, and the next periodic fill goes on from the last one). ``progress`` is
    called after each month."""
    until = until or clock.today()
    started = clock.now()
    stored = list(registry.stored())
    sources = {ind.source.code: ind.source for ind in stored}
    last_pks = {
        code: source.queryset().aggregate(v=Max("pk"))["v"]
        for code, source in sources.items()
        if source.entered_field == "pk"
    }
    with transaction.atomic():
        if since is None:
            StatCount.objects.all().delete()
            StatMonth.objects.all().delete()
            FillState.objects.all().delete()
        else:
            StatCount.objects.filter(day__gte=since).delete()
            StatMonth.objects.filter(month__gte=month_start(since)).delete()
    first = since
    if first is None:
        earliest = [d for d in (_earliest(s) for s in sources.values()) if d is not None]
        first = min(earliest, default=None)
    if first is None or first > until:
        return fill_counts(until=until)  # nothing to count: the fill states are still recorded
    result = FillResult()
    month = month_start(first)
    while month <= until:
        last = min(until, next_month(month) - datetime.timedelta(days=1))
        part = fill_counts(since=max(first, month), until=last)
        result.indicators = part.indicators
        result.days += part.days
        result.rows += part.rows
        result.months += part.months
        if progress is not None:
            progress(month, result)
        month = next_month(month)
    # Anything entered while the rebuild ran is for the next fill to find: the marks of the rebuild's start.
    for indicator in stored:
        marks: dict[str, object] = {"last_run_at": started}
        if indicator.source.code in last_pks:
            marks["last_pk"] = last_pks[indicator.source.code]
        FillState.objects.filter(indicator=indicator.code).update(**marks)
    result.months = sorted(set(result.months))
    return result


def last_filled_at() -> datetime.datetime | None:
    """When the counts were last brought up to date (the start of the last run)."""
    return FillState.objects.aggregate(v=Max("last_run_at"))["v"]
