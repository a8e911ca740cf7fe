"""Reads of the statistics: the monthly report, the roll-up of the nodes below, the dashboard and the drill-down.

Figures come only from the pre-aggregated month totals (``StatMonth``), so a city's report reads a few dozen
rows whatever the number of records. The drill-down lists the records behind a figure, scoped like every other
read (``lawdesk.accounts.scoping``). A node the actor may not see answers 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core.urls_cache import path_pattern
from lawdesk.matters import access as matter_access
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.stats import indicators as registry
from lawdesk.stats.fill import last_filled_at, next_month
from lawdesk.stats.indicators import Indicator, Item, Ratio
from lawdesk.stats.models import (
    DistrictReportSetting,
    MonthlyReport,
    ReportSchedule,
    ReportStatus,
    StatMonth,
)

# --- periods and levels ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        """The first day after the month."""
        return next_month(self.start)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def parse_month(text: str) -> Month:
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError as exc:
        raise Http404("月份无效。") from exc
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404("月份无效。")
    return Month(year, month)


LEVEL_LABELS = {"station": "服务中心(站)", "office": "司法所", "district": "区(县)司法局"}


def level_of(node: OrgNode) -> str | None:
    """Which deadline a node's report keeps; None for nodes that do not submit (the city bureau)."""
    if node.is_platform:
        return "station"
    if node.kind == NodeKind.JUDICIAL_OFFICE:
        return "office"
    if node.kind == NodeKind.DISTRICT_BUREAU:
        return "district"
    return None


def station_days() -> dict[str, int | None]:
    """The stations' deadline day each district has set, by the district's path."""
    return {
        path: day
        for path, day in DistrictReportSetting.objects.filter(station_day__isnull=False).values_list(
            "district__path", "station_day"
        )
    }


def station_day_for(node: OrgNode, days: dict[str, int | None] | None = None) -> int | None:
    """The deadline day its district set for a station's report (None: the district set none)."""
    days = station_days() if days is None else days
    for path in node.ancestor_paths():
        if days.get(path):
            return days[path]
    return None


def due_date(
    node: OrgNode,
    month: Month,
    schedule: ReportSchedule | None = None,
    days: dict[str, int | None] | None = None,
) -> datetime.date | None:
    """The report's deadline; a station has one only if its district (or the city schedule) sets it."""
    level = level_of(node)
    if level is None:
        return None
    station_day = station_day_for(node, days) if level == "station" else None
    return (schedule or ReportSchedule.current()).due_date(level, month.year, month.month, station_day)


def unsubmitted_below(node: OrgNode, month: Month, children: list[ChildRow] | None = None) -> list[OrgNode]:
    """The units directly below ``node`` that report monthly and have not submitted ``month`` (a report of
    theirs is neither submitted nor reviewed): the names a submitter is shown before reporting without them.
    ``children``: the node's roll-up for the month (``_rollup``), when read already: the same units and
    reports, not read again (issue 21)."""
    if children is not None:
        return [c.node for c in children if level_of(c.node) and not (c.record and c.record.is_frozen)]
    below = [c for c in OrgNode.objects.filter(parent=node, is_active=True).order_by("path") if level_of(c)]
    frozen = set(
        MonthlyReport.objects.filter(
            node__in=below,
            year=month.year,
            month=month.month,
            status__in=(ReportStatus.SUBMITTED, ReportStatus.REVIEWED),
        ).values_list("node_id", flat=True)
    )
    return [c for c in below if c.pk not in frozen]


def require_node(actor: Any, node: OrgNode) -> None:
    if not scoping.can_see_node(actor, node):
        raise Http404("没有找到该节点，或您无权查看。")


# --- figures ----------------------------------------------------------------------------------------------


