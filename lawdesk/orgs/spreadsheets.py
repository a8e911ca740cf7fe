"""Excel (.xlsx) export and import of the organisation tree.

The export is a valid import: export, edit or add rows, upload. An import is all or nothing: every row is
checked and written inside one transaction, every error is collected with its Excel row number and column,
and if there is any error the transaction is rolled back and nothing is saved.

The first half of this module (results, reading a sheet, parsing cells, writing a sheet) is shared with
``lawdesk.institutions.spreadsheets``.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any, TypeVar

import openpyxl
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, models, transaction
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lawdesk.accounts import scoping
from lawdesk.core import xlsx
from lawdesk.core.validators import validate_phone
from lawdesk.orgs import access as node_access
from lawdesk.orgs import rules, services
from lawdesk.orgs.models import Facility, FacilityItem, LocationKind, OrgNode
from lawdesk.orgs.rules import NodeKind

ImportFile = UploadedFile | IO[bytes]

# Data rows one file may hold (the header row not counted).
MAX_ROWS = 20_000
# An .xlsx is a zip; refuse one that would unpack to more than this many times the upload limit.
MAX_UNZIPPED_RATIO = 50

INVALID_FILE_MESSAGE = "文件不是有效的Excel(.xlsx)文件。请在Excel或WPS中“另存为”.xlsx格式后再上传。"


# --- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem found by an import. ``row`` is the Excel row number (the header is row 1); row 0 is the
    file as a whole. ``field`` is the column's Chinese header, or "" when the error is not about one column."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if self.field:
            return f"第{self.row}行“{self.field}”：{self.message}"
        return f"第{self.row}行：{self.message}"


@dataclass
class ImportResult:
    """What an import did. When ``errors`` is not empty nothing was saved and the counts are all 0."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def file_error(message: str) -> ImportResult:
    return ImportResult(errors=[RowError(0, "", message)])


