"""What the benchmark measures on a generated city, each as median and p95 over repeated runs after a warm-up:
the city monthly report, a district dashboard, a drill-down page and one station's ledger page (selector and
page through Django's test client, templates rendered), beside the plain SQL over the raw rows that computes
the same city figures, timed in the same run.
"""

from __future__ import annotations

import datetime
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CITY_REPORT_TARGET_MS = 200.0
CITY_REPORT_SPEEDUP_TARGET = 5.0
LEDGER_TARGET_MS = 50.0
STATION_NAME = (
    "小寨路街道公共法律服务站"  # a real town station of 雁塔区 (busy: town stations weigh 8, villages 1)
)
DISTRICT_CODE = "610113"  # 雁塔区


@dataclass(frozen=True)
class Timing:
    name: str
    runs: list[float]  # milliseconds, wall clock
    note: str = ""
    cpu: tuple[float, ...] = ()  # milliseconds of this process's CPU in each run (the server's not included)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else 0.0

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(name: str, fn: Callable[[], Any], runs: int, note: str = "", warmup: int = 2) -> Timing:
    for _ in range(warmup):
        fn()
    out, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return Timing(name, out, note, tuple(cpu))


# --- actors -------------------------------------------------------------------------------------------------


def bench_user(username: str, role: str, node: Any) -> Any:
    """A user holding ``role`` at ``node`` (made once, kept in the bench database)."""
    from lawdesk.accounts.models import RoleAssignment, User

    user, made = User.objects.get_or_create(
        username=username, defaults={"full_name": username, "password": "!"}
    )
    if made:
        RoleAssignment.objects.create(user=user, role=role, node=node)
    return user


def client_for(user: Any) -> Any:
    """A test client logged in as ``user``, with the TOTP step passed (a device verified in the session), as
    after a real login of an admin."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover - the second factor is not installed
        return client
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def get_ok(client: Any, url: str) -> Callable[[], None]:
    def fetch() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code} {response.get('Location', '')}")

    return fetch


# --- the baseline: the same figures from the raw rows ---------------------------------------------------------


def raw_city_figures(path: str, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Every stored indicator of the monthly report for the subtree at ``path``, days [start, end), straight
    from the records: one query per source, one filtered aggregate per indicator (no pre-aggregate)."""
    from lawdesk.stats import indicators as registry

    by_source: dict[str, list[Any]] = {}
    for indicator in registry.stored():
        by_source.setdefault(indicator.source.code, []).append(indicator)
    figures: dict[str, int] = {}
    for indicators in by_source.values():
        source = indicators[0].source
        aggregates = {f"v{i}": _filtered_aggregate(ind) for i, ind in enumerate(indicators)}
        row = (
            source.queryset()
            .filter(source.date_range_q(start, end))
            .filter(source.subtree_q(path))
            .aggregate(**aggregates)
        )
        for i, ind in enumerate(indicators):
            figures[ind.code] = ind.to_int(row[f"v{i}"])
    return figures


def _filtered_aggregate(indicator: Any) -> Any:
    """The indicator's Count or Sum with its own filter inside (several indicators of a source in one query)."""
    from django.db.models import Count, Sum

    condition = indicator.filter if indicator.filter else None
    if indicator.sum_field is None:
        return Count("pk", filter=condition)
    return Sum(indicator.sum_field, filter=condition)


EVENT_COUNTERS_SQL = """
    SELECT e.code, count(*)
    FROM matters_matterevent e
    JOIN matters_matter m ON m.id = e.matter_id
    JOIN orgs_orgnode n ON n.id = m.node_id
    WHERE n.path >= %s AND n.path < %s AND e.created_at >= %s AND e.created_at < %s
    GROUP BY e.code
"""


def event_counters(path: str, start: datetime.datetime, end: datetime.datetime) -> dict[str, int]:
    """The plain GROUP BY: events of the month by their report counter, for the subtree (through the
    matter's platform, joined to the nodes)."""
    from django.db import connection

    from lawdesk.matters.events import EVENTS

    with connection.cursor() as cursor:
        cursor.execute(EVENT_COUNTERS_SQL, [path, path + "~", start, end])
        counts: dict[str, int] = {}
        for code, count in cursor.fetchall():
            report = EVENTS[code].report if code in EVENTS else ""
            if report:
                counts[report] = counts.get(report, 0) + int(count)
    return counts


