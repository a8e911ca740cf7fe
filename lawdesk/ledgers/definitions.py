"""The six ledgers (五台帐一登记), each declared once: its code, title, the records it views and its columns.

A ledger is a view of visits and matters, never separate typing. The screen, the Excel export and the PDF all
read the same ``Ledger``: a column is (Chinese header, value function, is_personal). A value function gets one
record (a ``Visit`` for ledger 1, a ``Matter`` for ledgers 2–6) and returns text, a number, a date, a datetime
or None. Personal columns (ID numbers, phones) are masked by the selectors for actors who may not see them.

Columns follow ``shared/ledgers.md``. A column the core's records cannot fill (the mediation agreement form, the
legal-aid decision, …) is ``NO_SOURCE`` here; the app that owns those records fills it by the column's typed key
(``Cell``) through ``register_cells`` from its ``AppConfig.ready`` — the ledgers know no domain app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from lawdesk.accounts.models import User
from lawdesk.core import clock
from lawdesk.matters.models import Channel, Matter, MatterKind, MatterState, Visit
from lawdesk.matters.numbering import KIND_LEDGERS, VISIT_LEDGER
from lawdesk.orgs.models import OrgNode
from lawdesk.people.models import Person

Value = str | int | datetime.date | datetime.datetime | None


class Cell(StrEnum):
    """The typed key of every ledger column: the value functions here and the cells an extension fills
    (``register_cells``) name a column by it, never by its Chinese header."""

    NUMBER = "number"
    ACCEPTED_ON = "accepted_on"
    ADDRESS = "address"
    AGE = "age"
    AGREEMENT_FORM = "agreement_form"
    AMOUNT = "amount"
    APPLICANT = "applicant"
    APPLICANT_CONTACT = "applicant_contact"
    APPLIED_ON = "applied_on"
    APPOINTMENT_TIME = "appointment_time"
    ATTENDANCE = "attendance"
    BOOKER = "booker"
    CATEGORY = "category"
    CHANNEL = "channel"
    COMPLAINANT = "complainant"
    CONTACT = "contact"
    DECISION = "decision"
    DISPUTE_TYPE = "dispute_type"
    ESCALATION_RISK = "escalation_risk"
    GENDER = "gender"
    GROUPS = "groups"
    HANDLER = "handler"
    HANDLER_OR_INSTITUTION = "handler_or_institution"
    HANDLING = "handling"
    HARDSHIP = "hardship"
    ID_NUMBER = "id_number"
    INSTITUTION = "institution"
    KINDS = "kinds"
    MATERIALS_COMPLETE = "materials_complete"
    MEDIATION_RESULT = "mediation_result"
    NAME = "name"
    OPPONENT = "opponent"
    OUTCOME = "outcome"
    PEOPLE_INVOLVED = "people_involved"
    PHONE = "phone"
    RECEIVED_AT = "received_at"
    RECORDER = "recorder"
    REGISTERED_ON = "registered_on"
    REMARKS = "remarks"
    RESPONDER = "responder"
    RESPONSE = "response"
    RESULT = "result"
    RETURNED_TO_OFFICE_ON = "returned_to_office_on"
    RETURNED_TO_STATION_ON = "returned_to_station_on"
    REVIEWER = "reviewer"
    REVIEW_OPINION = "review_opinion"
    ROUTE = "route"
    SERVICE_MODE = "service_mode"
    SERVICE_RESULT = "service_result"
    SERVICE_TYPE = "service_type"
    STATEMENT = "statement"
    SUBJECT = "subject"
    SUMMARY = "summary"
    TOLD_ON = "told_on"
    TOLD_VIA = "told_via"
    TRANSFERRED_ON = "transferred_on"


@dataclass(frozen=True)
class Column:
    key: Cell
    header: str
    value: Callable[[Any], Value]
    personal: bool = False  # holds an ID number or a phone: masked for actors who may not see them
    width: float = 12  # Excel column width (characters); the PDF shares it out in proportion
    print_width: float | None = None  # the PDF's share when it must not shrink (ID numbers and phones)
    # The first responder's name: the printed ledger puts the signature column after it.
    responder: bool = False


@dataclass(frozen=True)
class CellSource:
    """Cells of one ledger that an extension fills from its own records: ``fill(record, actor)`` gives
    ``{Cell: value}``, each replacing that column's own value; ``related``/``prefetch`` load what it reads."""

    fill: Callable[[Any, Any], dict[Cell, Any]]
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()


