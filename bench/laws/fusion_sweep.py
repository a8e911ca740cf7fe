"""Sweep of fusion rules for the semantic score (issue 22), on the tuning sets only.

    .venv/bin/python bench/laws/fusion_sweep.py [--judge heldout-g]

Computes once per question the candidates ``Index.top`` sees (the best 50 by BM25 × prior, the best
``FUSION.candidates`` by cosine), their lexical score (BM25 × law prior × concept re-rank), cosine and law prior,
then ranks them by each rule below and prints recall@5/@10 per tuned set and, for sets E and F, the topic groups
where the rule is below the lexical ranking. The judged set (``--judge``) is skipped: it is never looked at while
tuning.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"


@dataclass
class Case:
    q: dict[str, Any]
    keys: list[tuple[str, int]]  # per candidate
    lexical: np.ndarray  # BM25 × prior × concept re-rank (0 for cosine-only candidates)
    cosine: np.ndarray  # clipped at 0
    prior: np.ndarray
    law: np.ndarray  # law id per candidate
    rows: int  # colloquial rows matched
    words: int  # the query's own words
    known: int  # the query's own words the index knows


Rule = Callable[[Case], np.ndarray]  # candidate order, best first


def norm(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if len(x) else 0.0
    return x / top if top > 0 else x


def linear(w: float, prior: bool = True) -> Rule:
    def rule(c: Case) -> np.ndarray:
        cos = c.cosine * c.prior if prior else c.cosine
        fused = (1 - w) * norm(c.lexical) + w * norm(cos)
        return np.argsort(-fused, kind="stable")

    return rule


def adaptive(w: float, weak_w: float, below: float) -> Rule:
    """``Fusion(weight=w, weak_weight=weak_w, weak_below=below)``: the linear rule with weight ``weak_w`` when the
    best lexical score is below ``below`` (weak lexical evidence), ``w`` otherwise."""

    def rule(c: Case) -> np.ndarray:
        top = float(c.lexical.max()) if len(c.lexical) else 0.0
        return linear(weak_w if top < below else w)(c)

    return rule


def lexical_order(c: Case) -> np.ndarray:
    return np.argsort(-c.lexical, kind="stable")


def ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(-x, kind="stable")
    r = np.empty(len(x), dtype=np.float64)
    r[order] = np.arange(1, len(x) + 1)
    return r


def rrf(k: float, beta: float) -> Rule:
    def rule(c: Case) -> np.ndarray:
        lex_r = ranks(c.lexical)
        lex_part = np.where(c.lexical > 0, 1.0 / (k + lex_r), 0.0)
        fused = lex_part + beta / (k + ranks(c.cosine * c.prior))
        return np.argsort(-fused, kind="stable")

    return rule


def banded(w: float, cap: float) -> Rule:
    """``Fusion(weight=w, cap=cap)``: (1 - w) × lexical/best + min(w × cosine/best, cap): the cosine re-ranks
    only among candidates within ``cap`` of each other in lexical score."""

    def rule(c: Case) -> np.ndarray:
        fused = (1 - w) * norm(c.lexical) + np.minimum(w * norm(c.cosine * c.prior), cap)
        return np.argsort(-fused, kind="stable")

    return rule


def keep_top(w: float, keep: int, gap: float) -> Rule:
    """Linear fusion, but the lexical top ``keep`` stay first when each leads the next lexical candidate by a
    ratio ≥ ``gap``."""

    def rule(c: Case) -> np.ndarray:
        lex = lexical_order(c)
        fused_order = list(linear(w)(c))
        pinned: list[int] = []
        for i in range(min(keep, len(lex) - 1)):
            a, b = c.lexical[lex[i]], c.lexical[lex[i + 1]]
            if a <= 0 or (b > 0 and a / b < gap):
                break
            pinned.append(int(lex[i]))
        rest = [i for i in fused_order if i not in pinned]
        return np.array(pinned + rest, dtype=np.int64)

    return rule


def bonus(w: float, floor: float) -> Rule:
    """``Fusion(weight=w, floor=floor)``: lexical/best + w × the cosine's excess over ``floor`` (cosine/best,
    rescaled so the best is 1): only articles close in meaning gain, the others are ranked lexically."""

    def rule(c: Case) -> np.ndarray:
        fused = norm(c.lexical) + w * np.clip((norm(c.cosine * c.prior) - floor) / (1 - floor), 0.0, None)
        return np.argsort(-fused, kind="stable")

    return rule


def gated(w_map: float, w_nomap: float) -> Rule:
    def rule(c: Case) -> np.ndarray:
        return linear(w_map if c.rows else w_nomap)(c)

    return rule


def by_known(w_lo: float, w_hi: float, threshold: float) -> Rule:
    """A larger cosine weight when the map recognised little (few matched rows per query word)."""

    def rule(c: Case) -> np.ndarray:
        recognised = c.rows / max(1, c.words)
        return linear(w_hi if recognised < threshold else w_lo)(c)

    return rule


def top_laws(w: float, laws: int) -> Rule:
    """Cosine only among articles of the ``laws`` laws of the lexical top 10 (others: lexical only)."""

    def rule(c: Case) -> np.ndarray:
        lex = lexical_order(c)[:10]
        keep: list[int] = []
        for i in lex:
            if c.lexical[i] > 0 and int(c.law[i]) not in keep:
                keep.append(int(c.law[i]))
        allowed = np.isin(c.law, keep[:laws])
        cos = np.where(allowed, c.cosine * c.prior, 0.0)
        fused = (1 - w) * norm(c.lexical) + w * norm(cos)
        return np.argsort(-fused, kind="stable")

    return rule


def collect(judge: str) -> list[Case]:
    from lawdesk.laws import semantic
    from lawdesk.laws.models import Article
    from lawdesk.laws.search import COVERAGE, FUSION, RERANK, WHOLE_TERMS, get_index, query_groups

    index = get_index()
    assert index.vectors is not None, "no stored article vectors"
    key_of = {
        pk: (title, no or 0) for pk, title, no in Article.objects.values_list("pk", "law__title", "number")
    }
    questions = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    cases: list[Case] = []
    for q in questions:
        if q["set"] == judge:
            continue
        groups = query_groups(q["q"], vocabulary=index.postings if WHOLE_TERMS else None)
        weights: dict[str, float] = {}
        for terms, weight in groups:
            for term in terms:
                weights[term] = max(weights.get(term, 0.0), weight)
        scores = index.lexical_scores(weights)
        n = min(RERANK, int(np.count_nonzero(scores)))
        best = np.argpartition(-scores, n - 1)[:n] if n > 0 else np.zeros(0, dtype=np.int64)
        cosine = index.vectors @ semantic.query_vector(q["q"])
        near = np.argpartition(-cosine, FUSION.candidates - 1)[: FUSION.candidates]
        best = np.union1d(best, near)
        lexical = scores[best]
        share = index.coverage(best, groups)
        if share is not None:
            lexical = lexical * (1 + COVERAGE * share)
        own = [g for g, w in groups if w == 1.0 and len(g) == 1]
        cases.append(
            Case(
                q=q,
                keys=[key_of[int(index.article_ids[i])] for i in best],
                lexical=lexical.astype(np.float64),
                cosine=np.clip(cosine[best], 0.0, None).astype(np.float64),
                prior=index.prior[best].astype(np.float64),
                law=index.law_ids[best],
                rows=len(groups) - len(own),
                words=len(own),
                known=sum(1 for g in own if g[0] in index.postings),
            )
        )
    return cases


def score(cases: list[Case], rule: Rule) -> list[tuple[float, float]]:
    out = []
    for c in cases:
        order = rule(c)[:10]
        top = [c.keys[i] for i in order if c.lexical[i] > 0 or c.cosine[i] > 0]
        answers = {(law, int(no)) for law, no in c.q["answers"]}
        out.append((len(answers & set(top[:5])) / len(answers), len(answers & set(top[:10])) / len(answers)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judge", default="heldout-g")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-laws.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    import django

    django.setup()
    cases = collect(args.judge)
    rules: list[tuple[str, Rule]] = [("lexical only", lexical_order)]
    rules += [
        (f"adaptive w=0.05 weak={b} below={t}", adaptive(0.05, b, t))
        for t in (20, 25, 27.5, 30, 32.5, 35, 40)
        for b in (0.3, 0.4, 0.5, 0.6, 0.7)
    ]
    rules += [(f"adaptive w={a} weak=0.4 below=30", adaptive(a, 0.4, 30)) for a in (0.0, 0.1, 0.2)]
    rules += [(f"linear w={w}", linear(w)) for w in (0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4)]
    rules += [(f"linear, no prior on cosine w={w}", linear(w, prior=False)) for w in (0.1, 0.15)]
    rules += [(f"bonus w={w} floor={t}", bonus(w, t)) for t in (0.5, 0.8, 0.9) for w in (0.1, 0.2, 0.3)]
    rules += [
        (f"capped w={w} cap={b}", banded(w, b))
        for w in (0.3, 0.4, 0.5)
        for b in (0.03, 0.05, 0.075, 0.1, 0.15)
    ]
    rules += [(f"keep{k} w=0.3 gap={g}", keep_top(0.3, k, g)) for k in (1, 2, 3) for g in (1.1, 1.25, 1.5)]
    rules += [(f"rrf k={k} beta={b}", rrf(k, b)) for k in (10, 30, 60) for b in (0.3, 0.5, 0.7)]
    rules += [(f"top_laws w={w} laws={n}", top_laws(w, n)) for w in (0.2, 0.3, 0.4) for n in (1, 2, 3)]
    rules += [(f"gated map={a} nomap={b}", gated(a, b)) for a in (0.1, 0.2, 0.3) for b in (0.3, 0.5)]
    rules += [
        (f"by_known lo={a} hi={b} t={t}", by_known(a, b, t))
        for a in (0.1, 0.2)
        for b in (0.3, 0.4)
        for t in (0.25, 0.5)
    ]
    print(f"{len(cases)} tuned questions (judged set {args.judge} skipped)")
    report(cases, rules)


def report(cases: list[Case], rules: list[tuple[str, Rule]]) -> None:
    sets = ["tune", "heldout-a", "heldout-b", "heldout-c", "heldout", "heldout-e", "heldout-f"]
    base = score(cases, lexical_order)
    head = (
        f"{'rule':36} {'148 r@5':>7} {'148 r@10':>8} {'E r@5':>6} {'E r@10':>6} {'F r@5':>6} {'F r@10':>6} "
    )
    head += " ".join(f"{s[-5:]:>5}" for s in sets) + "  E, F topics below lexical (@5 / @10); sets below"
    print(head)
    for name, rule in rules:
        res = score(cases, rule)

        def mean(sel: Callable[[Case], bool], k: int, res: list[tuple[float, float]] = res) -> float:
            vals = [r[k] for c, r in zip(cases, res, strict=True) if sel(c)]
            return statistics.mean(vals) if vals else float("nan")

        old = lambda c: c.q["set"] not in ("heldout-e", "heldout-f")  # noqa: E731
        e = lambda c: c.q["set"] == "heldout-e"  # noqa: E731
        f = lambda c: c.q["set"] == "heldout-f"  # noqa: E731
        below5: list[str] = []
        below10: list[str] = []
        for name_of, sel in (("E", e), ("F", f)):
            for topic in sorted({c.q.get("topic", "") for c in cases if sel(c)}):
                idx = [i for i, c in enumerate(cases) if sel(c) and c.q.get("topic") == topic]
                for k, below in ((0, below5), (1, below10)):
                    ours = statistics.mean(res[i][k] for i in idx)
                    theirs = statistics.mean(base[i][k] for i in idx)
                    if ours < theirs - 1e-9:
                        below.append(f"{name_of}.{topic} {ours - theirs:+.2f}")
        sets_below = []
        for s in sets:
            idx = [i for i, c in enumerate(cases) if c.q["set"] == s]
            for k in (0, 1):
                if statistics.mean(res[i][k] for i in idx) < statistics.mean(base[i][k] for i in idx) - 1e-9:
                    sets_below.append(f"{s}@{5 if k == 0 else 10}")
        per_set = " ".join(
            f"{statistics.mean(r[0] for c, r in zip(cases, res, strict=True) if c.q['set'] == s):5.2f}"
            for s in sets
        )
        print(
            f"{name:36} {mean(old, 0):7.3f} {mean(old, 1):8.3f} {mean(e, 0):6.3f} {mean(e, 1):6.3f} "
            f"{mean(f, 0):6.3f} {mean(f, 1):6.3f} {per_set}  "
            f"{','.join(below5) or '-'} / {','.join(below10) or '-'}; {','.join(sets_below) or '-'}"
        )


if __name__ == "__main__":
    main()
