"""Build the indexes and constraints a generation dropped, taking their definitions from a database with the
same schema (e.g. a freshly migrated one), several at a time on separate connections.

For a generation that was stopped after its rows were committed but before its own (sequential, validating)
rebuild finished. ``--not-valid`` adds the foreign keys without checking the existing rows (the generator's
rows are consistent by construction; the full check runs in the ordinary rebuild and in the test).

    .venv/bin/python bench/finish_indexes.py --db lawdesk_bench_10m --template lawdesk_bench_1m --not-valid
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import time

import psycopg

TABLES = ("people_person", "matters_visit", "matters_matter", "matters_matterevent", "matters_ledgercounter")


def say(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def definitions(url: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """(index name, CREATE INDEX) of plain indexes; (table, name, type, definition) of constraints."""
    with psycopg.connect(url) as conn:
        indexes = conn.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary"
            " AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'p'))",
            [list(TABLES)],
        ).fetchall()
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')",
            [list(TABLES)],
        ).fetchall()
    return list(indexes), list(constraints)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--not-valid", action="store_true")
    args = parser.parse_args()
    target = f"{args.server}/{args.db}"
    want_indexes, want_constraints = definitions(f"{args.server}/{args.template}")
    have_indexes, have_constraints = definitions(target)
    have_index_names = {name for name, _ in have_indexes}
    have_constraint_names = {name for _, name, _, _ in have_constraints}
    todo: list[str] = [d for name, d in want_indexes if name not in have_index_names]
    uniques = [
        f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}'
        for t, n, kind, d in want_constraints
        if kind == "u" and n not in have_constraint_names
    ]
    foreign = [
        f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' + (" NOT VALID" if args.not_valid else "")
        for t, n, kind, d in want_constraints
        if kind == "f" and n not in have_constraint_names
    ]
    say(f"{len(todo)} indexes, {len(uniques)} unique and {len(foreign)} foreign-key constraints to build")

    def run(sql: str) -> None:
        began = time.perf_counter()
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute(sql)
        say(f"  {time.perf_counter() - began:6.1f} s  {sql[:110]}")

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(run, todo + uniques))
    # Foreign keys take a SHARE ROW EXCLUSIVE lock on both tables: one at a time.
    for sql in foreign:
        run(sql)
    say(f"done in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
