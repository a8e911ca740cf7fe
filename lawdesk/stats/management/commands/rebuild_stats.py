"""``manage.py rebuild_stats [--from YYYY-MM-DD]``: throw the pre-aggregated counts away and fill them again,
a month at a time (each month committed and reported as it is done)."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.stats.fill import FillResult, rebuild_counts


class Command(BaseCommand):
    help = "重建统计计数（逐日计数和月度汇总）：从记录重新计算全部指标，或从指定日期起重新计算。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="since", help="从该日期（YYYY-MM-DD）起重建，默认全部")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options.get("since"):
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        started = time.monotonic()

        def progress(month: datetime.date, so_far: FillResult) -> None:
            self.stdout.write(
                f"{month:%Y年%m月}已完成（累计{so_far.rows}行逐日计数，{time.monotonic() - started:.0f}秒）"
            )
            self.stdout.flush()  # seen as it goes when the output is a log file

        result = rebuild_counts(since=since, progress=progress)
        self.stdout.write(
            f"已重建{result.indicators}个指标、{result.days}个指标日、{result.rows}行逐日计数、"
            f"{len(result.months)}个月的汇总，用时{time.monotonic() - started:.1f}秒。"
        )
