"""Periodic work of the appointments: the day-before SMS reminder.

Production: ``celery -A lawdesk beat`` sends ``send_appointment_reminders`` at 16:00 Beijing time every day (it does
nothing on non-working days; on a working day it covers everything up to the next working day). Cron:
``manage.py send_appointment_reminders``. Development: ``start_in_process`` runs it in a daemon thread (running
more than once a day is harmless: each appointment is reminded once).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-send-appointment-reminders": {
        "task": "lawdesk.appointments.tasks.send_appointment_reminders",
        "schedule": crontab(hour=16, minute=0),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.appointments.tasks.send_appointment_reminders")
def send_appointment_reminders() -> int:
    """Send the reminders due today; returns how many were sent."""
    from lawdesk.appointments.services import send_due_reminders

    count = send_due_reminders()
    logger.info("预约提醒：本次发送%s条短信", count)
    return count


def start_in_process(*, interval_seconds: float = 3600.0) -> threading.Event:
    """Development without beat or cron: run now and every ``interval_seconds``; set the event to stop."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                send_appointment_reminders()
            except Exception:
                logger.exception("预约提醒运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-appointment-reminders", daemon=True).start()
    return stop
