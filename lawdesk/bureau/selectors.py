"""Reading the divisions, the problems traced to them (倒查) and the construction timetable.

``problems(today)`` is the one definition of what counts as a problem, computed live from the records of the
other apps (through their models and selectors, never changing them):

- an overdue monthly report: a reporting unit (platform, judicial office, district bureau) whose report for one
  of the last ``REPORT_MONTHS`` months is past its deadline and neither submitted nor reviewed → 统计报送;
- a failed assessment indicator: a score of the latest published round of each organiser under
  ``PASS_FRACTION`` of its weight → the area of the indicator (``indicator_area``);
- an upheld complaint (投诉查实, decided in the last ``COMPLAINT_DAYS`` days) → the area of the institution
  it was passed to (a law firm → 律师 …), else 投诉.

Each problem is traced to the active division that is 对口负责 for its area; a problem whose area no division
answers for is listed as 未明确对口处(室) on the city board, so nothing falls through.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from lawdesk.accounts import scoping
from lawdesk.bureau import rules
from lawdesk.bureau.models import Area, Division, Milestone, Stage, Supervision
from lawdesk.core.tree import NodeKind
from lawdesk.core.urls_cache import path_pattern
from lawdesk.orgs.models import OrgNode

REPORT_MONTHS = 3
PASS_FRACTION = Decimal("0.6")
COMPLAINT_DAYS = 365

# What a problem reads of its node (its name, the kind and path for a report's deadline; the audit row its id)
NODE_FIELDS = ("pk", "name", "path", "kind", "depth")
KIND_LABELS = {"report": "月报逾期", "score": "考核指标未达标", "complaint": "投诉查实"}


@dataclass(frozen=True)
class Problem:
    key: str  # "report:<node>:<yyyy-mm>", "score:<id>", "complaint:<matter id>"
    kind: str
    area: str
    node: OrgNode
    title: str
    detail: str
    url: str
    since: datetime.date

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def area_label(self) -> str:
        return str(Area(self.area).label)


# --- the areas of the records ------------------------------------------------------------------------------

METRIC_AREAS = {
    "poverty_area": Area.OUTREACH,
    "satisfaction": Area.COMPLAINTS,
    "staffing": Area.STAFF,
}
KEYWORD_AREAS = (
    ("法律援助", Area.LEGAL_AID),
    ("调解", Area.MEDIATION),
    ("律师", Area.LAWYERS),
    ("公证", Area.NOTARY),
    ("鉴定", Area.FORENSIC),
    ("矫正", Area.CORRECTION),
    ("宣传", Area.OUTREACH),
    ("脱贫", Area.OUTREACH),
    ("投诉", Area.COMPLAINTS),
    ("满意", Area.COMPLAINTS),
    ("人员", Area.STAFF),
    ("队伍", Area.STAFF),
)
INSTITUTION_AREAS = {
    "law_firm": Area.LAWYERS,
    "legal_aid_centre": Area.LEGAL_AID,
    "notary_office": Area.NOTARY,
    "forensic_office": Area.FORENSIC,
    "mediation_committee": Area.MEDIATION,
    "grassroots_legal_office": Area.LAWYERS,
}


def indicator_area(metric: str, name: str, group_name: str = "") -> str:
    """The area an assessment indicator belongs to: by its automatic metric, else by the words of its name
    and group; everything else about a platform is 平台建设."""
    if metric in METRIC_AREAS:
        return METRIC_AREAS[metric]
    for text in (name, group_name):
        for word, area in KEYWORD_AREAS:
            if word in text:
                return area
    return Area.PLATFORM


# --- the problems ------------------------------------------------------------------------------------------


def _url_pattern(name: str, *args: Any) -> str:
    """The URL of route ``name`` with ``{}`` where the argument ``"{}"`` (an integer) goes: reversed once for a
    list of problems, not once per problem."""
    marker = 987654321
    return reverse(name, args=[marker if a == "{}" else a for a in args]).replace(str(marker), "{}")


def _months_before(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, month, out = today.year, today.month, []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append((year, month))
    return out


def _all_nodes() -> dict[int, OrgNode]:
    """Every node (what a problem reads of it, and whether it is active), in path order: read once for all the
    kinds of problems of one request (issue 21)."""
    return {n.pk: n for n in OrgNode.objects.only(*NODE_FIELDS, "is_active").order_by("path")}


def overdue_reports(today: datetime.date, *, nodes_by_pk: dict[int, OrgNode] | None = None) -> list[Problem]:
    from lawdesk.stats import selectors as stats
    from lawdesk.stats.models import MonthlyReport, ReportSchedule, ReportStatus

    schedule = ReportSchedule.current()
    days = stats.station_days()  # once, not per station (issue 21: 200 queries on the board)
    nodes = [n for n in (nodes_by_pk if nodes_by_pk is not None else _all_nodes()).values() if n.is_active]
    # (node, level, its district's day for a station): once per node, not once per node and month (issue 21)
    units = [
        (n, level, stats.station_day_for(n, days) if level == "station" else None)
        for n in nodes
        if (level := stats.level_of(n))
    ]
    months = _months_before(today, REPORT_MONTHS)
    in_months = Q(pk__in=[])
    for year, month in months:
        in_months |= Q(year=year, month=month)
    frozen = set(
        MonthlyReport.objects.filter(
            in_months, status__in=(ReportStatus.SUBMITTED, ReportStatus.REVIEWED)
        ).values_list("node_id", "year", "month")
    )
    out = []
    for year, month in months:
        url = _url_pattern("stats:report", "{}", f"{year}-{month:02d}")
        dues: dict[tuple[str, int | None], datetime.date | None] = {}
        for node, level, station_day in units:
            key = (level, station_day)
            if key not in dues:
                dues[key] = schedule.due_date(level, year, month, station_day)
            due = dues[key]
            if due is None or today <= due or (node.pk, year, month) in frozen:
                continue
            out.append(
                Problem(
                    key=f"report:{node.pk}:{year}-{month:02d}",
                    kind="report",
                    area=Area.STATISTICS,
                    node=node,
                    title=f"{node.name}{year}年{month}月统计月报逾期未报送",
                    detail=f"报送期限{due:%Y年%m月%d日}，已逾期{(today - due).days}天",
                    url=url.format(node.pk),
                    since=due,
                )
            )
    return out


def failed_indicators(
    today: datetime.date, *, nodes_by_pk: dict[int, OrgNode] | None = None
) -> list[Problem]:
    from lawdesk.assessment.models import Round, RoundStatus, Score

    # The latest published rounds of each organiser (every round at its latest cut-off), picked here from the
    # few published rounds, not an aggregate and a subquery compiled into the scores' query (issue 21)
    published = list(
        Round.objects.filter(status=RoundStatus.PUBLISHED, cut_off__lte=today).values_list(
            "pk", "organiser_id", "title", "cut_off"
        )
    )
    last: dict[int, datetime.date] = {}
    for _pk, organiser_id, _title, cut_off in published:
        if organiser_id not in last or cut_off > last[organiser_id]:
            last[organiser_id] = cut_off
    rounds = {
        pk: (title, cut_off)
        for pk, organiser_id, title, cut_off in published
        if cut_off == last[organiser_id]
    }
    # Columns, not four model objects per failed score (issue 21: hundreds of them on the city's board)
    scores = (
        Score.objects.filter(entry__round_id__in=list(rounds), fraction__lt=PASS_FRACTION)
        .order_by("entry__platform__path", "indicator__position", "pk")
        .values_list(
            "pk", "fraction", "points", "indicator__metric", "indicator__name", "indicator__group_name",
            "indicator__weight", "entry__round_id", "entry__platform_id",
        )
    )  # fmt: skip
    rows = [(*row[:7], *rounds[row[7]], row[8]) for row in scores] if rounds else []
    nodes = (
        nodes_by_pk
        if nodes_by_pk is not None
        else OrgNode.objects.only(*NODE_FIELDS).in_bulk({r[9] for r in rows})
    )
    url = _url_pattern("assessment:score", "{}")
    out = []
    areas: dict[tuple[str, str, str], str] = {}  # the same few indicators fail at many platforms
    for pk, fraction, points, metric, name, group_name, weight, title, cut_off, node_id in rows:
        node = nodes[node_id]
        percent = round(float(fraction or 0) * 100)
        area = areas.get((metric, name, group_name))
        if area is None:
            area = areas[(metric, name, group_name)] = indicator_area(metric, name, group_name)
        out.append(
            Problem(
                key=f"score:{pk}",
                kind="score",
                area=area,
                node=node,
                title=f"{node.name}“{name}”未达标",
                detail=f"{title}：得分{points or 0}/{weight}（{percent}%）",
                url=url.format(pk),
                since=cut_off,
            )
        )
    return out


def upheld_complaints(today: datetime.date) -> list[Problem]:
    from lawdesk.quality.models import ComplaintFinding

    since = today - datetime.timedelta(days=COMPLAINT_DAYS)
    findings = (
        ComplaintFinding.objects.filter(upheld=True, decided_at__date__gte=since)
        .select_related("matter__institution", "against_node")
        .order_by("-decided_at", "-pk")
    )
    url = path_pattern("desk:matter", 0)
    out = []
    for finding in findings:
        institution = finding.matter.institution
        area = INSTITUTION_AREAS.get(institution.kind, Area.COMPLAINTS) if institution else Area.COMPLAINTS
        where = f"，承办：{institution.name}" if institution else ""
        out.append(
            Problem(
                key=f"complaint:{finding.matter_id}",
                kind="complaint",
                area=area,
                node=finding.against_node,
                title=f"{finding.against_node.name}投诉查实（事项{finding.matter_id}）",
                detail=f"{finding.decided_at.date():%Y年%m月%d日}认定查实{where}",
                url=url.format(finding.matter_id),
                since=finding.decided_at.date(),
            )
        )
    return out


def problems(today: datetime.date) -> list[Problem]:
    """Every problem found in the records today (the one definition)."""
    nodes = _all_nodes()
    return [
        *overdue_reports(today, nodes_by_pk=nodes),
        *failed_indicators(today, nodes_by_pk=nodes),
        *upheld_complaints(today),
    ]


def area_owners(active: list[Division] | None = None) -> dict[str, Division]:
    """Area → the active division 对口负责 for it (``active``: the active divisions in order, if read already)."""
    owners: dict[str, Division] = {}
    if active is None:
        active = list(Division.objects.filter(is_active=True).order_by("position", "name"))
    for division in active:
        for area in division.areas:
            owners.setdefault(area, division)
    return owners


def problems_of(division: Division, today: datetime.date) -> list[Problem]:
    if not division.is_active:
        return []
    owners = area_owners()
    # The overdue reports are all 统计报送's: not computed for a division that does not answer for it (issue 21)
    reports = overdue_reports(today) if owners.get(Area.STATISTICS) == division else []
    found = [*reports, *failed_indicators(today), *upheld_complaints(today)]
    return [p for p in found if owners.get(p.area) == division]


@dataclass
class DivisionRow:
    division: Division | None  # None: areas no division answers for
    problems: list[Problem] = field(default_factory=list)
    url: str = ""  # the division's page

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(p.kind for p in self.problems)
        return {kind: counter.get(kind, 0) for kind in KIND_LABELS}

    @property
    def total(self) -> int:
        return len(self.problems)


def board(today: datetime.date) -> list[DivisionRow]:
    """Every active division with the problems traced to it; last, the problems of areas nobody answers for."""
    active = list(Division.objects.filter(is_active=True).order_by("position", "name"))
    owners = area_owners(active)
    url = path_pattern("bureau:division", 0)  # once, not per division and count (issue 21)
    rows = {d.pk: DivisionRow(d, url=url.format(d.pk)) for d in active}
    orphan = DivisionRow(None)
    for problem in problems(today):
        owner = owners.get(problem.area)
        (rows[owner.pk] if owner is not None else orphan).problems.append(problem)
    return [*rows.values(), *([orphan] if orphan.problems else [])]


def latest_supervisions(division: Division) -> dict[str, Supervision]:
    """Problem key → the latest 督办 of the division about it."""
    out: dict[str, Supervision] = {}
    for record in division.supervisions.select_related("by").order_by("-at", "-id"):
        out.setdefault(record.problem_key, record)
    return out


# --- reading the divisions ---------------------------------------------------------------------------------


def divisions_for(actor: Any) -> QuerySet[Division]:
    """The city's readers see every division; a division's own staff their division; others none."""
    if rules.reads_city_board(actor):
        return Division.objects.all()
    if getattr(actor, "pk", None) is None or not getattr(actor, "is_authenticated", False):
        return Division.objects.none()
    return Division.objects.filter(staff=actor, is_active=True)


def get_division_for(actor: Any, pk: Any) -> Division:
    try:
        return divisions_for(actor).get(pk=int(pk))
    except (Division.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该处(室)，或您无权查看。") from exc


# --- the construction timetable ----------------------------------------------------------------------------


def districts_for(actor: Any) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(
        scoping.nodes_q(actor), kind=NodeKind.DISTRICT_BUREAU, is_active=True
    ).order_by("path")


def get_district_for(actor: Any, pk: Any) -> OrgNode:
    try:
        return districts_for(actor).get(pk=int(pk))
    except (OrgNode.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该区(县)司法局，或您无权查看。") from exc


def milestones_for(actor: Any) -> QuerySet[Milestone]:
    return Milestone.objects.filter(scoping.nodes_q(actor, "district__")).select_related("district")


def get_milestone_for(actor: Any, pk: Any) -> Milestone:
    try:
        return milestones_for(actor).get(pk=int(pk))
    except (Milestone.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该建设时间节点，或您无权查看。") from exc


@dataclass
class TimetableRow:
    district: OrgNode
    cells: list[tuple[str, Milestone | None]]
    today: datetime.date

    @property
    def lagging(self) -> list[Milestone]:
        return [m for _s, m in self.cells if m is not None and m.lags(self.today)]

    @property
    def progress(self) -> int:
        """The mean progress of the planned stages."""
        planned = [m.progress for _s, m in self.cells if m is not None]
        return round(sum(planned) / len(planned)) if planned else 0


def timetable(actor: Any, today: datetime.date) -> list[TimetableRow]:
    """Each district in reach with its stages (in the order of 八), lagging ones flagged."""
    districts = list(districts_for(actor))
    by: dict[tuple[int, str], Milestone] = {
        (m.district_id, m.stage): m for m in Milestone.objects.filter(district__in=districts)
    }
    return [TimetableRow(d, [(s, by.get((d.pk, s))) for s in Stage.values], today) for d in districts]
