"""The roster of a platform's week as .xlsx and as an A4 PDF to post at the window, and the district's monthly
subsidy sheet as .xlsx. Reuses the ledgers' Excel styling and WeasyPrint setup."""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lawdesk.core import clock, xlsx
from lawdesk.core.pdf import html_to_pdf
from lawdesk.duty.models import DutyShift
from lawdesk.duty.selectors import Day, Gap, SubsidyLine, week_label
from lawdesk.ledgers.excel import BORDER, HEADER_FILL, SUBTOTAL_FILL, WRAP, _merged_line
from lawdesk.orgs.models import OrgNode


def _header(sheet: Worksheet, row: int, headers: list[tuple[str, float]]) -> None:
    for index, (text, width) in enumerate(headers, start=1):
        cell = xlsx.write(sheet, row, index, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _text(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = xlsx.write(sheet, row, column, value)  # text typed by a user is never a formula
    cell.border = BORDER
    cell.alignment = WRAP


ROSTER_HEADERS = [
    ("日期", 18.0),
    ("时段", 8.0),
    ("坐班时间", 14.0),
    ("值班人员", 14.0),
    ("岗位", 14.0),
    ("职责", 40.0),
]


def roster_workbook(node: OrgNode, monday: datetime.date, days: list[Day], gaps: list[Gap]) -> bytes:
    workbook, sheet = xlsx.new_workbook("值班安排表")
    width = len(ROSTER_HEADERS)
    _merged_line(sheet, 1, width, f"{node.name}值班安排表", font=Font(bold=True, size=16), align="center")
    _merged_line(
        sheet, 2, width, f"期间：{week_label(monday)}　　坐班时间：{node.hours_text}", font=Font(size=11)
    )
    _header(sheet, 3, ROSTER_HEADERS)
    line = 3
    for day in days:
        if not day.is_working_day:
            continue
        for cell in day.cells:
            shifts: list[DutyShift | None] = [*cell.shifts] or [None]
            for shift in shifts:
                line += 1
                values = [day.label, cell.label, shift.hours_text if shift else cell.hours]
                if shift is None:
                    values += ["（无人值班）", "", ""]
                else:
                    values += [str(shift.person), shift.get_post_display(), shift.duty]
                for column, value in enumerate(values, start=1):
                    _text(sheet, line, column, value)
    line += 1
    text = f"无人值班时段：{len(gaps)}个" if gaps else "本周工作日各时段均已安排值班。"
    _merged_line(sheet, line, width, text, font=Font(bold=True), fill=SUBTOTAL_FILL)
    sheet.freeze_panes = "A4"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return xlsx.save(workbook)


def roster_pdf(node: OrgNode, monday: datetime.date, days: list[Day]) -> bytes:
    html = render_to_string(
        "duty/print.html",
        {"node": node, "week": week_label(monday), "days": [d for d in days if d.is_working_day],
         "printed_at": clock.localnow()},
    )  # fmt: skip
    return html_to_pdf(html)


SUBSIDY_HEADERS = [("序号", 6.0), ("姓名", 14.0), ("人员类别", 22.0), ("值班平台", 40.0), ("值班时段数", 12.0),
                   ("补助金额（元）", 16.0), ("签领", 12.0)]  # fmt: skip


def subsidy_workbook(district: OrgNode, year: int, month: int, lines: list[SubsidyLine]) -> bytes:
    workbook, sheet = xlsx.new_workbook("值班补助发放表")
    width = len(SUBSIDY_HEADERS)
    _merged_line(sheet, 1, width, "值班补助发放表", font=Font(bold=True, size=16), align="center")
    _merged_line(sheet, 2, width, f"单位：{district.name}　　期间：{year}年{month}月", font=Font(size=11))
    _header(sheet, 3, SUBSIDY_HEADERS)
    row = 3
    total_sessions, total = 0, sum((x.amount for x in lines), start=0)
    for number, item in enumerate(lines, start=1):
        row += 1
        for column, value in enumerate(
            [number, str(item.person), item.category, item.platforms, item.sessions, item.amount, ""], start=1
        ):
            _text(sheet, row, column, value)
        sheet.cell(row=row, column=6).number_format = "0.00"
        total_sessions += item.sessions
    row += 1
    _merged_line(
        sheet, row, width, f"合计：{len(lines)}人，{total_sessions}个时段，{total:.2f}元",
        font=Font(bold=True), fill=SUBTOTAL_FILL,
    )  # fmt: skip
    if any(x.unpriced for x in lines):
        row += 1
        _merged_line(
            sheet, row, width, "注：部分时段无适用的补助标准，未计金额。", font=Font(size=9, color="666666")
        )
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return xlsx.save(workbook)
