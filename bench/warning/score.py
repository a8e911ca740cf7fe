"""Precision and recall of the detector against the planted answer.

A signal found is a hit when most of its records (more than half) belong to one planted signal of the same kind;
a planted signal is recalled when at least one signal found hits it. Precision = hits / signals found, recall =
planted signals recalled / planted signals, per kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.warning.generate import Generated
from lawdesk.screening.detect import CLUSTER, REPEAT, RISK, Found, Params, detect

KINDS = (REPEAT, RISK, CLUSTER)


@dataclass
class Score:
    kind: str
    found: int
    hits: int
    planted: int
    recalled: int

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.planted if self.planted else 1.0


def _records(item: Found) -> set[tuple[str, int]]:
    return {("m", m) for m in item.matters} | {("v", v) for v in item.visits}


def score(data: Generated, params: Params) -> tuple[dict[str, Score], list[Found]]:
    found = detect(data.visits, data.disputes, now=data.now, params=params)
    scores = {k: Score(k, 0, 0, sum(1 for t in data.truths if t.kind == k), 0) for k in KINDS}
    recalled: set[str] = set()
    misses: list[Found] = []
    for item in found:
        scores[item.kind].found += 1
        records = _records(item)
        best = None
        for truth in data.truths:
            if truth.kind != item.kind:
                continue
            planted = {("m", m) for m in truth.matters} | {("v", v) for v in truth.visits}
            if len(records & planted) * 2 > len(records):
                best = truth
                break
        if best is None:
            misses.append(item)
            continue
        scores[item.kind].hits += 1
        recalled.add(best.label)
    for truth in data.truths:
        if truth.label in recalled:
            scores[truth.kind].recalled += 1
    return scores, misses
