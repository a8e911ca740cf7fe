"""``manage.py fill_stats``: bring the pre-aggregated counts up to date (for cron: ``*/10 * * * *``); with
``--print-reports`` it then prints the bureaus' monthly report PDFs ahead of time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.stats.exports import print_bureau_reports
from lawdesk.stats.fill import fill_counts


class Command(BaseCommand):
    help = "补算统计计数：从各指标的计算状态起补到今天，并重算最近几天和有新录入记录的日期。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--print-reports",
            action="store_true",
            help="补算后预先生成市、区(县)司法局本月和上月的统计月报PDF（内容未变的不重新生成）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = fill_counts()
        self.stdout.write(
            f"已补算{result.indicators}个指标、{result.days}个指标日、{result.rows}行逐日计数。"
        )
        if options["print_reports"]:
            made = print_bureau_reports()
            self.stdout.write(f"已预先生成{made}份统计月报PDF。")
