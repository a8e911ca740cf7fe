"""The correction ledger (社区矫正对象台账, masked identities) and the sheet for the national correction
information system (full identities, a fixed column layout: ``NATIONAL_COLUMNS``). Both through
``lawdesk.core.xlsx`` (user text is written as text, never a formula)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lawdesk.core import xlsx
from lawdesk.correction.models import HOUR_KINDS, VISIT_KINDS, RecordKind, Supervisee
from lawdesk.ledgers.excel import BORDER, HEADER_FILL, HEADER_ROW, INFO_ROW, TITLE_ROW, WRAP, _merged_line
from lawdesk.people.identity import mask_id_number

LEDGER_COLUMNS: list[tuple[str, int]] = [
    ("编号", 8), ("负责司法所", 20), ("姓名", 10), ("身份证号", 22), ("矫正类别", 12), ("罪名", 14),
    ("决定机关", 20), ("生效日期", 12), ("矫正期起", 12), ("矫正期止", 12), ("报到日期", 12), ("状态", 8),
    ("管理等级", 10), ("报告次数", 8), ("走访次数", 8), ("教育学习(小时)", 10), ("公益活动(小时)", 10),
    ("帮扶次数", 8), ("警告次数", 8),
]  # fmt: skip

# The national system's import layout is not public; these are the columns lawdesk hands over, in this order,
# one row per supervisee (documented in README). Dates are YYYY-MM-DD text, codes are the Chinese labels.
NATIONAL_COLUMNS: list[str] = [
    "姓名", "性别", "出生日期", "公民身份号码", "居住地址", "联系电话", "矫正类别", "罪名", "社区矫正决定机关",
    "判决(裁定、决定)生效日期", "矫正期限起", "矫正期限止", "报到日期", "执行地司法所", "管理等级",
    "矫正状态", "解除(终止)日期",
]  # fmt: skip


def _header(sheet: object, columns: list[tuple[str, int]]) -> None:
    for index, (header, width) in enumerate(columns, start=1):
        cell = xlsx.write(sheet, HEADER_ROW, index, header)  # type: ignore[arg-type]
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]


def ledger_workbook(people: list[Supervisee], *, today: datetime.date) -> bytes:
    workbook, sheet = xlsx.new_workbook("社区矫正对象台账")
    width = len(LEDGER_COLUMNS)
    _merged_line(sheet, TITLE_ROW, width, "社区矫正对象台账", font=Font(bold=True, size=16), align="center")
    _merged_line(
        sheet, INFO_ROW, width, f"导出日期：{today:%Y-%m-%d}　　共{len(people)}人", font=Font(size=11)
    )
    _header(sheet, LEDGER_COLUMNS)
    line = HEADER_ROW
    for person in people:
        line += 1
        records = list(person.records.all())
        hours = {
            kind: sum((r.hours or Decimal(0) for r in records if r.kind == kind), Decimal(0))
            for kind in HOUR_KINDS
        }
        values = [
            person.pk, person.office.name, person.name, mask_id_number(person.id_number or ""),
            person.get_correction_type_display(), person.crime, person.court, person.decision_date,
            person.term_start, person.term_end, person.received_on, person.get_status_display(),
            person.get_level_display(),
            sum(1 for r in records if r.kind in (RecordKind.REPORT, RecordKind.PHONE)),
            sum(1 for r in records if r.kind in VISIT_KINDS),
            hours[RecordKind.EDUCATION], hours[RecordKind.PUBLIC_BENEFIT],
            sum(1 for r in records if r.kind == RecordKind.HELP),
            sum(1 for r in records if r.kind == RecordKind.WARNING),
        ]  # fmt: skip
        for index, value in enumerate(values, start=1):
            cell = xlsx.write(sheet, line, index, value)
            cell.border = BORDER
            cell.alignment = WRAP
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return xlsx.save(workbook)


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def national_row(person: Supervisee) -> list[str]:
    return [
        person.name, person.get_gender_display() if person.gender else "", _day(person.birth_date),
        person.id_number or "", person.address or "", person.phone or "", person.get_correction_type_display(),
        person.crime, person.court, _day(person.decision_date), _day(person.term_start), _day(person.term_end),
        _day(person.received_on), person.office.name, person.get_level_display(), person.get_status_display(),
        _day(person.ended_on),
    ]  # fmt: skip


def national_workbook(people: list[Supervisee]) -> bytes:
    """One header row (``NATIONAL_COLUMNS``) and one row per supervisee, every cell text."""
    workbook, sheet = xlsx.new_workbook("社区矫正对象信息")
    xlsx.append(sheet, NATIONAL_COLUMNS)
    for person in people:
        xlsx.append(sheet, national_row(person))
    return xlsx.save(workbook)
