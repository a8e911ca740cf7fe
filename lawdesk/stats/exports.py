"""The monthly report in the bureau's fixed layout, as .xlsx and PDF: the title, the node and period line, then
one row per indicator under its group heading (一、接待来访 …), each total row (小计) followed by its
breakdown; the columns are the node's own total, then each unit directly below it (the roll-up), then — for a
submitted report — what changed after submission."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from lawdesk.core import clock, xlsx
from lawdesk.core.pdf import html_to_pdf
from lawdesk.stats.indicators import Ratio
from lawdesk.stats.selectors import MonthReport, value_of

logger = logging.getLogger(__name__)

TITLE = "公共法律服务统计月报表"
NUMERALS = "一二三四五六七八九十"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass
class Line:
    kind: str  # "group" | "total" | "part" | "item"
    number: str
    label: str
    unit: str
    cells: list[str]


def _numeral(index: int) -> str:
    if index <= 10:
        return NUMERALS[index - 1]
    return "十" + NUMERALS[index - 11]


def layout(result: MonthReport) -> tuple[list[str], list[Line]]:
    """The header and the lines of the fixed layout (shared by the .xlsx and the PDF)."""
    children = [c for c in result.children if any(c.figures.values())]
    headers = ["序号", "指标", "单位", f"{result.node.name}合计", *[c.node.name for c in children]]
    frozen = result.is_frozen
    if frozen:
        headers.append("报送后变动")
    lines: list[Line] = []
    number = 0
    totals = {i.part_of for group in result.groups for i in (r.item for r in group.rows) if i.part_of}
    for index, group in enumerate(result.groups, start=1):
        lines.append(Line("group", _numeral(index), group.name, "", []))
        for row in group.rows:
            item = row.item
            if not row.is_part:
                number += 1
            cells = [row.display]
            for child in children:
                cells.append(item.display(value_of(item, child.figures)))  # type: ignore[arg-type]
            if frozen:
                cells.append(row.diff_display)
            kind = "part" if row.is_part else ("total" if item.code in totals else "item")
            unit = "%" if isinstance(item, Ratio) else item.unit
            label = str(item.label) + ("（小计）" if kind == "total" else "")
            lines.append(Line(kind, "" if row.is_part else str(number), label, unit, cells))
    return headers, lines


def _info(result: MonthReport) -> str:
    status = result.status_label
    record = result.record
    if record is not None and record.submitted_at and result.is_frozen:
        status += (
            f"（{timezone.localtime(record.submitted_at):%Y-%m-%d %H:%M}"
            + ("，逾期" if record.late else "")
            + "）"
        )
    return f"填报单位：{result.node.name}　　统计期间：{result.month.label}　　状态：{status}"


def report_workbook(result: MonthReport) -> bytes:
    headers, lines = layout(result)
    workbook, sheet = xlsx.new_workbook(f"{result.month.slug}月报")
    width = len(headers)

    def merged(row: int, text: str, font: Font, align: str = "left", fill: PatternFill | None = None) -> None:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = xlsx.write(sheet, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center")
        if fill is not None:
            for column in range(1, width + 1):
                sheet.cell(row=row, column=column).fill = fill

    merged(1, TITLE, Font(bold=True, size=16), "center")
    sheet.row_dimensions[1].height = 28
    merged(2, _info(result), Font(size=11))
    for index, header in enumerate(headers, start=1):
        cell = xlsx.write(sheet, 3, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = {1: 6, 2: 34, 3: 7}.get(index, 16)
    line_no = 3
    for line in lines:
        line_no += 1
        if line.kind == "group":
            merged(line_no, f"{line.number}、{line.label}", Font(bold=True), fill=GROUP_FILL)
            continue
        values: list[Any] = [
            line.number,
            ("　　" if line.kind == "part" else "") + line.label,
            line.unit,
            *line.cells,
        ]
        for index, value in enumerate(values, start=1):
            cell = xlsx.write(sheet, line_no, index, _number(value) if index > 3 else value)
            cell.border = BORDER
            if line.kind == "total":
                cell.font = Font(bold=True)
            if index > 3:
                cell.alignment = Alignment(horizontal="right")
    line_no += 2
    merged(
        line_no,
        f"数据来源：系统记录自动计算（数据更新至{_filled(result)}）；各数字可在系统中逐项查看明细。",
        Font(size=9, color="666666"),
    )
    sheet.freeze_panes = "D4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape" if width > 6 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页 共 &N 页"
    return xlsx.save(workbook)


def _number(text: str) -> Any:
    """Figures go into Excel as numbers (so they can be summed); dashes, rates and differences as text."""
    plain = text.replace(",", "")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return float(plain) if "." in plain and not plain.endswith("%") else text
    except ValueError:
        return text


def _filled(result: MonthReport) -> str:
    return f"{timezone.localtime(result.filled_at):%Y-%m-%d %H:%M}" if result.filled_at else "—"


def report_html(result: MonthReport, *, printed_at: datetime.datetime | None = None) -> str:
    headers, lines = layout(result)
    return render_to_string(
        "stats/print.html",
        {
            "title": TITLE,
            "info": _info(result),
            "headers": headers,
            "lines": lines,
            "width": len(headers),
            "landscape": len(headers) > 6,
            "filled": _filled(result),
            "printed_at": printed_at,
        },
    )


# A printed report is kept this long: a district's or the city's report takes WeasyPrint about a second to lay
# out (some 1,850 cells), so the same report is never laid out twice, and the bureaus' reports are printed ahead
# of time after each fill (``print_bureau_reports``).
PDF_CACHE_SECONDS = 7 * 24 * 3600


def _pdf_key(result: MonthReport) -> str:
    """The report's content (everything the PDF shows but the time it was made): an unchanged report — same
    figures, state, children and data time — is the same PDF."""
    html = report_html(result)
    return "report-pdf:" + hashlib.sha256(html.encode()).hexdigest()


def _render_pdf(html: str) -> bytes:
    return html_to_pdf(html)


def report_pdf(result: MonthReport) -> bytes:
    """The report as a PDF: the one made earlier for the same content, else made now (and kept)."""
    cache = caches["reports"]
    key = _pdf_key(result)
    try:
        pdf = cache.get(key)
    except Exception:  # the shared cache unreachable: lay the report out now
        logger.warning("共享缓存不可用，报表即时生成")
        return _render_pdf(report_html(result, printed_at=clock.localnow()))
    if pdf is None:
        pdf = _render_pdf(report_html(result, printed_at=clock.localnow()))
        try:
            cache.set(key, pdf, PDF_CACHE_SECONDS)
        except Exception:
            logger.warning("共享缓存不可用，报表未能留存")
    return cast(bytes, pdf)


def print_bureau_reports(*, months: int = 2) -> int:
    """Print ahead the reports of the city and district bureaus (with their units below) for this month and the
    ones before it, so that a leader's download does not wait for the layout; returns how many were laid out
    (a report whose content has not changed since it was last printed is not laid out again)."""
    from lawdesk.orgs.models import OrgNode
    from lawdesk.orgs.rules import BUREAU_KINDS
    from lawdesk.stats.selectors import report_of

    cache = caches["reports"]
    today = clock.today()
    periods = []
    year, month = today.year, today.month
    for _ in range(months):
        periods.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    made = 0
    for node in OrgNode.objects.filter(kind__in=BUREAU_KINDS, is_active=True).order_by("path"):
        for year, month in periods:
            result = report_of(node=node, year=year, month=month, with_children=True)
            key = _pdf_key(result)
            if cache.get(key) is None:
                cache.set(
                    key, _render_pdf(report_html(result, printed_at=clock.localnow())), PDF_CACHE_SECONDS
                )
                made += 1
    return made
