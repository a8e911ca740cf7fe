"""Ledger numbers under concurrent intake: per platform, ledger and year, no gaps, no duplicates.

The suite runs on SQLite by default and on PostgreSQL when ``DATABASE_URL`` is set; this file runs on whichever
it is. 200 visits are registered at once from 16 threads, each with its own database connection.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction

from lawdesk.matters import services
from lawdesk.matters.models import LedgerCounter, Matter, MatterKind, Visit
from lawdesk.matters.numbering import VISIT_LEDGER, next_number
from lawdesk.orgs.models import OrgNode
from tests.conftest import Personas, Tree

VISITS = 200
THREADS = 16


def _require_a_shared_database() -> None:
    """Threads need one database they all write to, as in production; SQLite's in-memory test database shares
    a cache instead, where a second writer fails at once rather than waiting for the write lock."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        pytest.fail("the SQLite test database must be a file: set DATABASES['default']['TEST']['NAME']")


def _run_batch(actor: Any, node: OrgNode, start: int, count: int, barrier: threading.Barrier) -> list[int]:
    try:
        barrier.wait(timeout=30)
        ids = []
        for index in range(start, start + count):
            ids.append(
                services.visit_register(
                    actor=actor,
                    node=node,
                    person_data=services.PersonInput(name=f"并发测试{index:03d}", phone=f"139{index:08d}"),
                    matters=[services.MatterInput(kind=MatterKind.DISPUTE, summary=f"相邻纠纷{index}")],
                ).pk
            )
        return ids
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_visits_get_gapless_unique_numbers(tree: Tree, personas: Personas) -> None:
    _require_a_shared_database()
    actor, node = personas.clerk_a, tree.station_a
    per_thread = VISITS // THREADS
    batches = [(i * per_thread, per_thread) for i in range(THREADS)]
    batches[-1] = (batches[-1][0], VISITS - batches[-1][0])
    barrier = threading.Barrier(THREADS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(_run_batch, actor, node, start, count, barrier) for start, count in batches]
        ids = [pk for future in futures for pk in future.result(timeout=120)]
    elapsed = time.perf_counter() - started
    print(
        f"\n{VISITS} visits from {THREADS} threads on {connection.vendor}: {elapsed:.2f} s "
        f"({VISITS / elapsed:.0f} visits/s)"
    )

    assert len(set(ids)) == VISITS
    visits = Visit.objects.filter(node=node)
    assert sorted(visits.values_list("seq", flat=True)) == list(range(1, VISITS + 1))
    matters = Matter.objects.filter(node=node, kind=MatterKind.DISPUTE)
    assert sorted(seq or 0 for seq in matters.values_list("ledger_seq", flat=True)) == list(
        range(1, VISITS + 1)
    )
    year = visits.first().year  # type: ignore[union-attr]
    counters = dict(LedgerCounter.objects.filter(node=node, year=year).values_list("ledger", "last"))
    assert counters == {"visit": VISITS, "dispute": VISITS}
    assert elapsed < 20


def _take_numbers(node: OrgNode, count: int, barrier: threading.Barrier) -> list[int]:
    """Each number in its own transaction whose first statement is the counter's read: the pattern that breaks
    when the lock is not taken (PostgreSQL without FOR UPDATE, SQLite without BEGIN IMMEDIATE)."""
    try:
        barrier.wait(timeout=30)
        numbers = []
        for _ in range(count):
            with transaction.atomic():
                numbers.append(next_number(node=node, ledger="dispute", year=2026))
        return numbers
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_numbers_read_first_in_their_transaction(tree: Tree) -> None:
    _require_a_shared_database()
    barrier = threading.Barrier(THREADS)
    per_thread = [VISITS // THREADS + (1 if i < VISITS % THREADS else 0) for i in range(THREADS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(_take_numbers, tree.station_b, count, barrier) for count in per_thread]
        numbers = [n for future in futures for n in future.result(timeout=120)]
    elapsed = time.perf_counter() - started
    print(f"\n{VISITS} bare numbers from {THREADS} threads on {connection.vendor}: {elapsed:.2f} s")
    assert sorted(numbers) == list(range(1, VISITS + 1))
    assert LedgerCounter.objects.get(node=tree.station_b, ledger="dispute", year=2026).last == VISITS


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_registration_leaves_no_gap(tree: Tree, personas: Personas) -> None:
    node = tree.station_a
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(node=node, ledger=VISIT_LEDGER, year=2026) == 1
        raise RuntimeError("the record that carried the number failed to save")
    with transaction.atomic():
        assert next_number(node=node, ledger=VISIT_LEDGER, year=2026) == 1
        assert next_number(node=node, ledger=VISIT_LEDGER, year=2026) == 2


@pytest.mark.django_db
def test_numbers_are_per_platform_ledger_and_year(tree: Tree) -> None:
    with transaction.atomic():
        assert next_number(node=tree.station_a, ledger=VISIT_LEDGER, year=2026) == 1
        assert next_number(node=tree.station_b, ledger=VISIT_LEDGER, year=2026) == 1
        assert next_number(node=tree.station_a, ledger="dispute", year=2026) == 1
        assert next_number(node=tree.station_a, ledger=VISIT_LEDGER, year=2027) == 1
        assert next_number(node=tree.station_a, ledger=VISIT_LEDGER, year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused(tree: Tree) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number(node=tree.station_a, ledger=VISIT_LEDGER, year=2026)
