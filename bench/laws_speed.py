"""Law search speed and memory, each figure from fresh processes: a new process's first query (total, and by
stage: jieba's dictionary, the BM25 index with the article vectors, the sentence encoder, the search itself),
the warm per-query p50/p95 over every bench question (fused and lexical only; each run embeds the question
anew), the process's memory, and the same searches under load: 1 and 2 processes searching at once, with the e5
encoder on 1 and on 2 threads (what ``LAWDESK_LAWS_RERANK_THREADS`` should be on a 2-core server).

    .venv/bin/python bench/laws_speed.py                          # SQLite (var/bench-laws.sqlite3, imported)
    .venv/bin/python bench/laws_speed.py --code /tmp/old-tree     # the same, running another checkout's code
    .venv/bin/python bench/laws_speed.py --dump top10.json        # also write every question's top 10
    .venv/bin/python bench/laws_speed.py --load-only --load 1,2,3 --threads 1,2   # only the figures under load

"First query" counts from after Django's setup to the answer (as ``bench/laws/run.py``), once as it is and
once with Django's URL patterns loaded first, as a web request does before its view runs: loading them imports
every app's views (WeasyPrint, openpyxl), which is not the search's own cost.

The database must hold the imported corpus (``bench/laws/run.py`` or ``import_laws`` does that) and the
corpus's vectors must be stored for the fused figures. ``--code`` runs the children in another source tree with
the same var directory and database, so before/after figures come from the same run and the same machine load;
``--dump`` of both trees, compared, shows whether the ranking changed (article ids and scores of the top 10,
fused and lexical only, for every question of ``bench/laws/questions.jsonl`` but a set kept unseen,
``run.UNSEEN``). Times are wall-clock seconds; ``cpu`` is the process's CPU time (on a shared machine the wall
time also counts waiting for a core).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = "老板拖欠工资不给怎么办"

PRELUDE = """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
import django
django.setup()

def memory():
    out = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out
"""

# One new process, one query: what a worker pays before its first answer (after Django's setup).
FIRST = (
    PRELUDE
    + """
from lawdesk.laws.search import search_articles
if sys.argv[1:] == ["urls"]:  # as in a web request, which resolves its path before the view searches
    from django.urls import get_resolver
    get_resolver()._populate()
wall, cpu = time.perf_counter(), time.process_time()
hits = search_articles(QUERY_TEXT, limit=10)
print(json.dumps({"first_s": time.perf_counter() - wall, "first_cpu_s": time.process_time() - cpu,
                  "hits": len(hits), "memory": memory()}))
"""
)

# The same, stage by stage.
STAGES = (
    PRELUDE
    + """
from lawdesk.laws import search, segment, semantic
out = {"before": memory()}
def stage(name, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    out[name] = round(time.perf_counter() - wall, 3)
    out[name + "_cpu"] = round(time.process_time() - cpu, 3)
stage("jieba", lambda: segment.tokens("法"))
stage("index", search.get_index)
stage("encoder", semantic.model)
from django.urls import get_resolver
stage("urls", get_resolver()._populate)
stage("search", lambda: search.search_articles(QUERY_TEXT, limit=10))
out["vectors"] = search.get_index().vectors is not None
out["after"] = memory()
print(json.dumps(out))
"""
)

# A warm process: every question, median of 3 runs, fused and lexical only; optionally the top 10s. The
# per-question caches are emptied before each run (as bench/laws/run.py does), so every run pays as a new question.
WARM = (
    PRELUDE
    + """
import statistics
from bench.laws.run import _forget_query_caches
from lawdesk.laws.search import search_articles
questions = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
search_articles("预热", limit=10)
out = {}
top = {}
def pct(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))]
for mode, semantic in (("fused", True), ("lexical", False)):
    times, firsts = [], []
    for q in questions:
        runs = []
        for _ in range(3):
            _forget_query_caches()
            t = time.perf_counter()
            hits = search_articles(q["q"], limit=10, use_semantic=semantic)
            runs.append((time.perf_counter() - t) * 1000)
        times.append(statistics.median(runs))
        firsts.append(runs[0])
        top[f"{mode}/{q['id']}"] = [[h.law_title, h.article_no, h.score] for h in hits]
    out[mode] = {"p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "max_ms": max(times),
                 "first_p50_ms": pct(firsts, 50), "first_p95_ms": pct(firsts, 95)}
out["memory"] = memory()
if len(sys.argv) > 2:
    Path = __import__("pathlib").Path
    Path(sys.argv[2]).write_text(json.dumps(top, ensure_ascii=False, indent=0), encoding="utf-8")
print(json.dumps(out))
"""
)


# Under load: several warm processes search at once (as a server's workers do), each every question once,
# nothing cached; started together, each reports its own per-query times.
LOAD = (
    PRELUDE
    + """
from lawdesk.laws.search import search_articles
questions = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
search_articles("预热", limit=10)
open(os.path.join(sys.argv[2], f"ready-{os.getpid()}"), "w").close()
while not os.path.exists(os.path.join(sys.argv[2], "go")):  # every process has warmed up
    time.sleep(0.01)
times = []
for q in questions:
    t = time.perf_counter()
    search_articles(q["q"], limit=10)
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times}))
"""
)


def searched_questions() -> Path:
    """The bench questions but those of a set kept unseen (``run.UNSEEN``), in a file for the children."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from bench.laws.run import load_questions

    handle, name = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(q, ensure_ascii=False) + "\n" for q in load_questions())
    return Path(name)


