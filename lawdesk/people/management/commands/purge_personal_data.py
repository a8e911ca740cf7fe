"""``manage.py purge_personal_data``: the retention run for cron (``30 2 * * * … purge_personal_data``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from lawdesk.people.retention import people_past_retention, purge_personal_data


class Command(BaseCommand):
    help = "清除超过保存期限的个人信息（全部事项已归档且超过 LAWDESK_PERSONAL_DATA_RETENTION_DAYS 天）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计人数，不清除")

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.LAWDESK_PERSONAL_DATA_RETENTION_DAYS
        if options.get("dry_run"):
            self.stdout.write(
                f"保存期限{days}天：有{people_past_retention().count()}人的个人信息到期（未清除）。"
            )
            return
        count = purge_personal_data()
        self.stdout.write(f"保存期限{days}天：已清除{count}人的个人信息。")
