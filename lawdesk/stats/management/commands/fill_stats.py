"""``manage.py fill_stats``: bring the pre-aggregated counts up to date (for cron: ``*/10 * * * *``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.stats.fill import fill_counts


class Command(BaseCommand):
    help = "补算统计计数：从各指标的计算状态起补到今天，并重算最近几天和有新录入记录的日期。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = fill_counts()
        self.stdout.write(
            f"已补算{result.indicators}个指标、{result.days}个指标日、{result.rows}行逐日计数。"
        )