_CELL_SOURCES: dict[int, CellSource] = {}


def register_cells(
    code: int,
    fill: Callable[[Any, Any], dict[Cell, Any]],
    *,
    related: tuple[str, ...] = (),
    prefetch: tuple[str, ...] = (),
) -> None:
    """An extension fills cells of ledger ``code`` (call from an ``AppConfig.ready``)."""
    _CELL_SOURCES[code] = CellSource(fill, related, prefetch)


@dataclass(frozen=True)
class Ledger:
    code: int
    title: str  # the form's title, e.g. 公共法律服务来访登记台帐
    short: str  # the word in the number, e.g. 来访 in 雁塔区公共法律服务中心〔2026〕来访第0001号
    counter: str  # the LedgerCounter.ledger that numbers it (lawdesk.matters.numbering)
    kind: str | None  # the matter kind of ledgers 2–6; None for the visit ledger
    columns: tuple[Column, ...]

    @property
    def cells(self) -> CellSource | None:
        """The cells an extension fills in this ledger (mediation, legal aid, appointments, complaints)."""
        return _CELL_SOURCES.get(self.code)

    @property
    def related(self) -> tuple[str, ...]:
        return self.cells.related if self.cells else ()

    @property
    def prefetch(self) -> tuple[str, ...]:
        return self.cells.prefetch if self.cells else ()

    @property
    def is_visit_ledger(self) -> bool:
        return self.kind is None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def received_field(self) -> str:
        """The datetime that places a row in a period (the visit's reception, for matters too)."""
        return "received_at" if self.is_visit_ledger else "visit__received_at"

    @property
    def order_by(self) -> tuple[str, ...]:
        """Grouped by platform, then by number."""
        if self.is_visit_ledger:
            return ("node__path", "year", "seq")
        return ("node__path", "ledger_year", "ledger_seq")

    def queryset(self) -> QuerySet[Any]:
        """Every record of this ledger, unscoped: the selectors narrow it to the actor, node and period."""
        if self.is_visit_ledger:
            # Only the columns the ledger reads (issue 21: building 100 rows of five models was most of the
            # page's cost); a column reading another field loads it per row, which tests/test_page_cost.py
            # catches as a query count growing with the rows.
            matters = (
                Matter.objects.select_related("institution")
                .only(*_VISIT_LEDGER_MATTER_FIELDS, "institution__id", "institution__name")
                .order_by("id")
            )
            # The platform and the receiving clerk repeat from row to row: prefetched, one object each.
            return (
                Visit.objects.select_related("person")
                .only(*_VISIT_LEDGER_FIELDS)
                .prefetch_related(
                    Prefetch("node", queryset=OrgNode.objects.only(*_NODE_FIELDS)),
                    Prefetch("received_by", queryset=User.objects.only(*_USER_FIELDS)),
                    # A list, not a queryset per visit (Django clones one for each of 100 visits otherwise).
                    Prefetch("matters", queryset=matters, to_attr="ledger_matters"),
                )
            )
        # Only the columns the ledgers read of the matter and its platform, visit, citizen and users; an
        # extension's related rows whole (issue 21: a 100-row page built 600 whole models, 30 datetimes a row).
        return (
            Matter.objects.filter(kind=self.kind, ledger_seq__isnull=False)
            .select_related(
                "node", "visit", "visit__person", "visit__received_by", "owner", "institution", "handler",
                *self.related,
            )
            .only(*_MATTER_LEDGER_FIELDS, *_whole(Matter, self.related))
            .prefetch_related(*self.prefetch)
        )  # fmt: skip

    def number(self, record: Any) -> str:
        return str(self.columns[0].value(record))


