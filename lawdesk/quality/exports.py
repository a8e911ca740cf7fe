"""个人绩效考核 export: one row per worker with the quality figures of the period, in the reader's reach."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lawdesk.accounts import scoping
from lawdesk.core import xlsx
from lawdesk.orgs.models import OrgNode
from lawdesk.quality.scorecard import Period

HEADERS = [
    "姓名",
    "账号",
    "所在单位",
    "考核期间",
    "统计范围",
    "服务事项数",
    "群众评价数",
    "满意数（4–5分）",
    "满意度（%）",
    "平均评分",
    "采纳登记数",
    "采纳数（含部分采纳）",
    "意见采纳率（%）",
    "时效可判定数",
    "按期数",
    "按期率（%）",
    "查实投诉数",
]


def workplace(user: Any) -> str:
    return scoping.workplace(user)


def performance_xlsx(*, period: Period, node: OrgNode, rows: list[dict[str, Any]]) -> bytes:
    book, sheet = xlsx.new_workbook("服务质量")
    xlsx.append(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        user, card = row["user"], row["card"]
        xlsx.append(
            sheet,
            [
                str(user),
                user.username,
                workplace(user),
                period.label,
                node.name,
                card.service,
                card.rated,
                card.satisfied,
                card.satisfaction,
                card.average,
                card.adoption_recorded,
                card.adopted,
                card.adoption,
                card.timely_decided,
                card.timely,
                card.timeliness,
                card.upheld,
            ],
        )
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    sheet.freeze_panes = "A2"
    return xlsx.save(book)
