"""The statistics' one clock: deadlines, late flags and "last month" read the time here (tests move it)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    return timezone.localtime(now()).date()