# What ledger 1 reads of a visit, its matters and the related rows (``Ledger.queryset``).
_VISIT_LEDGER_FIELDS = (
    "id", "node_id", "person_id", "received_by_id", "channel", "received_at", "summary", "vulnerable_groups",
    "by_reference", "said_name", "said_phone", "said_id_number", "said_address", "said_gender", "year", "seq",
    "person__id", "person__name", "person__gender", "person__phone", "person__address", "person__birth_date",
)  # fmt: skip
_NODE_FIELDS = ("id", "name", "path", "depth", "kind", "parent_id", "is_active")
_USER_FIELDS = ("id", "username", "full_name")
_VISIT_LEDGER_MATTER_FIELDS = (
    "id", "visit_id", "node_id", "kind", "state", "redirect_to", "redirect_reason", "institution_id", "answer",
    "outcome", "one_trip_mode", "outcome_by_proxy",
)  # fmt: skip

# What ledgers 2–6 read of a matter and its related rows (``Ledger.queryset``): a column or extension reading
# another field loads it per row, which tests/test_page_cost_ledger.py catches as queries growing with the rows.
_PERSON_FIELDS = ("id", "name", "phone", "id_number", "gender", "birth_date", "address")
_MATTER_LEDGER_FIELDS = (
    "id", "visit_id", "node_id", "kind", "state", "ledger_year", "ledger_seq", "legal_field", "service_type",
    "summary", "transferred_at", "accepted_at", "outcome", "outcome_at", "told_at", "told_via", "rating_comment",
    "answer", "one_trip_mode", "outcome_by_proxy", "institution_id", "handler_id", "owner_id", "redirect_to",
    "redirect_reason",
    *(f"node__{f}" for f in _NODE_FIELDS),
    *(f"visit__{f}" for f in _VISIT_LEDGER_FIELDS if not f.startswith("person__")),
    *(f"visit__person__{f}" for f in _PERSON_FIELDS),
    *(f"visit__received_by__{f}" for f in _USER_FIELDS),
    *(f"{user}__{f}" for user in ("owner", "handler") for f in _USER_FIELDS),
    "institution__id", "institution__name", "institution__kind",
)  # fmt: skip


def _whole(model: type[Model], paths: tuple[str, ...]) -> list[str]:
    """Every column of the rows each of ``paths`` (``select_related`` paths from ``model``) reaches."""
    fields: list[str] = []
    for path in paths:
        related: Any = model
        for name in path.split("__"):
            related = related._meta.get_field(name).related_model
        fields += [f"{path}__{field.attname}" for field in related._meta.concrete_fields]
    return fields


# --- reading the records -----------------------------------------------------------------------------------


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """``timezone.localtime(moment)``: for an aware moment (every one read from the database) without its
    checks, a few microseconds a cell (issue 21: ledgers 2–6 have up to five dates a row)."""
    if not moment:
        return None
    if timezone.is_naive(moment):
        return timezone.localtime(moment)  # refuses it, as before
    return moment.astimezone(timezone.get_current_timezone())


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    local = _local(moment)
    return local.date() if local else None


def _user(user: Any) -> str:
    return str(user) if user is not None else ""


_CHOICES: dict[tuple[type, str], dict[Any, Any]] = {}


def _label(record: Any, name: str) -> Any:
    """``record.get_<name>_display()`` from a table of the field's choices built once (Django rebuilds it from
    the field's choices on every call: about 1,500 calls on a 100-row page)."""
    key = (type(record), name)
    choices = _CHOICES.get(key)
    if choices is None:
        choices = _CHOICES[key] = dict(record._meta.get_field(name).flatchoices)
    value = getattr(record, name)
    if type(value) is str and type(label := choices.get(value, value)) is str:  # most: no conversion
        return label
    return force_str(choices.get(make_hashable(value), value), strings_only=True)


