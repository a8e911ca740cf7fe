"""Periodic work of leader-at-window: every Friday at 17:00 (Beijing time) draw next week for every district.

Production: ``celery -A lawdesk beat`` sends ``draw_next_week`` on ``BEAT_SCHEDULE``. Cron:
``0 17 * * 5 … manage.py draw_leader_window``. Development: ``start_in_process`` runs it from a daemon thread
(it only draws the districts that have no draw for next week yet, so running it often is harmless).
"""

from __future__ import annotations

import datetime
import logging
import threading
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app
from lawdesk.core import clock

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-draw-leader-window": {
        "task": "lawdesk.leaderwindow.tasks.draw_next_week",
        "schedule": crontab(day_of_week=5, hour=17, minute=0),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


def next_monday(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=7 - today.weekday())


@app.task(name="lawdesk.leaderwindow.tasks.draw_next_week")
def draw_next_week() -> int:
    """Draw next week's slot for every district not drawn yet; returns how many were drawn."""

    from lawdesk.leaderwindow.services import draw_week_for_all

    today = clock.today()
    drawn, problems = draw_week_for_all(week_start=next_monday(today), today=today)
    for problem in problems:
        logger.warning("局长驻窗口抽签未完成：%s", problem)
    logger.info("局长驻窗口：本次为%s个区(县)抽签", drawn)
    return drawn


def start_in_process(*, interval_seconds: float = 3600.0) -> threading.Event:
    """Development without Celery beat or cron: draw next week now and then every ``interval_seconds``."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                draw_next_week()
            except Exception:
                logger.exception("局长驻窗口抽签运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-leader-window", daemon=True).start()
    return stop
