"""The governance lists as .xlsx (title row, header row, one row per record; text always text)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lawdesk.core import xlsx
from lawdesk.governance.models import LegalOpinion, ModelVillageCase, SafetyActivity


def _workbook(title: str, columns: list[tuple[str, int]], rows: Iterable[list[Any]]) -> bytes:
    workbook, sheet = xlsx.new_workbook(title)
    xlsx.write(sheet, 1, 1, title).font = Font(bold=True, size=14)
    for index, (header, width) in enumerate(columns, start=1):
        xlsx.write(sheet, 2, index, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line, values in enumerate(rows, start=3):
        for index, value in enumerate(values, start=1):
            cell = xlsx.write(sheet, line, index, value)
            if hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    return xlsx.save(workbook)


def cases_workbook(cases: Iterable[ModelVillageCase]) -> bytes:
    columns = [
        ("司法所", 20), ("村(社区)", 18), ("申报级别", 8), ("状态", 8), ("申报日期", 12), ("审定日期", 12),
        ("命名文号", 20), ("撤销日期", 12),
    ]  # fmt: skip
    return _workbook(
        "民主法治示范村(社区)创建",
        columns,
        (
            [
                c.office.name,
                c.village.name,
                c.get_level_display(),
                c.get_state_display(),
                c.applied_on,
                c.decided_on,
                c.document,
                c.revoked_on,
            ]
            for c in cases
        ),
    )


def opinions_workbook(opinions: Iterable[LegalOpinion]) -> bytes:
    columns = [
        ("司法所", 20), ("提请单位", 20), ("事项", 28), ("提请日期", 12), ("出具日期", 12), ("意见建议内容", 40),
        ("出具人", 12), ("采纳情况", 10), ("反馈日期", 12),
    ]  # fmt: skip
    return _workbook(
        "为乡镇(街道)党委政府提供法律意见建议",
        columns,
        (
            [
                o.office.name,
                o.requester,
                o.subject,
                o.requested_on,
                o.opinion_on,
                o.opinion,
                o.given_by.get_full_name() or o.given_by.username,
                o.get_adoption_display() or "待反馈",
                o.adoption_on,
            ]
            for o in opinions
        ),
    )


def safety_workbook(activities: Iterable[SafetyActivity]) -> bytes:
    columns = [("司法所", 20), ("日期", 12), ("活动类型", 18), ("参与人数", 10), ("活动情况", 40)]
    return _workbook(
        "平安创建活动",
        columns,
        ([a.office.name, a.date, a.get_kind_display(), a.participants, a.summary] for a in activities),
    )