def _visit(record: Any) -> Visit:
    return record if isinstance(record, Visit) else record.visit


def _person(record: Any) -> Person:
    return _visit(record).person_as_told


def _age(record: Any) -> int | None:
    person = _person(record)
    if person.birth_date is None:
        return None
    on = _day(_visit(record).received_at) or clock.today()
    born = person.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _name_and_phone(record: Any) -> str:
    person = _person(record)
    return f"{person.name} {person.phone}".strip()


def _channel(record: Any) -> str:
    return _label(_visit(record), "channel")


# 来访方式 of ledger 1 and 预约途径 of ledger 4 use the form's own words.
_APPOINTMENT_ROUTES: dict[str, str] = {Channel.ON_SITE: "现场", Channel.PHONE: "电话", Channel.ONLINE: "网上"}


def _appointment_route(record: Any) -> str:
    return _APPOINTMENT_ROUTES.get(_visit(record).channel, _channel(record))


def _handling(matter: Matter) -> str:
    """处理方式 of one matter: 当场解答 / 受理申请 / 移交 / 指引 / 预约."""
    if matter.state == MatterState.REDIRECTED or matter.redirect_to:
        return "指引"
    if matter.institution_id is not None:
        return "移交"
    if matter.answer:
        return "当场解答"
    if matter.kind == MatterKind.APPOINTMENT:
        return "预约"
    return "受理申请"


def _result(matter: Matter) -> str:
    """答复意见或处理结果 of one matter."""
    if matter.redirect_to:
        reason = f"（{matter.redirect_reason}）" if matter.redirect_reason else ""
        return f"指引至{matter.redirect_to}{reason}"
    if matter.outcome:
        return matter.outcome
    if matter.answer:
        return matter.answer
    if matter.institution is not None:
        return f"已移交{matter.institution.name}"
    return ""


def _matters(visit: Visit) -> list[Matter]:
    """The visit's matters: the list ``Ledger.queryset`` prefetched, or read once per visit (several columns
    read them; each ``visit.matters.all()`` would build a new queryset)."""
    matters: list[Matter] | None = visit.__dict__.get("ledger_matters")
    if matters is None:
        matters = visit.__dict__["ledger_matters"] = list(visit.matters.all())
    return matters


def _per_matter(visit: Visit, read: Callable[[Matter], str]) -> str:
    """One value per matter of a visit; with several matters each is prefixed by its kind."""
    matters = _matters(visit)
    if len(matters) == 1:
        return read(matters[0])
    parts = [f"{_label(m, 'kind')}：{read(m)}" for m in matters if read(m)]
    return "；".join(parts)


def _kinds(visit: Visit) -> str:
    labels: list[str] = []
    for matter in _matters(visit):
        label = _label(matter, "kind")
        if label not in labels:
            labels.append(label)
    return "、".join(labels)


def _remarks(record: Any) -> str:
    """备注: what the ledger should show about a matter that has no column of its own."""
    matters = _matters(record) if isinstance(record, Visit) else [record]
    notes: list[str] = []
    for matter in matters:
        if matter.one_trip_mode:
            notes.append(f"最多跑一次：{_label(matter, 'one_trip_mode')}")
        if matter.outcome_by_proxy:
            notes.append("办理结果由司法所代为登记")
    return "；".join(dict.fromkeys(notes))


def _institution(matter: Matter) -> str:
    return matter.institution.name if matter.institution is not None else ""


def _handler_or_institution(matter: Matter) -> str:
    return "，".join(p for p in (_institution(matter), _user(matter.handler)) if p)


def _service_mode(matter: Matter) -> str:
    """服务方式 (到站/上门/视频/律所面谈): only a home visit is recorded so far (at-most-one-trip)."""
    return "上门" if matter.one_trip_mode == "home_visit" else ""


def NO_SOURCE(record: Any) -> Value:
    """A column the records have no data for yet: left empty, never invented."""
    return None


