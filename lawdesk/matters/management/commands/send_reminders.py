"""``manage.py send_reminders``: the daily 督办 run, for cron (``30 8 * * * … manage.py send_reminders``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.core import clock
from lawdesk.matters.escalation import escalate_overdue
from lawdesk.workcal.workdays import is_working_day


class Command(BaseCommand):
    help = "督办：为超过工作日期限的事项记录督办并通知负责人（同一天重复运行不会重复督办）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        label = f"{today.year}年{today.month}月{today.day}日"
        if not is_working_day(today):
            self.stdout.write(f"{label}不是工作日，不发送督办提醒。")
            return
        count = escalate_overdue(today=today)
        if count:
            self.stdout.write(f"{label}：新督办{count}项超期事项，已通知负责人。")
        else:
            self.stdout.write(f"{label}：没有需要新督办的超期事项。")
