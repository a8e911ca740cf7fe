"""``manage.py send_outreach_reminders``: the weekly reminder for cron (``0 9 * * 1 … send_outreach_reminders``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.core import clock
from lawdesk.outreach.selectors import Quarter
from lawdesk.outreach.services import send_reminders


class Command(BaseCommand):
    help = "脱贫攻坚专项法律服务：季度最后一个月内，提醒尚有贫困村未服务的服务团(队)负责人（每周至多一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）计算，默认今天")
        parser.add_argument("--force", action="store_true", help="不在季度最后一个月也发送")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        quarter = Quarter.of(today)
        if not options.get("force") and not quarter.in_last_month(today):
            self.stdout.write(f"{today:%Y-%m-%d}不在{quarter.label}最后一个月，不发送提醒。")
            return
        count = send_reminders(today=today, force=True)
        self.stdout.write(f"{quarter.label}：已提醒{count}位服务团(队)负责人。")
