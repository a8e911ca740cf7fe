"""The monthly report's indicators (统计月报表指标), defined in one place.

Each ``Indicator`` has a code, its Chinese label, its group, the ``Source`` of records it counts (which model,
which field says where the record belongs on the tree, which field dates it) and a filter. From that one
definition come the pre-aggregated counts (per leaf node and day, ``fill.py``), the drill-down list
(``records``) and the truth test's recomputation. A ``Ratio`` is derived from two indicators at display time
and is never stored. A new indicator is one entry in ``_build()``.

Every event of the matter registry (``lawdesk/matters/events.py``) with a ``report`` counter becomes an
indicator ``event_<counter>`` of the group 办理流程 by itself.

Not computable from the records (see ``NOT_COMPUTABLE``): the 法律援助 consultations (a consultation does not
say it was about legal aid), and the number of poor villages covered (a distinct count is not additive over
days; the outreach board shows it per quarter).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from lawdesk.orgs.models import subtree_q

# The groups in the order the report prints them.
GROUPS = (
    "接待来访",
    "法律咨询",
    "事项类别",
    "法律援助",
    "人民调解",
    "矛盾排查",
    "业务移交",
    "预约服务",
    "特殊群体",
    "投诉举报",
    "法治宣传与基层治理",
    "脱贫攻坚",
    "法律顾问",
    "局长驻窗口",
    "社区矫正",
    "队伍建设",
    "时效与满意度",
    "办理流程",
)

NOT_COMPUTABLE = (
    ("法律援助 咨询", "咨询登记不区分是否为法律援助咨询；法律援助申请以申请表计。"),
    ("脱贫攻坚 覆盖贫困村数", "按月去重的村数不能由逐日计数相加得到；请在脱贫攻坚专项服务页面按季度查看。"),
    (
        "法治宣传与基层治理 示范村(社区)总数",
        "示范村(社区)总数是时点数，不能由逐日计数相加得到；请在民主法治示范村(社区)页面按状态“已命名”查看。",
    ),
    (
        "社区矫正 在册人数",
        "在册人数是月末时点数，不能由逐日计数相加得到；请在社区矫正对象名册按状态“在册”查看。",
    ),
    (
        "特殊群体 妇女儿童",
        "群众登记只有孕妇、留守妇女、留守儿童等类别，没有统一的“妇女儿童”，按登记类别分列。",
    ),
)


@dataclass(frozen=True)
class Source:
    """Where an indicator's records live."""

    code: str
    model: str  # "app_label.ModelName"
    node_field: str  # the path to the OrgNode the record belongs to (the leaf it is counted at)
    date_field: (
        str  # what dates the record (a DateTimeField counted by its day in Beijing time, or a DateField)
    )
    is_date: bool = False  # date_field is a DateField
    # How the drill-down is scoped: "matters" (matters_q through matter_prefix), "visits" or "nodes".
    scope: str = "nodes"
    matter_prefix: str = ""  # e.g. "matter__" for rows that hang on a matter
    # What shows a record was written or changed since the last fill, so that its day is filled again (a record
    # entered later for an earlier day is counted): a timestamp field, or "pk" for append-only rows (new rows
    # have higher ids; the id index is always there). "" when the date field is stamped with the current time by
    # the services (closed_at, outcome_at): the refill window of the last days covers those.
    entered_field: str = ""
    # Extra annotations the filter needs, made when the queryset is: (name, () -> expression).
    annotations: tuple[tuple[str, Callable[[], Any]], ...] = ()
    # Sensitive records (community correction): the figure is shown to everyone who sees the report, but its
    # drill-down lists records only for an actor holding one of these roles at the node (404 for the others).
    restricted_to: tuple[str, ...] = ()

    @property
    def model_class(self) -> Any:
        return apps.get_model(self.model)

    def queryset(self) -> QuerySet[Any]:
        qs = self.model_class._default_manager.all()
        if self.annotations:
            qs = qs.annotate(**{name: make() for name, make in self.annotations})
        return qs

    def date_range_q(self, start: datetime.date, end: datetime.date) -> Q:
        """Rows dated in [start, end) (local days)."""
        if self.is_date:
            return Q(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})
        tz = timezone.get_default_timezone()
        start_dt = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        end_dt = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
        return Q(**{f"{self.date_field}__gte": start_dt, f"{self.date_field}__lt": end_dt})

    def day_expression(self) -> Any:
        if self.is_date:
            return F(self.date_field)
        return TruncDate(self.date_field, tzinfo=timezone.get_default_timezone())

    def subtree_q(self, path: str) -> Q:
        return subtree_q(path, f"{self.node_field}__")


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    group: str
    source: Source
    filter: Q = field(default_factory=Q)
    sum_field: Any = None  # None: count rows; else a field name or expression summed
    convert: Callable[[Any], int] | None = None  # turns a summed value into the stored integer
    unit: str = "件"
    scale: int = 1  # stored value / scale = shown value (amounts are stored in fen)
    part_of: str = ""  # the indicator this one breaks down (the report prints it under its total)
    note: str = ""

    is_ratio = False

    def records(self, start: datetime.date, end: datetime.date) -> QuerySet[Any]:
        """The rows behind the figure for days [start, end), every node."""
        return self.source.queryset().filter(self.source.date_range_q(start, end)).filter(self.filter)

    def aggregate(self, *, filtered: bool = False) -> Any:
        """Count or Sum over the rows; ``filtered``: with the indicator's own filter inside the aggregate (so
        several indicators of one source are computed in one query)."""
        condition = self.filter if filtered and self.filter else None
        if self.sum_field is None:
            return Count("pk", filter=condition)
        return Sum(self.sum_field, filter=condition)

    def to_int(self, value: Any) -> int:
        if value is None:
            return 0
        if self.convert is not None:
            return self.convert(value)
        if isinstance(value, Decimal | float):
            return int((Decimal(str(value)) * self.scale).quantize(Decimal(1)))
        return int(value) * self.scale

    def per_node_day(self, start: datetime.date, end: datetime.date) -> list[tuple[int, datetime.date, int]]:
        """(leaf node id, day, value) for days [start, end); zero rows are left out."""
        rows = (
            self.records(start, end)
            .annotate(stat_node=F(self.source.node_field), stat_day=self.source.day_expression())
            .values("stat_node", "stat_day")
            .annotate(stat_value=self.aggregate())
            .order_by()
        )
        out = []
        for row in rows:
            value = self.to_int(row["stat_value"])
            if value and row["stat_node"] is not None:
                day = row["stat_day"]
                if isinstance(day, datetime.datetime):
                    day = day.date()
                elif isinstance(day, str):
                    day = datetime.date.fromisoformat(day[:10])
                out.append((row["stat_node"], day, value))
        return out

    def total(self, path: str, start: datetime.date, end: datetime.date) -> int:
        """The figure straight from the records: the subtree at ``path``, days [start, end). No pre-aggregate."""
        value = (
            self.records(start, end).filter(self.source.subtree_q(path)).aggregate(v=self.aggregate())["v"]
        )
        return self.to_int(value)

    def display(self, value: int | None) -> str:
        if value is None:
            return "—"
        if self.scale != 1:
            return f"{Decimal(value) / self.scale:,.2f}"
        return f"{value:,}"


