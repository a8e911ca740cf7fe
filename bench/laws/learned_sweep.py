"""A learned re-ordering of the fused best 30, measured against the shipped rank rule on the tuned sets only.

    .venv/bin/python bench/laws/learned_sweep.py --cache /tmp/rerank.json

Reads the candidates ``rerank_sweep.py --cache`` keeps (run that first: it searches; this only replays). Each
candidate of a question's best 30 gets a few features (its fused and e5 places as reciprocal ranks, both scores
rescaled min-max over the 30, its e5 cosine less the best one, the share of the fused top 10 in its law, and the
first two again for questions whose words the fusion trusts), and a linear score is trained by a pairwise
logistic loss (each answer against the other candidates of its question). The honest figure is
leave-one-set-out: each tuned set is re-ordered by weights trained without it. Prints recall@5 / @10 over the
tuned questions, tune + A-D (the floor, 0.83) and the topic groups below lexical only, beside the shipped rule.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.laws.rerank_sweep import TUNED_FIRST, groups_below, ranked, recall  # noqa: E402
from lawdesk.laws.rerank import ranks  # noqa: E402

TOP = 30
L2 = 0.01
STEPS = 300
RATE = 0.5
Label = tuple[Any, ...]  # (law title, article number); a number may be None


def minmax(values: np.ndarray) -> np.ndarray:
    low, high = values.min(), values.max()
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def features(case: dict[str, Any]) -> tuple[list[Label], np.ndarray | None]:
    ids: list[Label] = [tuple(label) for label in case["ids"][:TOP]]
    if len(ids) < 2:
        return ids, None
    fused = np.array(case["fused"][: len(ids)])
    cosine = np.array(case["cosine"][: len(ids)])
    strong = 1.0 if case["strong"] else 0.0
    by_fused, by_e5 = 1 / (2 + ranks(fused)), 1 / (2 + ranks(cosine))
    laws = [title for title, _ in ids]
    share = np.array([laws[:10].count(title) / len(laws[:10]) for title in laws])
    columns = [by_fused, by_e5, minmax(fused), minmax(cosine), cosine - cosine.max(), share]
    columns += [by_fused * strong, by_e5 * strong]
    return ids, np.stack(columns, axis=1)


class Learner:
    """Pairwise logistic regression on standardised features (mean and spread of every tuned candidate)."""

    def __init__(self, matrices: list[np.ndarray]) -> None:
        every = np.concatenate(matrices)
        self.mean = every.mean(axis=0)
        self.spread = every.std(axis=0) + 1e-9

    def scaled(self, x: np.ndarray) -> np.ndarray:
        return np.asarray((x - self.mean) / self.spread)

    def train(self, rows: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        pairs = []
        for x, y in rows:
            if 0 < y.sum() < len(y):
                z = self.scaled(x)
                diff = (z[y == 1][:, None, :] - z[y == 0][None, :, :]).reshape(-1, z.shape[1])
                pairs.append(diff)
        weights = np.zeros(len(self.mean))
        for _ in range(STEPS):
            gradient = L2 * weights
            for diff in pairs:
                gradient -= diff.T @ (1 / (1 + np.exp(diff @ weights))) / len(diff) / len(pairs)
            weights -= RATE * gradient
        return weights

    def order(self, ids: list[Label], x: np.ndarray | None, weights: np.ndarray) -> list[Label]:
        if x is None:
            return ids[:10]
        score = self.scaled(x) @ weights
        return [ids[i] for i in np.argsort(-score, kind="stable")[:10]]


def report(name: str, cases: list[dict[str, Any]], top10: Callable[[dict[str, Any]], list[Any]]) -> None:
    results = {c["id"]: top10(c) for c in cases}
    r5 = statistics.mean(recall(results[c["id"]], c["answers"], 5) for c in cases)
    r10 = statistics.mean(recall(results[c["id"]], c["answers"], 10) for c in cases)
    first = [c for c in cases if c["set"] in ("tune", *TUNED_FIRST)]
    floor = statistics.mean(recall(results[c["id"]], c["answers"], 5) for c in first)
    below = groups_below([(c, results[c["id"]]) for c in cases])
    print(f"{name:<42} {r5:.3f} / {r10:.3f}   tune+A-D {floor:.3f}   groups below lexical {below}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", required=True, help="the candidates kept by rerank_sweep.py --cache")
    args = parser.parse_args()
    cases: list[dict[str, Any]] = json.loads(Path(args.cache).read_text(encoding="utf-8"))
    rows = []
    for case in cases:
        ids, x = features(case)
        wanted = {(title, int(number)) for title, number in case["answers"]}
        rows.append((case, ids, x, np.array([1.0 if label in wanted else 0.0 for label in ids])))
    learner = Learner([x for _, _, x, _ in rows if x is not None])
    held: dict[Any, list[Label]] = {}
    for name_set in sorted({c["set"] for c in cases}):
        weights = learner.train([(x, y) for c, _, x, y in rows if x is not None and c["set"] != name_set])
        for case, ids, x, _ in rows:
            if case["set"] == name_set:
                held[case["id"]] = learner.order(ids, x, weights)
    weights = learner.train([(x, y) for _, _, x, y in rows if x is not None])
    whole = {case["id"]: learner.order(ids, x, weights) for case, ids, x, _ in rows}
    print(f"{len(cases)} tuned questions; recall@5 / recall@10")
    report("shipped: ranks, 30, 0.6, 0.2, offset 2", cases, lambda c: ranked(c, 30, 0.6, 0.2, 0, 2.0))
    report("learned, leave-one-set-out", cases, lambda c: held[c["id"]])
    report("learned, trained on all (in-sample)", cases, lambda c: whole[c["id"]])
    print("weights trained on all (standardised features):", np.round(weights, 3).tolist())


if __name__ == "__main__":
    main()