class FileRejected(Exception):
    """The file as a whole cannot be imported; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- reading a sheet -------------------------------------------------------------------------------------


def format_size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g}{unit}"
    return f"{size}字节"


def _normalise_header(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


@dataclass
class Table:
    """The header and the non-blank data rows of one sheet."""

    columns: dict[str, int]  # normalised header -> 0-based column index
    rows: list[tuple[int, tuple[Any, ...]]]  # (Excel row number, cell values)

    def has(self, header: str) -> bool:
        return _normalise_header(header) in self.columns

    def value(self, cells: tuple[Any, ...], header: str) -> Any:
        index = self.columns.get(_normalise_header(header))
        if index is None or index >= len(cells):
            return None
        return cells[index]


def _read_upload(file: ImportFile) -> bytes:
    limit: int = settings.LAWDESK_MAX_IMPORT_BYTES
    too_large = f"文件过大（最大{format_size(limit)}），请拆分成几个文件分批导入。"
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise FileRejected(too_large)
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    try:
        data = file.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise FileRejected(INVALID_FILE_MESSAGE) from exc
    if not isinstance(data, bytes):
        raise FileRejected(INVALID_FILE_MESSAGE)
    if len(data) > limit:
        raise FileRejected(too_large)
    return data


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(file: ImportFile, *, sheet_name: str, required: Sequence[str]) -> Table:
    """Open an uploaded .xlsx and read the sheet ``sheet_name`` (or the first sheet when there is none by that
    name). Row 1 is the header. Raises ``FileRejected`` when the file cannot be imported at all."""
    data = _read_upload(file)
    limit: int = settings.LAWDESK_MAX_IMPORT_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # any failure to open the zip means it is not an .xlsx
        raise FileRejected(INVALID_FILE_MESSAGE) from exc
    if unzipped > limit * MAX_UNZIPPED_RATIO:
        raise FileRejected("文件解压后过大，请删除无关的工作表、图片和格式后再导入。")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not know; they do not matter here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
                return _read_rows(sheet.iter_rows(min_row=1, values_only=True), required)
            finally:
                workbook.close()
    except FileRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds (InvalidFileException, KeyError, XML errors, ...)
        raise FileRejected(INVALID_FILE_MESSAGE) from exc


def _read_rows(rows: Iterator[tuple[Any, ...]], required: Sequence[str]) -> Table:
    header = next(rows, None)
    if header is None or all(_is_blank(v) for v in header):
        raise FileRejected("工作表是空的：第1行应为表头（可先导出一份作为模板）。")
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        text = _normalise_header(cell_text(value))
        if not text:
            continue
        if text in columns:
            raise FileRejected(f"表头“{text}”出现了两次，每一列只能有一个。")
        columns[text] = index
    missing = [h for h in required if _normalise_header(h) not in columns]
    if missing:
        raise FileRejected(f"缺少必需的列：{'、'.join(missing)}。第1行应为表头（可先导出一份作为模板）。")
    table = Table(columns=columns, rows=[])
    for number, cells in enumerate(rows, start=2):
        if all(_is_blank(v) for v in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileRejected(f"数据行过多（最多{MAX_ROWS}行），请拆分成几个文件分批导入。")
        table.rows.append((number, tuple(cells)))
    if not table.rows:
        raise FileRejected("文件中没有数据：第1行为表头，从第2行起每行一条。")
    return table


# --- parsing cells ---------------------------------------------------------------------------------------


class CellError(Exception):
    """A cell's value cannot be used; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(value: Any) -> str:
    """A cell as stripped text. Numbers typed into Excel come back as int or float: ``610113001000``,
    ``610113001000.0`` and ``"610113001000"`` all read as the same code."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M") if not value.second else value.isoformat(timespec="seconds")
    return str(value).replace("\u00a0", " ").strip()


def multiline_text(value: Any) -> str:
    """A cell whose lines matter (several items, one a line): each line stripped, blank lines dropped."""
    lines = cell_text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def parse_choice(value: Any, choices: type[models.TextChoices], what: str) -> str:
    """A choice written as its Chinese label (or its stored value); blank is ""."""
    text = cell_text(value)
    if not text:
        return ""
    for stored, label in choices.choices:
        if text in (str(label), stored):
            return str(stored)
    allowed = "、".join(str(label) for label in choices.labels)
    raise CellError(f"{what}“{text}”无效，应为以下之一：{allowed}。")


_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")


def parse_time(value: Any) -> datetime.time | None:
    """A time of day: an Excel time cell, a fraction of a day, or text such as "9:00" or "09:00:00"."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        value = value.time()
    if isinstance(value, datetime.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + round(value.microsecond / 1e6)
    elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 86400)
    else:
        text = cell_text(value)
        match = _TIME.match(text)
        hour, minute, second = (int(g or 0) for g in match.groups()) if match else (99, 0, 0)
        if hour > 23 or minute > 59 or second > 59:
            raise CellError(f"时间“{text}”格式不正确，应填写如“9:00”或“14:30”的时:分。")
        return datetime.time(hour, minute, second)
    seconds = min(seconds, 86399)
    return datetime.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def parse_decimal(value: Any, places: int) -> Decimal | None:
    """A number. A numeric cell is rounded to ``places`` decimals (Excel stores binary floats); text is taken
    as written, so the model's own validation reports too many decimals."""
    if _is_blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        else:
            number = Decimal(cell_text(value).replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise CellError(f"“{cell_text(value)}”不是有效的数字。")
    return number


def parse_presence(value: Any) -> bool | None:
    """A facility cell: 有 (present), 无 (absent) or blank (not stated)."""
    text = cell_text(value)
    if not text:
        return None
    if text == "有":
        return True
    if text == "无":
        return False
    raise CellError(f"只能填写“有”或“无”，或者留空；不能填写“{text}”。")


def validation_messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(model field name or "", message) pairs of a ValidationError from ``full_clean`` or a service."""
    if hasattr(exc, "error_dict"):
        return [
            ("" if name == NON_FIELD_ERRORS else name, str(message))
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", str(message)) for message in exc.messages]


T = TypeVar("T")


def save_row(
    result: ImportResult,
    row: int,
    action: Callable[[], T],
    *,
    headers: Mapping[str, str],
    current: Callable[[], str],
    non_field: Callable[[str], str | None] = lambda message: None,
) -> T | None:
    """Run one row's writes in a savepoint and return what ``action`` returns; or, when a service refuses,
    roll the row back, add its errors to ``result`` and return None. ``headers`` maps model fields to column
    headers; an error on no field goes to ``non_field(message)`` or else to the column ``current()`` names."""
    try:
        with transaction.atomic():
            return action()
    except ValidationError as exc:
        for name, message in validation_messages(exc):
            header = headers.get(name) or (non_field(message) if not name else None) or current()
            result.errors.append(RowError(row, header, message))
    except PermissionDenied as exc:
        result.errors.append(RowError(row, current(), str(exc) or "您无权进行此项修改。"))
    except DatabaseError:
        result.errors.append(RowError(row, current(), "保存失败：与已有数据冲突，请检查是否有重复的记录。"))
    return None


# --- writing a sheet -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    number_format: str | None = None  # "@" keeps a cell text, so codes and phones keep every digit
    wrap: bool = False
    choices: tuple[str, ...] = ()  # a drop-down list on the column


TEXT = "@"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def build_workbook(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold, frozen header row, then the rows; the columns' widths, formats and drop-downs."""
    workbook, sheet = xlsx.new_workbook(title)
    xlsx.append(sheet, [c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    last_row = 1
    for values in rows:
        last_row += 1
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = xlsx.write(sheet, last_row, index, value)  # text typed by a user is never a formula
            if column.number_format:
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = wrap
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        formula = '"' + ",".join(column.choices) + '"'
        if column.choices and len(formula) <= 255:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = "请从下拉列表中选择。"
            validation.errorTitle = "输入有误"
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}{last_row + 1000}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    return xlsx.save(workbook)


# --- the organisation tree -------------------------------------------------------------------------------

TREE_SHEET = "组织机构"

H_KIND = "类型"
H_NAME = "名称"
H_CODE = "区划代码"
H_PARENT_NAME = "上级名称"
H_PARENT_CODE = "上级区划代码"
H_ADDRESS = "地址"
H_LOCATION = "所在场所"
TIME_COLUMNS = (
    ("上午开门", "morning_open"),
    ("上午关门", "morning_close"),
    ("下午开门", "afternoon_open"),
    ("下午关门", "afternoon_close"),
)
PHONE_COLUMNS = (
    ("办公电话", "office_phone"),
    ("预约电话", "appointment_phone"),
    ("监督电话", "supervision_phone"),
)
# (header, field, decimal places of the model field)
DECIMAL_COLUMNS = (("经度", "longitude", 6), ("纬度", "latitude", 6), ("面积(平方米)", "floor_area", 2))
FACILITY_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (str(label), str(item)) for item, label in FacilityItem.choices
)

TREE_REQUIRED = (H_KIND, H_NAME, H_CODE)

# Model field -> column header, for errors raised by full_clean and the services.
TREE_FIELD_HEADERS: dict[str, str] = {
    "kind": H_KIND,
    "name": H_NAME,
    "region_code": H_CODE,
    "parent": H_PARENT_CODE,
    "address": H_ADDRESS,
    "location_kind": H_LOCATION,
    **{name: header for header, name in TIME_COLUMNS},
    **{name: header for header, name in PHONE_COLUMNS},
    **{name: header for header, name, _ in DECIMAL_COLUMNS},
}

_KIND_BY_LABEL = {str(label): str(kind) for kind, label in NodeKind.choices}
_FACILITY_HEADER = {item: header for header, item in FACILITY_COLUMNS}


def tree_columns() -> list[Column]:
    return [
        Column(H_KIND, 22, choices=tuple(str(label) for label in NodeKind.labels)),
        Column(H_NAME, 30),
        Column(H_CODE, 15, TEXT),
        Column(H_PARENT_NAME, 26),
        Column(H_PARENT_CODE, 15, TEXT),
        Column(H_ADDRESS, 34),
        Column(H_LOCATION, 13, choices=tuple(str(label) for label in LocationKind.labels)),
        *(Column(header, 10, "hh:mm") for header, _ in TIME_COLUMNS),
        *(Column(header, 15, TEXT) for header, _ in PHONE_COLUMNS),
        *(Column(header, 12, "0.000000" if places == 6 else "0.00") for header, _, places in DECIMAL_COLUMNS),
        *(
            Column(header, max(8, len(header) * 2 + 2), choices=("有", "无"))
            for header, _ in FACILITY_COLUMNS
        ),
    ]


def parse_phone(value: Any) -> str:
    phone = cell_text(value)
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc
    return phone


def _decimal_parser(places: int) -> Callable[[Any], Decimal | None]:
    return lambda value: parse_decimal(value, places)


def _as_float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def export_tree(*, actor: Any) -> bytes:
    """The nodes ``actor`` may see, ordered by path, one row each; the columns ``import_tree`` reads."""
    nodes = (
        node_access.visible_nodes(actor)
        .select_related("parent")
        .prefetch_related("facilities")
        .order_by("path")
    )

    def rows() -> Iterator[list[Any]]:
        for node in nodes:
            present = {f.item: f.present for f in node.facilities.all()}
            parent = node.parent
            yield [
                rules.kind_label(node.kind),
                node.name,
                node.region_code,
                parent.name if parent else "",
                parent.region_code if parent else "",
                node.address,
                node.get_location_kind_display() if node.location_kind else "",
                *(getattr(node, name) for _, name in TIME_COLUMNS),
                *(getattr(node, name) for _, name in PHONE_COLUMNS),
                *(_as_float(getattr(node, name)) for _, name, _ in DECIMAL_COLUMNS),
                *(
                    ("有" if present[item] else "无") if item in present else ""
                    for _, item in FACILITY_COLUMNS
                ),
            ]

    return build_workbook(title=TREE_SHEET, columns=tree_columns(), rows=rows())


@dataclass
class _NodeRow:
    number: int
    kind: str = ""
    name: str = ""
    code: str = ""
    parent_code: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)  # only the columns the file has
    facilities: dict[str, bool] = field(default_factory=dict)  # only the cells that say 有 or 无


