"""Scoped reads of the ledgers: which records an actor sees for a node and period, and each as a row of cells
with personal data masked where the actor may not see it. The screen, the Excel export and the PDF all read
their rows here."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from lawdesk.core import clock
from lawdesk.ledgers.definitions import Ledger, Value
from lawdesk.matters import access as matter_access
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.people.identity import mask_id_number, mask_phone
from lawdesk.people.policy import Door, Policy

PAGE_SIZE = 100


# --- the period --------------------------------------------------------------------------------------------


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (local time)."""

    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{_chinese_date(self.start)}至{_chinese_date(self.end)}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The aware datetimes [first moment, moment after the last day)."""
        tz = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        after = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return first, after


def this_month(today: datetime.date | None = None) -> Period:
    today = today or clock.today()
    last = calendar.monthrange(today.year, today.month)[1]
    return Period(today.replace(day=1), today.replace(day=last))


def parse_period(params: Mapping[str, str], today: datetime.date | None = None) -> tuple[Period, list[str]]:
    """The period of ``?from=&to=`` (ISO dates); this month where a date is missing. Unreadable dates fall back
    to the default with a Chinese message saying so."""
    default = this_month(today)
    errors: list[str] = []

    def read(name: str, label: str, fallback: datetime.date) -> datetime.date:
        text = (params.get(name) or "").strip()
        if not text:
            return fallback
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            errors.append(f"{label}“{text}”不是有效日期（应为年-月-日，如2026-05-01），已按本月计。")
            return fallback

    start = read("from", "开始日期", default.start)
    end = read("to", "结束日期", default.end)
    if start > end:
        errors.append("开始日期晚于结束日期，已将两者对调。")
        start, end = end, start
    return Period(start, end), errors


# --- the records -------------------------------------------------------------------------------------------


def ledger_records(ledger: Ledger, *, actor: Any, node: OrgNode, period: Period) -> QuerySet[Any]:
    """The records of ``ledger`` received in ``node``'s subtree during ``period`` that ``actor`` may see,
    grouped by platform and ordered by number. The caller has checked that the actor may see ``node``."""
    first, after = period.bounds()
    field = ledger.received_field
    return (
        ledger.queryset()
        .filter(
            matter_access.visits_q(actor) if ledger.is_visit_ledger else matter_access.matters_q(actor),
            subtree_q(node.path, "node__"),
        )
        .filter(**{f"{field}__gte": first, f"{field}__lt": after})
        .order_by(*ledger.order_by)
    )


@dataclass(frozen=True)
class PlatformCount:
    node_id: int
    name: str
    count: int


def platform_counts(records: QuerySet[Any]) -> list[PlatformCount]:
    """How many rows each platform has in ``records``, in ledger order (the sub-totals)."""
    rows = (
        records.order_by()
        .prefetch_related(None)
        .values("node_id", "node__name", "node__path")
        .annotate(count=Count("id"))
        .order_by("node__path")
    )
    return [PlatformCount(r["node_id"], r["node__name"], r["count"]) for r in rows]


# --- masking -----------------------------------------------------------------------------------------------

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# A phone: digits with optional hyphens; masked when it has at least 7 digits (service numbers like 12348 stay).
_PHONE = re.compile(r"(?<![0-9A-Za-z*])\d[\d-]*\d(?![0-9A-Za-z*])")


def _mask_phone_token(match: re.Match[str]) -> str:
    token = match.group(0)
    return mask_phone(token) if sum(c.isdigit() for c in token) >= 7 else token


def mask_personal_text(text: str) -> str:
    """Every ID number (6101**********1234) and phone (139****5678) in ``text`` masked; the rest kept."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE.sub(_mask_phone_token, text)


# --- rows --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    node: OrgNode  # the platform that received it
    cells: list[Value]  # one per column of the ledger, personal ones masked when ``masked``
    masked: bool

    @property
    def number(self) -> str:
        return str(self.cells[0])


def ledger_rows(
    ledger: Ledger,
    *,
    actor: Any,
    records: Iterable[Any],
    door: Door | str = Door.EXPORT,
) -> Iterator[LedgerRow]:
    """The rows with personal columns as the door shows them (``lawdesk.people.policy``): masked for everyone on
    a page and in the API, in full in an export for those who may see them."""
    rule = Policy(actor, door)
    for record in records:
        reveal = rule.at(record.node).full
        source = ledger.cells
        extra = source.fill(record, actor) if source else {}
        cells: list[Value] = []
        for column in ledger.columns:
            value = extra[column.key] if column.key in extra else column.value(record)
            if column.personal and not reveal and value:
                value = mask_personal_text(str(value))
            cells.append(value)
        yield LedgerRow(node=record.node, cells=cells, masked=not reveal)


def group_rows(rows: Iterable[LedgerRow]) -> Iterator[tuple[OrgNode, list[LedgerRow]]]:
    """Consecutive rows of one platform together (the rows come grouped by platform)."""
    node: OrgNode | None = None
    group: list[LedgerRow] = []
    for row in rows:
        if node is not None and row.node.pk != node.pk:
            yield node, group
            group = []
        node = row.node
        group.append(row)
    if node is not None:
        yield node, group


def display(value: Value) -> str:
    """A cell as the screen and the PDF show it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def ledger_nodes(actor: Any) -> QuerySet[OrgNode]:
    """The nodes a ledger may be asked for: every node in the actor's reach, in tree order."""
    return node_access.visible_nodes(actor).filter(is_active=True).order_by("path")


def default_node(actor: Any) -> OrgNode | None:
    return node_access.root_nodes_for(actor).order_by("path").first()
