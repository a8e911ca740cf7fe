"""The construction timetable as .xlsx: one row per district and stage, lagging stages marked."""

from __future__ import annotations

import datetime

from openpyxl.styles import Font

from lawdesk.bureau.models import Stage
from lawdesk.bureau.selectors import TimetableRow
from lawdesk.core import xlsx

HEADERS = ["区(县)司法局", "阶段", "计划完成日期", "实际完成日期", "进度（%）", "状态", "进展说明"]


def timetable_workbook(rows: list[TimetableRow], today: datetime.date) -> bytes:
    workbook, sheet = xlsx.new_workbook("建设进度")
    xlsx.write(sheet, 1, 1, f"公共法律服务实体平台建设时间节点（截至{today:%Y年%m月%d日}）").font = Font(
        bold=True, size=14
    )
    for column, text in enumerate(HEADERS, start=1):
        xlsx.write(sheet, 2, column, text).font = Font(bold=True)
    line = 2
    for row in rows:
        for stage, item in row.cells:
            line += 1
            values: list[object]
            if item is None:
                values = [row.district.name, Stage(stage).label, "", "", "", "未下达", ""]
            else:
                state = "滞后" if item.lags(today) else ("已完成" if item.actual_on else "进行中")
                values = [row.district.name, Stage(stage).label, item.planned_on.isoformat(),
                          item.actual_on.isoformat() if item.actual_on else "", item.progress, state, item.note]  # fmt: skip
            for column, value in enumerate(values, start=1):
                xlsx.write(sheet, line, column, value)
    for letter, width in zip("ABCDEFG", (24, 12, 14, 14, 10, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    return xlsx.save(workbook)
