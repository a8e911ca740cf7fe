"""Periodic work of the early warning: compute the signals every hour (a new signal is notified once).

Production: ``celery -A lawdesk beat`` sends ``compute_warning_signals`` at minute 20 of every hour. Cron:
``manage.py compute_warnings``. Development: ``start_in_process`` runs it hourly in a daemon thread. A second run
finds the same signals under the same keys and notifies nobody.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-compute-warning-signals": {
        "task": "lawdesk.screening.tasks.compute_warning_signals",
        "schedule": crontab(minute=20),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.screening.tasks.compute_warning_signals")
def compute_warning_signals() -> dict[str, int]:
    """Raise or update the early-warning signals; returns how many were created, updated and notified."""
    from lawdesk.screening.warning import compute_signals

    counts = compute_signals()
    logger.info(
        "矛盾纠纷预警：新增%s条，更新%s条，通知%s人次",
        counts["created"],
        counts["updated"],
        counts["notified"],
    )
    return counts


def start_in_process(*, interval_seconds: float = 3600.0) -> threading.Event:
    """Development without beat or cron: compute the signals now and every ``interval_seconds`` in a daemon thread
    (harmless: a signal is notified once). Set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                compute_warning_signals()
            except Exception:
                logger.exception("矛盾纠纷预警计算失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-warning-signals", daemon=True).start()
    return stop
