"""Periodic work of the star rating: escalate rectifications past their deadline (督办).

Production: ``celery -A lawdesk beat`` runs ``escalate_rectifications`` every day at 08:30 Beijing time. Cron:
``manage.py escalate_rectifications``. Development: ``start_in_process`` runs it in a daemon thread. Each overdue
task is escalated once (its ``escalated_at``), so running it more often is harmless.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-escalate-rectifications": {
        "task": "lawdesk.assessment.tasks.escalate_rectifications",
        "schedule": crontab(hour=8, minute=30),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.assessment.tasks.escalate_rectifications")
def escalate_rectifications() -> int:
    """Notify owners, their judicial office and district of overdue rectifications; returns how many."""
    from lawdesk.assessment.services import escalate_overdue

    count = escalate_overdue()
    logger.info("整改逾期督办：本次督办%s项", count)
    return count


def start_in_process(*, interval_seconds: float = 6 * 3600.0) -> threading.Event:
    """Development without beat or cron: run the escalation now and every ``interval_seconds``."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                escalate_rectifications()
            except Exception:
                logger.exception("整改逾期督办运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-assessment-escalation", daemon=True).start()
    return stop
