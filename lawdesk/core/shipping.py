"""Shipping the audit log to an external collector as JSON lines, one object per row.

``ship_rows`` writes a selection to any stream (``manage.py ship_audit --since … --output file|-``).
``ship_to_path`` appends the rows not yet shipped to a file the collector tails (``LAWDESK_AUDIT_SHIP_PATH``,
every five minutes from Celery beat, or ``manage.py ship_audit --to-configured``): an ``AuditShipMark`` row per
destination keeps the highest id written, so nothing is shipped twice. Rows younger than ``SETTLE_SECONDS``
wait for the next run, so that a row whose transaction commits late (a lower id appearing after a higher
one) is not skipped.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction

from lawdesk.core import clock
from lawdesk.core.models import AuditLog, AuditShipMark

SETTLE_SECONDS = 30
BATCH = 10_000


def row_json(row: AuditLog) -> dict[str, Any]:
    """One audit row as shipped and exported."""
    return {
        "id": row.pk,
        "time": row.created_at.isoformat(),
        "actor": row.actor.get_username() if row.actor_id and row.actor else None,
        "actor_id": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object": row.object_repr,
        "node_id": row.node_id,
        "ip": row.ip_address,
        "data": row.data,
    }


def row_line(row: AuditLog) -> str:
    return json.dumps(row_json(row), ensure_ascii=False, sort_keys=True) + "\n"


def ship_rows(rows: Iterable[AuditLog], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(row_line(row))
        count += 1
    return count


def rows_since(*, since: datetime.datetime | None = None, since_id: int = 0) -> Any:
    rows = AuditLog.objects.select_related("actor").filter(id__gt=since_id).order_by("id")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    return rows


def ship_to_path(path: str, *, now: datetime.datetime | None = None) -> int:
    """Append the rows not yet shipped to ``path``; returns how many were written."""
    settled = (now or clock.now()) - datetime.timedelta(seconds=SETTLE_SECONDS)
    with transaction.atomic():
        mark, _ = AuditShipMark.objects.select_for_update().get_or_create(destination=path)
        rows = list(rows_since(since_id=mark.last_id).filter(created_at__lt=settled)[:BATCH])
        if not rows:
            return 0
        with open(path, "a", encoding="utf-8") as out:
            ship_rows(rows, out)
            out.flush()
            os.fsync(out.fileno())
        mark.last_id = rows[-1].pk
        mark.save(update_fields=["last_id", "updated_at"])
    return len(rows)
