"""Whether starting e5 on the question before the first stage (``rerank.query_vector_soon``) makes a search
faster: one warm process, every bench question searched both ways, alternating question by question (each way
first half the time, so the machine's drift falls on both alike), both encoders' question caches emptied before
every search (as ``bench/laws/run.py`` does). Prints p50, p95 and mean per way, and e5's encoding and the first stage alone.

    LAWDESK_VAR_DIR=… .venv/bin/python bench/laws_overlap.py [--db DATABASE_URL]
    LAWDESK_LAWS_RERANK_THREADS=2 LAWDESK_VAR_DIR=… .venv/bin/python bench/laws_overlap.py

The database must hold the imported corpus with both sets of vectors (``bench/laws/run.py`` or ``import_laws``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import Future
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="DATABASE_URL (default sqlite:///var/bench-laws.sqlite3)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.db or f"sqlite:///{ROOT / 'var' / 'bench-laws.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    import django

    django.setup()
    from django.conf import settings

    from bench.laws.run import _forget_query_caches as forget
    from bench.laws.run import load_questions, percentile
    from lawdesk.laws import rerank, search

    if not search.rerank_ready():
        print("SKIPPED: no stored e5 vectors for this corpus (run bench/laws/run.py or import_laws first)")
        return
    questions = [q["q"] for q in load_questions()]  # a set kept unseen (run.UNSEEN) is not searched
    search.search_articles("预热", limit=10)
    overlapping = rerank.query_vector_soon

    def in_turn(text: str) -> Future:
        done: Future = Future()
        done.set_result(rerank.query_vector(text))
        return done

    times: dict[str, list[float]] = {"e5 beside the first stage": [], "e5 after it (before)": []}
    alone: dict[str, list[float]] = {"e5 encoding alone": [], "first stage alone": []}
    ways = list(times)
    try:
        for number, question in enumerate(questions):
            for way in ways if number % 2 else reversed(ways):
                forget()
                rerank.query_vector_soon = overlapping if way == ways[0] else in_turn
                start = time.perf_counter()
                search.search_articles(question, limit=10)
                times[way].append((time.perf_counter() - start) * 1000)
            forget()
            start = time.perf_counter()
            rerank.query_vector(question)
            alone["e5 encoding alone"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            search.search_articles(question, limit=10, reorder=False)
            alone["first stage alone"].append((time.perf_counter() - start) * 1000)
    finally:
        rerank.query_vector_soon = overlapping
    threads = settings.LAWDESK_LAWS_RERANK_THREADS
    print(f"{len(questions)} questions, e5 on {threads} thread(s), load {os.getloadavg()[0]:.1f}")
    for name, values in {**times, **alone}.items():
        print(
            f"{name:>26}: p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
            f"mean {statistics.mean(values):.1f} ms"
        )


if __name__ == "__main__":
    main()
