"""``manage.py rotate_field_keys``: re-encrypt every encrypted field under the current (first) key.

Key rotation: put a new key first in ``LAWDESK_FIELD_KEYS`` (keep the old ones after it), restart, run this
command, then drop the old keys. Rows are rewritten one table at a time in batches, each in a transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from lawdesk.core import crypto


def rotate_all(*, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every stored token under the current key with raw SQL (no model save: no timestamps or
    signals touched). Returns the number of rows rewritten per table."""
    done: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model, names in crypto.models_with_encrypted_fields():
        table = quote(model._meta.db_table)
        pk = quote(model._meta.pk.column)
        columns = [quote(f.column) for f in model._meta.concrete_fields if f.name in names]
        count = 0
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {', '.join(columns)} FROM {table} {where}ORDER BY {pk} LIMIT {int(batch)}",
                    [last] if last is not None else [],
                )
                rows = cursor.fetchall()
                for row in rows:
                    values = [crypto.rotate(v) if isinstance(v, str) else v for v in row[1:]]
                    sets = ", ".join(f"{c} = %s" for c in columns)
                    cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*values, row[0]])
                    count += 1
            if len(rows) < batch:
                break
            last = rows[-1][0]
        done[model._meta.label] = count
    return done


class Command(BaseCommand):
    help = "用 LAWDESK_FIELD_KEYS 中的第一个（当前）密钥重新加密所有加密字段。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="每批行数（默认 500）")

    def handle(self, *args: Any, **options: Any) -> None:
        for label, count in rotate_all(batch=options["batch"]).items():
            self.stdout.write(f"{label}：已重新加密{count}行")
