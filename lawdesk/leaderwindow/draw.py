"""The random draw of a leader-at-window slot (七(三)): pure, no database.

Given a seed, the week's working days and the platform's hall hours, pick one day and one half-day (morning or
afternoon) uniformly among those long enough, then a start on a half-hour grid so that the whole slot (at least
two hours) lies inside that half-day. The same seed with the same days and hours gives the same slot.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

MIN_MINUTES = 120
STEP_MINUTES = 30

# Used when a platform has no hall hours recorded (Xi'an government halls' usual hours).
DEFAULT_MORNING = (datetime.time(9, 0), datetime.time(12, 0))
DEFAULT_AFTERNOON = (datetime.time(14, 0), datetime.time(18, 0))

MORNING, AFTERNOON = "morning", "afternoon"
HALF_LABELS = {MORNING: "上午", AFTERNOON: "下午"}


class NoSlotError(ValueError):
    """No working day in the week, or no half-day long enough: the message is Chinese."""


@dataclass(frozen=True)
class HallHours:
    morning: tuple[datetime.time, datetime.time] | None
    afternoon: tuple[datetime.time, datetime.time] | None

    @classmethod
    def of(cls, node: object) -> HallHours:
        """The hall hours recorded on a platform (``OrgNode``), or the default ones where missing."""

        def pair(
            opens: str, closes: str, default: tuple[datetime.time, datetime.time]
        ) -> tuple[datetime.time, datetime.time]:
            o, c = getattr(node, opens, None), getattr(node, closes, None)
            return (o, c) if o is not None and c is not None else default

        return cls(
            morning=pair("morning_open", "morning_close", DEFAULT_MORNING),
            afternoon=pair("afternoon_open", "afternoon_close", DEFAULT_AFTERNOON),
        )

    def halves(self) -> list[tuple[str, datetime.time, datetime.time]]:
        out = []
        if self.morning is not None:
            out.append((MORNING, *self.morning))
        if self.afternoon is not None:
            out.append((AFTERNOON, *self.afternoon))
        return out


@dataclass(frozen=True)
class Slot:
    date: datetime.date
    start: datetime.time
    end: datetime.time
    half: str

    @property
    def half_label(self) -> str:
        return HALF_LABELS[self.half]


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def draw_slot(
    *,
    seed: str,
    days: Sequence[datetime.date],
    hours: HallHours,
    minutes: int = MIN_MINUTES,
    step: int = STEP_MINUTES,
    not_before: datetime.datetime | None = None,
) -> Slot:
    """Draw a slot of ``minutes`` fully inside the morning or the afternoon hours of one of ``days``.
    ``not_before`` (local, naive) leaves out the days before it and, on its own day, the starts before it — a
    week drawn while under way keeps to the time still ahead."""
    if minutes < MIN_MINUTES:
        raise NoSlotError(f"驻窗口时长不得少于{MIN_MINUTES // 60}小时。")
    if not days:
        raise NoSlotError("该周没有工作日（法定节假日），无需安排局长驻窗口。")
    halves = [(h, o, c) for h, o, c in hours.halves() if _minutes(c) - _minutes(o) >= minutes]
    if not halves:
        raise NoSlotError(f"平台上午和下午的办公时间都不足{minutes // 60}小时，无法安排驻窗口。")
    # Every (day, half-day) with its possible starts, on the half-hour grid counted from the opening time.
    candidates: list[tuple[datetime.date, str, list[int]]] = []
    for day in sorted(set(days)):
        if not_before is not None and day < not_before.date():
            continue
        for half, opens, closes in halves:
            starts = range(_minutes(opens), _minutes(closes) - minutes + 1, step)
            if not_before is not None and day == not_before.date():
                earliest = not_before.hour * 60 + not_before.minute
                starts = range(next((m for m in starts if m >= earliest), starts.stop), starts.stop, step)
            if len(starts):
                candidates.append((day, half, list(starts)))
    if not candidates:
        raise NoSlotError("本周已没有剩余的工作时间，请为下周抽签。")
    rng = random.Random(seed)
    day, half, grid = rng.choice(candidates)
    start = rng.choice(grid)
    return Slot(date=day, start=_time(start), end=_time(start + minutes), half=half)


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_label(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    sunday = monday + datetime.timedelta(days=6)
    return f"{year}年第{week}周（{monday:%m-%d}至{sunday:%m-%d}）"


def week_code(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> datetime.date:
    """``2026-W48`` (or a date ``2026-11-23`` inside the week) → that week's Monday; Chinese message if bad."""
    text = (text or "").strip()
    try:
        if "W" in text.upper():
            year_text, week_text = text.upper().split("-W")
            return datetime.date.fromisocalendar(int(year_text), int(week_text), 1)
        return week_monday(datetime.date.fromisoformat(text))
    except (ValueError, TypeError) as exc:
        raise NoSlotError("周次格式应为“2026-W48”（年-W周次）或该周内的日期“2026-11-23”。") from exc
