"""The Celery app: background work (reminders and 督办 escalation) on a Redis broker in production.

Configured from the Django settings prefixed ``CELERY_`` (``CELERY_BROKER_URL`` from ``LAWDESK_CELERY_BROKER_URL``;
``CELERY_TASK_ALWAYS_EAGER`` from ``LAWDESK_CELERY_EAGER``, on by default so development and tests run tasks
in-process without a broker). Production (``LAWDESK_JOBS=celery``, the default with ``LAWDESK_PRODUCTION=1``; tasks
then go to the broker) runs ``celery -A lawdesk worker`` and exactly one ``celery -A lawdesk beat`` however many app
servers there are; the app servers start no job threads (``LAWDESK_JOBS=inprocess`` is for one server without
Celery: ``manage.py serve`` then runs the ``start_in_process`` runners of PERIODIC_APPS).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawdesk.settings")

app = Celery("lawdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every app with periodic work: its tasks.py declares the tasks and a BEAT_SCHEDULE.
PERIODIC_APPS = [
    "lawdesk.matters",
    "lawdesk.appointments",
    "lawdesk.video",
    "lawdesk.leaderwindow",
    "lawdesk.outreach",
    "lawdesk.advisers",
    "lawdesk.correction",
    "lawdesk.screening",
    "lawdesk.assessment",
    "lawdesk.stats",
    "lawdesk.people",
    "lawdesk.core",
]
app.autodiscover_tasks(PERIODIC_APPS)


@app.on_after_configure.connect
def _add_schedule(sender: Celery, **kwargs: Any) -> None:
    import importlib

    for module in PERIODIC_APPS:
        schedule = importlib.import_module(f"{module}.tasks").BEAT_SCHEDULE
        for name, entry in schedule.items():
            sender.conf.beat_schedule.setdefault(name, entry)
