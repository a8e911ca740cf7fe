"""Periodic work of the poverty-area service: weekly reminders in the last month of each quarter.

Production: ``celery -A lawdesk beat`` sends ``send_outreach_reminders`` every Monday at 09:00 Beijing time (it
does nothing outside a quarter's last month). Cron: ``manage.py send_outreach_reminders``. Development:
``start_in_process`` runs it in a background thread of the web process. A lead is reminded at most once a week.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-send-outreach-reminders": {
        "task": "lawdesk.outreach.tasks.send_outreach_reminders",
        "schedule": crontab(day_of_week="mon", hour=9, minute=0),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.outreach.tasks.send_outreach_reminders")
def send_outreach_reminders() -> int:
    """Remind team leads of villages not yet served this quarter; returns how many leads were reminded."""
    from lawdesk.outreach.services import send_reminders

    count = send_reminders()
    logger.info("脱贫攻坚专项法律服务提醒：本次提醒%s位负责人", count)
    return count


def start_in_process(*, interval_seconds: float = 6 * 3600.0) -> threading.Event:
    """Development without beat or cron: run the reminders now and every ``interval_seconds`` in a daemon
    thread (harmless: a lead is reminded once a week). Set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                send_outreach_reminders()
            except Exception:
                logger.exception("脱贫攻坚专项法律服务提醒运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-outreach-reminders", daemon=True).start()
    return stop
