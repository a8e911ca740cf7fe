"""The month's service records as an .xlsx, in the ledgers' style (title row, info row, header row, rows)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lawdesk.advisers.models import ServiceRecord
from lawdesk.core import xlsx
from lawdesk.ledgers.excel import BORDER, HEADER_FILL, HEADER_ROW, INFO_ROW, TITLE_ROW, WRAP, _merged_line

COLUMNS: list[tuple[str, int]] = [
    ("司法所", 20),
    ("村(社区)", 16),
    ("法律顾问", 12),
    ("所在机构", 24),
    ("服务日期", 12),
    ("服务类型", 12),
    ("时长(小时)", 10),
    ("服务人次", 10),
    ("服务情况", 40),
    ("照片(张)", 8),
    ("审核状态", 10),
    ("审核意见", 24),
]


def records_workbook(records: Iterable[ServiceRecord], *, month: str, title_node: str) -> bytes:
    workbook, sheet = xlsx.new_workbook("法律顾问服务记录")
    width = len(COLUMNS)
    _merged_line(
        sheet, TITLE_ROW, width, "村(社区)法律顾问服务记录", font=Font(bold=True, size=16), align="center"
    )
    rows = list(records)
    _merged_line(
        sheet, INFO_ROW, width, f"单位：{title_node}　　期间：{month}　　共{len(rows)}条", font=Font(size=11)
    )
    for index, (header, column_width) in enumerate(COLUMNS, start=1):
        cell = xlsx.write(sheet, HEADER_ROW, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    line = HEADER_ROW
    for record in rows:
        line += 1
        values = [
            record.village.office.name,
            record.village.name,
            str(record.adviser),
            record.contract.institution.name,
            record.date,
            record.get_kind_display(),
            float(record.hours),
            record.people_served,
            record.description,
            record.photos.count(),
            record.get_status_display(),
            record.comment,
        ]
        for index, value in enumerate(values, start=1):
            cell = xlsx.write(sheet, line, index, value)  # user text is written as text, never a formula
            cell.border = BORDER
            cell.alignment = WRAP
            if index == 5:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return xlsx.save(workbook)
