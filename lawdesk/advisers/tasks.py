"""Periodic work of the village legal advisers: tell the judicial office 30 days before an adviser's contract ends.

Production: ``celery -A lawdesk beat`` sends ``send_adviser_reminders`` every day at 08:30 Beijing time. Cron:
``manage.py send_adviser_reminders``. Development: ``start_in_process`` runs it in a daemon thread of the web
process. Each contract end is told once (a new end date is told again).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-send-adviser-reminders": {
        "task": "lawdesk.advisers.tasks.send_adviser_reminders",
        "schedule": crontab(hour=8, minute=30),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.advisers.tasks.send_adviser_reminders")
def send_adviser_reminders() -> int:
    """Tell the offices of contracts ending within 30 days; returns how many contracts were told of."""
    from lawdesk.advisers.services import send_contract_reminders

    count = send_contract_reminders()
    logger.info("法律顾问合同到期提醒：本次提醒%s份合同", count)
    return count


def start_in_process(*, interval_seconds: float = 6 * 3600.0) -> threading.Event:
    """Development without beat or cron: run the reminders now and every ``interval_seconds`` in a daemon thread
    (harmless: each contract end is told once). Set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                send_adviser_reminders()
            except Exception:
                logger.exception("法律顾问合同到期提醒运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-adviser-reminders", daemon=True).start()
    return stop
