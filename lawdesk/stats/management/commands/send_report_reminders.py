"""``manage.py send_report_reminders [--date YYYY-MM-DD]``: remind those who have not submitted last month's
report (for cron: ``45 8 * * *``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.stats.services import send_report_reminders


class Command(BaseCommand):
    help = "统计月报提醒：上月月报临近或超过报送期限而尚未报送的，提醒报送人（每人每天至多一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        count = send_report_reminders(today=today)
        self.stdout.write(f"已发送{count}条统计月报提醒。")
