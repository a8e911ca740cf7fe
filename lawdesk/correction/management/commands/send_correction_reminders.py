"""``manage.py send_correction_reminders``: the community correction reminders and 督办 (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.correction.reminders import send_reminders


class Command(BaseCommand):
    help = "发送社区矫正与安置帮教期限提醒（到期前）和督办（逾期后），每项各一次。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_reminders()
        self.stdout.write(f"已提醒或督办{count}项期限。")
