"""The one clock: every "now" and "today" in lawdesk is read here.

Services, selectors, periodic tasks, templates (through the ``clock`` context processor) and the pages' scripts
(through ``data-today`` on ``<html>``) all take the time from these functions, so a test that pins the clock
(time-machine) moves every layer at once, and a test can find a stray read of the system clock by grepping
for one (``tests/test_clock.py``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def localnow() -> datetime.datetime:
    """The current instant in the site's time zone (Asia/Shanghai)."""
    return timezone.localtime(now())


def today() -> datetime.date:
    """Today's date in the site's time zone: deadlines, periods and weeks count from it."""
    return localnow().date()


def timestamp() -> float:
    """Seconds since the epoch, for short-lived stamps and idle timers."""
    return now().timestamp()