# --- the six ledgers ---------------------------------------------------------------------------------------

NUMBER_HEADER = "编号"


def _number_column(short: str) -> Column:
    """编号: ``{platform}〔{year}〕{short}第{seq:04d}号``, per platform, ledger and year (``Visit.number`` too)."""

    def number(record: Any) -> str:
        if isinstance(record, Visit):
            return f"{record.node.name}〔{record.year}〕{short}第{record.seq:04d}号"
        return f"{record.node.name}〔{record.ledger_year}〕{short}第{record.ledger_seq:04d}号"

    return Column(Cell.NUMBER, NUMBER_HEADER, number, width=34)


def _declare(
    *, code: int, title: str, short: str, kind: str | None, columns: tuple[Column, ...], **more: Any
) -> Ledger:
    """A ledger: the number column first, then ``columns``; numbered by the counter of its kind."""
    counter = VISIT_LEDGER if kind is None else KIND_LEDGERS[kind]
    return Ledger(code, title, short, counter, kind, (_number_column(short), *columns), **more)


VISITS = _declare(
    code=1,
    title="公共法律服务来访登记台帐",
    short="来访",
    kind=None,
    columns=(
        Column(Cell.RECEIVED_AT, "来访时间", lambda v: _local(v.received_at), width=17),
        Column(Cell.CHANNEL, "来访方式", _channel, width=10),
        Column(Cell.NAME, "姓名", lambda v: v.person_as_told.name, width=10),
        Column(Cell.GENDER, "性别", lambda v: _label(v.person_as_told, "gender"), width=6),
        Column(Cell.AGE, "年龄", _age, width=6),
        Column(
            Cell.PHONE, "联系电话", lambda v: v.person_as_told.phone, personal=True, width=15, print_width=18
        ),
        Column(Cell.ADDRESS, "住址或单位", lambda v: v.person_as_told.address, width=22),
        Column(Cell.GROUPS, "特殊群体", lambda v: "、".join(v.group_labels), width=12),
        Column(Cell.KINDS, "事项类别", _kinds, width=14),
        Column(Cell.SUMMARY, "来访事由(摘要)", lambda v: v.summary, width=30),
        Column(Cell.HANDLING, "处理方式", lambda v: _per_matter(v, _handling), width=14),
        Column(Cell.RESULT, "答复意见或处理结果", lambda v: _per_matter(v, _result), width=30),
        Column(
            Cell.RESPONDER, "接待人(首问负责人)", lambda v: _user(v.received_by), width=12, responder=True
        ),
        Column(Cell.REMARKS, "备注", _remarks, width=16),
    ),
)

DISPUTES = _declare(
    code=2,
    title="矛盾纠纷案件移交台帐",
    short="纠纷",
    kind=MatterKind.DISPUTE,
    columns=(
        Column(Cell.REGISTERED_ON, "登记日期", lambda m: _day(m.visit.received_at), width=11),
        Column(
            Cell.APPLICANT_CONTACT,
            "申请人及联系方式",
            _name_and_phone,
            personal=True,
            width=20,
            print_width=20,
        ),
        Column(Cell.OPPONENT, "对方当事人", NO_SOURCE, width=12),
        Column(Cell.DISPUTE_TYPE, "纠纷类型", lambda m: _label(m, "legal_field"), width=10),
        Column(Cell.SUMMARY, "纠纷简要情况", lambda m: m.summary, width=30),
        Column(Cell.AMOUNT, "涉及金额", NO_SOURCE, width=10),
        Column(Cell.PEOPLE_INVOLVED, "涉及人数", NO_SOURCE, width=8),
        Column(Cell.ESCALATION_RISK, "是否易激化", NO_SOURCE, width=8),
        Column(Cell.TRANSFERRED_ON, "移交日期", lambda m: _day(m.transferred_at), width=11),
        Column(Cell.INSTITUTION, "承接调解组织", _institution, width=20),
        Column(Cell.HANDLER, "承接人", lambda m: _user(m.handler), width=10),
        Column(Cell.MEDIATION_RESULT, "调解结果", lambda m: m.outcome, width=20),
        Column(Cell.AGREEMENT_FORM, "协议形式", NO_SOURCE, width=8),
        Column(Cell.RETURNED_TO_STATION_ON, "结果反馈中心(站)日期", lambda m: _day(m.outcome_at), width=11),
        Column(Cell.RETURNED_TO_OFFICE_ON, "反馈司法所日期", NO_SOURCE, width=11),
        Column(Cell.TOLD_ON, "告知当事人日期", lambda m: _day(m.told_at), width=11),
        Column(Cell.RESPONDER, "经办人", lambda m: _user(m.owner), width=10, responder=True),
        Column(Cell.REMARKS, "备注", _remarks, width=14),
    ),
)

