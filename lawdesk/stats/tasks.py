"""Periodic work of the statistics: fill the pre-aggregated counts every 10 minutes and print the bureaus' report
PDFs ahead of time after it; remind those who have not submitted last month's report every morning.

Production: ``celery -A lawdesk beat`` runs both (times in Beijing time). Cron: ``manage.py fill_stats`` and
``manage.py send_report_reminders``. Development: ``start_in_process`` runs them in a daemon thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-fill-stats": {
        "task": "lawdesk.stats.tasks.fill_stats",
        "schedule": crontab(minute="*/10"),
    },
    "lawdesk-print-bureau-reports": {
        "task": "lawdesk.stats.tasks.print_bureau_reports",
        "schedule": crontab(minute="5-59/10"),  # after each fill
    },
    "lawdesk-send-report-reminders": {
        "task": "lawdesk.stats.tasks.send_report_reminders",
        "schedule": crontab(hour=8, minute=45),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.stats.tasks.fill_stats")
def fill_stats() -> int:
    """Fill the counts since the fill state; returns how many day rows were written."""
    from lawdesk.stats.fill import fill_counts

    result = fill_counts()
    logger.info("统计计数：%s个指标，%s天，%s行", result.indicators, result.days, result.rows)
    return result.rows


@app.task(name="lawdesk.stats.tasks.print_bureau_reports")
def print_bureau_reports() -> int:
    """Lay out the bureaus' monthly report PDFs whose content changed, so downloads do not wait (about 1 s each)."""
    from lawdesk.stats.exports import print_bureau_reports as print_reports

    made = print_reports()
    logger.info("统计月报PDF预生成：%s份", made)
    return made


@app.task(name="lawdesk.stats.tasks.send_report_reminders")
def send_report_reminders() -> int:
    from lawdesk.stats.services import send_report_reminders as send

    count = send()
    logger.info("统计月报提醒：%s条", count)
    return count


def start_in_process(*, interval_seconds: float = 600.0) -> threading.Event:
    """Development without beat or cron: fill the counts now and every ``interval_seconds``, and send the
    reminders (harmless: at most one per user, report and day). Set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        first = True
        while True:
            # Printing ahead takes about a second per bureau report: not in the first round, so that a server
            # that has just started answers its first users at full speed.
            jobs = (
                (fill_stats, send_report_reminders)
                if first
                else (fill_stats, print_bureau_reports, send_report_reminders)
            )
            first = False
            for job in jobs:
                try:
                    job()
                except Exception:
                    logger.exception("统计定时任务运行失败")
                finally:
                    close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-stats", daemon=True).start()
    return stop
