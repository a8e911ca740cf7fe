"""Quick per-set recall of fusion-rule variants through ``search_articles`` (issue 22, fifth round).

    LAWDESK_VAR_DIR=/tmp/var-x .venv/bin/python bench/laws/variants.py "weak0.8=weak_weight=0.8" "rows3=strong_rows=3"

Each argument is ``NAME=FIELD=VALUE[,FIELD=VALUE]`` (fields of ``search.Fusion`` replaced in ``FUSION``); the
current rule and lexical only are always measured. One run per question (``run.py``'s ``evaluate``, per-query
caches emptied), over the bench database ``run.py`` imported (``var/bench-laws.sqlite3``). Prints recall@5 / @10 of
tune + A–D, E, F, G, H and E–H together, p50 / p95 ms, and the topic groups of E–H where the variant is below
lexical only at recall@5 or @10. Sets kept unseen (``run.UNSEEN``) and the last judged set, heldout-n, are never loaded.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.laws.run import UNSEEN, evaluate, load_questions, percentile  # noqa: E402

TUNED = ("heldout-e", "heldout-f", "heldout-g", "heldout-h")
JUDGED = "heldout-n"  # the last judged set: never read while tuning


def parse(spec: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for part in filter(None, spec.split(",")):
        key, _, value = part.partition("=")
        fields[key.strip()] = ast.literal_eval(value.strip())
    return fields


def _is(wanted: str) -> Callable[[str], bool]:
    return lambda set_name: set_name == wanted


def main() -> None:
    os.chdir(ROOT)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-laws.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    import django

    django.setup()
    from lawdesk.laws.search import FUSION, get_index, search_articles

    questions = [q for q in load_questions(None) if q["set"] != JUDGED]
    assert not any(q["set"] in UNSEEN for q in questions)
    get_index()
    variants: list[tuple[str, dict[str, Any]]] = [
        ("lexical only", {"use_semantic": False}),
        ("current rule", {}),
    ]
    for arg in sys.argv[1:]:
        name, _, spec = arg.partition("=")
        variants.append((name, {"fusion": dataclasses.replace(FUSION, **parse(spec))}))
    groups: dict[str, Callable[[str], bool]] = {"tune+A-D": lambda s: s not in TUNED}
    for tuned in TUNED:
        groups[tuned[-1].upper()] = _is(tuned)
    groups["E-H"] = lambda s: s in TUNED
    results: dict[str, list[dict[str, Any]]] = {}
    for name, kwargs in variants:

        def rank(question: str, kwargs: dict[str, Any] = kwargs) -> list[tuple[str, int]]:
            return [(h.law_title, h.article_no) for h in search_articles(question, limit=10, **kwargs)]

        started = time.perf_counter()
        per = evaluate(rank, questions, 1)["per"]
        results[name] = per
        cells = []
        for label, member in groups.items():
            sub = [p for p in per if member(p["set"])]
            r5 = statistics.mean(p["recall5"] for p in sub)
            r10 = statistics.mean(p["recall10"] for p in sub)
            cells.append(f"{label} {r5:.3f}/{r10:.3f}")
        below = []
        for set_name in TUNED if name != "lexical only" else ():
            for topic in sorted({p["topic"] for p in per if p["set"] == set_name}):
                ours = [p for p in per if p["set"] == set_name and p["topic"] == topic]
                lex = [p for p in results["lexical only"] if p["set"] == set_name and p["topic"] == topic]
                if any(
                    statistics.mean(p[m] for p in ours) < statistics.mean(p[m] for p in lex) - 1e-9
                    for m in ("recall5", "recall10")
                ):
                    below.append(f"{set_name[-1].upper()}:{topic}")
        ms = [p["ms"] for p in per]
        print(
            f"{name:16} "
            + "  ".join(cells)
            + f"  p50 {percentile(ms, 50):.1f} p95 {percentile(ms, 95):.1f} ms"
            f"  below lexical {len(below)}: {' '.join(below)}  ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