def explain(sql: str, params: list[Any]) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- the run ----------------------------------------------------------------------------------------------------


def run_all(
    *,
    month: datetime.date,
    runs: int,
    progress: Callable[[str], None],
    info: dict[str, Any],
    baseline_runs: int | None = None,
) -> str:
    from django.core.paginator import Paginator
    from django.db import connection
    from django.utils import timezone

    from lawdesk.accounts.models import Role
    from lawdesk.ledgers import selectors as ledger_selectors
    from lawdesk.ledgers.definitions import get_ledger
    from lawdesk.ledgers.selectors import Period
    from lawdesk.orgs.models import OrgNode
    from lawdesk.stats import selectors as stats
    from lawdesk.stats.selectors import Month

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stats_statcount")
        cursor.execute("ANALYZE stats_statmonth")
    city = OrgNode.objects.get(parent__isnull=True)
    district = OrgNode.objects.get(kind="district_bureau", region_code=DISTRICT_CODE)
    station = (
        OrgNode.objects.filter(name=STATION_NAME).first()
        or OrgNode.objects.filter(kind="town_station").first()
    )
    assert station is not None
    city_admin = bench_user("bench_city_admin", Role.CITY_ADMIN, city)
    district_admin = bench_user("bench_district_admin", Role.DISTRICT_ADMIN, district)
    clerk = bench_user("bench_station_clerk", Role.WINDOW_CLERK, station)
    period = Month(month.year, month.month)
    last_day = period.end - datetime.timedelta(days=1)
    tz = timezone.get_default_timezone()
    start_dt = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end_dt = datetime.datetime.combine(period.end, datetime.time.min, tzinfo=tz)
    city_client, district_client, clerk_client = (
        client_for(city_admin),
        client_for(district_admin),
        client_for(clerk),
    )
    drill_indicator = "visits"
    ledger = get_ledger(1)
    assert ledger is not None
    ledger_period = Period(period.start, last_day)
    timings: list[Timing] = []

    def measure(name: str, fn: Callable[[], Any], note: str = "", times: int | None = None) -> Timing:
        timing = timed(name, fn, times or runs, note, warmup=1 if times else 2)
        progress(
            f"  {name}: median {timing.median:.1f} ms, p95 {timing.p95:.1f} ms, CPU {timing.cpu_median:.1f} ms"
        )
        timings.append(timing)
        return timing

    # Correctness first: the pre-aggregated city figures equal the raw ones.
    report = stats.monthly_report(actor=city_admin, node=city, year=period.year, month=period.month)
    raw = raw_city_figures(city.path, period.start, period.end)
    mismatched = {
        code: (report.figures.get(code), value)
        for code, value in raw.items()
        if report.figures.get(code) != value
    }
    progress(
        f"city figures: {len(raw)} indicators, {len(mismatched)} differ from the raw rows {dict(list(mismatched.items())[:5])}"
    )
    counters = event_counters(city.path, start_dt, end_dt)
    station_visits = ledger_selectors.ledger_records(
        ledger, actor=clerk, node=station, period=ledger_period
    ).count()

    progress(f"measuring {period.label}, {runs} runs each (load {os.getloadavg()[0]:.1f})")
    selector = measure(
        "city monthly report — stats selector (city admin)",
        lambda: stats.monthly_report(actor=city_admin, node=city, year=period.year, month=period.month),
    )
    page = measure(
        "city monthly report — page /desk/stats/<city>/<month>/",
        get_ok(city_client, f"/desk/stats/{city.pk}/{period.slug}/"),
    )
    baseline = measure(
        "baseline: the same city figures from the raw rows (one query per source)",
        lambda: raw_city_figures(city.path, period.start, period.end),
        times=baseline_runs,
    )
    simple = measure(
        "baseline: plain GROUP BY of the month's events by report counter, city, joined to nodes",
        lambda: event_counters(city.path, start_dt, end_dt),
        times=baseline_runs,
    )
    measure(
        "district dashboard — dashboard_data (雁塔区, 12 months)",
        lambda: stats.dashboard_data(
            actor=district_admin, node=district, year=period.year, month=period.month
        ),
    )
    measure(
        "district dashboard — page",
        get_ok(district_client, f"/desk/stats/{district.pk}/dashboard/?month={period.slug}"),
    )
    measure(
        "drill-down — page (one station-month, visits, first 500 records)",
        get_ok(clerk_client, f"/desk/stats/{station.pk}/{period.slug}/drill/{drill_indicator}/"),
    )

    def ledger_selector() -> None:
        records = ledger_selectors.ledger_records(ledger, actor=clerk, node=station, period=ledger_period)
        page_ = Paginator(records, ledger_selectors.PAGE_SIZE).get_page(1)
        list(ledger_selectors.ledger_rows(ledger, actor=clerk, records=page_.object_list))

    ledger_sel = measure("station ledger 1 (month) — selector, first page", ledger_selector)
    ledger_page = measure(
        "station ledger 1 (month) — page /desk/ledgers/1/",
        get_ok(clerk_client, f"/desk/ledgers/1/?node={station.pk}&from={period.start}&to={last_day}"),
    )

    # --- the table ---
    speedup = baseline.median / selector.median if selector.median else float("inf")
    speedup_simple = simple.median / selector.median if selector.median else float("inf")
    lines = [
        f"### {info.get('matters', 0):,} matters — {period.label} — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (shared with other work). "
        f"City: {OrgNode.objects.count():,} nodes. Station: {station.name} ({station_visits} visits that month). "
        f"{runs} runs after 2 warm-ups"
        + (f" ({baseline_runs} after 1 for the two baselines)." if baseline_runs else "."),
        "",
    ]
    for key, label in (
        ("rows", "rows generated"),
        ("generate_seconds", "generation (s)"),
        ("fill_seconds", "stats fill (s)"),
        ("analyze_seconds", "VACUUM ANALYZE (s)"),
    ):
        if key in info:
            value = info[key]
            lines.append(
                f"- {label}: {value:,.0f}" if isinstance(value, int | float) else f"- {label}: {value}"
            )
    lines += ["", "| measurement | median ms | p95 ms | median CPU ms (Python) |", "|---|---:|---:|---:|"]
    for t in timings:
        lines.append(f"| {t.name} | {t.median:.1f} | {t.p95:.1f} | {t.cpu_median:.1f} |")
    lines += [
        "",
        f"- city report selector {selector.median:.1f} ms (target < {CITY_REPORT_TARGET_MS:.0f} ms: "
        f"{'met' if selector.median < CITY_REPORT_TARGET_MS else 'MISSED'}); page {page.median:.1f} ms",
        f"- vs the same figures from the raw rows: {speedup:,.0f}× faster (target ≥ {CITY_REPORT_SPEEDUP_TARGET:.0f}×: "
        f"{'met' if speedup >= CITY_REPORT_SPEEDUP_TARGET else 'MISSED'}); vs the plain event GROUP BY: "
        f"{speedup_simple:,.0f}×",
        f"- station ledger page {ledger_page.median:.1f} ms (selector {ledger_sel.median:.1f} ms; target < "
        f"{LEDGER_TARGET_MS:.0f} ms: {'met' if ledger_page.median < LEDGER_TARGET_MS else 'MISSED'})",
        f"- pre-aggregated figures equal to the raw rows: {len(raw) - len(mismatched)} of {len(raw)}"
        + (f" (differ: {', '.join(sorted(mismatched)[:8])})" if mismatched else ""),
        f"- event counters of the month (city): {', '.join(f'{k} {v:,}' for k, v in sorted(counters.items()))}",
        "",
    ]
    if ledger_page.median >= LEDGER_TARGET_MS or page.median >= CITY_REPORT_TARGET_MS:
        lines += ["Plan of the ledger query (first page):", "", "```"]
        lines += [_explain_queryset(ledger, clerk, station, ledger_period), "```", ""]
    lines += [
        "Plan of the plain GROUP BY:",
        "",
        "```",
        explain(EVENT_COUNTERS_SQL, [city.path, city.path + "~", start_dt, end_dt]),
        "```",
        "",
    ]
    return "\n".join(lines)


def _explain_queryset(ledger: Any, clerk: Any, station: Any, period: Any) -> str:
    from lawdesk.ledgers import selectors as ledger_selectors

    records = ledger_selectors.ledger_records(ledger, actor=clerk, node=station, period=period)
    return str(records[: ledger_selectors.PAGE_SIZE].explain(analyze=True, buffers=True))
