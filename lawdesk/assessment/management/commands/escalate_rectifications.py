"""``manage.py escalate_rectifications``: the daily escalation of overdue rectifications for cron
(``30 8 * * * … escalate_rectifications``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.assessment.services import escalate_overdue
from lawdesk.core import clock


class Command(BaseCommand):
    help = "整改逾期督办：通知逾期未整改的责任人、所属司法所和区(县)司法局（每项一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        count = escalate_overdue(today=today)
        self.stdout.write(f"{today:%Y-%m-%d}：督办逾期整改{count}项。")
