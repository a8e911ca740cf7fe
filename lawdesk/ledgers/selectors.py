"""Scoped reads of the ledgers: which records an actor sees for a node and period, and each as a row of cells
with personal data masked where the actor may not see it. The screen, the Excel export and the PDF all read
their rows here."""

from __future__ import annotations

import calendar
import datetime
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, Model, Q, QuerySet, TextField
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lawdesk.core import clock, crypto
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
    place = subtree_q(node.path, "node__")
    if ledger.is_visit_ledger:
        # The same visits, named also by their platforms' ids: SQLite then reads each platform's visits of the
        # period from the (node, received_at) index. With the platform's path alone, the page's query (which
        # joins the citizen and the clerk too) read every visit of the city received in the period and sorted
        # them (issue 21: 2.3 ms of SQL for a platform's 100 rows since 2000 among the demo's 2,660 visits).
        place &= Q(node_id__in=OrgNode.objects.filter(subtree_q(node.path)).values("id"))
    return (
        ledger.queryset()
        .filter(
            matter_access.visits_q(actor) if ledger.is_visit_ledger else matter_access.matters_q(actor),
            place,
        )
        .filter(**{f"{field}__gte": first, f"{field}__lt": after})
        .order_by(*ledger.order_by)
    )


def ledger_counts(ledgers: Iterable[Ledger], *, actor: Any, node: OrgNode, period: Period) -> dict[int, int]:
    """``ledger_records(ledger, …).count()`` of each of ``ledgers`` by code: the visit ledger counted on its own,
    the matter ledgers together in one query grouped by kind (the ledgers' index; issue 21: six counts, each
    compiling the actor's scope, were most of the page)."""
    counts: dict[int, int] = {}
    by_kind: dict[str, int] = {}
    for ledger in ledgers:
        if ledger.kind is None:
            counts[ledger.code] = ledger_records(ledger, actor=actor, node=node, period=period).count()
        else:
            by_kind[ledger.kind] = ledger.code
            counts[ledger.code] = 0
    if by_kind:
        from lawdesk.matters.models import Matter

        first, after = period.bounds()
        rows = (
            Matter.objects.filter(kind__in=list(by_kind), ledger_seq__isnull=False)
            .filter(matter_access.matters_q(actor), subtree_q(node.path, "node__"))
            .filter(visit__received_at__gte=first, visit__received_at__lt=after)
            .order_by()
            .values_list("kind")
            .annotate(count=Count("id"))
        )
        for kind, count in rows:
            counts[by_kind[kind]] = count
    return counts


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


# --- ledger 1's page, read as plain rows -------------------------------------------------------------------

# What ledger 1's columns read (lawdesk.ledgers.definitions.VISITS), as ``values()`` of a visit and its matters.
_VISIT_VALUES = (
    "id", "node_id", "person_id", "received_by_id", "channel", "received_at", "summary", "vulnerable_groups",
    "by_reference", "said_name", "said_address", "said_gender", "year", "seq",
)  # fmt: skip
# The numbers said at the visit, read as stored (encrypted) and decrypted only for a visit that shows them
# (``Visit.person_as_told``: one registered by reference); the others show the person's (issue 21: decrypting
# three numbers a row was a tenth of the page).
_VISIT_SAID_NUMBERS = ("said_phone", "said_id_number")
_PERSON_VALUES = ("name", "gender", "phone", "address", "birth_date")
_NODE_VALUES = ("name", "path", "depth", "kind", "parent_id", "is_active")
_USER_VALUES = ("username", "full_name")
_MATTER_VALUES = (
    "id", "visit_id", "node_id", "kind", "state", "redirect_to", "redirect_reason", "institution_id", "answer",
    "outcome", "one_trip_mode", "outcome_by_proxy",
)  # fmt: skip


