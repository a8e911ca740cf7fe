"""``manage.py send_adviser_reminders``: the daily contract-expiry reminder for cron (``30 8 * * * …``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.advisers.services import send_contract_reminders
from lawdesk.core import clock


class Command(BaseCommand):
    help = "村(社区)法律顾问：合同到期前30天提醒所属司法所工作人员（每份合同的每个截止日期只提醒一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        count = send_contract_reminders(today=today)
        self.stdout.write(f"{today:%Y-%m-%d}：已提醒{count}份即将到期的法律顾问合同。")
