"""The compliance board as an .xlsx, in the ledgers' style (title row, info row, header row, rows)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lawdesk.core import xlsx
from lawdesk.ledgers.excel import BORDER, HEADER_FILL, HEADER_ROW, INFO_ROW, TITLE_ROW, WRAP, _merged_line
from lawdesk.outreach.selectors import Board

COLUMNS: list[tuple[str, int]] = [
    ("区(县)", 16),
    ("贫困村", 18),
    ("区划代码", 16),
    ("所属司法所", 20),
    ("本季度是否已服务", 10),
    ("本季度服务次数", 10),
    ("最近服务日期", 14),
]


def board_workbook(board: Board, *, title_node: str) -> bytes:
    workbook, sheet = xlsx.new_workbook("脱贫攻坚专项法律服务")
    width = len(COLUMNS)
    _merged_line(sheet, TITLE_ROW, width, "脱贫攻坚专项法律服务季度落实情况", font=Font(bold=True, size=16),
                 align="center")  # fmt: skip
    info = f"单位：{title_node}　　期间：{board.quarter.label}　　未服务：{len(board.unserved)}个村"
    if board.days_left is not None:
        info += f"　　距季度末：{board.days_left}天（{board.working_days_left}个工作日）"
    _merged_line(sheet, INFO_ROW, width, info, font=Font(size=11))
    for index, (header, column_width) in enumerate(COLUMNS, start=1):
        cell = xlsx.write(sheet, HEADER_ROW, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    line = HEADER_ROW
    for row in sorted(board.rows, key=lambda r: (r.served, r.village.district.path, r.village.region_code)):
        line += 1
        village = row.village
        values = [
            village.district.name,
            village.name,
            village.region_code,
            village.office.name if village.office else "",
            "是" if row.served else "否",
            row.services_in_quarter,
            row.last_service,
        ]
        for index, value in enumerate(values, start=1):
            cell = xlsx.write(sheet, line, index, value)  # a village's name is text, never a formula
            cell.border = BORDER
            cell.alignment = WRAP
            if index == 3:
                cell.number_format = "@"
            if index == 7 and value is not None:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return xlsx.save(workbook)
