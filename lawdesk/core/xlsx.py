"""The one Excel (.xlsx) writer of every export: ledgers, the monthly report, quality, outreach, duty rosters and
subsidies, the leader-at-window board, the tree and the institutions.

Every cell value goes through ``write`` (or ``append``), which writes user text as text, never as a formula.
openpyxl makes any string that starts with ``=`` a formula cell (``data_type 'f'``): a poor village named
``=HYPERLINK("http://…","点此")`` would be a live link in the bureau's spreadsheet. Here a string is always a
string cell (``data_type 's'``), and one that starts with a character a spreadsheet reads as the start of a
formula (``= + - @``, tab, carriage return) also gets Excel's quote prefix (the cell shows the text exactly as
typed, and editing it in Excel or WPS keeps it text). Numbers, dates and times stay numbers, dates and times.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils import timezone
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | float | Decimal | bool | datetime.datetime | datetime.date | datetime.time | None


def new_workbook(title: str = "") -> tuple[openpyxl.Workbook, Worksheet]:
    """A workbook and its first sheet (named ``title``, cut to Excel's 31 characters)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    if title:
        sheet.title = title[:31]
    return workbook, sheet


def _plain(value: Any) -> Value:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: local time
    if value is None or isinstance(
        value, str | bool | int | float | Decimal | datetime.date | datetime.time | datetime.datetime
    ):
        return value
    return str(value)  # a lazy translation, a model: its text


def write(sheet: Worksheet, row: int, column: int, value: Any) -> Cell | MergedCell:
    """Put ``value`` into the cell as data: text as a string cell (never a formula), numbers and dates as such."""
    value = _plain(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def append(sheet: Worksheet, values: Iterable[Any]) -> list[Cell | MergedCell]:
    """Write ``values`` into the row after the sheet's last row (like ``Worksheet.append``)."""
    row = int(getattr(sheet, "_current_row", 0)) + 1  # what Worksheet.append uses; sheet.cell() moves it on
    return [write(sheet, row, column, value) for column, value in enumerate(values, start=1)]


def save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
