"""Periodic work of the audit log: shipping new rows as JSON lines to ``LAWDESK_AUDIT_SHIP_PATH``.

Production: ``celery -A lawdesk beat`` sends ``ship_audit`` every five minutes (it does nothing when the
setting is empty). Cron: ``manage.py ship_audit --to-configured``.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-ship-audit": {
        "task": "lawdesk.core.tasks.ship_audit",
        "schedule": crontab(minute="*/5"),
    },
}


@app.task(name="lawdesk.core.tasks.ship_audit")
def ship_audit() -> int:
    """Append the audit rows not yet shipped to ``LAWDESK_AUDIT_SHIP_PATH``; returns how many."""
    from django.conf import settings

    from lawdesk.core.shipping import ship_to_path

    path = settings.LAWDESK_AUDIT_SHIP_PATH
    return ship_to_path(path) if path else 0
