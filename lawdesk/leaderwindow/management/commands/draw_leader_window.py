"""``manage.py draw_leader_window``: draw a week's leader-at-window slot for every district (default: next week),
for cron (``0 17 * * 5 … manage.py draw_leader_window``). Districts already drawn are left as they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.core import clock
from lawdesk.leaderwindow.draw import NoSlotError, parse_week, week_label
from lawdesk.leaderwindow.services import draw_week_for_all
from lawdesk.leaderwindow.tasks import next_monday


class Command(BaseCommand):
    help = "局长驻窗口：为各区(县)抽取指定周（默认下周）的驻窗口时段并按顺序安排领导，通知本人。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="周次，如 2026-W49 或该周内的日期 2026-11-30；默认下周")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        try:
            monday = parse_week(options["week"]) if options.get("week") else next_monday(today)
        except NoSlotError as exc:
            raise CommandError(str(exc)) from exc
        drawn, problems = draw_week_for_all(week_start=monday, today=today)
        self.stdout.write(f"{week_label(monday)}：新抽签{drawn}个区(县)。")
        for problem in problems:
            self.stderr.write(f"未抽签：{problem}")
