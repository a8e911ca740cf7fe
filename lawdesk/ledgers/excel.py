"""A ledger as an .xlsx in a fixed layout: the title row, the node and period row, the header row, the rows,
a sub-total per platform when several platforms are exported, and the total. ID numbers and phones are text."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from lawdesk.core import xlsx
from lawdesk.ledgers.definitions import Ledger, Value
from lawdesk.ledgers.selectors import LedgerRow, Period, group_rows
from lawdesk.orgs.models import OrgNode

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
MASK_NOTE = "注：身份证号码、联系电话已按查看权限隐去部分数字。"


def _cell_value(value: Value) -> str | int | datetime.datetime | datetime.date | None:
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None)  # Excel has no time zones: local time
    return value


def _merged_line(sheet: Worksheet, row: int, width: int, text: str, *, font: Font, fill: PatternFill | None = None,
                 align: str = "left") -> None:  # fmt: skip
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = xlsx.write(sheet, row, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center")
    if fill is not None:
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).fill = fill


def build_ledger_workbook(
    ledger: Ledger, *, node: OrgNode, period: Period, rows: Iterable[LedgerRow], several_platforms: bool
) -> bytes:
    workbook, sheet = xlsx.new_workbook(ledger.title)
    columns = ledger.columns
    width = len(columns)

    _merged_line(sheet, TITLE_ROW, width, ledger.title, font=Font(bold=True, size=16), align="center")
    sheet.row_dimensions[TITLE_ROW].height = 28
    _merged_line(sheet, INFO_ROW, width, f"单位：{node.name}　　期间：{period.label}", font=Font(size=11))
    for index, column in enumerate(columns, start=1):
        cell = xlsx.write(sheet, HEADER_ROW, index, column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    line = HEADER_ROW
    total = 0
    masked = False
    for platform, platform_rows in group_rows(rows):
        for row in platform_rows:
            masked = masked or row.masked
            line += 1
            for index, (column, value) in enumerate(zip(columns, row.cells, strict=True), start=1):
                cell = xlsx.write(sheet, line, index, _cell_value(value))  # text never a formula
                cell.border = BORDER
                cell.alignment = WRAP
                if column.personal or isinstance(value, str):
                    cell.number_format = "@"  # ID numbers and phones keep every digit
                elif isinstance(value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
        total += len(platform_rows)
        if several_platforms:
            line += 1
            text = f"小计：{platform.name}，共{len(platform_rows)}条"
            _merged_line(sheet, line, width, text, font=Font(bold=True), fill=SUBTOTAL_FILL)
    line += 1
    _merged_line(sheet, line, width, f"合计：共{total}条", font=Font(bold=True), fill=SUBTOTAL_FILL)
    if masked:
        line += 1
        _merged_line(sheet, line, width, MASK_NOTE, font=Font(size=9, color="666666"))

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页 共 &N 页"
    return xlsx.save(workbook)
