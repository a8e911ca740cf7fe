"""The board of staff below the year's training hours as an .xlsx (title row, info row, header row, rows)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lawdesk.core import xlsx
from lawdesk.staff.selectors import BoardRow

COLUMNS: list[tuple[str, int]] = [
    ("所在单位", 26),
    ("姓名", 12),
    ("用户名", 14),
    ("人员类别", 20),
    ("岗位", 16),
    ("本年已完成学时", 14),
    ("应完成学时", 12),
    ("尚差学时", 10),
]


def board_workbook(rows: Iterable[BoardRow], *, year: int, title_node: str) -> bytes:
    workbook, sheet = xlsx.new_workbook("培训学时未达标人员")
    rows = list(rows)
    xlsx.write(sheet, 1, 1, f"{year}年培训学时未达标人员").font = Font(bold=True, size=16)
    xlsx.write(sheet, 2, 1, f"单位：{title_node}　　共{len(rows)}人")
    for index, (header, width) in enumerate(COLUMNS, start=1):
        xlsx.write(sheet, 3, index, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line, row in enumerate(rows, start=4):
        profile = getattr(row.user, "staff_profile", None)
        values = [
            row.unit,
            row.user.get_full_name(),
            row.user.username,
            row.user.get_staff_category_display(),
            profile.post if profile is not None else "",
            float(row.hours),
            float(row.required),
            float(row.missing),
        ]
        for index, value in enumerate(values, start=1):
            xlsx.write(sheet, line, index, value)  # user text is written as text, never a formula
    sheet.freeze_panes = "A4"
    return xlsx.save(workbook)
