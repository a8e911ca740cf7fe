"""Choosing the e5 re-ordering (``lawdesk/laws/rerank.py``) on the tuned sets only.

    LAWDESK_VAR_DIR=… .venv/bin/python bench/laws/rerank_sweep.py [--judge heldout-n] [--cache /tmp/rerank.json]

For every tuned question (every set but the judged one and those kept unseen, ``run.UNSEEN``: they are never
loaded), the fused ranking's best 60 are read once with their fused scores and e5 cosines (``Index.top`` with
``rerank.reorder`` recording its input and leaving the order alone), with the lexical-only top 10 and whether
the fusion trusted the words (``Fusion.weight_for`` gave the strong weight), e5's nearest articles of the whole
corpus and e5's nearest within each of the fused ranking's first three laws. Each variant (how many of the best
are re-ordered, e5's share, min-max or ranks, and which of e5's nearest are added after the best) is then
evaluated without searching again: recall@5 and @10 per set and over the tuned sets, and the topic groups where
it falls below lexical only. Prints one line per variant, best first by recall@5 + recall@10 over the tuned sets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.laws.run import UNSEEN, load_questions, minmax_reorder  # noqa: E402

FETCH = 60
NEAR = 20  # e5's nearest articles of the whole corpus, recorded per question
LAWS = 3  # the first laws of the fused ranking whose articles e5 searches, recorded per question
PER_LAW = 10  # e5's nearest articles within each of them
TUNED_FIRST = ("heldout-a", "heldout-b", "heldout-c", "heldout")  # A-D: the map was grown on them and on tune


def expanded_e5_questions(min_weight: float) -> dict[str, str]:
    """From now on, e5 reads each question with the legal terms of its colloquial rows appended (rows of weight
    ``min_weight`` or more, terms not already in the question, as ``Fusion.expand_query`` does for the shipped
    encoder). Returns the texts e5 was given, by question, as they are searched."""
    from lawdesk.laws import search

    seen: dict[str, Any] = {}
    given: dict[str, str] = {}
    real_groups, real_soon = search.query_groups, search.second_stage.query_vector_soon

    def groups(query: str, **kwargs: Any) -> Any:
        seen["query"], seen["groups"] = query, real_groups(query, **kwargs)
        return seen["groups"]

    def soon(text: str) -> Any:
        extra = []
        if seen.get("query") == text:
            extra = [t for terms, w in seen["groups"][1:] for t in terms if w >= min_weight and t not in text]
        given[text] = f"{text} {' '.join(dict.fromkeys(extra))}" if extra else text
        return real_soon(given[text])

    search.query_groups = groups
    search.second_stage.query_vector_soon = soon
    return given


def e5_milliseconds(texts: list[str]) -> tuple[float, float]:
    """p50 and p95 of e5 encoding these texts one by one, its cache emptied before each."""
    import time

    from lawdesk.laws import rerank

    times = []
    for text in texts:
        rerank.query_vector.cache_clear()
        started = time.perf_counter()
        rerank.query_vector(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(0.95 * (len(times) - 1))]


def collect(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import numpy as np

    from lawdesk.laws import rerank, search
    from lawdesk.laws.models import Article

    seen: dict[str, Any] = {}
    real_reorder = rerank.reorder
    real_weight_for = search.Fusion.weight_for

    def recording_reorder(fused: np.ndarray, cosine: np.ndarray, weight: float = rerank.WEIGHT) -> np.ndarray:
        seen["fused"], seen["cosine"] = fused.tolist(), cosine.tolist()
        return fused

    def recording_weight_for(self: search.Fusion, top_lexical: float, mapped_rows: int) -> float:
        weight = real_weight_for(self, top_lexical, mapped_rows)
        seen["strong"] = weight == self.weight
        return weight

    label_of = {
        pk: (title, number)
        for pk, title, number in Article.objects.values_list("pk", "law__title", "number").iterator()
    }
    rerank.reorder = recording_reorder
    search.Fusion.weight_for = recording_weight_for  # type: ignore[method-assign]
    saved_top = rerank.TOP
    rerank.TOP = FETCH
    index = search.get_index()
    real_top = index.top
    position_of = {int(pk): i for i, pk in enumerate(index.article_ids.tolist())}

    def top(weights: dict[str, float], limit: int, **kwargs: Any) -> list[tuple[int, float]]:
        ranked = real_top(weights, FETCH, **kwargs)
        seen["ids"] = [pk for pk, _ in ranked]
        return ranked

    out = []
    try:
        for q in questions:
            seen.clear()
            index.top = top  # type: ignore[method-assign]
            try:
                search.search_articles(q["q"], limit=10)
            finally:
                del index.top
            lexical = search.search_articles(q["q"], limit=10, use_semantic=False)
            assert index.rerank_vectors is not None
            whole = index.rerank_vectors @ rerank.query_vector(q["q"])
            near = np.argsort(-whole)[:NEAR]
            laws: list[int] = []
            for pk in seen.get("ids", []):
                law = int(index.law_ids[position_of[pk]])
                if law not in laws:
                    laws.append(law)
                if len(laws) == LAWS:
                    break
            law_near = []
            for law in laws:
                rows = np.flatnonzero(index.law_ids == law)
                nearest = rows[np.argsort(-whole[rows], kind="stable")[:PER_LAW]]
                law_near.append([[*label_of[int(index.article_ids[i])], float(whole[i])] for i in nearest])
            out.append(
                {
                    "id": q["id"],
                    "set": q["set"],
                    "topic": q.get("topic", ""),
                    "answers": [[law, int(no)] for law, no in q["answers"]],
                    "ids": [list(label_of[pk]) for pk in seen.get("ids", [])],
                    "fused": seen.get("fused", []),
                    "cosine": seen.get("cosine", []),
                    "strong": bool(seen.get("strong", False)),
                    "lexical": [[h.law_title, h.article_no] for h in lexical],
                    "near": [list(label_of[int(index.article_ids[i])]) for i in near],
                    "near_cosine": [float(whole[i]) for i in near],
                    "law_near": law_near,
                }
            )
    finally:
        rerank.reorder = real_reorder
        search.Fusion.weight_for = real_weight_for  # type: ignore[method-assign]
        rerank.TOP = saved_top
    return out


def ranked(
    case: dict[str, Any],
    top: int,
    weak: float,
    strong: float,
    extra: int = 0,
    offset: float | None = None,
    laws: int = 0,
    per_law: int = 0,
) -> list[tuple[str, int]]:
    """The top 10 after re-ordering the best ``top`` with e5's share ``weak`` (``strong`` for a question whose
    words the fusion trusts), by ranks with ``offset`` (``rerank.reorder``'s reciprocal ranks) or, with no
    offset, by both scores rescaled min-max (the rule shipped until 2026-12-07, ``run.minmax_reorder``); with
    e5's nearest ``extra`` articles of the whole corpus that the best ``top`` lack added at the lowest fused
    score; or with e5's nearest ``per_law`` articles within each of the fused ranking's first ``laws`` laws that
    the best ``top`` lack, added the same way."""
    import numpy as np

    from lawdesk.laws import rerank

    ids = [tuple(x) for x in case["ids"]]
    weight = strong if case["strong"] else weak
    if not ids or weight == 0:
        return ids[:10]
    head = min(max(10, top), len(ids))
    fused, cosine = list(case["fused"][:head]), list(case["cosine"][:head])
    ids = ids[:head]
    if extra:
        have = set(ids)
        added = [
            (tuple(x), c)
            for x, c in zip(case["near"], case["near_cosine"], strict=True)
            if tuple(x) not in have
        ]
        for label, c in added[:extra]:
            ids.append(label)
            fused.append(min(fused))
            cosine.append(c)
    if laws and per_law:
        have = set(ids)
        for nearest in case["law_near"][:laws]:
            in_law = [(title, no, c) for title, no, c in nearest if (title, no) not in have]
            for title, no, c in in_law[:per_law]:
                ids.append((title, no))
                have.add((title, no))
                fused.append(min(fused))
                cosine.append(c)
    if offset is None:
        score = minmax_reorder(np.array(fused), np.array(cosine), weight)
    else:
        places_fused, places_e5 = rerank.ranks(np.array(fused)), rerank.ranks(np.array(cosine))
        score = (1 - weight) / (offset + places_fused) + weight / (offset + places_e5)
    order = np.argsort(-score, kind="stable")
    return [ids[i] for i in order[:10]]


def groups_below(per: list[tuple[dict[str, Any], list[Any]]]) -> int:
    """How many topic groups (a set's questions of one topic) the ranked results ``per`` (question, top 10)
    put below lexical only at recall@5 or at recall@10."""
    below = 0
    for name in sorted({c["set"] for c, _ in per}):
        for topic in sorted({c["topic"] for c, _ in per if c["set"] == name}):
            sub = [(c, r) for c, r in per if c["set"] == name and c["topic"] == topic]
            if any(
                sum(recall(r, c["answers"], k) for c, r in sub)
                < sum(recall(c["lexical"], c["answers"], k) for c, _ in sub) - 1e-9
                for k in (5, 10)
            ):
                below += 1
    return below


def recall(results: list[Any], answers: list[list[Any]], k: int) -> float:
    wanted = {(law, int(no)) for law, no in answers}
    return len(wanted & {(law, no) for law, no in results[:k]}) / len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--judge", default="heldout-n", help="the judged set: never loaded (default heldout-n)"
    )
    parser.add_argument("--cache", help="keep the candidates in this JSON file (a rerun reads it)")
    parser.add_argument("--db", help="DATABASE_URL (default sqlite:///var/bench-laws.sqlite3)")
    parser.add_argument(
        "--e5-terms",
        type=float,
        metavar="MIN_WEIGHT",
        help="e5 reads each question with its colloquial rows' legal terms (rows of at least this weight) appended",
    )
    args = parser.parse_args()
    cache = Path(args.cache) if args.cache else None
    if cache is not None and cache.exists():
        cases = json.loads(cache.read_text(encoding="utf-8"))
    else:
        os.environ["DATABASE_URL"] = args.db or f"sqlite:///{ROOT / 'var' / 'bench-laws.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
        import django

        django.setup()
        from lawdesk.laws.search import rerank_ready

        if not rerank_ready():
            print(
                "SKIPPED: no stored e5 vectors for this corpus (run bench/laws/run.py or import_laws first)"
            )
            return
        questions = [q for q in load_questions(None) if q["set"] != args.judge]
        assert not any(q["set"] in UNSEEN or q["set"] == args.judge for q in questions)
        given = expanded_e5_questions(args.e5_terms) if args.e5_terms is not None else None
        cases = collect(questions)
        if given is not None:
            plain = [q["q"] for q in questions]
            added = sorted(len(given.get(q, q)) - len(q) for q in plain)
            print(
                f"e5 reads {statistics.mean(added):.1f} characters more a question (p95 {added[int(0.95 * (len(added) - 1))]})"
            )
            for name, texts in (
                ("question alone", plain),
                ("with its legal terms", [given.get(q, q) for q in plain]),
            ):
                p50, p95 = e5_milliseconds(texts[:400])
                print(f"e5 encoding, {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (the first 400 questions)")
        if cache is not None:
            cache.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    sets = sorted({c["set"] for c in cases})
    rows = []
    # (top, e5's share, its share when the words are trusted, e5's nearest added, rank offset or None: min-max)
    grid: list[tuple[int, float, float, int, float | None]] = [(10, 0.0, 0.0, 0, None)]
    # e5's nearest within the fused ranking's first laws, added after the best 30 (the rank rule)
    law_grid = [
        (30, weight, strong_weight, 2.0, laws, per_law)
        for weight in (0.5, 0.6, 0.7)
        for strong_weight in (0.1, 0.2, 0.3)
        for laws in (1, 2, 3)
        for per_law in (3, 5, 10)
    ]
    grid += [
        (top, weight, strong_weight, extra, None)
        for top in (20, 30, 40)
        for weight in (0.4, 0.5, 0.6, 0.7)
        for strong_weight in (0.0, 0.1, 0.2, 0.3)
        for extra in (0, 3, 5, 10, 20)
    ]
    grid += [
        (top, weight, strong_weight, 0, offset)
        for top in (20, 30, 40)
        for weight in (0.4, 0.5, 0.6, 0.7)
        for strong_weight in (0.1, 0.2, 0.3)
        for offset in (0.5, 1.0, 2.0, 3.0, 5.0)
    ]
    # e5's nearest of the whole corpus added to the best 30 under the rank rule too (placed after them by fused rank)
    grid += [
        (30, weight, strong_weight, extra, 2.0)
        for weight in (0.5, 0.6, 0.7)
        for strong_weight in (0.1, 0.2, 0.3)
        for extra in (3, 5, 10, 20)
    ]
    variants = [(*row, 0, 0) for row in grid] + [
        (top, weight, strong_weight, 0, offset, laws, per_law)
        for top, weight, strong_weight, offset, laws, per_law in law_grid
    ]
    for top, weight, strong_weight, extra, offset, laws, per_law in variants:
        per = [(c, ranked(c, top, weight, strong_weight, extra, offset, laws, per_law)) for c in cases]
        r5 = statistics.mean(recall(r, c["answers"], 5) for c, r in per)
        r10 = statistics.mean(recall(r, c["answers"], 10) for c, r in per)
        by_set = {
            s: (
                statistics.mean(recall(r, c["answers"], 5) for c, r in per if c["set"] == s),
                statistics.mean(recall(r, c["answers"], 10) for c, r in per if c["set"] == s),
            )
            for s in sets
        }
        groups = {
            "tune+a-d": [(c, r) for c, r in per if c["set"] in ("tune", *TUNED_FIRST)],
            "e+": [(c, r) for c, r in per if c["set"] not in ("tune", *TUNED_FIRST)],
        }
        for name, sub_group in groups.items():
            by_set[name] = (
                statistics.mean(recall(r, c["answers"], 5) for c, r in sub_group),
                statistics.mean(recall(r, c["answers"], 10) for c, r in sub_group),
            )
        below = groups_below(per)
        near = f"+{extra}" if extra else (f"L{laws}x{per_law}" if laws else "")
        rows.append((r5 + r10, top, near, weight, strong_weight, offset, r5, r10, below, by_set))
    lexical5 = statistics.mean(recall(c["lexical"], c["answers"], 5) for c in cases)
    lexical10 = statistics.mean(recall(c["lexical"], c["answers"], 10) for c in cases)
    print(f"{len(cases)} tuned questions; lexical only {lexical5:.3f} / {lexical10:.3f}")
    print(
        f"{'top+e5':>9} {'e5':>4} {'strong':>6} {'ranks':>5} {'r@5':>6} {'r@10':>6} {'below':>5}  "
        + " ".join(f"{s:>12}" for s in [*sets, "tune+a-d", "e+"])
    )
    for _, top, near, weight, strong_weight, offset, r5, r10, below, by_set in sorted(
        rows, key=lambda r: -r[0]
    ):
        cells = " ".join(f"{a:.2f}/{b:.2f}".rjust(12) for a, b in by_set.values())
        print(
            f"{top:>4}{near:<5} {weight:>4.1f} {strong_weight:>6.1f} {'min-max' if offset is None else offset:>5} "
            f"{r5:>6.3f} {r10:>6.3f} {below:>5}  {cells}"
        )


if __name__ == "__main__":
    main()
