"""``manage.py ship_audit``: the audit log as JSON lines, for an external collector.

``--since 2026-11-01`` (or ``--since-id N``) ``--output file|-`` writes the selection once; ``--to-configured``
appends the rows not yet shipped to ``LAWDESK_AUDIT_SHIP_PATH`` (what the periodic task does; for cron).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lawdesk.core.shipping import rows_since, ship_rows, ship_to_path


class Command(BaseCommand):
    help = "以 JSON Lines 导出操作日志（每行一条），供外部日志收集系统使用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="起始日期或时间（ISO 格式，如 2026-11-01），默认全部")
        parser.add_argument("--since-id", type=int, default=0, help="只导出编号大于此值的日志")
        parser.add_argument("--output", default="-", help="输出文件（- 表示标准输出，默认）")
        parser.add_argument(
            "--to-configured", action="store_true", help="追加尚未发送的日志到 LAWDESK_AUDIT_SHIP_PATH"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["to_configured"]:
            path = settings.LAWDESK_AUDIT_SHIP_PATH
            if not path:
                raise CommandError("未设置 LAWDESK_AUDIT_SHIP_PATH。")
            self.stderr.write(f"已追加{ship_to_path(path)}条日志到 {path}")
            return
        since = None
        if options.get("since"):
            try:
                since = datetime.datetime.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since 应为 ISO 格式的日期或时间，如 2026-11-01。") from exc
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
        rows = rows_since(since=since, since_id=options["since_id"]).iterator(chunk_size=2000)
        if options["output"] == "-":
            count = ship_rows(rows, self.stdout._out)  # type: ignore[arg-type]
        else:
            with open(options["output"], "w", encoding="utf-8") as out:
                count = ship_rows(rows, out)
        self.stderr.write(f"已导出{count}条日志")
