"""The six ledgers (五台帐一登记), each declared once: its code, title, the records it views and its columns.

A ledger is a view of visits and matters, never separate typing. The screen, the Excel export and the PDF all
read the same ``Ledger``: a column is (Chinese header, value function, is_personal). A value function gets one
record (a ``Visit`` for ledger 1, a ``Matter`` for ledgers 2–6) and returns text, a number, a date, a datetime
or None. Personal columns (ID numbers, phones) are masked by the selectors for actors who may not see them.

Columns follow ``shared/ledgers.md``. Where the records hold nothing for a column yet (the mediation agreement
form, the legal-aid decision, …) the cell stays empty: ``NO_SOURCE`` marks those columns, so the gap is visible
here, and filling one in is a change to its value function only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lawdesk.appointments.ledger import LEDGER4_RELATED, ledger4_values
from lawdesk.complaints.ledger import ledger6_values
from lawdesk.core import clock
from lawdesk.legalaid.ledger import ledger3_values
from lawdesk.matters.models import Channel, Matter, MatterKind, MatterState, Visit
from lawdesk.matters.numbering import KIND_LEDGERS, VISIT_LEDGER
from lawdesk.mediation.ledger import ledger2_values
from lawdesk.people.models import Person

Value = str | int | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Value]
    personal: bool = False  # holds an ID number or a phone: masked for actors who may not see them
    width: float = 12  # Excel column width (characters); the PDF shares it out in proportion
    print_width: float | None = None  # the PDF's share when it must not shrink (ID numbers and phones)
    # The first responder's name: the printed ledger puts the signature column after it.
    responder: bool = False


@dataclass(frozen=True)
class Ledger:
    code: int
    title: str  # the form's title, e.g. 公共法律服务来访登记台帐
    short: str  # the word in the number, e.g. 来访 in 雁塔区公共法律服务中心〔2026〕来访第0001号
    counter: str  # the LedgerCounter.ledger that numbers it (lawdesk.matters.numbering)
    kind: str | None  # the matter kind of ledgers 2–6; None for the visit ledger
    columns: tuple[Column, ...]
    # Cells that another domain fills (mediation, legal aid, complaints): (record, actor) → {header: value}.
    # A header it returns replaces the column's own value.
    extra: Callable[[Any, Any], dict[str, Any]] | None = None
    related: tuple[str, ...] = ()  # select_related for ``extra``
    prefetch: tuple[str, ...] = ()  # prefetch_related for ``extra``

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
            matters = Matter.objects.select_related("institution").order_by("id")
            return Visit.objects.select_related("node", "person", "received_by").prefetch_related(
                Prefetch("matters", queryset=matters)
            )
        return (
            Matter.objects.filter(kind=self.kind, ledger_seq__isnull=False)
            .select_related(
                "node", "visit", "visit__person", "visit__received_by", "owner", "institution", "handler",
                *self.related,
            )
            .prefetch_related(*self.prefetch)
        )  # fmt: skip

    def number(self, record: Any) -> str:
        return str(self.columns[0].value(record))


# --- reading the records -----------------------------------------------------------------------------------


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment) if moment else None


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _user(user: Any) -> str:
    return str(user) if user is not None else ""


def _visit(record: Any) -> Visit:
    return record if isinstance(record, Visit) else record.visit


def _person(record: Any) -> Person:
    return _visit(record).person


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
    return _visit(record).get_channel_display()


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


def _per_matter(visit: Visit, read: Callable[[Matter], str]) -> str:
    """One value per matter of a visit; with several matters each is prefixed by its kind."""
    matters = list(visit.matters.all())
    if len(matters) == 1:
        return read(matters[0])
    parts = [f"{m.get_kind_display()}：{read(m)}" for m in matters if read(m)]
    return "；".join(parts)


def _kinds(visit: Visit) -> str:
    labels: list[str] = []
    for matter in visit.matters.all():
        label = str(matter.get_kind_display())
        if label not in labels:
            labels.append(label)
    return "、".join(labels)


def _remarks(record: Any) -> str:
    """备注: what the ledger should show about a matter that has no column of its own."""
    matters = list(record.matters.all()) if isinstance(record, Visit) else [record]
    notes: list[str] = []
    for matter in matters:
        if matter.one_trip_mode:
            notes.append(f"最多跑一次：{matter.get_one_trip_mode_display()}")
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

    return Column(NUMBER_HEADER, number, width=34)


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
        Column("来访时间", lambda v: _local(v.received_at), width=17),
        Column("来访方式", _channel, width=10),
        Column("姓名", lambda v: v.person.name, width=10),
        Column("性别", lambda v: v.person.get_gender_display(), width=6),
        Column("年龄", _age, width=6),
        Column("联系电话", lambda v: v.person.phone, personal=True, width=15, print_width=18),
        Column("住址或单位", lambda v: v.person.address, width=22),
        Column("特殊群体", lambda v: "、".join(v.group_labels), width=12),
        Column("事项类别", _kinds, width=14),
        Column("来访事由(摘要)", lambda v: v.summary, width=30),
        Column("处理方式", lambda v: _per_matter(v, _handling), width=14),
        Column("答复意见或处理结果", lambda v: _per_matter(v, _result), width=30),
        Column("接待人(首问负责人)", lambda v: _user(v.received_by), width=12, responder=True),
        Column("备注", _remarks, width=16),
    ),
)

DISPUTES = _declare(
    code=2,
    title="矛盾纠纷案件移交台帐",
    short="纠纷",
    kind=MatterKind.DISPUTE,
    extra=lambda m, actor: ledger2_values(m),
    related=("dispute_detail", "mediation_result"),
    prefetch=("dispute_detail__parties",),
    columns=(
        Column("登记日期", lambda m: _day(m.visit.received_at), width=11),
        Column("申请人及联系方式", _name_and_phone, personal=True, width=20, print_width=20),
        Column("对方当事人", NO_SOURCE, width=12),
        Column("纠纷类型", lambda m: m.get_legal_field_display(), width=10),
        Column("纠纷简要情况", lambda m: m.summary, width=30),
        Column("涉及金额", NO_SOURCE, width=10),
        Column("涉及人数", NO_SOURCE, width=8),
        Column("是否易激化", NO_SOURCE, width=8),
        Column("移交日期", lambda m: _day(m.transferred_at), width=11),
        Column("承接调解组织", _institution, width=20),
        Column("承接人", lambda m: _user(m.handler), width=10),
        Column("调解结果", lambda m: m.outcome, width=20),
        Column("协议形式", NO_SOURCE, width=8),
        Column("结果反馈中心(站)日期", lambda m: _day(m.outcome_at), width=11),
        Column("反馈司法所日期", NO_SOURCE, width=11),
        Column("告知当事人日期", lambda m: _day(m.told_at), width=11),
        Column("经办人", lambda m: _user(m.owner), width=10, responder=True),
        Column("备注", _remarks, width=14),
    ),
)

LEGAL_AID = _declare(
    code=3,
    title="法律援助案件移交台帐",
    short="援助",
    kind=MatterKind.LEGAL_AID,
    extra=lambda m, actor: ledger3_values(m),
    related=("legal_aid", "legal_aid__reviewed_by"),
    columns=(
        Column("申请日期", lambda m: _day(m.visit.received_at), width=11),
        Column("申请人", lambda m: m.visit.person.name, width=10),
        Column("身份证号", lambda m: m.visit.person.id_number, personal=True, width=20, print_width=28),
        Column("联系电话", lambda m: m.visit.person.phone, personal=True, width=15, print_width=18),
        Column("事项类别", NO_SOURCE, width=14),
        Column("经济困难审查", NO_SOURCE, width=14),
        Column("材料是否齐全", NO_SOURCE, width=8),
        Column("初审意见", NO_SOURCE, width=16),
        Column("初审人", NO_SOURCE, width=10),
        Column("移交日期", lambda m: _day(m.transferred_at), width=11),
        Column("法律援助机构", _institution, width=20),
        Column("受理决定及日期", NO_SOURCE, width=14),
        Column("承办人", lambda m: _user(m.handler), width=10),
        Column("办理结果", lambda m: m.outcome, width=20),
        Column("告知申请人日期", lambda m: _day(m.told_at), width=11),
        Column("经办人(首问负责人)", lambda m: _user(m.owner), width=12, responder=True),
        Column("备注", _remarks, width=14),
    ),
)

APPOINTMENTS = _declare(
    code=4,
    title="公共法律服务预约台帐",
    short="预约",
    kind=MatterKind.APPOINTMENT,
    extra=lambda m, actor: ledger4_values(m),
    related=LEDGER4_RELATED,
    columns=(
        Column("登记日期", lambda m: _day(m.visit.received_at), width=11),
        Column("预约人", lambda m: m.visit.person.name, width=10),
        Column("联系电话", lambda m: m.visit.person.phone, personal=True, width=15, print_width=18),
        Column("预约事项", lambda m: m.summary, width=30),
        Column("预约途径", _appointment_route, width=10),
        Column("服务方式", _service_mode, width=10),
        Column("预约时间", NO_SOURCE, width=16),
        Column("承办人或机构", _handler_or_institution, width=20),
        Column("履约情况", NO_SOURCE, width=10),
        Column("服务结果", lambda m: m.outcome or m.answer, width=20),
        Column("经办人(首问负责人)", lambda m: _user(m.owner), width=12, responder=True),
        Column("备注", _remarks, width=14),
    ),
)

SERVICE_TRANSFERS = _declare(
    code=5,
    title="公共法律服务业务移交台帐",
    short="移交",
    kind=MatterKind.SERVICE_TRANSFER,
    columns=(
        Column("登记日期", lambda m: _day(m.visit.received_at), width=11),
        Column("申请人", lambda m: m.visit.person.name, width=10),
        Column("联系电话", lambda m: m.visit.person.phone, personal=True, width=15, print_width=18),
        Column("业务类别", lambda m: m.get_service_type_display(), width=12),
        Column("事项内容", lambda m: m.summary, width=30),
        Column("移交日期", lambda m: _day(m.transferred_at), width=11),
        Column("承接机构", _institution, width=20),
        Column("承接人", lambda m: _user(m.handler), width=10),
        Column("承接日期", lambda m: _day(m.accepted_at), width=11),
        Column("办理结果", lambda m: m.outcome, width=20),
        Column("反馈日期", lambda m: _day(m.told_at), width=11),
        Column("反馈方式", lambda m: m.get_told_via_display(), width=8),
        Column("经办人", lambda m: _user(m.owner), width=10, responder=True),
        Column("备注", _remarks, width=14),
    ),
)

COMPLAINTS = _declare(
    code=6,
    title="群众投诉登记本",
    short="投诉",
    kind=MatterKind.COMPLAINT,
    extra=lambda m, actor: ledger6_values(m, actor=actor),
    related=("complaint",),
    columns=(
        Column("投诉时间", lambda m: _local(m.visit.received_at), width=17),
        Column("投诉途径", _channel, width=10),
        Column("投诉人(可匿名)", lambda m: m.visit.person.name, width=10),
        Column("联系方式", lambda m: m.visit.person.phone, personal=True, width=15, print_width=18),
        Column("被投诉人或单位", NO_SOURCE, width=16),
        Column("投诉事项(如实记录)", lambda m: m.summary, width=34),
        Column("记录人", lambda m: _user(m.owner), width=10, responder=True),
        Column("转交部门", _institution, width=18),
        Column("转交日期", lambda m: _day(m.transferred_at), width=11),
        Column("处理结果", lambda m: m.outcome, width=20),
        Column("答复投诉人日期", lambda m: _day(m.told_at), width=11),
        Column("投诉人意见", lambda m: m.rating_comment, width=16),
        Column("备注", _remarks, width=14),
    ),
)

LEDGERS: dict[int, Ledger] = {
    ledger.code: ledger
    for ledger in (VISITS, DISPUTES, LEGAL_AID, APPOINTMENTS, SERVICE_TRANSFERS, COMPLAINTS)
}


def get_ledger(code: int) -> Ledger | None:
    return LEDGERS.get(code)
