"""``manage.py purge_correction_data``: anonymise community correction identities past retention (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.correction.retention import purge_correction_data


class Command(BaseCommand):
    help = "清除超过保存期限（LAWDESK_CORRECTION_RETENTION_DAYS）的社区矫正对象和刑满释放人员身份信息。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_correction_data()
        self.stdout.write(f"已清除{count}人的身份信息。")
