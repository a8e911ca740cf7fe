"""Periodic work of the video consultations: end the rooms past their time (the Janus room destroyed).

Production: ``celery -A lawdesk beat`` runs ``expire_video_rooms`` every 5 minutes. Cron:
``*/5 * * * * … manage.py expire_video_rooms``. Development: ``start_in_process`` runs it in a daemon thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-expire-video-rooms": {
        "task": "lawdesk.video.tasks.expire_video_rooms",
        "schedule": 300.0,
    },
}


@app.task(name="lawdesk.video.tasks.expire_video_rooms")
def expire_video_rooms() -> int:
    from lawdesk.video.services import expire_rooms

    count = expire_rooms()
    if count:
        logger.info("视频咨询：%s个超时房间已结束", count)
    return count


def start_in_process(*, interval_seconds: float = 300.0) -> threading.Event:
    """Development without beat or cron: run now and every ``interval_seconds``; set the event to stop."""
    stop = threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while True:
            try:
                expire_video_rooms()
            except Exception:
                logger.exception("视频咨询超时结束运行失败")
            finally:
                close_old_connections()
            if stop.wait(interval_seconds):
                return

    threading.Thread(target=loop, name="lawdesk-video-expiry", daemon=True).start()
    return stop