def derived_parent_code(kind: str, code: str) -> str:
    """The region code of a node's parent, worked out from the node's own code."""
    if kind == NodeKind.DISTRICT_BUREAU:
        return code[:4] + "00"
    if kind in (NodeKind.SERVICE_CENTRE, NodeKind.JUDICIAL_OFFICE):
        return code[:6]
    if kind in (NodeKind.TOWN_STATION, NodeKind.VILLAGE_STATION):
        return code[:9] + "000"
    return ""


def _kinds_text(kinds: Iterable[str]) -> str:
    return "或".join(rules.kind_label(k) for k in sorted(kinds))


class _TreeImport:
    def __init__(self, actor: Any, table: Table) -> None:
        self.actor = actor
        self.table = table
        self.result = ImportResult()
        self.by_pk: dict[int, OrgNode] = {}
        self.by_code: dict[tuple[str, str], OrgNode] = {}
        self.sharing_code: dict[str, list[OrgNode]] = {}  # code -> nodes of any kind that had it
        self.by_parent_name: dict[tuple[int | None, str], OrgNode] = {}
        self.facilities: dict[int, dict[str, bool]] = {}
        self.seen: dict[tuple[Any, ...], int] = {}  # row keys met in this file -> row number
        self.failed: dict[tuple[str, str], int] = {}  # (kind, code) of rows with errors -> row number

    # -- permissions (actor None is the system itself) --

    def can_see(self, node: OrgNode) -> bool:
        return self.actor is None or scoping.can_see_node(self.actor, node)

    def can_manage(self, node: OrgNode) -> bool:
        return self.actor is None or scoping.can_manage_node(self.actor, node)

    def can_edit_facilities(self, node: OrgNode) -> bool:
        return self.actor is None or scoping.can_edit_facilities(self.actor, node)

    # -- the run --

    def run(self) -> ImportResult:
        with transaction.atomic():
            self.load()
            for number, cells in self.table.rows:
                row = _NodeRow(number)
                before = len(self.result.errors)
                self.import_row(row, cells)
                if len(self.result.errors) > before and row.kind and row.code:
                    self.failed.setdefault((row.kind, row.code), number)
            if self.result.errors:
                transaction.set_rollback(True)
        if self.result.errors:
            self.result = ImportResult(errors=sorted(self.result.errors, key=lambda e: e.row))
        return self.result

    def load(self) -> None:
        for node in OrgNode.objects.all():
            self.remember(node)
        for node in self.by_pk.values():
            if node.parent_id is not None:
                node.parent = self.by_pk[node.parent_id]
        for node_id, item, present in Facility.objects.values_list("node_id", "item", "present"):
            self.facilities.setdefault(node_id, {})[item] = present

    def remember(self, node: OrgNode) -> None:
        self.by_pk[node.pk] = node
        if node.region_code:
            self.by_code[(node.kind, node.region_code)] = node
            sharing = self.sharing_code.setdefault(node.region_code, [])
            if node not in sharing:
                sharing.append(node)
        self.by_parent_name[(node.parent_id, node.name)] = node

    def error(self, row: _NodeRow, header: str, message: str) -> None:
        self.result.errors.append(RowError(row.number, header, message))

    # -- one row --

    def import_row(self, row: _NodeRow, cells: tuple[Any, ...]) -> None:
        self.parse(row, cells)
        if self.result.errors and self.result.errors[-1].row == row.number:
            return
        parent_ok, parent = self.resolve_parent(row)
        if not parent_ok:
            return
        key: tuple[Any, ...] = (
            ("code", row.kind, row.code) if row.code else ("name", parent.pk if parent else None, row.name)
        )
        if key in self.seen:
            what = f"类型和区划代码“{row.code}”" if row.code else "上级和名称"
            self.error(
                row, H_CODE if row.code else H_NAME, f"{what}与第{self.seen[key]}行相同，同一节点只能有一行。"
            )
            return
        self.seen[key] = row.number
        if row.code:
            existing = self.by_code.get((row.kind, row.code))
        else:
            existing = self.by_parent_name.get((parent.pk if parent else None, row.name))
            if existing is not None and existing.kind != row.kind:
                self.error(
                    row,
                    H_NAME,
                    f"上级下已有同名的{rules.kind_label(existing.kind)}“{row.name}”，同一上级下名称不能重复。",
                )
                return
        if existing is not None and not self.can_see(existing):
            self.error(
                row,
                H_CODE if row.code else H_NAME,
                f"已有{rules.kind_label(row.kind)}使用该{'区划代码' if row.code else '名称'}，"
                "但不在您的管辖范围内，不能导入或修改。",
            )
            return
        if existing is None:
            self.create(row, parent)
        else:
            self.update(row, existing, parent)

    def parse(self, row: _NodeRow, cells: tuple[Any, ...]) -> None:
        table = self.table

        def guarded(header: str, parse: Callable[[Any], Any]) -> tuple[bool, Any]:
            try:
                return True, parse(table.value(cells, header))
            except CellError as exc:
                self.error(row, header, exc.message)
                return False, None

        kind_text = cell_text(table.value(cells, H_KIND))
        row.kind = _KIND_BY_LABEL.get(kind_text) or (kind_text if kind_text in NodeKind.values else "")
        if not kind_text:
            labels = "、".join(_KIND_BY_LABEL)
            self.error(row, H_KIND, f"类型不能为空，应为以下之一：{labels}。")
        elif not row.kind:
            self.error(row, H_KIND, rules.check_kind(kind_text) or "")
        row.name = cell_text(table.value(cells, H_NAME))
        row.code = cell_text(table.value(cells, H_CODE))
        row.parent_code = cell_text(table.value(cells, H_PARENT_CODE))
        parsers: list[tuple[str, str, Callable[[Any], Any]]] = [
            (H_ADDRESS, "address", cell_text),
            (H_LOCATION, "location_kind", lambda v: parse_choice(v, LocationKind, "所在场所")),
            *((header, name, parse_time) for header, name in TIME_COLUMNS),
            *((header, name, parse_phone) for header, name in PHONE_COLUMNS),
            *((header, name, _decimal_parser(places)) for header, name, places in DECIMAL_COLUMNS),
        ]
        for header, name, parser in parsers:
            if table.has(header):
                ok, value = guarded(header, parser)
                if ok:
                    row.attrs[name] = value
        for header, item in FACILITY_COLUMNS:
            if table.has(header):
                ok, present = guarded(header, parse_presence)
                if ok and present is not None:
                    row.facilities[item] = present
        if not row.kind:
            return
        for header, message in (
            (H_NAME, rules.check_name(row.kind, row.name)),
            (H_CODE, rules.check_region_code(row.kind, row.code, None, None)),
        ):
            if message:
                self.error(row, header, message)
        if row.parent_code and not (row.parent_code.isascii() and row.parent_code.isdigit()):
            self.error(row, H_PARENT_CODE, f"上级区划代码“{row.parent_code}”只能由数字组成。")
        if row.facilities and row.kind not in rules.PLATFORM_KINDS:
            for item in row.facilities:
                self.error(
                    row,
                    _FACILITY_HEADER[item],
                    f"只有公共法律服务中心(站)登记设施，{rules.kind_label(row.kind)}的设施列应留空。",
                )

    def resolve_parent(self, row: _NodeRow) -> tuple[bool, OrgNode | None]:
        """(True, parent) — parent None for the city bureau — or (False, None) after reporting why not."""
        allowed = rules.PARENT_KINDS[row.kind]
        if not allowed:
            if row.parent_code:
                self.error(
                    row, H_PARENT_CODE, f"{rules.kind_label(row.kind)}是最高一级，上级区划代码应留空。"
                )
                return False, None
            return True, None
        parent_code = row.parent_code or derived_parent_code(row.kind, row.code)
        if not parent_code:
            self.error(
                row,
                H_PARENT_CODE,
                f"{rules.kind_label(row.kind)}须填写上级区划代码（{_kinds_text(allowed)}的区划代码）。",
            )
            return False, None
        for kind in sorted(allowed):
            parent = self.by_code.get((kind, parent_code))
            if parent is not None:
                return True, parent
        for kind in sorted(allowed):
            if (kind, parent_code) in self.failed:
                self.error(
                    row, H_PARENT_CODE, f"上级（第{self.failed[(kind, parent_code)]}行）有错误，未能导入。"
                )
                return False, None
        others = [
            node
            for node in self.sharing_code.get(parent_code, [])
            if node.region_code == parent_code and node.kind not in allowed and self.can_see(node)
        ]
        if others:
            message = rules.check_parent(row.kind, others[0].kind)
            self.error(row, H_PARENT_CODE, f"区划代码“{parent_code}”是“{others[0].name}”的代码：{message}")
            return False, None
        how = "" if row.parent_code else "（按本行区划代码推算）"
        self.error(
            row,
            H_PARENT_CODE,
            f"找不到区划代码为“{parent_code}”{how}的{_kinds_text(allowed)}，或该节点不在您的管辖范围内。"
            "上级须已存在，或在本文件中写在前面的行。",
        )
        return False, None

    def check_new_parent(self, row: _NodeRow, parent: OrgNode | None) -> bool:
        """The actor may hang a node under ``parent``."""
        if parent is None:
            if self.actor is None or scoping.has_role(self.actor, "system_admin"):
                return True
            self.error(row, H_KIND, "只有系统管理员可以创建最高一级节点（市司法局）。")
            return False
        if not self.can_see(parent):
            self.error(
                row,
                H_PARENT_CODE,
                f"找不到区划代码为“{parent.region_code}”的{rules.kind_label(parent.kind)}，"
                "或该节点不在您的管辖范围内。",
            )
            return False
        if not self.can_manage(parent):
            self.error(row, H_PARENT_CODE, f"您无权在“{parent.name}”下新增或移入节点。")
            return False
        return True

    def create(self, row: _NodeRow, parent: OrgNode | None) -> None:
        if not self.check_new_parent(row, parent):
            return
        current = H_NAME

        def write() -> OrgNode:
            nonlocal current
            node = services.org_node_create(
                actor=self.actor,
                parent=parent,
                kind=row.kind,
                name=row.name,
                region_code=row.code,
                **row.attrs,
            )
            for item, present in row.facilities.items():
                current = _FACILITY_HEADER[item]
                services.facility_set(actor=self.actor, node=node, item=item, present=present)
            return node

        node = self.write(row, write, lambda: current)
        if node is not None:
            node.parent = parent
            self.remember(node)
            self.facilities[node.pk] = dict(row.facilities)
            self.result.created += 1

    def update(self, row: _NodeRow, node: OrgNode, parent: OrgNode | None) -> None:
        changes = {name: value for name, value in row.attrs.items() if getattr(node, name) != value}
        if node.name != row.name:
            changes["name"] = row.name
        if node.region_code != row.code:
            changes["region_code"] = row.code
        move = parent is not None and node.parent_id != parent.pk
        have = self.facilities.get(node.pk, {})
        facility_changes = {item: p for item, p in row.facilities.items() if have.get(item) != p}
        if not changes and not move and not facility_changes:
            self.result.unchanged += 1
            return
        if move and parent is not None:
            if parent.path.startswith(node.path):
                self.error(row, H_PARENT_CODE, "上级不能是本节点或其下级节点（会形成循环）。")
                return
            if not self.check_new_parent(row, parent):
                return
        if (changes or move) and not self.can_manage(node):
            first = next(iter(changes), "parent")
            self.error(row, TREE_FIELD_HEADERS.get(first, H_NAME), f"您无权修改“{node.name}”。")
            return
        if facility_changes and not self.can_edit_facilities(node):
            self.error(
                row, _FACILITY_HEADER[next(iter(facility_changes))], f"您无权修改“{node.name}”的设施。"
            )
            return
        current = H_NAME

        def write() -> OrgNode:
            nonlocal current
            if move and parent is not None:
                current = H_PARENT_CODE
                services.org_node_move(actor=self.actor, node=node, new_parent=parent)
            if changes:
                current = H_NAME
                services.org_node_update(actor=self.actor, node=node, **changes)
            for item, present in facility_changes.items():
                current = _FACILITY_HEADER[item]
                services.facility_set(actor=self.actor, node=node, item=item, present=present)
            return node

        old_parent_id, old_name, old_code = node.parent_id, node.name, node.region_code
        if self.write(row, write, lambda: current) is None:
            node.refresh_from_db()
            node.parent = self.by_pk.get(node.parent_id) if node.parent_id else None
            return
        self.by_code.pop((node.kind, old_code), None)
        self.by_parent_name.pop((old_parent_id, old_name), None)
        node.parent = parent
        self.remember(node)
        if move:
            # The move rewrote the paths of the whole subtree; keep the nodes held here in step.
            for pk, path, depth in OrgNode.objects.subtree(node).values_list("pk", "path", "depth"):
                if pk in self.by_pk:
                    self.by_pk[pk].path, self.by_pk[pk].depth = path, depth
        self.facilities.setdefault(node.pk, {}).update(facility_changes)
        self.result.updated += 1

    def write(
        self, row: _NodeRow, action: Callable[[], OrgNode], current: Callable[[], str]
    ) -> OrgNode | None:
        return save_row(
            self.result,
            row.number,
            action,
            headers=TREE_FIELD_HEADERS,
            current=current,
            non_field=_tree_non_field,
        )


def _tree_non_field(message: str) -> str | None:
    """The column a model-wide error (a unique constraint) is about."""
    if "区划代码" in message:
        return H_CODE
    if "名称" in message:
        return H_NAME
    return None


def import_tree(*, actor: Any, file: ImportFile) -> ImportResult:
    """Create or update nodes from an .xlsx laid out like ``export_tree``'s. All or nothing."""
    try:
        table = read_table(file, sheet_name=TREE_SHEET, required=TREE_REQUIRED)
    except FileRejected as exc:
        return file_error(exc.message)
    return _TreeImport(actor, table).run()
