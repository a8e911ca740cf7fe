"""Periodic work of the matters: the daily 督办 run.

Production: ``celery -A lawdesk beat`` sends ``send_reminders`` at 08:30 Beijing time every day (it does nothing
on non-working days). Cron: ``manage.py send_reminders``. Development: ``start_in_process`` runs it in a
background thread of the web process.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-send-reminders": {
        "task": "lawdesk.matters.tasks.send_reminders",
        "schedule": crontab(hour=8, minute=30),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.matters.tasks.send_reminders")
def send_reminders() -> int:
    """Escalate every overdue matter not escalated yet today; returns how many were escalated."""
    from lawdesk.matters.escalation import escalate_overdue

    count = escalate_overdue()
    logger.info("督办：本次新督办%s项", count)
    return count


def start_in_process(*, interval_seconds: float = 3600.0) -> threading.Event:
    """Development without Celery beat or cron: run the reminders now and then every ``interval_seconds`` in a
    daemon thread (running more than once a day is harmless: a day's escalations are made once). Set the
    returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                send_reminders()
            except Exception:
                logger.exception("督办提醒运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-reminders", daemon=True).start()
    return stop