@dataclass(frozen=True)
class Ratio:
    """A rate shown from two stored indicators (never stored itself)."""

    code: str
    label: str
    group: str
    numerator: str
    denominator: str
    unit: str = "%"
    part_of: str = ""
    note: str = ""

    is_ratio = True

    def value(self, figures: dict[str, int]) -> float | None:
        denominator = figures.get(self.denominator, 0)
        if not denominator:
            return None
        return round(100.0 * figures.get(self.numerator, 0) / denominator, 1)

    def display(self, value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}%"


Item = Indicator | Ratio


def _minutes(value: Any) -> int:
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds() // 60)
    # SQLite returns a duration sum in microseconds
    return int(int(value) // 60_000_000)


def _outcome_day() -> Any:
    return TruncDate("outcome_at", tzinfo=timezone.get_default_timezone(), output_field=DateField())


def _build() -> list[Item]:
    from lawdesk.appointments.models import SlotKind
    from lawdesk.legalaid.models import Decision, ReviewOpinion
    from lawdesk.matters.events import EVENTS
    from lawdesk.matters.models import Channel, LegalField, MatterEvent, MatterKind, OneTripMode, ServiceType
    from lawdesk.mediation.models import MediationOutcome
    from lawdesk.people.models import ClientKind, VulnerableGroup

    visits = Source("visits", "matters.Visit", "node", "received_at", scope="visits", entered_field="pk")
    matters = Source(
        "matters", "matters.Matter", "node", "created_at", scope="matters", entered_field="created_at"
    )
    events = Source(
        "events",
        "matters.MatterEvent",
        "matter__node",
        "created_at",
        scope="matters",
        matter_prefix="matter__",
        entered_field="created_at",
    )
    closed = Source("closed_matters", "matters.Matter", "node", "closed_at", scope="matters")
    outcomes = Source("outcome_matters", "matters.Matter", "node", "outcome_at", scope="matters")
    outcomes_on_time = Source(
        "outcome_matters_on_time",
        "matters.Matter",
        "node",
        "outcome_at",
        scope="matters",
        annotations=(("outcome_day", _outcome_day),),
    )
    la_applied = Source(
        "legal_aid_applied",
        "legalaid.LegalAidApplication",
        "matter__node",
        "applied_on",
        is_date=True,
        scope="matters",
        matter_prefix="matter__",
        entered_field="updated_at",
    )
    la_reviewed = Source(
        "legal_aid_reviewed",
        "legalaid.LegalAidApplication",
        "matter__node",
        "reviewed_on",
        is_date=True,
        scope="matters",
        matter_prefix="matter__",
        entered_field="updated_at",
    )
    la_decided = Source(
        "legal_aid_decided",
        "legalaid.LegalAidApplication",
        "matter__node",
        "decided_on",
        is_date=True,
        scope="matters",
        matter_prefix="matter__",
        entered_field="updated_at",
    )
    disputes = Source(
        "disputes",
        "mediation.DisputeDetail",
        "matter__node",
        "matter__created_at",
        scope="matters",
        matter_prefix="matter__",
        entered_field="updated_at",
    )
    mediation_results = Source(
        "mediation_results",
        "mediation.MediationResult",
        "matter__node",
        "recorded_at",
        scope="matters",
        matter_prefix="matter__",
        entered_field="recorded_at",
    )
    served = Source(
        "appointments_served",
        "appointments.Appointment",
        "matter__node",
        "served_at",
        scope="matters",
        matter_prefix="matter__",
        entered_field="served_at",
    )
    publicity = Source(
        "publicity", "outreach.PublicityEvent", "node", "date", is_date=True, entered_field="created_at"
    )
    # 基层治理 (counted at the judicial office)
    opinions = Source(
        "legal_opinions", "governance.LegalOpinion", "office", "opinion_on", is_date=True, entered_field="pk"
    )
    adoptions = Source(
        "opinion_adoptions",
        "governance.LegalOpinion",
        "office",
        "adoption_on",
        is_date=True,
        entered_field="updated_at",
    )
    safety = Source(
        "safety_activities", "governance.SafetyActivity", "office", "date", is_date=True, entered_field="pk"
    )
    namings = Source(
        "model_villages",
        "governance.ModelVillageCase",
        "office",
        "decided_on",
        is_date=True,
        entered_field="updated_at",
    )
    poverty = Source(
        "poverty_services",
        "outreach.PovertyService",
        "village__district",
        "date",
        is_date=True,
        entered_field="created_at",
    )
    # 社区矫正 (counted at the judicial office that keeps the record; records only for correction officers)
    correction_roles = ("correction_officer",)
    received = Source(
        "correction_received", "correction.Supervisee", "office", "received_on", is_date=True,
        entered_field="updated_at", restricted_to=correction_roles,
    )  # fmt: skip
    ended = Source(
        "correction_ended", "correction.Supervisee", "office", "ended_on", is_date=True,
        entered_field="updated_at", restricted_to=correction_roles,
    )  # fmt: skip
    correction_records = Source(
        "correction_records", "correction.SuperviseeRecord", "supervisee__office", "date", is_date=True,
        entered_field="pk", restricted_to=correction_roles,
    )  # fmt: skip
    released_notified = Source(
        "released_notified", "correction.ReleasedPerson", "office", "notice_date", is_date=True,
        entered_field="updated_at", restricted_to=correction_roles,
    )  # fmt: skip
    released_handed_over = Source(
        "released_handed_over", "correction.ReleasedPerson", "office", "handover_on", is_date=True,
        entered_field="updated_at", restricted_to=correction_roles,
    )  # fmt: skip
    released_records = Source(
        "released_records", "correction.ReleasedRecord", "person__office", "date", is_date=True,
        entered_field="pk", restricted_to=correction_roles,
    )  # fmt: skip
    screening_rounds = Source(
        "screening_rounds",
        "screening.ScreeningRound",
        "node",
        "date",
        is_date=True,
        entered_field="created_at",
    )
    screening_findings = Source(
        "screening_findings",
        "screening.ScreeningFinding",
        "round__node",
        "round__date",
        is_date=True,
        entered_field="updated_at",
    )
    advisers = Source(
        "adviser_services",
        "advisers.ServiceRecord",
        "village__office",
        "date",
        is_date=True,
        entered_field="updated_at",
    )
    training = Source(
        "training_attendance",
        "staff.Attendance",
        "node",  # the worker's unit when the attendance was recorded
        "date",  # the course's last day
        is_date=True,
        entered_field="updated_at",
    )
    leader = Source(
        "leader_window",
        "leaderwindow.WindowVisit",
        "draw__platform",
        "checked_in_at",
        entered_field="checked_out_at",
    )

    items: list[Item] = []
    add = items.append

    # 接待来访
    add(Indicator("visits", "来访总人次", "接待来访", visits, unit="人次"))
    for value, label in Channel.choices:
        add(
            Indicator(
                f"visits_{value}",
                f"其中：{label}",
                "接待来访",
                visits,
                Q(channel=value),
                unit="人次",
                part_of="visits",
            )
        )

    # 三(一): enterprises, public institutions and social organisations served (the client as registered)
    add(
        Indicator(
            "visits_organisation",
            "企事业单位、社会组织来访",
            "接待来访",
            visits,
            ~Q(person__client_kind=ClientKind.PERSON),
            unit="人次",
        )
    )
    for value, label in ClientKind.choices:
        if value == ClientKind.PERSON:
            continue
        add(
            Indicator(
                f"visits_client_{value}",
                f"其中：{label}",
                "接待来访",
                visits,
                Q(person__client_kind=value),
                unit="人次",
                part_of="visits_organisation",
            )
        )

    # 法律咨询
    consultations = Q(kind=MatterKind.CONSULTATION)
    add(Indicator("consultations", "法律咨询件数", "法律咨询", matters, consultations))
    for value, label in LegalField.choices:
        add(
            Indicator(
                f"consultations_{value}",
                f"其中：{label}",
                "法律咨询",
                matters,
                consultations & Q(legal_field=value),
                part_of="consultations",
            )
        )
    add(
        Indicator(
            "consultations_unspecified",
            "其中：未填领域",
            "法律咨询",
            matters,
            consultations & Q(legal_field=""),
            part_of="consultations",
        )
    )
    add(
        Indicator(
            "answered_on_spot",
            "当场解答件数",
            "法律咨询",
            events,
            Q(code="answered", matter__kind=MatterKind.CONSULTATION),
        )
    )

    # 事项类别
    add(Indicator("matters", "受理事项总数", "事项类别", matters))
    for value, label in MatterKind.choices:
        add(
            Indicator(
                f"matters_{value}", f"其中：{label}", "事项类别", matters, Q(kind=value), part_of="matters"
            )
        )

    # 法律援助
    add(Indicator("legal_aid_applications", "申请受理", "法律援助", la_applied))
    add(
        Indicator(
            "legal_aid_review_passed",
            "初审通过",
            "法律援助",
            la_reviewed,
            Q(review_opinion=ReviewOpinion.ELIGIBLE),
        )
    )
    add(
        Indicator(
            "legal_aid_transferred",
            "移交法律援助中心",
            "法律援助",
            events,
            Q(code="transferred", matter__kind=MatterKind.LEGAL_AID),
        )
    )
    add(Indicator("legal_aid_granted", "给予法律援助", "法律援助", la_decided, Q(decision=Decision.GRANT)))
    add(Indicator("legal_aid_denied", "不予法律援助", "法律援助", la_decided, Q(decision=Decision.DENY)))

    # 人民调解
    add(Indicator("disputes", "矛盾纠纷受理", "人民调解", matters, Q(kind=MatterKind.DISPUTE)))
    add(
        Indicator(
            "disputes_transferred",
            "移交调解",
            "人民调解",
            events,
            Q(code="transferred", matter__kind=MatterKind.DISPUTE),
        )
    )
    add(Indicator("mediation_results", "调解结案", "人民调解", mediation_results))
    for value, label in MediationOutcome.choices:
        add(
            Indicator(
                f"mediation_{value}",
                f"其中：调解{label}",
                "人民调解",
                mediation_results,
                Q(result=value),
                part_of="mediation_results",
            )
        )
    add(Ratio("mediation_success_rate", "调解成功率", "人民调解", "mediation_success", "mediation_results"))
    add(
        Indicator(
            "dispute_amount",
            "涉及金额（受理）",
            "人民调解",
            disputes,
            sum_field="amount",
            unit="元",
            scale=100,
        )
    )
    add(
        Indicator(
            "mediation_agreed_amount",
            "调解协议金额",
            "人民调解",
            mediation_results,
            Q(result=MediationOutcome.SUCCESS),
            sum_field="agreed_amount",
            unit="元",
            scale=100,
        )
    )
    add(Indicator("escalation_risk", "易激化纠纷预警", "人民调解", events, Q(code="escalation_risk_alerted")))

    # 业务移交
    transfers = Q(kind=MatterKind.SERVICE_TRANSFER)
    add(Indicator("service_transfers", "业务移交", "业务移交", matters, transfers))
    for value, label in ServiceType.choices:
        add(
            Indicator(
                f"service_transfers_{value}",
                f"其中：{label}",
                "业务移交",
                matters,
                transfers & Q(service_type=value),
                part_of="service_transfers",
            )
        )
    add(
        Indicator(
            "service_transfers_unspecified",
            "其中：未填类别",
            "业务移交",
            matters,
            transfers & Q(service_type=""),
            part_of="service_transfers",
        )
    )
    add(Indicator("service_transfers_done", "已办结", "业务移交", outcomes, transfers))
    add(
        Indicator(
            "service_transfers_told",
            "已反馈群众",
            "业务移交",
            events,
            Q(code="citizen_told", matter__kind=MatterKind.SERVICE_TRANSFER),
        )
    )

    # 预约服务
    add(Indicator("appointments_booked", "预约", "预约服务", events, Q(code="appointment_booked")))
    add(Indicator("appointments_served", "已服务", "预约服务", served))
    add(
        Indicator(
            "appointments_home_visit",
            "其中：上门服务",
            "预约服务",
            served,
            Q(slot__kind=SlotKind.HOME_VISIT),
            part_of="appointments_served",
        )
    )
    add(
        Indicator(
            "appointments_video",
            "其中：视频服务",
            "预约服务",
            served,
            Q(slot__kind=SlotKind.VIDEO),
            part_of="appointments_served",
        )
    )
    add(Indicator("appointments_no_show", "预约未到", "预约服务", events, Q(code="appointment_no_show")))
    # lawdesk.video: a consultation the citizen joined, counted on the day it ended (the event's day)
    add(
        Indicator(
            "video_consultations",
            "远程视频咨询人次",
            "预约服务",
            events,
            Q(code="video_consultation"),
            unit="人次",
            note="群众进入并结束的远程视频咨询，按结束日计入",
        )
    )
    add(Indicator("appointments_cancelled", "取消预约", "预约服务", events, Q(code="appointment_cancelled")))

    # 特殊群体 (人次: visits of a person in the group, as recorded at the visit; a person in two groups counts
    # once in the total)
    add(
        Indicator(
            "vulnerable_visits",
            "特殊群体服务人次",
            "特殊群体",
            visits,
            ~Q(vulnerable_groups=""),
            unit="人次",
            note="一人属多类时在各类中分别计入，本项只计一次",
        )
    )
    for value, label in VulnerableGroup.choices:
        add(
            Indicator(
                f"vulnerable_{value}",
                f"其中：{label}",
                "特殊群体",
                visits,
                Q(vulnerable_groups__contains=f",{value},"),
                unit="人次",
                part_of="vulnerable_visits",
            )
        )
    add(
        Indicator(
            "one_trip_proxy",
            "最多跑一次：代办",
            "特殊群体",
            events,
            Q(code="one_trip_marked", matter__one_trip_mode=OneTripMode.PROXY),
        )
    )
    add(
        Indicator(
            "one_trip_home_visit",
            "最多跑一次：上门",
            "特殊群体",
            events,
            Q(code="one_trip_marked", matter__one_trip_mode=OneTripMode.HOME_VISIT),
        )
    )

    # 投诉举报
    complaints = Q(kind=MatterKind.COMPLAINT)
    add(Indicator("complaints", "投诉受理", "投诉举报", matters, complaints))
    add(Indicator("complaints_answered", "投诉办结（已答复）", "投诉举报", outcomes, complaints))
    on_time = Q(outcome_due__isnull=True) | Q(outcome_day__lte=F("outcome_due"))
    add(
        Indicator(
            "complaints_answered_on_time",
            "其中：按期答复",
            "投诉举报",
            outcomes_on_time,
            complaints & on_time,
            part_of="complaints_answered",
        )
    )
    add(
        Ratio(
            "complaints_on_time_rate",
            "按期答复率",
            "投诉举报",
            "complaints_answered_on_time",
            "complaints_answered",
        )
    )

    # 法治宣传与基层治理 (publicity counted at the node that recorded it; the rest at the judicial office)
    group = "法治宣传与基层治理"
    add(Indicator("publicity_events", "普法活动次数", group, publicity, unit="场"))
    add(
        Indicator(
            "publicity_culture_events",
            "其中：法治文化活动",
            group,
            publicity,
            Q(kind__in=("performance", "culture_site", "culture_activity")),
            unit="场",
            part_of="publicity_events",
        )
    )
    add(
        Indicator("publicity_audience", "受众人次", group, publicity, sum_field="audience_count", unit="人次")
    )
    add(
        Indicator(
            "publicity_materials", "发放资料份数", group, publicity, sum_field="materials_count", unit="份"
        )
    )
    add(Indicator("legal_opinions", "法律意见建议件数", group, opinions))
    add(
        Indicator(
            "legal_opinions_adopted",
            "采纳件数(含部分采纳)",
            group,
            adoptions,
            Q(adoption__in=("adopted", "partly")),
            note="按反馈日期计",
        )
    )
    add(Indicator("safety_activities", "平安创建活动次数", group, safety, unit="次"))
    add(
        Indicator(
            "safety_participants", "平安创建参与人次", group, safety, sum_field="participants", unit="人次"
        )
    )
    for level, label in (
        ("district", "区级"),
        ("city", "市级"),
        ("province", "省级"),
        ("national", "国家级"),
    ):
        add(
            Indicator(
                f"model_villages_{level}",
                f"新命名{label}民主法治示范村(社区)",
                group,
                namings,
                Q(level=level, state__in=("named", "revoked")),
                unit="个",
                note="按命名日期计",
            )
        )

    # 脱贫攻坚 (counted at the village's district bureau)
    add(Indicator("poverty_services", "脱贫攻坚专项服务次数", "脱贫攻坚", poverty, unit="次"))
    add(Indicator("poverty_people", "服务人数", "脱贫攻坚", poverty, sum_field="people_served", unit="人"))

    # 社区矫正 (counted at the judicial office; 在册 is a point-in-time figure, see NOT_COMPUTABLE)
    add(Indicator("correction_received", "新接收社区矫正对象", "社区矫正", received, unit="人"))
    add(Indicator("correction_released", "解除矫正", "社区矫正", ended, Q(status="released"), unit="人"))
    add(
        Indicator(
            "correction_terminated", "终止矫正(含收监)", "社区矫正", ended,
            Q(status__in=("terminated", "imprisoned")), unit="人",
        )
    )  # fmt: skip
    add(
        Indicator(
            "correction_education", "教育学习人次", "社区矫正", correction_records, Q(kind="education"),
            unit="人次",
        )
    )  # fmt: skip
    add(
        Indicator(
            "correction_public_benefit_hours", "公益活动时长", "社区矫正", correction_records,
            Q(kind="public_benefit"), sum_field="hours", unit="小时", scale=10,
        )
    )  # fmt: skip
    add(Indicator("correction_help", "帮扶人次", "社区矫正", correction_records, Q(kind="help"), unit="人次"))
    add(
        Indicator(
            "correction_visits", "走访次数", "社区矫正", correction_records,
            Q(kind__in=("home_visit", "work_visit")), unit="次",
        )
    )  # fmt: skip
    add(
        Indicator(
            "correction_warnings", "警告", "社区矫正", correction_records, Q(kind="warning"), unit="人次"
        )
    )
    add(Indicator("released_notified", "新接收刑满释放人员", "社区矫正", released_notified, unit="人"))
    add(Indicator("released_handed_over", "衔接人数", "社区矫正", released_handed_over, unit="人"))
    add(
        Indicator(
            "released_handed_over_on_time", "其中：按期衔接", "社区矫正", released_handed_over,
            Q(handover_on__lte=F("handover_due")), unit="人", part_of="released_handed_over",
        )
    )  # fmt: skip
    add(Ratio("released_handover_rate", "衔接率(按期)", "社区矫正", "released_handed_over_on_time",
              "released_handed_over"))  # fmt: skip
    add(
        Indicator(
            "released_help", "刑满释放人员帮扶人次", "社区矫正", released_records, Q(kind="help"), unit="人次"
        )
    )
    # 矛盾排查 (counted at the judicial office of the screened village)
    add(Indicator("screening_rounds", "排查次数", "矛盾排查", screening_rounds, unit="次"))
    add(
        Indicator(
            "screening_disputes",
            "排查发现纠纷数",
            "矛盾排查",
            screening_findings,
            filter=~Q(disposition="no_dispute"),
        )
    )
    add(
        Indicator(
            "screening_resolved",
            "当场化解数",
            "矛盾排查",
            screening_findings,
            filter=Q(disposition="resolved"),
            part_of="screening_disputes",
        )
    )
    add(
        Indicator(
            "screening_to_matter",
            "转为事项数",
            "矛盾排查",
            screening_findings,
            filter=Q(matter__isnull=False),
            part_of="screening_disputes",
        )
    )

    # 法律顾问 (counted at the village's judicial office, whether or not the village has a station: a village
    # without one has no platform of its own; records the office returned are not counted)
    from lawdesk.advisers.models import RecordStatus, ServiceKind

    counted = ~Q(status=RecordStatus.RETURNED)
    add(Indicator("adviser_services", "服务次数", "法律顾问", advisers, counted, unit="次"))
    for kind in ServiceKind:
        add(
            Indicator(
                f"adviser_services_{kind.value}",
                f"其中：{kind.label}",
                "法律顾问",
                advisers,
                counted & Q(kind=kind.value),
                unit="次",
                part_of="adviser_services",
            )
        )
    add(
        Indicator(
            "adviser_hours",
            "服务时长(小时)",
            "法律顾问",
            advisers,
            counted,
            sum_field="hours",
            scale=10,
            unit="小时",
        )
    )
    add(
        Indicator(
            "adviser_people",
            "服务人次",
            "法律顾问",
            advisers,
            counted,
            sum_field="people_served",
            unit="人次",
        )
    )

    # 局长驻窗口 (counted at the platform)
    add(Indicator("leader_window_visits", "局长驻窗口次数", "局长驻窗口", leader, unit="次"))
    add(
        Indicator(
            "leader_window_minutes",
            "驻窗口时长（分钟）",
            "局长驻窗口",
            leader,
            Q(checked_out_at__isnull=False),
            sum_field=ExpressionWrapper(
                F("checked_out_at") - F("checked_in_at"), output_field=DurationField()
            ),
            convert=_minutes,
            unit="分钟",
        )
    )

    # 队伍建设 (五(二)2: training and education of the staff, counted at the worker's unit on the course's last day)
    add(Indicator("training_attendances", "培训人次", "队伍建设", training, unit="人次"))
    add(
        Indicator(
            "training_passed",
            "其中：考核合格",
            "队伍建设",
            training,
            Q(passed=True),
            unit="人次",
            part_of="training_attendances",
        )
    )
    add(
        Indicator(
            "training_hours",
            "培训学时",
            "队伍建设",
            training,
            sum_field="hours",
            scale=10,
            unit="学时",
        )
    )

    # 时效与满意度
    add(Indicator("rated", "满意度评价数", "时效与满意度", closed, Q(rating__isnull=False)))
    add(
        Indicator(
            "satisfied", "其中：满意（4—5分）", "时效与满意度", closed, Q(rating__gte=4), part_of="rated"
        )
    )
    add(Ratio("satisfaction_rate", "满意率", "时效与满意度", "satisfied", "rated"))
    add(
        Indicator(
            "rating_points",
            "评分合计",
            "时效与满意度",
            closed,
            Q(rating__isnull=False),
            sum_field="rating",
            unit="分",
        )
    )
    earlier = MatterEvent.objects.filter(matter=OuterRef("matter"), code="escalated").filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    add(
        Indicator(
            "overdue_matters",
            "超期事项数（首次督办）",
            "时效与满意度",
            events,
            Q(code="escalated") & ~Q(Exists(earlier)),
            note="事项首次被督办的日期计入",
        )
    )
    add(Indicator("escalations", "督办次数", "时效与满意度", events, Q(code="escalated")))

    # 办理流程: one indicator per report counter of the matter event registry
    counters: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for spec in EVENTS.values():
        if spec.report:
            counters.setdefault(spec.report, []).append(spec.code)
            labels.setdefault(spec.report, spec.label)
    for counter, codes in counters.items():
        add(
            Indicator(
                f"event_{counter}",
                labels[counter],
                "办理流程",
                events,
                Q(code__in=codes),
                note="计入事件：" + "、".join(EVENTS[c].label for c in codes),
            )
        )

    codes = [item.code for item in items]
    assert len(codes) == len(set(codes)), "indicator codes must be unique"
    return items


@lru_cache(maxsize=1)
def registry() -> tuple[Item, ...]:
    return tuple(_build())


def by_code() -> dict[str, Item]:
    return {item.code: item for item in registry()}


def stored() -> list[Indicator]:
    """The indicators that have pre-aggregated counts (every one but the ratios)."""
    return [item for item in registry() if isinstance(item, Indicator)]


def get(code: str) -> Item:
    return by_code()[code]


def grouped() -> list[tuple[str, list[Item]]]:
    items = registry()
    return [
        (group, [i for i in items if i.group == group])
        for group in GROUPS
        if any(i.group == group for i in items)
    ]