def figures(node: OrgNode, month: Month) -> dict[str, int]:
    """Every stored indicator's month total over the node's subtree (missing = 0). One indexed read."""
    values = dict(
        StatMonth.objects.filter(node=node, month=month.start).values_list("indicator", "value").order_by()
    )
    return {item.code: values.get(item.code, 0) for item in registry.stored()}


def value_of(item: Item, figs: dict[str, int]) -> int | float | None:
    if isinstance(item, Ratio):
        return item.value(figs)
    return figs.get(item.code, 0)


@dataclass
class Row:
    item: Item
    value: int | float | None
    display: str
    is_part: bool
    snapshot: int | float | None = None
    snapshot_display: str = ""
    diff: int | float | None = None
    diff_display: str = ""


@dataclass
class Group:
    name: str
    rows: list[Row]


@dataclass
class MonthReport:
    node: OrgNode
    month: Month
    figures: dict[str, int]
    groups: list[Group]
    record: MonthlyReport | None
    due_on: datetime.date | None
    filled_at: datetime.datetime | None
    changed_since_snapshot: bool = False
    children: list[ChildRow] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return self.record.get_status_display() if self.record else str(ReportStatus.DRAFT.label)

    @property
    def status(self) -> str:
        return self.record.status if self.record else ReportStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return bool(self.record and self.record.is_frozen)


def _diff_display(item: Item, diff: int | float | None) -> str:
    if not diff:
        return ""
    if isinstance(item, Ratio):
        return f"{diff:+.1f}个百分点"
    sign = "+" if diff > 0 else "−"
    return sign + item.display(abs(int(diff)))


def build_groups(figs: dict[str, int], snapshot: dict[str, int] | None = None) -> tuple[list[Group], bool]:
    groups = []
    changed = False
    for name, items in registry.grouped():
        rows = []
        for item in items:
            value = value_of(item, figs)
            row = Row(item=item, value=value, display=item.display(value), is_part=bool(item.part_of))  # type: ignore[arg-type]
            if snapshot is not None:
                before = value_of(item, {**{k: 0 for k in figs}, **snapshot})
                row.snapshot = before
                row.snapshot_display = item.display(before)  # type: ignore[arg-type]
                if value is not None and before is not None and value != before:
                    row.diff = round(value - before, 1) if isinstance(item, Ratio) else value - before
                    row.diff_display = _diff_display(item, row.diff)
                    changed = True
                elif (value is None) != (before is None):
                    changed = True
            rows.append(row)
        groups.append(Group(name=name, rows=rows))
    return groups, changed


def monthly_report(
    *, actor: Any, node: OrgNode, year: int, month: int, with_children: bool = False
) -> MonthReport:
    """The node's monthly report: every indicator over its subtree for the month, read from the month totals;
    when it has been submitted, the snapshot and what changed since. 404 when the actor may not see the node."""
    require_node(actor, node)
    return report_of(node=node, year=year, month=month, with_children=with_children)


