"""A new process's first law search and its memory: the stored index (loaded, memory-mapped) beside the old path
(the BM25 index built from the database's articles in every process), each in a fresh subprocess.

    .venv/bin/python bench/laws_first_query.py                       # SQLite (var/bench-laws.sqlite3)
    .venv/bin/python bench/laws_first_query.py --db postgres://postgres@127.0.0.1:5432/lawdesk_bench

The database is migrated and the whole corpus imported first (idempotent), and the index stored (as
``import_laws`` does). Per path it prints: seconds to get the index (built from the articles, or loaded), the
seconds every new process pays once whatever the index (jieba's dictionary, Django's URL patterns), the first and
second search after those, and the process's memory before, added by the index, and at the end (VmRSS: all
resident pages, the memory-mapped index included, which every process shares through the page cache; RssAnon:
the process's own memory).
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
indexed = memory()
# What every process pays once whatever the index (jieba's dictionary, Django's URL patterns for the links):
t = time.perf_counter()
from lawdesk.laws import segment
from django.urls import get_resolver
segment.tokens("法")
get_resolver()._populate()
process_s = time.perf_counter() - t
t = time.perf_counter()
hits = search.search_articles(QUERY_TEXT, limit=10)
search_s = time.perf_counter() - t
t = time.perf_counter()
search.search_articles("子女不给赡养费怎么办", limit=10)
second_ms = (time.perf_counter() - t) * 1000
print(json.dumps({"index_s": index_s, "process_s": process_s, "first_search_s": search_s,
                  "second_search_ms": second_ms, "articles": index.size, "hits": len(hits),
                  "before": before, "indexed": indexed, "after": memory()}))
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
    header: tuple[str, ...] = (
        "path",
        "index s",
        "jieba+urls s",
        "1st search s",
        "2nd ms",
        "RSS before",
        "+index",
    )
    header += ("after", "anon before", "+index", "after")
    widths = (8, 8, 13, 13, 7, 11, 8, 8, 12, 8, 8)
    print(" ".join(name.rjust(width) for name, width in zip(header, widths, strict=True)))
    for mode in ("old", "stored") * args.rounds:
        r = run_child("old" if mode == "old" else "new")
        before, indexed, after = r["before"], r["indexed"], r["after"]
        assert isinstance(before, dict) and isinstance(indexed, dict) and isinstance(after, dict)
        cells = [
            f"{mode:>8}",
            f"{r['index_s']:>8.2f}",
            f"{r['process_s']:>13.2f}",
            f"{r['first_search_s']:>13.3f}",
            f"{r['second_search_ms']:>7.1f}",
        ]
        cells += [
            f"{before[k]:>9.0f}MB {indexed[k] - before[k]:>+6.0f}MB {after[k]:>6.0f}MB" for k in ("VmRSS",)
        ]
        cells += [
            f"{before[k]:>10.0f}MB {indexed[k] - before[k]:>+6.0f}MB {after[k]:>6.0f}MB" for k in ("RssAnon",)
        ]
        print(" ".join(cells))


if __name__ == "__main__":
    main()
