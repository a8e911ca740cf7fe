"""``manage.py compute_warnings``: the early warning for cron (``20 * * * * … compute_warnings``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.screening.warning import compute_signals, describe_params


class Command(BaseCommand):
    help = "矛盾纠纷预警：按来访和纠纷记录计算重复来访、易激化未化解、群体性聚集预警，新预警通知一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--window", type=int, default=None, help="统计窗口天数，默认30")

    def handle(self, *args: Any, **options: Any) -> None:
        window = options.get("window")
        if window is not None and not 1 <= window <= 366:
            raise CommandError("统计窗口应为1至366天。")
        counts = compute_signals(window_days=window)
        self.stdout.write(describe_params())
        self.stdout.write(
            f"新增预警{counts['created']}条，更新{counts['updated']}条，通知{counts['notified']}人次。"
        )
