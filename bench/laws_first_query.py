"""A new process's first law search and its memory: the stored index (loaded, memory-mapped) beside the old path
(the BM25 index built from the database's articles in every process), each in a fresh subprocess.

    .venv/bin/python bench/laws_first_query.py                       # SQLite (var/bench-laws.sqlite3)
    .venv/bin/python bench/laws_first_query.py --db postgres://postgres@127.0.0.1:5432/lawdesk_bench

The database is migrated and the whole corpus imported first (idempotent), and the index stored (as
``import_laws`` does). Per path it prints: seconds to get the index, seconds of the first search (jieba's
dictionary included), and the process's memory before and after (VmRSS: all resident pages, the memory-mapped
index included, which every process shares through the page cache; RssAnon: the process's own memory).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = "老板拖欠工资不给怎么办"

CHILD = """
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
            out[key] = int(value.split()[0]) / 1024
    return out

from lawdesk.laws import search
if sys.argv[1] == "old":
    search.load_or_build = lambda key, store=True: search.build_index()
before = memory()
t = time.perf_counter()
index = search.get_index()
index_s = time.perf_counter() - t
t = time.perf_counter()
hits = search.search_articles(QUERY_TEXT, limit=10)
search_s = time.perf_counter() - t
t = time.perf_counter()
search.search_articles("子女不给赡养费怎么办", limit=10)
second_ms = (time.perf_counter() - t) * 1000
print(json.dumps({"index_s": index_s, "first_search_s": search_s, "second_search_ms": second_ms,
                  "articles": index.size, "hits": len(hits), "before": before, "after": memory()}))
""".replace("QUERY_TEXT", repr(QUERY))


def run_child(mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=os.environ,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="DATABASE_URL (default: SQLite var/bench-laws.sqlite3)")
    parser.add_argument("--rounds", type=int, default=2, help="fresh processes per path (default 2)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    var_dir = Path(os.environ.get("LAWDESK_VAR_DIR", ROOT / "var"))
    os.environ["DATABASE_URL"] = args.db or f"sqlite:///{var_dir / 'bench-laws.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from lawdesk.laws.search import store_index
    from lawdesk.laws.services import import_corpus

    call_command("migrate", interactive=False, verbosity=0)
    result = import_corpus(actor=None)
    folder = store_index()
    size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20 if folder else 0.0
    print(f"corpus: {result.laws} laws, {result.articles} articles; stored index {size:.1f} MB at {folder}")
    header = (
        "path",
        "index s",
        "1st search s",
        "2nd ms",
        "RSS before",
        "RSS after",
        "anon before",
        "anon after",
    )
    widths = (8, 8, 13, 7, 11, 10, 12, 11)
    print(" ".join(name.rjust(width) for name, width in zip(header, widths, strict=True)))
    for mode in ("old", "stored") * args.rounds:
        r = run_child("old" if mode == "old" else "new")
        before, after = r["before"], r["after"]
        assert isinstance(before, dict) and isinstance(after, dict)
        print(
            f"{mode:<8} {r['index_s']:>8.2f} {r['first_search_s']:>13.2f} {r['second_search_ms']:>7.1f} "
            f"{before['VmRSS']:>9.0f}MB {after['VmRSS']:>8.0f}MB {before['RssAnon']:>10.0f}MB "
            f"{after['RssAnon']:>9.0f}MB"
        )


if __name__ == "__main__":
    main()
