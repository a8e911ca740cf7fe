"""The compliance board as an .xlsx, in the ledgers' style (title, period line, header, rows, totals)."""

from __future__ import annotations

from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lawdesk.core import xlsx
from lawdesk.leaderwindow.draw import week_label
from lawdesk.leaderwindow.selectors import Cell, Status
from lawdesk.ledgers.excel import BORDER, HEADER_FILL, SUBTOTAL_FILL, WRAP

HEADERS = [
    ("区(县)司法局", 18),
    ("周次", 30),
    ("抽签时段", 30),
    ("进驻平台", 26),
    ("驻窗口领导", 12),
    ("签到时间", 17),
    ("签退时间", 17),
    ("时长(分钟)", 10),
    ("受理事项数", 10),
    ("情况", 12),
]


def _local_text(moment: object) -> str:
    if moment is None:
        return ""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"  # type: ignore[arg-type]


def build_board_workbook(rows: list[list[Cell]], *, title: str, period: str) -> bytes:
    book, sheet = xlsx.new_workbook("局长驻窗口")
    width = len(HEADERS)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    xlsx.write(sheet, 1, 1, title).font = Font(bold=True, size=16)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    xlsx.write(sheet, 2, 1, f"期间：{period}　　标准：每周1人次，每次不少于2小时")
    for index, (header, col_width) in enumerate(HEADERS, start=1):
        cell = xlsx.write(sheet, 3, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = col_width
    line = 3
    counts: dict[str, int] = {}
    for row in rows:
        for c in row:
            counts[c.status] = counts.get(c.status, 0) + 1
            line += 1
            draw, visit = c.draw, c.visit
            values: list[str | int | None] = [
                c.district.name,
                week_label(c.week_start),
                draw.slot_text if draw else "未抽签",
                draw.platform.name if draw else "",
                str(draw.leader) if draw else "",
                _local_text(visit.checked_in_at) if visit else "",
                _local_text(visit.checked_out_at) if visit else "",
                c.minutes,
                c.matter_count if visit else None,
                c.label,
            ]
            for index, value in enumerate(values, start=1):
                cell = xlsx.write(sheet, line, index, value)
                cell.border = BORDER
                cell.alignment = WRAP
    line += 1
    summary = "，".join(f"{Status(s).label}{n}" for s, n in sorted(counts.items()))
    sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    total = xlsx.write(sheet, line, 1, f"合计：{summary or '无记录'}")
    total.font = Font(bold=True)
    total.fill = SUBTOTAL_FILL
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    return xlsx.save(book)
