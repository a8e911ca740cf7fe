"""The one clock: lawdesk reads "now" and "today" only through ``lawdesk.core.clock``, so a pinned clock reaches
services, selectors, tasks, templates and the pages' scripts alike."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from django.template import Context, Template
from django.test import RequestFactory

from lawdesk.core import clock
from lawdesk.core.context_processors import site_clock

ROOT = Path(__file__).resolve().parent.parent / "lawdesk"
TZ = datetime.timezone(datetime.timedelta(hours=8))

# Reads of the system clock that must go through lawdesk.core.clock instead.
STRAY_PYTHON = re.compile(
    r"timezone\.now\b|timezone\.localdate\(\s*\)|timezone\.localtime\(\s*\)|\bdate\.today\b|datetime\.now\b"
    r"|datetime\.utcnow\b|\btime\.time\(|\btime\.localtime\(|\{%\s*now\b"
)
STRAY_JS = re.compile(r"new Date\(\s*\)|Date\.now\(\)")
# kiosk.js measures idle seconds between touches (a duration, never a date).
JS_DURATIONS = {"public/kiosk.js"}


def _sources(pattern: str) -> list[Path]:
    return [p for p in ROOT.rglob(pattern) if "migrations" not in p.parts and "vendor" not in p.parts]


def test_python_and_templates_read_the_clock_only_through_core_clock() -> None:
    stray = []
    for path in _sources("*.py") + _sources("*.html"):
        if path == ROOT / "core" / "clock.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if STRAY_PYTHON.search(line):
                stray.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert stray == []


def test_scripts_take_today_from_the_page_not_from_the_desk_computer() -> None:
    stray = []
    for path in _sources("*.js"):
        if path.relative_to(ROOT / "static").as_posix() in JS_DURATIONS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if STRAY_JS.search(line):
                stray.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert stray == []


def test_the_clock_follows_a_pinned_instant_in_local_time(pinned_clock: Any) -> None:
    pinned_clock.move_to(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=TZ))  # still 2026-12-31 in UTC
    assert clock.today() == datetime.date(2027, 1, 1)
    assert clock.localnow().hour == 0 and clock.now().tzinfo is not None
    assert abs(clock.timestamp() - clock.now().timestamp()) < 1


def test_templates_get_the_same_today(pinned_clock: Any) -> None:
    pinned_clock.move_to(datetime.datetime(2028, 2, 29, 9, 0, tzinfo=TZ))
    context = site_clock(RequestFactory().get("/"))
    rendered = Template("{{ site_today|date:'Y-m-d' }}").render(Context(context))
    assert rendered == "2028-02-29"
