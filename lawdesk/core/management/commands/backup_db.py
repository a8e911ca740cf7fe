"""``manage.py backup_db --output FILE``: a consistent copy of the database and its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.core.audit import audit_event
from lawdesk.core.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump），并写出逐表行数与校验值清单"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="备份文件路径（不能已存在）")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).resolve()
        try:
            sums = backup(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(s.rows for s in sums.values())
        audit_event(actor=None, action="database.backup", data={"file": str(output), "rows": rows})
        self.stdout.write(f"已备份 {len(sums)} 张表、{rows} 行到 {output}")
        self.stdout.write(f"校验清单：{manifest_path(output)}")