def load(code: Path, questions_file: Path, processes: int, threads: int) -> tuple[float, float, float]:
    """p50 and p95 of every search of ``processes`` processes searching at once, and searches per second."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from bench.laws.run import percentile

    folder = Path(tempfile.mkdtemp())
    children = [
        subprocess.Popen(
            [sys.executable, "-c", LOAD, str(questions_file), str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=code,
            env={**os.environ, "LAWDESK_LAWS_RERANK_THREADS": str(threads)},
        )
        for _ in range(processes)
    ]
    while len(list(folder.glob("ready-*"))) < processes:
        if any(child.poll() is not None for child in children):
            break
        time.sleep(0.1)
    started = time.perf_counter()
    (folder / "go").touch()
    times: list[float] = []
    for child in children:
        out, err = child.communicate()
        if child.returncode:
            sys.stderr.write(err)
            raise SystemExit(child.returncode)
        times += json.loads(out.strip().splitlines()[-1])["times"]
    wall = time.perf_counter() - started
    return percentile(times, 50), percentile(times, 95), len(times) / wall


def under_load(code: Path, questions_file: Path, counts: str, threads: str) -> None:
    for processes in [int(n) for n in counts.split(",") if n.strip()]:
        for n_threads in [int(n) for n in threads.split(",") if n.strip()]:
            p50, p95, rate = load(code, questions_file, processes, n_threads)
            print(
                f"{processes} process(es) searching at once, e5 on {n_threads} thread(s): every question once, "
                f"nothing cached: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {rate:.0f} searches/s in all"
            )


def child(code: str, cwd: Path, *args: str) -> dict[str, object]:
    source = code.replace("QUERY_TEXT", repr(QUERY))
    out = subprocess.run(
        [sys.executable, "-c", source, *args], capture_output=True, text=True, cwd=cwd, env=os.environ
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        out.check_returncode()
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="DATABASE_URL (default: SQLite var/bench-laws.sqlite3)")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="source tree the children run (default: this one)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="fresh processes for the first query (default 3)"
    )
    parser.add_argument("--dump", type=Path, help="write every question's top 10 (fused and lexical) here")
    parser.add_argument(
        "--load",
        default="1,2",
        help="under load: how many processes search at once, each count in turn (default 1,2; '' skips it)",
    )
    parser.add_argument(
        "--threads", default="1,2", help="under load: the e5 encoder's threads, each in turn (default 1,2)"
    )
    parser.add_argument("--load-only", action="store_true", help="only the figures under load")
    args = parser.parse_args()
    var_dir = Path(os.environ.get("LAWDESK_VAR_DIR", ROOT / "var"))
    os.environ["DATABASE_URL"] = args.db or f"sqlite:///{var_dir / 'bench-laws.sqlite3'}"
    code = args.code.resolve()
    print(f"code: {code}")
    questions_file = searched_questions()
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    if args.load_only:
        under_load(code, questions_file, args.load, args.threads)
        return
    child(FIRST, code)  # stores whatever a first process stores (index, caches): not what later ones pay
    firsts = [child(FIRST, code) for _ in range(args.rounds)]
    wall = [float(str(f["first_s"])) for f in firsts]
    cpu = [float(str(f["first_cpu_s"])) for f in firsts]
    print(
        f"first query, new process: median {statistics.median(wall):.2f} s (runs "
        + ", ".join(f"{w:.2f}" for w in wall)
        + f"), cpu median {statistics.median(cpu):.2f} s; memory after {firsts[-1]['memory']}"
    )
    firsts = [child(FIRST, code, "urls") for _ in range(args.rounds)]
    wall = [float(str(f["first_s"])) for f in firsts]
    cpu = [float(str(f["first_cpu_s"])) for f in firsts]
    print(
        f"first query, new process, URL patterns loaded first (as by a request): median {statistics.median(wall):.2f} s"
        + " (runs "
        + ", ".join(f"{w:.2f}" for w in wall)
        + f"), cpu median {statistics.median(cpu):.2f} s"
    )
    stages = child(STAGES, code)
    print(
        "stages (wall s / cpu s): "
        + ", ".join(
            f"{name} {stages[name]:.2f}/{stages[name + '_cpu']:.2f}"
            for name in ("jieba", "index", "encoder", "urls", "search")
        )
        + f"; vectors loaded: {stages['vectors']}; memory {stages['before']} -> {stages['after']}"
    )
    started = time.perf_counter()
    warm = child(WARM, code, str(questions_file), *([str(args.dump.resolve())] if args.dump else []))
    for mode in ("fused", "lexical"):
        figures = warm[mode]
        assert isinstance(figures, dict)
        print(
            f"warm {mode}: median of 3 runs p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
            f"max {figures['max_ms']:.1f} ms; first run of each question (nothing cached) "
            f"p50 {figures['first_p50_ms']:.1f} ms, p95 {figures['first_p95_ms']:.1f} ms"
        )
    print(f"warm process memory: {warm['memory']} ({time.perf_counter() - started:.0f} s)")
    under_load(code, questions_file, args.load, args.threads)
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")


if __name__ == "__main__":
    main()
