"""``manage.py search_laws QUERY``: the ranked articles as JSON lines
(``{"law": "中华人民共和国民法典", "article": 1067, "score": 12.3}``); ``search_laws -`` reads one query per line
from standard input and prints one JSON array per query, in order. Other tools parse this: keep it stable."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lawdesk.laws.search import ArticleHit, search_articles


def _row(hit: ArticleHit) -> dict[str, Any]:
    return {"law": hit.law_title, "article": hit.article_no, "score": hit.score}


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "检索法条，按相关度输出 JSON 行；参数为 - 时从标准输入逐行读取问题，每个问题输出一个 JSON 数组。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="问题；- 表示从标准输入逐行读取")
        parser.add_argument("--limit", type=int, default=10, help="每个问题返回的条数（默认 10）")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = max(1, min(int(options["limit"]), 100))
        if options["query"] == "-":
            for line in sys.stdin:
                hits = search_articles(line.strip(), limit=limit)
                self.stdout.write(json.dumps([_row(h) for h in hits], ensure_ascii=False))
                self.stdout.flush()
            return
        for hit in search_articles(options["query"], limit=limit):
            self.stdout.write(json.dumps(_row(hit), ensure_ascii=False))
