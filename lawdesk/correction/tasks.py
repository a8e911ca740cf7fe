"""Periodic work of community correction: reminders before each deadline and 督办 after it, each once.

Production: ``celery -A lawdesk beat`` sends ``send_correction_reminders`` every working morning at 08:30 Beijing
time. Cron: ``manage.py send_correction_reminders``. The retention run (``lawdesk.correction.retention``) every
day at 02:40; cron: ``manage.py purge_correction_data``. Development: ``start_in_process`` runs the reminders in a
daemon thread of the web process (harmless: each notice is sent once); the retention run needs beat or cron.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-send-correction-reminders": {
        "task": "lawdesk.correction.tasks.send_correction_reminders",
        "schedule": crontab(day_of_week="mon-fri", hour=8, minute=30),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
    "lawdesk-purge-correction-data": {
        "task": "lawdesk.correction.tasks.purge_correction_data",
        "schedule": crontab(hour=2, minute=40),
    },
}


@app.task(name="lawdesk.correction.tasks.send_correction_reminders")
def send_correction_reminders() -> int:
    """Remind and escalate; returns how many deadlines were notified."""
    from lawdesk.correction.reminders import send_reminders

    count = send_reminders()
    logger.info("社区矫正期限提醒：本次提醒或督办%s项", count)
    return count


@app.task(name="lawdesk.correction.tasks.purge_correction_data")
def purge_correction_data() -> int:
    """Anonymise the supervisees and released persons past retention; returns how many."""
    from lawdesk.correction.retention import purge_correction_data as purge

    count = purge()
    logger.info("社区矫正信息保存期限：本次清除%s人", count)
    return count


def start_in_process(*, interval_seconds: float = 3600.0) -> threading.Event:
    """Run the reminders now and every ``interval_seconds`` in a daemon thread; set the event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                send_correction_reminders()
            except Exception:
                logger.exception("社区矫正期限提醒运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-correction-reminders", daemon=True).start()
    return stop
