"""The city benchmark: create a PostgreSQL database, migrate, generate the city, fill the statistics, analyse,
measure, drop the database. See docs/benchmarks.md.

    .venv/bin/python bench/run.py --matters 1000000              # the whole run, database dropped at the end
    .venv/bin/python bench/run.py --matters 10000000 --keep      # keep lawdesk_bench for a second look
    .venv/bin/python bench/run.py --db lawdesk_bench --phases migrate,fill,measure   # again on a kept database

Phases, in this order: create (database + migrate), migrate (an existing database, e.g. kept from an earlier
run), generate, analyze (VACUUM ANALYZE), fill (the stats app's rebuild), measure, drop. The figures go to stdout, and as Markdown to ``bench/out/<db>-<matters>.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PHASES = ("create", "migrate", "generate", "analyze", "fill", "measure", "drop")


def say(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def server_url(args: argparse.Namespace, db: str) -> str:
    return f"postgres://{args.user}@{args.host}:{args.port}/{db}"


def admin_execute(args: argparse.Namespace, sql: str) -> None:
    import psycopg

    with psycopg.connect(server_url(args, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create(args: argparse.Namespace) -> None:
    if args.replace:
        admin_execute(args, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    admin_execute(args, f'CREATE DATABASE "{args.db}"')
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"],
        cwd=ROOT,
        check=True,
        env=os.environ.copy(),
    )
    say(f"database {args.db} created and migrated in {time.perf_counter() - began:.1f} s")


def drop(args: argparse.Namespace) -> None:
    from django.db import connections

    connections.close_all()
    admin_execute(args, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    say(f"database {args.db} dropped")


def sizes() -> list[tuple[str, int, int]]:
    """(table, rows, total bytes with indexes) of the tables that matter, and the database."""
    from django.db import connection

    tables = (
        "orgs_orgnode", "people_person", "matters_visit", "matters_matter", "matters_matterevent",
        "matters_ledgercounter", "stats_statcount", "stats_statmonth",
    )  # fmt: skip
    out = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
            if not cursor.fetchone()[0]:
                continue
            cursor.execute(
                "SELECT reltuples::bigint, pg_total_relation_size(%s::regclass) FROM pg_class WHERE oid = %s::regclass",
                [table, table],
            )
            rows, size = cursor.fetchone()
            out.append((table, int(rows), int(size)))
        cursor.execute("SELECT pg_database_size(current_database())")
        out.append(("(database)", 0, int(cursor.fetchone()[0])))
    return out


def print_sizes() -> None:
    for table, rows, size in sizes():
        say(f"  {table:28} {rows:>14,} rows {size / 2**20:>10,.0f} MiB")


def generate(args: argparse.Namespace) -> dict[str, Any]:
    from bench import city

    say(f"generating {args.matters:,} matters over {args.years} years to {args.end}")
    end = datetime.date.fromisoformat(args.end)
    if args.workers > 1:
        result = city.generate_parallel(
            matters=args.matters,
            workers=args.workers,
            seed=args.seed,
            end=end,
            years=args.years,
            progress=say,
        )
    else:
        result = city.generate_with_django(
            matters=args.matters, seed=args.seed, end=end, years=args.years, bulk=True, progress=say
        )
    rows = result.rows
    total = result.seconds + result.index_seconds + result.commit_seconds
    say(
        f"generated {rows:,} rows in {total:.0f} s ({rows / total:,.0f} rows/s, {args.matters / total:,.0f} "
        f"matters/s overall): rows {result.seconds:.0f} s (of which a single process's events "
        f"{result.event_seconds:.0f} s), indexes and constraints {result.index_seconds:.0f} s, commit "
        f"{result.commit_seconds:.0f} s"
    )
    for table, count in sorted(result.counts.items()):
        say(f"  {table:28} {count:>14,}")
    return {"generate_seconds": total, "rows": rows, "counts": dict(result.counts)}


def fill(args: argparse.Namespace) -> float:
    from lawdesk.stats import fill as stats_fill

    end = datetime.date.fromisoformat(args.end)
    began = time.perf_counter()

    def progress(month: datetime.date, so_far: Any) -> None:
        say(f"  {month:%Y-%m} filled: {so_far.rows:,} day counts so far, {time.perf_counter() - began:.0f} s")

    if args.fill_days:
        since = end - datetime.timedelta(days=args.fill_days - 1)
        say(
            f"filling the statistics from {since} to {end} only (rebuild_counts(since=, until=)): the figures of the month are partial"
        )
        result = stats_fill.rebuild_counts(since=since, until=end, progress=progress)
    elif args.fill_months:
        index = end.year * 12 + end.month - 1 - (args.fill_months - 1)
        since = datetime.date(index // 12, index % 12 + 1, 1)
        say(
            f"filling the statistics from {since} to {end} (lawdesk.stats.fill.rebuild_counts(since=, until=))"
        )
        result = stats_fill.rebuild_counts(since=since, until=end, progress=progress)
    else:
        say("filling the statistics (lawdesk.stats.fill.rebuild_counts)")
        result = stats_fill.rebuild_counts(until=end, progress=progress)
    seconds = time.perf_counter() - began
    say(
        f"filled {result.indicators} indicators, {result.rows:,} day counts, {len(result.months)} months "
        f"in {seconds:.1f} s"
    )
    return seconds


def analyze() -> float:
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    seconds = time.perf_counter() - began
    say(f"VACUUM (ANALYZE) in {seconds:.1f} s")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--matters", type=int, default=1_000_000)
    parser.add_argument("--db", default="lawdesk_bench")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5432")
    parser.add_argument("--user", default="postgres")
    parser.add_argument(
        "--end", default="2026-10-31", help="the last day of matters (the measured month ends it)"
    )
    parser.add_argument("--years", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement (after one warm-up)")
    parser.add_argument(
        "--baseline-runs",
        type=int,
        default=None,
        help="timed runs of the raw-row baselines (default: --runs)",
    )
    parser.add_argument("--phases", default="create,generate,analyze,fill,measure,drop")
    parser.add_argument("--workers", type=int, default=4, help="generating processes (whole years each)")
    parser.add_argument(
        "--fill-days",
        type=int,
        default=0,
        help="fill only the last N days (the month's figures are then partial)",
    )
    parser.add_argument(
        "--fill-months",
        type=int,
        default=1,
        help="fill the last N months of statistics (default 1, the measured month; 0: every month, hours at 1M+)",
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--replace", action="store_true", help="drop the database first if it exists")
    args = parser.parse_args(argv)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    if args.keep and "drop" in phases:
        phases.remove("drop")

    os.environ["DATABASE_URL"] = server_url(args, args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    os.environ["LAWDESK_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LAWDESK_LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    say(f"bench: {args.matters:,} matters into {args.db}; phases {', '.join(phases)}")
    say(f"machine: {platform.node()} {os.cpu_count()} cores, load {os.getloadavg()}")

    if "create" in phases:
        create(args)
    elif "migrate" in phases:
        began = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"], cwd=ROOT, check=True)
        say(f"migrated in {time.perf_counter() - began:.1f} s")
    import django

    django.setup()
    from django.test.utils import override_settings

    # Templates render {% static %} without a collectstatic manifest (the hashed names are a dict lookup).
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    info: dict[str, Any] = {"matters": args.matters, "db": args.db}
    try:
        if "generate" in phases:
            info |= generate(args)
            print_sizes()
        if "analyze" in phases:
            info["analyze_seconds"] = analyze()
            print_sizes()
        if "fill" in phases:
            info["fill_seconds"] = fill(args)
        if "measure" in phases:
            from bench import measure

            month = datetime.date.fromisoformat(args.end).replace(day=1)
            report = measure.run_all(
                month=month, runs=args.runs, progress=say, info=info, baseline_runs=args.baseline_runs
            )
            print(report)
            OUT.mkdir(exist_ok=True)
            path = OUT / f"{args.db}-{args.matters}.md"
            path.write_text(report, encoding="utf-8")
            say(f"written to {path}")
    finally:
        if "drop" in phases:
            drop(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
