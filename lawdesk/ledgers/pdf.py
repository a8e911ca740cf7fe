"""A ledger printed to PDF with WeasyPrint: A4 landscape, a running header with the node and period, page
numbers "第 X 页 共 Y 页", a signature column after the first responder's, the system's Noto Sans CJK font
embedded (WeasyPrint embeds the subset it uses). The layout is the print template ``ledgers/print.html``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from lawdesk.core import clock
from lawdesk.core.pdf import html_to_pdf
from lawdesk.ledgers.definitions import Column, Ledger, Value
from lawdesk.ledgers.selectors import LedgerRow, Period, display, group_rows
from lawdesk.orgs.models import OrgNode

# The most rows one PDF holds; WeasyPrint lays out about ten rows a second, so more is refused (Excel has all).
MAX_PRINT_ROWS = 1000
SIGNATURE_HEADER = "签名"
SIGNATURE_WIDTH = 10.0
NARROW = 16.0
# Lets a printed date break after the year when its column is too narrow for it.
BREAK = "\u200b"


def _print_cell(value: Value) -> str:
    text = display(value)
    if isinstance(value, datetime.date):
        return text.replace("-", "-" + BREAK, 1)
    return text


@dataclass(frozen=True)
class PrintColumn:
    header: str
    percent: float  # of the table's width


def _print_weight(column: Column) -> float:
    """A landscape page holds about two thirds of the ledger's Excel width: wide text columns give up more than
    narrow ones, so dates and names keep their line; ID numbers and phones keep theirs by ``print_width``."""
    if column.print_width is not None:
        return column.print_width
    width = column.width
    return width if width <= NARROW else NARROW + (width - NARROW) / 2


def print_columns(ledger: Ledger) -> tuple[list[PrintColumn], int]:
    """The printed columns (the ledger's, with the signature column after the first responder's) and the
    position of the signature column."""
    widths = [(c.header, _print_weight(c)) for c in ledger.columns]
    at = next((i + 1 for i, c in enumerate(ledger.columns) if c.responder), len(widths))
    widths.insert(at, (SIGNATURE_HEADER, SIGNATURE_WIDTH))
    whole = sum(w for _, w in widths)
    return [PrintColumn(h, round(100 * w / whole, 2)) for h, w in widths], at


def render_html(
    ledger: Ledger, *, node: OrgNode, period: Period, rows: Iterable[LedgerRow], several_platforms: bool
) -> str:
    columns, signature_at = print_columns(ledger)
    groups = []
    masked = False
    total = 0
    for platform, platform_rows in group_rows(rows):
        lines = []
        for row in platform_rows:
            cells = [_print_cell(v) for v in row.cells]
            cells.insert(signature_at, "")
            lines.append(cells)
            masked = masked or row.masked
        total += len(lines)
        groups.append({"node": platform, "rows": lines})
    context: dict[str, Any] = {
        "ledger": ledger,
        "node": node,
        "period": period,
        "columns": columns,
        "signature_at": signature_at,
        "groups": groups,
        "several_platforms": several_platforms,
        "total": total,
        "masked": masked,
        "printed_at": clock.localnow(),
    }
    return render_to_string("ledgers/print.html", context)


def render_pdf(
    ledger: Ledger, *, node: OrgNode, period: Period, rows: Iterable[LedgerRow], several_platforms: bool
) -> bytes:
    html = render_html(ledger, node=node, period=period, rows=rows, several_platforms=several_platforms)
    # The template needs nothing from outside: every URL is refused, so no text in a record can make it fetch one.
    return html_to_pdf(html)