def report_of(*, node: OrgNode, year: int, month: int, with_children: bool = False) -> MonthReport:
    """The node's monthly report, for whoever may see the node (``monthly_report`` checks that) and for the
    background job that prints the bureaus' reports ahead of time: the report and its children depend on the
    node alone, never on who asks."""
    period = Month(year, month)
    figs = figures(node, period)
    record = (
        MonthlyReport.objects.filter(node=node, year=year, month=month)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    snapshot = None
    if record is not None and record.is_frozen:
        snapshot = {k: int(v) for k, v in record.snapshot.get("figures", {}).items()}
    groups, changed = build_groups(figs, snapshot)
    # the schedule and the districts' station days read once for the node's deadline and its children's, and
    # only when one of them needs it
    level = level_of(node)
    schedule = ReportSchedule.current() if with_children or level is not None else None
    days = station_days() if with_children or level == "station" else None
    report = MonthReport(
        node=node,
        month=period,
        figures=figs,
        groups=groups,
        record=record,
        due_on=due_date(node, period, schedule, days),
        filled_at=last_filled_at(),
        changed_since_snapshot=changed,
    )
    if with_children:
        report.children = _rollup(node=node, year=year, month=month, schedule=schedule, days=days)
    return report


# --- roll-up ------------------------------------------------------------------------------------------------


@dataclass
class ChildRow:
    node: OrgNode
    figures: dict[str, int]
    record: MonthlyReport | None
    due_on: datetime.date | None
    overdue: bool  # past its deadline and not submitted

    @property
    def status_label(self) -> str:
        return self.record.get_status_display() if self.record else str(ReportStatus.DRAFT.label)

    @property
    def status(self) -> str:
        return self.record.status if self.record else ReportStatus.DRAFT

    @property
    def late(self) -> bool:
        return bool(self.record and self.record.late)


def rollup(
    *, actor: Any, node: OrgNode, year: int, month: int, today: datetime.date | None = None
) -> list[ChildRow]:
    """The nodes directly below ``node`` with their figures and where their reports stand."""
    require_node(actor, node)
    return _rollup(node=node, year=year, month=month, today=today)


def _rollup(
    *,
    node: OrgNode,
    year: int,
    month: int,
    today: datetime.date | None = None,
    schedule: ReportSchedule | None = None,
    days: dict[str, int | None] | None = None,
) -> list[ChildRow]:
    from lawdesk.core import clock

    period = Month(year, month)
    today = today or clock.today()
    children = list(OrgNode.objects.filter(parent=node, is_active=True).order_by("path"))
    values: dict[int, dict[str, int]] = {c.pk: {} for c in children}
    for node_id, code, value in StatMonth.objects.filter(node__in=children, month=period.start).values_list(
        "node_id", "indicator", "value"
    ):
        values[node_id][code] = value
    records = {
        r.node_id: r
        for r in MonthlyReport.objects.filter(node__in=children, year=year, month=month).select_related(
            "submitted_by"
        )
    }
    schedule = schedule or ReportSchedule.current()
    days = station_days() if days is None else days
    rows = []
    for child in children:
        record = records.get(child.pk)
        due = due_date(child, period, schedule, days)
        frozen = record is not None and record.is_frozen
        figs = {item.code: values[child.pk].get(item.code, 0) for item in registry.stored()}
        rows.append(
            ChildRow(
                node=child,
                figures=figs,
                record=record,
                due_on=due,
                overdue=bool(due and today > due and not frozen),
            )
        )
    return rows


# --- dashboard ----------------------------------------------------------------------------------------------

TREND_CODES = ("visits", "matters", "consultations", "disputes", "complaints")
MAP_CHOICES = ("visits", "matters", "consultations", "disputes", "legal_aid_applications", "complaints",
               "vulnerable_visits", "overdue_matters", "rated")  # fmt: skip


def map_name(node: OrgNode) -> str:
    """The district's feature name in the vendored GeoJSON (雁塔区司法局 → 雁塔区)."""
    return node.name.removesuffix("司法局")


def _months_values(
    node: OrgNode, months: list[Month], codes: list[str]
) -> dict[str, dict[datetime.date, int]]:
    out: dict[str, dict[datetime.date, int]] = {c: {} for c in codes}
    for code, month, value in StatMonth.objects.filter(
        node=node, month__gte=months[0].start, month__lte=months[-1].start, indicator__in=codes
    ).values_list("indicator", "month", "value"):
        out[code][month] = value
    return out


def _pairs(item_codes: list[str], figs: dict[str, int]) -> list[dict[str, Any]]:
    items = registry.by_code()
    return [
        {"code": c, "name": str(items[c].label).removeprefix("其中："), "value": figs.get(c, 0)}
        for c in item_codes
    ]


def dashboard_data(
    *, actor: Any, node: OrgNode, year: int, month: int, months: int = 12, map_indicator: str = "visits"
) -> dict[str, Any]:
    """What the dashboard draws, as plain data (handed to the page's script with json_script)."""
    require_node(actor, node)
    items = registry.by_code()
    if map_indicator not in MAP_CHOICES:
        map_indicator = "visits"
    last = Month(year, month)
    span = [last.shift(-i) for i in range(months - 1, -1, -1)]
    figs = figures(node, last)
    parts = {
        code: [i.code for i in registry.stored() if i.part_of == code]
        for code in ("matters", "visits", "vulnerable_visits")
    }
    series_codes = [*TREND_CODES, "overdue_matters", "escalations", "rated", "satisfied"]
    by_month = _months_values(node, span, series_codes)

    def series(code: str) -> list[int]:
        return [by_month[code].get(m.start, 0) for m in span]

    rated, satisfied = series("rated"), series("satisfied")
    data: dict[str, Any] = {
        "node": {"id": node.pk, "name": node.name},
        "period": last.label,
        "months": [m.slug for m in span],
        "trend": [{"code": c, "name": str(items[c].label), "data": series(c)} for c in TREND_CODES],
        "by_kind": _pairs(parts["matters"], figs),
        "by_channel": _pairs(parts["visits"], figs),
        "vulnerable": _pairs(parts["vulnerable_visits"], figs),
        "overdue": {"overdue_matters": series("overdue_matters"), "escalations": series("escalations")},
        "satisfaction": {
            "rated": rated,
            "satisfied": satisfied,
            "rate": [round(100.0 * s / r, 1) if r else None for s, r in zip(satisfied, rated, strict=True)],
        },
        "totals": {c: figs.get(c, 0) for c in series_codes},
        "map": None,
    }
    if node.kind in (NodeKind.CITY_BUREAU, NodeKind.DISTRICT_BUREAU):
        districts = (
            list(OrgNode.objects.filter(parent=node, kind=NodeKind.DISTRICT_BUREAU, is_active=True))
            if node.kind == NodeKind.CITY_BUREAU
            else [node]
        )
        values = dict(
            StatMonth.objects.filter(
                node__in=districts, month=last.start, indicator=map_indicator
            ).values_list("node_id", "value")
        )
        data["map"] = {
            "indicator": map_indicator,
            "label": str(items[map_indicator].label),
            "choices": [{"code": c, "name": str(items[c].label)} for c in MAP_CHOICES],
            "data": [{"name": map_name(d), "value": values.get(d.pk, 0), "node": d.pk} for d in districts],
            # A district's dashboard draws its own district only, not the city with one region filled.
            "focus": map_name(node) if node.kind == NodeKind.DISTRICT_BUREAU else "",
        }
    return data


# --- drill-down ---------------------------------------------------------------------------------------------

DRILL_LIMIT = 500


def drill_down(
    *, actor: Any, node: OrgNode, indicator: str, year: int, month: int
) -> tuple[Indicator, QuerySet[Any]]:
    """The records behind one figure, as the actor may see them (a complaint against the actor stays hidden).
    A restricted source's records (``Source.restricted_to``) only for an actor holding one of its roles at the
    node; everyone else gets 404, though they see the figure in the report."""
    item = registry.by_code().get(indicator)
    if item is None:
        raise Http404("没有该统计指标。")
    if isinstance(item, Ratio):
        item = registry.by_code()[item.numerator]
    assert isinstance(item, Indicator)
    source = item.source
    if source.restricted_to:
        if not may_drill(actor, node, item):
            raise Http404("该指标的记录仅限有关工作人员查看。")
    else:
        require_node(actor, node)
    period = Month(year, month)
    qs = item.records(period.start, period.end).filter(source.subtree_q(node.path))
    if source.restricted_to:
        qs = qs.filter(scoping.paths_q(scoping.scope_for(actor).paths_of(*source.restricted_to),
                                       f"{source.node_field}__"))  # fmt: skip
    elif source.scope == "matters":
        qs = qs.filter(matter_access.matters_q(actor, source.matter_prefix))
    elif source.scope == "visits":
        qs = qs.filter(matter_access.visits_q(actor))
    else:
        qs = qs.filter(scoping.nodes_q(actor, f"{source.node_field}__"))
    return item, qs.order_by(source.date_field, "pk")


def may_drill(actor: Any, node: OrgNode, item: Indicator | Ratio) -> bool:
    """Whether the actor may list the records behind ``item`` at ``node`` (restricted sources: the role there)."""
    if isinstance(item, Ratio):
        item = registry.by_code()[item.numerator]
    assert isinstance(item, Indicator)
    if item.source.restricted_to:
        return scoping.holds_at(actor, node, *item.source.restricted_to)
    return scoping.can_see_node(actor, node)


def undrillable(actor: Any, node: OrgNode) -> set[str]:
    """The codes of the indicators whose records the actor may not list at ``node`` (shown without a link)."""
    return {
        item.code
        for item in registry.stored()
        if item.source.restricted_to and not may_drill(actor, node, item)
    }


def drill_node(actor: Any, pk: int, indicator: str) -> OrgNode:
    """The node of a drill-down: one the actor sees, or, for a restricted indicator, one where the actor holds
    its role (a correction officer sees no report, but lists the records behind its figures)."""
    item = registry.by_code().get(indicator)
    if isinstance(item, Ratio):
        item = registry.by_code().get(item.numerator)
    if isinstance(item, Indicator) and item.source.restricted_to:
        node = OrgNode.objects.filter(pk=pk, is_active=True).first()
        if node is not None and may_drill(actor, node, item):
            return node
    return node_access.get_node_for(actor, pk)


@dataclass
class DrillRow:
    when: Any
    node: str
    text: str
    url: str

    def html(self, number: int) -> SafeString:
        """The row of the drill-down's table, numbered: what ``{{ row.when|date:"Y-m-d H:i"|default:row.when }}``
        and the other cells' tags wrote, built here once per row (issue 21: up to ``DRILL_LIMIT`` rows)."""
        when = self.when
        if isinstance(when, datetime.datetime):
            shown = f"{timezone.localtime(when) if timezone.is_aware(when) else when:%Y-%m-%d %H:%M}"
        else:
            shown = str(when)
        record = (
            f'<a href="{escape(self.url)}">{escape(self.text)}</a>' if self.url else str(escape(self.text))
        )
        return mark_safe(  # every value escaped above
            f"<tr><td>{number}</td><td>{escape(shown)}</td><td>{escape(self.node)}</td><td>{record}</td></tr>"
        )


def describe(item: Indicator, obj: Any) -> DrillRow:
    """One record of a drill-down as a line: when, where, what, and the page that shows it."""
    model = item.source.model
    when = _get(obj, item.source.date_field)
    if isinstance(when, datetime.date) and not isinstance(when, datetime.datetime):
        when = when.isoformat()  # a day (a DateField source): the page's "Y-m-d H:i" takes datetimes only
    if model == "matters.Visit":
        return DrillRow(
            when,
            obj.node.name,
            f"{obj.number} {obj.get_channel_display()}",
            path_pattern("desk:visit", 0).format(obj.pk),
        )
    if model == "matters.Matter":
        return DrillRow(when, obj.node.name, str(obj), path_pattern("desk:matter", 0).format(obj.pk))
    if model == "matters.MatterEvent":
        matter = obj.matter
        return DrillRow(
            when, matter.node.name, f"{obj.code}：{matter}", path_pattern("desk:matter", 0).format(matter.pk)
        )
    if model == "screening.ScreeningRound":
        return DrillRow(
            when,
            obj.node.name,
            f"{obj.committee.name}：{obj.village.name if obj.village else '全辖区'}排查",
            reverse("screening:round", args=[obj.pk]),
        )
    if model == "screening.ScreeningFinding":
        return DrillRow(
            when,
            obj.round.node.name,
            f"{obj.get_disposition_display()}：{obj.description[:40]}",
            reverse("screening:round", args=[obj.round_id]),
        )
    if hasattr(obj, "matter_id"):
        matter = obj.matter
        return DrillRow(when, matter.node.name, str(matter), path_pattern("desk:matter", 0).format(matter.pk))
    if model == "outreach.PublicityEvent":
        return DrillRow(
            when,
            obj.node.name,
            f"{obj.get_kind_display()}：{obj.theme}（{obj.place}，{obj.audience_count}人次）",
            reverse("outreach:events") + f"?year={obj.date.year}",
        )
    if model == "governance.LegalOpinion":
        adoption = obj.get_adoption_display() or "待反馈"
        return DrillRow(when, obj.office.name, f"{obj.requester}：{obj.subject}（{adoption}）",
                        reverse("governance:opinion", args=[obj.pk]))  # fmt: skip
    if model == "governance.SafetyActivity":
        return DrillRow(when, obj.office.name, f"{obj.get_kind_display()}：{obj.participants}人参与",
                        reverse("governance:safety"))  # fmt: skip
    if model == "governance.ModelVillageCase":
        return DrillRow(when, obj.office.name, f"{obj.village.name}（{obj.get_level_display()}，{obj.document}）",
                        reverse("governance:case", args=[obj.pk]))  # fmt: skip
    if model == "outreach.PovertyService":
        return DrillRow(when, obj.village.district.name, f"{obj.village.name}：服务{obj.people_served}人", "")
    if model == "correction.Supervisee":
        return DrillRow(when, obj.office.name, f"{obj}（{obj.get_status_display()}）",
                        reverse("correction:supervisee", args=[obj.pk]))  # fmt: skip
    if model == "correction.SuperviseeRecord":
        hours = f"，{obj.hours}小时" if obj.hours else ""
        return DrillRow(when, obj.supervisee.office.name, f"{obj.supervisee}：{obj.get_kind_display()}{hours}",
                        reverse("correction:supervisee", args=[obj.supervisee_id]))  # fmt: skip
    if model == "correction.ReleasedPerson":
        return DrillRow(when, obj.office.name, str(obj), reverse("correction:released_person", args=[obj.pk]))
    if model == "correction.ReleasedRecord":
        return DrillRow(when, obj.person.office.name, f"{obj.person}：{obj.get_kind_display()}",
                        reverse("correction:released_person", args=[obj.person_id]))  # fmt: skip
    if model == "advisers.ServiceRecord":
        return DrillRow(
            when,
            obj.village.office.name,
            f"{obj.village.name}：{obj.adviser} {obj.get_kind_display()} {obj.hours}小时 {obj.people_served}人次",
            reverse("advisers:record", args=[obj.pk]),
        )
    if model == "staff.Attendance":
        return DrillRow(
            when,
            obj.node.name,
            f"{obj.user.get_full_name()}：{obj.course.title}（{obj.course.get_kind_display()}）{obj.hours}学时"
            f"{'' if obj.passed else '，考核不合格'}",
            reverse("staff:course", args=[obj.course_id]),
        )
    if model == "leaderwindow.WindowVisit":
        minutes = obj.minutes
        return DrillRow(
            when,
            obj.draw.platform.name,
            f"{obj.leader}（{minutes if minutes is not None else '未签退'}分钟）",
            "",
        )
    return DrillRow(when, "", str(obj), "")


def _get(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def select_for_drill(item: Indicator, qs: QuerySet[Any]) -> QuerySet[Any]:
    model = item.source.model
    related = {
        "matters.Visit": ["node"],
        "matters.Matter": ["node"],
        "matters.MatterEvent": ["matter", "matter__node"],
        "outreach.PublicityEvent": ["node"],
        "governance.LegalOpinion": ["office"],
        "governance.SafetyActivity": ["office"],
        "governance.ModelVillageCase": ["office", "village"],
        "outreach.PovertyService": ["village", "village__district"],
        "advisers.ServiceRecord": ["village", "village__office", "adviser"],
        "leaderwindow.WindowVisit": ["draw", "draw__platform", "leader"],
        "staff.Attendance": ["node", "user", "course"],
        "correction.Supervisee": ["office"],
        "correction.SuperviseeRecord": ["supervisee", "supervisee__office"],
        "correction.ReleasedPerson": ["office"],
        "correction.ReleasedRecord": ["person", "person__office"],
        "screening.ScreeningRound": ["node", "committee", "village"],
        "screening.ScreeningFinding": ["round", "round__node"],
    }.get(model, ["matter", "matter__node"])
    if model == "matters.Visit":
        # what ``describe`` shows of a visit (its number, channel, platform, date): not the encrypted columns
        date_root = item.source.date_field.split("__")[0]
        return qs.select_related(*related).only(
            "id", "node__name", "year", "seq", "channel", "received_at", date_root
        )
    return qs.select_related(*related)


# --- who may do what ------------------------------------------------------------------------------------------


def _holds(actor: Any, roles: set[str], node: OrgNode | None) -> bool:
    if node is None or getattr(actor, "pk", None) is None:
        return False
    return scoping.holds_exactly_at(actor, node, *roles)


def can_submit(actor: Any, node: OrgNode) -> bool:
    """The station's clerk (or its judicial office), the office's staff, the district's admin."""
    level = level_of(node)
    if level == "station":
        parent = node.parent
        return _holds(actor, {Role.WINDOW_CLERK}, node) or (
            parent is not None
            and (
                (parent.kind == NodeKind.JUDICIAL_OFFICE and _holds(actor, {Role.OFFICE_STAFF}, parent))
                or (parent.kind == NodeKind.DISTRICT_BUREAU and _holds(actor, {Role.DISTRICT_ADMIN}, parent))
                or (parent.kind == NodeKind.CITY_BUREAU and _holds(actor, {Role.CITY_ADMIN}, parent))
            )
        )
    if level == "office":
        return _holds(actor, {Role.OFFICE_STAFF}, node)
    if level == "district":
        return _holds(actor, {Role.DISTRICT_ADMIN}, node)
    return False


REVIEW_ROLES: dict[str, set[str]] = {
    NodeKind.JUDICIAL_OFFICE: {Role.OFFICE_STAFF},
    NodeKind.DISTRICT_BUREAU: {Role.DISTRICT_ADMIN},
    NodeKind.CITY_BUREAU: {Role.CITY_ADMIN, Role.SYSTEM_ADMIN},
}


def can_review(actor: Any, node: OrgNode) -> bool:
    """The level above: the office reviews its stations, the district its offices and centre, the city its
    districts."""
    parent = node.parent
    if parent is None or level_of(node) is None:
        return False
    return _holds(actor, REVIEW_ROLES.get(parent.kind, set()), parent)


def submitters(node: OrgNode) -> list[Any]:
    """The users who can submit the node's report (reminders go to them)."""

    level = level_of(node)
    if level == "station":
        people = scoping.users_holding(Role.WINDOW_CLERK, at=node, people_only=True)  # not the online account
        if not people.exists() and node.parent is not None:
            people = scoping.users_holding(
                Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, at=node.parent, people_only=True
            )
    elif level == "office":
        people = scoping.users_holding(Role.OFFICE_STAFF, at=node, people_only=True)
    elif level == "district":
        people = scoping.users_holding(Role.DISTRICT_ADMIN, at=node, people_only=True)
    else:
        return []
    return list(people.order_by("pk"))


def reviewers(node: OrgNode) -> list[Any]:

    parent = node.parent
    if parent is None:
        return []
    roles = REVIEW_ROLES.get(parent.kind, set())
    return list(scoping.users_holding(*roles, at=parent).order_by("pk")) if roles else []