LEGAL_AID = _declare(
    code=3,
    title="法律援助案件移交台帐",
    short="援助",
    kind=MatterKind.LEGAL_AID,
    columns=(
        Column(Cell.APPLIED_ON, "申请日期", lambda m: _day(m.visit.received_at), width=11),
        Column(Cell.APPLICANT, "申请人", lambda m: m.visit.person_as_told.name, width=10),
        Column(
            Cell.ID_NUMBER,
            "身份证号",
            lambda m: m.visit.person_as_told.id_number,
            personal=True,
            width=20,
            print_width=28,
        ),
        Column(
            Cell.PHONE,
            "联系电话",
            lambda m: m.visit.person_as_told.phone,
            personal=True,
            width=15,
            print_width=18,
        ),
        Column(Cell.CATEGORY, "事项类别", NO_SOURCE, width=14),
        Column(Cell.HARDSHIP, "经济困难审查", NO_SOURCE, width=14),
        Column(Cell.MATERIALS_COMPLETE, "材料是否齐全", NO_SOURCE, width=8),
        Column(Cell.REVIEW_OPINION, "初审意见", NO_SOURCE, width=16),
        Column(Cell.REVIEWER, "初审人", NO_SOURCE, width=10),
        Column(Cell.TRANSFERRED_ON, "移交日期", lambda m: _day(m.transferred_at), width=11),
        Column(Cell.INSTITUTION, "法律援助机构", _institution, width=20),
        Column(Cell.DECISION, "受理决定及日期", NO_SOURCE, width=14),
        Column(Cell.HANDLER, "承办人", lambda m: _user(m.handler), width=10),
        Column(Cell.OUTCOME, "办理结果", lambda m: m.outcome, width=20),
        Column(Cell.TOLD_ON, "告知申请人日期", lambda m: _day(m.told_at), width=11),
        Column(Cell.RESPONDER, "经办人(首问负责人)", lambda m: _user(m.owner), width=12, responder=True),
        Column(Cell.REMARKS, "备注", _remarks, width=14),
    ),
)

APPOINTMENTS = _declare(
    code=4,
    title="公共法律服务预约台帐",
    short="预约",
    kind=MatterKind.APPOINTMENT,
    columns=(
        Column(Cell.REGISTERED_ON, "登记日期", lambda m: _day(m.visit.received_at), width=11),
        Column(Cell.BOOKER, "预约人", lambda m: m.visit.person_as_told.name, width=10),
        Column(
            Cell.PHONE,
            "联系电话",
            lambda m: m.visit.person_as_told.phone,
            personal=True,
            width=15,
            print_width=18,
        ),
        Column(Cell.SUMMARY, "预约事项", lambda m: m.summary, width=30),
        Column(Cell.ROUTE, "预约途径", _appointment_route, width=10),
        Column(Cell.SERVICE_MODE, "服务方式", _service_mode, width=10),
        Column(Cell.APPOINTMENT_TIME, "预约时间", NO_SOURCE, width=16),
        Column(Cell.HANDLER_OR_INSTITUTION, "承办人或机构", _handler_or_institution, width=20),
        Column(Cell.ATTENDANCE, "履约情况", NO_SOURCE, width=10),
        Column(Cell.SERVICE_RESULT, "服务结果", lambda m: m.outcome or m.answer, width=20),
        Column(Cell.RESPONDER, "经办人(首问负责人)", lambda m: _user(m.owner), width=12, responder=True),
        Column(Cell.REMARKS, "备注", _remarks, width=14),
    ),
)

