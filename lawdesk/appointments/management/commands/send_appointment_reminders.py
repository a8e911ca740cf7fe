"""``manage.py send_appointment_reminders``: the day-before SMS reminder, for cron
(``0 16 * * * … manage.py send_appointment_reminders``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.appointments.services import send_due_reminders
from lawdesk.core import clock
from lawdesk.workcal.workdays import is_working_day


class Command(BaseCommand):
    help = "预约提醒：给下一个工作日之前（含）的预约发送提醒短信（每个预约只发一次）。"

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
            self.stdout.write(f"{label}不是工作日，不发送预约提醒。")
            return
        count = send_due_reminders(today=today)
        self.stdout.write(f"{label}：发送预约提醒短信{count}条。")
