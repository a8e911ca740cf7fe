"""``manage.py restore_db --input FILE --target TARGET``: restore a backup and verify every table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到一个新的数据库（SQLite 文件路径或 PostgreSQL 连接串），并逐表核对行数与校验值"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="backup_db 写出的备份文件")
        parser.add_argument(
            "--target",
            required=True,
            help="恢复到：新的 SQLite 文件路径，或已建好的空 PostgreSQL 数据库（postgres://…）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sums = restore(backup_file=Path(options["input"]).resolve(), target=options["target"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # pg_restore failed: show its message
            stderr = getattr(exc, "stderr", b"") or b""
            raise CommandError(f"恢复失败：{exc} {stderr.decode(errors='replace')}") from exc
        rows = sum(s.rows for s in sums.values())
        self.stdout.write(f"已恢复并核对 {len(sums)} 张表、{rows} 行：全部一致。")