SERVICE_TRANSFERS = _declare(
    code=5,
    title="公共法律服务业务移交台帐",
    short="移交",
    kind=MatterKind.SERVICE_TRANSFER,
    columns=(
        Column(Cell.REGISTERED_ON, "登记日期", lambda m: _day(m.visit.received_at), width=11),
        Column(Cell.APPLICANT, "申请人", lambda m: m.visit.person_as_told.name, width=10),
        Column(
            Cell.PHONE,
            "联系电话",
            lambda m: m.visit.person_as_told.phone,
            personal=True,
            width=15,
            print_width=18,
        ),
        Column(Cell.SERVICE_TYPE, "业务类别", lambda m: _label(m, "service_type"), width=12),
        Column(Cell.SUMMARY, "事项内容", lambda m: m.summary, width=30),
        Column(Cell.TRANSFERRED_ON, "移交日期", lambda m: _day(m.transferred_at), width=11),
        Column(Cell.INSTITUTION, "承接机构", _institution, width=20),
        Column(Cell.HANDLER, "承接人", lambda m: _user(m.handler), width=10),
        Column(Cell.ACCEPTED_ON, "承接日期", lambda m: _day(m.accepted_at), width=11),
        Column(Cell.OUTCOME, "办理结果", lambda m: m.outcome, width=20),
        Column(Cell.TOLD_ON, "反馈日期", lambda m: _day(m.told_at), width=11),
        Column(Cell.TOLD_VIA, "反馈方式", lambda m: _label(m, "told_via"), width=8),
        Column(Cell.RESPONDER, "经办人", lambda m: _user(m.owner), width=10, responder=True),
        Column(Cell.REMARKS, "备注", _remarks, width=14),
    ),
)

COMPLAINTS = _declare(
    code=6,
    title="群众投诉登记本",
    short="投诉",
    kind=MatterKind.COMPLAINT,
    columns=(
        Column(Cell.RECEIVED_AT, "投诉时间", lambda m: _local(m.visit.received_at), width=17),
        Column(Cell.CHANNEL, "投诉途径", _channel, width=10),
        Column(Cell.COMPLAINANT, "投诉人(可匿名)", lambda m: m.visit.person_as_told.name, width=10),
        Column(
            Cell.CONTACT,
            "联系方式",
            lambda m: m.visit.person_as_told.phone,
            personal=True,
            width=15,
            print_width=18,
        ),
        Column(Cell.SUBJECT, "被投诉人或单位", NO_SOURCE, width=16),
        Column(Cell.STATEMENT, "投诉事项(如实记录)", lambda m: m.summary, width=34),
        Column(Cell.RECORDER, "记录人", lambda m: _user(m.owner), width=10, responder=True),
        Column(Cell.INSTITUTION, "转交部门", _institution, width=18),
        Column(Cell.TRANSFERRED_ON, "转交日期", lambda m: _day(m.transferred_at), width=11),
        Column(Cell.OUTCOME, "处理结果", lambda m: m.outcome, width=20),
        Column(Cell.TOLD_ON, "答复投诉人日期", lambda m: _day(m.told_at), width=11),
        Column(Cell.RESPONSE, "投诉人意见", lambda m: m.rating_comment, width=16),
        Column(Cell.REMARKS, "备注", _remarks, width=14),
    ),
)

LEDGERS: dict[int, Ledger] = {
    ledger.code: ledger
    for ledger in (VISITS, DISPUTES, LEGAL_AID, APPOINTMENTS, SERVICE_TRANSFERS, COMPLAINTS)
}


def get_ledger(code: int) -> Ledger | None:
    return LEDGERS.get(code)