def _loaded(model: type[Model], db: str, values: dict[str, Any]) -> Any:
    """An instance of ``model`` holding ``values`` (attnames) as if read from ``db``, the others deferred:
    without ``Model.__init__``, which loops over every field of the model and was most of the page's cost."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    instance.__dict__.update(values)
    return instance


def _related(instance: Any, name: str, value: Any) -> None:
    instance._state.fields_cache[name] = value


def visit_ledger_page(records: QuerySet[Any]) -> list[Any]:
    """The visits of ``records`` (ledger 1's scoped, ordered and sliced query) with what the ledger shows of
    them — the citizen, the platform, the receiving clerk, the matters and their institutions — in two queries,
    each platform, clerk and institution one object (issue 21: a 100-row page built 500 model objects)."""
    from lawdesk.accounts.models import User
    from lawdesk.institutions.models import Institution
    from lawdesk.matters.models import Matter, Visit
    from lawdesk.people.models import Person

    db = records.db
    stored = {
        f"stored_{name}": ExpressionWrapper(F(name), output_field=TextField()) for name in _VISIT_SAID_NUMBERS
    }
    fields = (
        *_VISIT_VALUES,
        *stored,
        *(f"person__{f}" for f in _PERSON_VALUES),
        *(f"node__{f}" for f in _NODE_VALUES),
        *(f"received_by__{f}" for f in _USER_VALUES),
    )
    nodes: dict[int, OrgNode] = {}
    users: dict[int | None, Any] = {None: None}
    visits: list[Any] = []
    for row in records.prefetch_related(None).annotate(**stored).values(*fields):
        visit = _loaded(Visit, db, {k: row[k] for k in _VISIT_VALUES})
        if row["by_reference"]:
            for name in _VISIT_SAID_NUMBERS:
                visit.__dict__[name] = crypto.decrypt(row[f"stored_{name}"] or "")
        person = _loaded(
            Person, db, {"id": row["person_id"]} | {f: row[f"person__{f}"] for f in _PERSON_VALUES}
        )
        node = nodes.get(row["node_id"])
        if node is None:
            node = nodes[row["node_id"]] = _loaded(
                OrgNode, db, {"id": row["node_id"]} | {f: row[f"node__{f}"] for f in _NODE_VALUES}
            )
        user = users.get(row["received_by_id"])
        if row["received_by_id"] not in users:
            user = users[row["received_by_id"]] = _loaded(
                User, db, {"id": row["received_by_id"]} | {f: row[f"received_by__{f}"] for f in _USER_VALUES}
            )
        _related(visit, "person", person)
        _related(visit, "node", node)
        _related(visit, "received_by", user)
        visit.ledger_matters = []
        visits.append(visit)
    by_id = {visit.id: visit for visit in visits}
    institutions: dict[int | None, Any] = {None: None}
    matters = (
        Matter.objects.filter(visit_id__in=list(by_id))
        .order_by("id")
        .values(*_MATTER_VALUES, "institution__name")
    )
    for row in matters:
        matter = _loaded(Matter, db, {k: row[k] for k in _MATTER_VALUES})
        institution = institutions.get(row["institution_id"])
        if row["institution_id"] not in institutions:
            institution = institutions[row["institution_id"]] = _loaded(
                Institution, db, {"id": row["institution_id"], "name": row["institution__name"]}
            )
        _related(matter, "institution", institution)
        by_id[row["visit_id"]].ledger_matters.append(matter)
    return visits


# --- masking -----------------------------------------------------------------------------------------------

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# A phone: digits with optional hyphens; masked when it has at least 7 digits (service numbers like 12348 stay).
_PHONE = re.compile(r"(?<![0-9A-Za-z*])\d[\d-]*\d(?![0-9A-Za-z*])")


def _mask_phone_token(match: re.Match[str]) -> str:
    token = match.group(0)
    return mask_phone(token) if sum(c.isdigit() for c in token) >= 7 else token


def mask_personal_text(text: str) -> str:
    """Every ID number (6101**********1234) and phone (139****5678) in ``text`` masked; the rest kept."""
    if text.isascii() and text.isdigit():
        # A bare number (most phones): what the two patterns below make of it, without them (issue 21).
        if len(text) in (15, 18):
            return mask_id_number(text)
        return mask_phone(text) if len(text) >= 7 else text
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
    source = ledger.cells
    # What each cell needs of its column, looked up once rather than on every row's 15 cells; the personal
    # columns masked after the row is read (issue 21: a loop over 1,500 cells testing each).
    columns = [(column.key, column.value) for column in ledger.columns]
    readers = [column.value for column in ledger.columns]
    personal = [index for index, column in enumerate(ledger.columns) if column.personal]
    node: Any = None
    reveal = False
    for record in records:
        here = record.node
        if here is not node:  # the rows come grouped by platform, each platform one object on a page
            node = here
            reveal = rule.at(node).full
        extra = source.fill(record, actor) if source else None
        cells: list[Value] = (
            [extra[key] if key in extra else read(record) for key, read in columns]
            if extra
            else [read(record) for read in readers]
        )
        if not reveal:
            for index in personal:
                if value := cells[index]:
                    cells[index] = mask_personal_text(str(value))
        yield LedgerRow(node=node, cells=cells, masked=not reveal)


def group_rows(rows: Iterable[LedgerRow]) -> Iterator[tuple[OrgNode, list[LedgerRow]]]:
    """Consecutive rows of one platform together (the rows come grouped by platform)."""
    node: OrgNode | None = None
    group: list[LedgerRow] = []
    for row in rows:
        if node is not None and row.node is not node and row.node.pk != node.pk:
            yield node, group
            group = []
        node = row.node
        group.append(row)
    if node is not None:
        yield node, group


def display(value: Value, tz: datetime.tzinfo | None = None) -> str:
    """A cell as the screen and the PDF show it; an aware datetime in ``tz``, the current time zone (which a
    caller writing many cells looks up once: ``timezone.get_current_timezone`` costs microseconds a call)."""
    if type(value) is str:  # most cells: no conversion (the checks below, for 1,500 cells a page, add up)
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(tz or timezone.get_current_timezone())  # timezone.localtime
        if value.year >= 1000:  # what ``%Y-%m-%d %H:%M`` writes, without strftime
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat() if value.year >= 1000 else f"{value:%Y-%m-%d}"
    return str(value)


def row_html(cells: list[Value], tz: datetime.tzinfo | None = None) -> SafeString:
    """One row of the ledger's table on screen: ``<tr>`` with the number cell first, each cell displayed and
    escaped. Built here once per row rather than by template tags per cell (issue 21: a 100-row page has
    about 1,500 cells)."""
    tz = tz or timezone.get_current_timezone()
    texts = [html.escape(text) if (text := display(value, tz)) else "" for value in cells]
    return mark_safe(  # every cell escaped above
        f'<tr><td class="number">{texts[0]}</td><td>' + "</td><td>".join(texts[1:]) + "</td></tr>"
        if len(texts) > 1
        else f'<tr><td class="number">{texts[0]}</td></tr>'
    )


def rows_html(rows: Iterable[LedgerRow]) -> SafeString:
    """The rows of one platform as the page's loop over them wrote them, each by ``row_html``, the time zone
    looked up once."""
    tz = timezone.get_current_timezone()
    return mark_safe("".join(f"\n    {row_html(row.cells, tz)}\n    " for row in rows))  # escaped by row_html


def ledger_nodes(actor: Any) -> QuerySet[OrgNode]:
    """The nodes a ledger may be asked for: every node in the actor's reach, in tree order."""
    return node_access.visible_nodes(actor).filter(is_active=True).order_by("path")


def node_options_html(actor: Any, selected: int) -> SafeString:
    """The ``<option>``s of the filters' node drop-down: every node of ``ledger_nodes``, indented by depth so a
    bureau's platforms read as a tree, ``selected`` marked. Read as rows and written here once rather than by
    template tags per node (issue 21: a city-wide actor has hundreds of nodes)."""
    rows = list(ledger_nodes(actor).values_list("pk", "name", "depth"))
    top = min((depth for _, _, depth in rows), default=0)
    return mark_safe(  # every label escaped here
        "".join(
            f'<option value="{pk}" {"selected" if pk == selected else ""}>'
            f"{html.escape(chr(0x3000) * (depth - top) + name)}</option>"
            for pk, name, depth in rows
        )
    )


def default_node(actor: Any) -> OrgNode | None:
    return node_access.root_nodes_for(actor).order_by("path").first()
