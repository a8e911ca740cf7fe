"""The early warning's precision and recall on generated data whose answer is known.

    /work/main/.venv/bin/python -m bench.warning.run            # the defaults on the tuning and held-out sets
    /work/main/.venv/bin/python -m bench.warning.run --grid     # the threshold grid, on the tuning set only

The thresholds in ``lawdesk.screening.detect.DEFAULT_PARAMS`` were chosen with ``--grid`` on the tuning set (seed
1, the generator's default parameters). The held-out set (seed 7, more noise, larger and smaller groups, more
platforms) is never used to choose anything: it is only reported. Runs in a few seconds, no database.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
import time

from bench.warning.generate import GenParams, generate
from bench.warning.score import KINDS, score
from lawdesk.screening.detect import DEFAULT_PARAMS, Params

TUNING = GenParams(seed=1)
HELD_OUT = GenParams(
    seed=7,
    districts=4,
    offices_per_district=5,
    stations_per_office=5,
    history_days=150,
    background_visits=5000,
    background_disputes=1400,
    repeats=25,
    pairs=12,
    risks=20,
    clusters=14,
    place_clusters=10,
    near_misses=25,
    cluster_size=(3, 9),
    repeat_size=(3, 7),
)
LABELS = {"repeat": "重复来访", "risk": "易激化未化解", "cluster": "群体性聚集"}


def report(name: str, gen: GenParams, params: Params) -> dict[str, tuple[float, float]]:
    data = generate(gen)
    scores, _ = score(data, params)
    print(
        f"\n{name}: seed={gen.seed}, 来访{len(data.visits)}条, 纠纷{len(data.disputes)}件, 预置信号{len(data.truths)}个"
    )
    print(f"{'类型':<10}{'发现':>6}{'命中':>6}{'预置':>6}{'召回':>6}{'精确率':>9}{'召回率':>9}")
    out = {}
    for kind in KINDS:
        s = scores[kind]
        print(
            f"{LABELS[kind]:<10}{s.found:>6}{s.hits:>6}{s.planted:>6}{s.recalled:>6}{s.precision:>9.3f}{s.recall:>9.3f}"
        )
        out[kind] = (s.precision, s.recall)
    return out


def grid() -> None:
    data = generate(TUNING)
    print("阈值网格（只在调参集上）：repeat_min_visits, pair_min, cluster_min, place_min → 各类 P/R")
    for rv, pair, cluster, place in itertools.product((2, 3, 4), (2, 3), (2, 3, 4), (3, 4, 5)):
        params = dataclasses.replace(
            DEFAULT_PARAMS, repeat_min_visits=rv, pair_min_disputes=pair, cluster_min_parties=cluster,
            place_min_parties=place,
        )  # fmt: skip
        scores, _ = score(data, params)
        cells = " ".join(f"{k}={scores[k].precision:.2f}/{scores[k].recall:.2f}" for k in KINDS)
        print(f"rv={rv} pair={pair} cluster={cluster} place={place}: {cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", action="store_true", help="print the threshold grid on the tuning set")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.grid:
        grid()
        return 0
    print(f"阈值：{DEFAULT_PARAMS}")
    report("调参集 (tuning)", TUNING, DEFAULT_PARAMS)
    report("留出集 (held-out, 从未用于调参)", HELD_OUT, DEFAULT_PARAMS)
    print(f"\n用时{time.monotonic() - started:.1f}秒")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, ".")
    raise SystemExit(main())
