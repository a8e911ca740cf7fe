"""The compliance board as an .xlsx, in the ledgers' style (title row, info row, header row, rows)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lawdesk.core import xlsx
from lawdesk.ledgers.excel import BORDER, HEADER_FILL, HEADER_ROW, INFO_ROW, TITLE_ROW, WRAP, _merged_line
from lawdesk.outreach.models import PublicityDuty, PublicityEvent
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


def _list_workbook(title: str, columns: list[tuple[str, int]], rows: list[list[object]]) -> bytes:
    """A plain list: title row, header row, one row per record (text always text)."""
    workbook, sheet = xlsx.new_workbook(title)
    _merged_line(sheet, 1, len(columns), title, font=Font(bold=True, size=16), align="center")
    for index, (header, column_width) in enumerate(columns, start=1):
        cell = xlsx.write(sheet, 2, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    for line, values in enumerate(rows, start=3):
        for index, value in enumerate(values, start=1):
            cell = xlsx.write(sheet, line, index, value)
            cell.border = BORDER
            cell.alignment = WRAP
            if hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    return xlsx.save(workbook)


def events_workbook(events: list[PublicityEvent]) -> bytes:
    columns = [
        ("日期", 12), ("登记单位", 24), ("活动类型", 14), ("主题", 28), ("地点", 20), ("组织单位", 18),
        ("宣传媒介和渠道", 24), ("责任部门", 18), ("受众人数", 10), ("发放资料(份)", 10),
    ]  # fmt: skip
    rows: list[list[object]] = [
        [
            e.date,
            e.node.name,
            e.get_kind_display(),
            e.theme,
            e.place,
            e.organiser,
            e.channels_display,
            e.department,
            e.audience_count,
            e.materials_count,
        ]
        for e in events
    ]
    return _list_workbook("法治宣传活动", columns, rows)


def duties_workbook(duties: list[PublicityDuty]) -> bytes:
    columns = [
        ("所属司法局", 20),
        ("年度", 8),
        ("责任部门", 20),
        ("负责普及的法律法规", 40),
        ("联系人及电话", 20),
        ("在册", 6),
    ]
    rows: list[list[object]] = [
        [d.node.name, d.year, d.department, d.laws, d.contact, "是" if d.active else "否"] for d in duties
    ]
    return _list_workbook("谁执法谁普法、谁服务谁普法责任清单", columns, rows)
