"""Periodic work on personal data: the daily retention run (``lawdesk.people.retention``).

Production: ``celery -A lawdesk beat`` sends ``purge_personal_data`` every day at 02:30 Beijing time. Cron:
``manage.py purge_personal_data``.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.schedules import crontab

from lawdesk.celery import app

logger = logging.getLogger(__name__)

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lawdesk-purge-personal-data": {
        "task": "lawdesk.people.tasks.purge_personal_data",
        "schedule": crontab(hour=2, minute=30),  # in CELERY_TIMEZONE (Asia/Shanghai)
    },
}


@app.task(name="lawdesk.people.tasks.purge_personal_data")
def purge_personal_data() -> int:
    """Anonymise the people past retention; returns how many."""
    from lawdesk.people.retention import purge_personal_data as purge

    count = purge()
    logger.info("个人信息保存期限：本次清除%s人", count)
    return count
