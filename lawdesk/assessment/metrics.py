"""The registry of automatic indicators: each metric reads the records of one platform as they stood at the
round's cut-off date and returns a score (0..1) with the evidence behind it and a link to the records.

``metric(platform, ctx) -> MetricResult``; ``ctx`` holds the period (start and cut-off) and the indicator's target.
Every figure a metric gives is a count of records that the evidence lists, so a score can be recomputed by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from lawdesk.orgs import rules
from lawdesk.orgs.models import OPTIONAL_FACILITIES, Facility, FacilityItem, OrgNode, subtree_q
from lawdesk.orgs.rules import NodeKind

ONE = Decimal(1)
ZERO = Decimal(0)
SIGNAGE_ITEMS = (FacilityItem.LIGHTBOX_A, FacilityItem.LIGHTBOX_B, FacilityItem.WINDOW_BACKDROP)
# The WeChat group (四(四)3) is the town's one group led by the judicial office (lawdesk.advisers), not an item.
EQUIPMENT_ITEMS = tuple(
    i
    for i in FacilityItem.values
    if i not in SIGNAGE_ITEMS and i not in OPTIONAL_FACILITIES and i != FacilityItem.WECHAT_GROUP
)
WECHAT_GROUP_LABEL = "镇(街道)微信群"
# Matter states in which the citizen has had an answer (the visit is done at the window).
FINAL_STATES = ("answered", "redirected", "citizen_told", "closed")
MAX_EVIDENCE = 200


@dataclass(frozen=True)
class Context:
    start: datetime.date
    cut_off: datetime.date
    target: Decimal | None = None


@dataclass
class MetricResult:
    fraction: Decimal
    summary: str
    evidence: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def add(self, text: str, url: str = "") -> None:
        if len(self.evidence) < MAX_EVIDENCE:
            self.evidence.append({"text": text, "url": url})


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal:
    if not whole:
        return ZERO
    value = Decimal(part) / Decimal(whole)
    return min(ONE, max(ZERO, value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in local time (the cut-off is inclusive)."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def period_matters(platform: OrgNode, ctx: Context) -> QuerySet[Any]:
    from lawdesk.matters.models import Matter

    return Matter.objects.filter(
        node=platform,
        visit__received_at__gte=_start_of(ctx.start),
        visit__received_at__lt=_end_of(ctx.cut_off),
    ).order_by("visit__received_at", "id")


def _matter_url(matter: Any) -> str:
    return reverse("desk:matter", args=[matter.pk])


def _ledger_url(platform: OrgNode, ctx: Context, code: int = 1) -> str:
    return (
        reverse("desk:ledger", args=[code])
        + f"?node={platform.pk}&from={ctx.start:%Y-%m-%d}&to={ctx.cut_off:%Y-%m-%d}"
    )


def district_of(node: OrgNode) -> OrgNode | None:
    return OrgNode.objects.filter(path__in=node.ancestor_paths(), kind=NodeKind.DISTRICT_BUREAU).first()


# --- the metrics --------------------------------------------------------------------------------------------


def name_place(platform: OrgNode, ctx: Context) -> MetricResult:
    """四(一)(二): the name in the plan's form, the address, the place, the hall hours and the three phones."""
    checks = [
        (
            "名称符合“" + rules.NAME_RULES[platform.kind].template + "”",
            rules.check_name(platform.kind, platform.name) is None,
        ),
        ("地址已登记", bool(platform.address)),
        ("所在场所已登记", bool(platform.location_kind)),
        ("办公时间已登记", bool(platform.hours_text)),
        ("办公电话已登记", bool(platform.office_phone)),
        ("预约电话已登记", bool(platform.appointment_phone)),
        ("监督电话已登记", bool(platform.supervision_phone)),
    ]
    url = reverse("orgs:node", args=[platform.pk])
    passed = sum(1 for _, ok in checks if ok)
    result = MetricResult(ratio(passed, len(checks)), f"{passed}/{len(checks)}项符合", url=url)
    for text, ok in checks:
        result.add(("✓ " if ok else "✗ ") + text, url)
    return result


def _facilities(
    platform: OrgNode,
    ctx: Context,
    items: tuple[str, ...],
    label: str,
    extra: tuple[bool, str, str] | None = None,
) -> MetricResult:
    """The items present at the cut-off; ``extra`` is one more check kept elsewhere (present, evidence, link)."""
    present = {
        f.item: f
        for f in Facility.objects.filter(node=platform, item__in=items, present=True, as_of__lte=ctx.cut_off)
    }
    have = len(present) + (1 if extra is not None and extra[0] else 0)
    total = len(items) + (1 if extra is not None else 0)
    url = reverse("orgs:facilities", args=[platform.pk])
    result = MetricResult(ratio(have, total), f"{label}{have}/{total}项已具备", url=url)
    for item in items:
        facility = present.get(item)
        if facility is not None:
            result.add(f"✓ {FacilityItem(item).label}（{facility.as_of:%Y-%m-%d}起）", url)
        else:
            result.add(f"✗ {FacilityItem(item).label}：截止日未登记具备", url)
    if extra is not None:
        result.add(extra[1], extra[2])
    return result


def signage(platform: OrgNode, ctx: Context) -> MetricResult:
    """四(三): lightbox faces A and B and the window backdrop present at the cut-off."""
    return _facilities(platform, ctx, SIGNAGE_ITEMS, "标识")


def office_of(platform: OrgNode) -> OrgNode | None:
    """The judicial office a platform belongs to (None for a district's or the city's centre)."""
    return (
        OrgNode.objects.filter(path__in=platform.ancestor_paths(), kind=NodeKind.JUDICIAL_OFFICE)
        .order_by("-path")
        .first()
    )


def town_group_check(platform: OrgNode, cut_off: datetime.date) -> tuple[bool, str, str] | None:
    """四(四)3: whether the platform's town has its WeChat group (led by the judicial office) by ``cut_off``:
    (present, evidence line, link); None where the platform is under no judicial office."""
    from lawdesk.advisers.models import TownGroup

    office = office_of(platform)
    if office is None:
        return None
    group = TownGroup.objects.filter(office=office, created__lte=cut_off).first()
    if group is None:
        return False, f"✗ {WECHAT_GROUP_LABEL}：{office.name}截止日未建立", reverse("advisers:groups")
    members = group.members.count()
    return (
        True,
        f"✓ {WECHAT_GROUP_LABEL}：{group.name}（{office.name}牵头，{group.created:%Y-%m-%d}建群，{members}名成员）",
        reverse("advisers:group", args=[group.pk]),
    )


def town_groups_present(platforms: list[OrgNode], cut_off: datetime.date) -> dict[int, bool | None]:
    """``town_group_check(p, cut_off)[0]`` for many platforms in two queries (the construction board): platform
    → whether its judicial office's WeChat group exists by ``cut_off``; None where it is under no office."""
    from lawdesk.advisers.models import TownGroup

    wanted = {path for p in platforms for path in p.ancestor_paths()}
    offices = dict(
        OrgNode.objects.filter(path__in=wanted, kind=NodeKind.JUDICIAL_OFFICE).values_list("path", "pk")
    )
    with_group = set(
        TownGroup.objects.filter(office_id__in=offices.values(), created__lte=cut_off).values_list(
            "office_id", flat=True
        )
    )
    out: dict[int, bool | None] = {}
    for platform in platforms:
        office = next((offices[p] for p in reversed(platform.ancestor_paths()) if p in offices), None)
        out[platform.pk] = None if office is None else office in with_group
    return out


def equipment(platform: OrgNode, ctx: Context) -> MetricResult:
    """四(四): office equipment, the waiting area, the 12348 terminals (the robot is optional), and the town's
    WeChat group of the platform's judicial office."""
    return _facilities(
        platform, ctx, EQUIPMENT_ITEMS, "设备与系统", extra=town_group_check(platform, ctx.cut_off)
    )


def duty_coverage(platform: OrgNode, ctx: Context) -> MetricResult:
    """四(五)2: working-day sessions of the period covered by the duty roster (hall hours, whole session)."""
    from lawdesk.duty.selectors import gaps
    from lawdesk.duty.services import sessions_of
    from lawdesk.workcal.workdays import WorkCalendar

    url = reverse("duty:roster", args=[platform.pk]) + f"?week={ctx.cut_off:%Y-%m-%d}"
    sessions = sessions_of(platform)
    if not sessions:
        result = MetricResult(ZERO, "未登记办公时间，无法排班", url=url)
        result.add("✗ 平台未登记上午/下午办公时间", reverse("orgs:node", args=[platform.pk]))
        return result
    calendar = WorkCalendar().load(ctx.start.year, ctx.cut_off.year)
    total = 0
    day = ctx.start
    while day <= ctx.cut_off:
        if calendar.is_working_day(day):
            total += len(sessions)
        day += datetime.timedelta(days=1)
    found = gaps(platform, ctx.start, ctx.cut_off)
    covered = total - len(found)
    result = MetricResult(ratio(covered, total), f"应值班{total}个时段，有人值班{covered}个", url=url)
    for gap in found:
        result.add("✗ " + gap.text, reverse("duty:roster", args=[platform.pk]) + f"?week={gap.date:%Y-%m-%d}")
    return result


def staffing(platform: OrgNode, ctx: Context) -> MetricResult:
    """四(五): a roster exists for the period, with at least two different people on it (定人、定岗)."""
    from lawdesk.duty.models import DutyShift

    shifts = DutyShift.objects.filter(node=platform, date__gte=ctx.start, date__lte=ctx.cut_off)
    people = sorted({str(s.person) for s in shifts.select_related("person")})
    count = shifts.count()
    url = reverse("duty:roster", args=[platform.pk]) + f"?week={ctx.cut_off:%Y-%m-%d}"
    score = (Decimal("0.5") if count else ZERO) + (Decimal("0.5") if len(people) >= 2 else ZERO)
    result = MetricResult(score, f"值班安排{count}班次，值班人员{len(people)}人", url=url)
    result.add(("✓ " if count else "✗ ") + f"考核期内值班安排{count}班次", url)
    result.add(("✓ " if len(people) >= 2 else "✗ ") + f"值班人员{len(people)}人：" + "、".join(people), url)
    return result


def _is_complete(matter: Any) -> list[str]:
    missing = []
    if matter.kind != "consultation" and matter.ledger_seq is None:
        missing.append("未编台帐号")
    if not matter.summary.strip():
        missing.append("无事项摘要")
    if matter.state in ("citizen_told", "closed") and not matter.told_via:
        missing.append("未登记反馈方式")
    if matter.state == "answered" and not matter.answer.strip():
        missing.append("无答复意见")
    if matter.state == "redirected" and not matter.redirect_to:
        missing.append("无指引去向")
    return missing


def ledger_completeness(platform: OrgNode, ctx: Context) -> MetricResult:
    """七: matters received in the period whose ledger entries are complete (number, summary, answer or
    direction, how the citizen was told)."""
    matters = list(period_matters(platform, ctx))
    url = _ledger_url(platform, ctx)
    complete = 0
    result = MetricResult(ZERO, "", url=url)
    for matter in matters:
        missing = _is_complete(matter)
        if missing:
            result.add(
                f"✗ 事项#{matter.pk} {matter.get_kind_display()}：" + "、".join(missing), _matter_url(matter)
            )
        else:
            complete += 1
    if not matters:
        result.summary = "考核期内台帐无记录"
        result.add("✗ 考核期内无来访登记", url)
        return result
    result.fraction = ratio(complete, len(matters))
    result.summary = f"登记事项{len(matters)}件，记录完整{complete}件"
    return result


def _late(matter: Any, cut_off: datetime.date) -> list[str]:
    found = []
    for due_field, done_field, label in (
        ("accept_due", "accepted_at", "承接"),
        ("outcome_due", "outcome_at", "办结"),
        ("feedback_due", "told_at", "反馈"),
    ):
        due = getattr(matter, due_field)
        if due is None or due > cut_off:
            continue
        done = getattr(matter, done_field)
        done_day = timezone.localdate(done) if done else None
        if done_day is None or done_day > due:
            found.append(
                f"{label}期限{due:%Y-%m-%d}"
                + (f"，{done_day:%Y-%m-%d}完成" if done_day else "，截止日未完成")
            )
    return found


def timeliness(platform: OrgNode, ctx: Context) -> MetricResult:
    """七(八): matters of the period that met every working-day deadline falling due by the cut-off."""
    matters = list(period_matters(platform, ctx))
    url = reverse("desk:overdue")
    result = MetricResult(ZERO, "", url=_ledger_url(platform, ctx))
    on_time = 0
    for matter in matters:
        late = _late(matter, ctx.cut_off)
        if late:
            result.add(
                f"✗ 事项#{matter.pk} {matter.get_kind_display()}：" + "；".join(late), _matter_url(matter)
            )
        else:
            on_time += 1
    if not matters:
        result.summary = "考核期内无事项"
        result.add("✗ 考核期内无事项", url)
        return result
    result.fraction = ratio(on_time, len(matters))
    result.summary = f"事项{len(matters)}件，按期办理{on_time}件"
    return result


def satisfaction(platform: OrgNode, ctx: Context) -> MetricResult:
    """The share of rated matters of the period rated 4 or 5 (满意率)."""
    rated = list(period_matters(platform, ctx).filter(rating__isnull=False))
    satisfied = [m for m in rated if (m.rating or 0) >= 4]
    result = MetricResult(ratio(len(satisfied), len(rated)), "", url=_ledger_url(platform, ctx))
    result.summary = f"评价{len(rated)}件，满意{len(satisfied)}件" if rated else "考核期内无群众评价"
    for matter in rated:
        mark = "✓" if (matter.rating or 0) >= 4 else "✗"
        result.add(f"{mark} 事项#{matter.pk} 评分{matter.rating}", _matter_url(matter))
    return result


def services_per_thousand(platform: OrgNode, ctx: Context) -> MetricResult:
    """Matters of the period per thousand residents, against the indicator's target (full score at the target).
    The population is the figure the district entered for the platform (``PlatformPopulation``)."""
    from lawdesk.assessment.models import PlatformPopulation

    count = period_matters(platform, ctx).count()
    target = ctx.target or Decimal(2)
    url = _ledger_url(platform, ctx)
    population = PlatformPopulation.objects.filter(node=platform).first()
    if population is None or not population.population:
        result = MetricResult(ZERO, "未登记服务人口", url=url)
        result.add(
            f"✗ 区(县)司法局未登记该平台的服务人口；考核期内事项{count}件", reverse("assessment:population")
        )
        return result
    per_thousand = (Decimal(count) * 1000 / Decimal(population.population)).quantize(Decimal("0.01"))
    result = MetricResult(
        ratio(per_thousand, target),
        f"事项{count}件 ÷ 人口{population.population}人 = 每千人{per_thousand}件",
        url=url,
    )
    result.add(f"考核期内受理事项{count}件", url)
    result.add(
        f"服务人口{population.population}人（{population.as_of:%Y-%m-%d}）；目标每千人{target}件",
        reverse("assessment:population"),
    )
    return result


def leader_window(platform: OrgNode, ctx: Context) -> MetricResult:
    """局长驻窗口: the weeks of the period (ended by the cut-off) in which the district's leader met the two hours."""
    from lawdesk.leaderwindow.draw import week_monday
    from lawdesk.leaderwindow.selectors import Status, compliance_board

    url = reverse("leaderwindow:board")
    district = district_of(platform)
    if district is None:
        return MetricResult(ONE, "不属于区(县)，不适用", url=url)
    weeks = []
    monday = week_monday(ctx.start)
    while monday + datetime.timedelta(days=6) <= ctx.cut_off:
        weeks.append(monday)
        monday += datetime.timedelta(weeks=1)
    now = _end_of(ctx.cut_off)
    rows = compliance_board(districts=[district], weeks=weeks, now=now) if weeks else [[]]
    counted = [c for c in rows[0] if c.status not in (Status.EXEMPT, Status.PENDING)]
    met = [c for c in counted if c.status == Status.MET]
    result = MetricResult(
        ratio(len(met), len(counted)), f"{district.name}：应驻窗口{len(counted)}周，达标{len(met)}周", url=url
    )
    for cell in counted:
        mark = "✓" if cell.status == Status.MET else "✗"
        result.add(f"{mark} {cell.week_start:%Y-%m-%d}当周：{cell.label}", url)
    if not counted:
        result.add("✗ 考核期内无完整的驻窗口周", url)
    return result


def poverty_area(platform: OrgNode, ctx: Context) -> MetricResult:
    """脱贫攻坚专项: the poor villages this platform serves that had a service in the period (full when it serves
    none: not applicable)."""
    from lawdesk.outreach.models import PoorVillage, PovertyService

    url = reverse("outreach:board")
    villages = list(PoorVillage.objects.filter(station=platform, active=True).order_by("region_code"))
    if not villages:
        result = MetricResult(ONE, "无在册贫困村，不适用", url=url)
        result.add("该平台无在册贫困村", url)
        return result
    served = set(
        PovertyService.objects.filter(
            village__in=villages, date__gte=ctx.start, date__lte=ctx.cut_off
        ).values_list("village_id", flat=True)
    )
    result = MetricResult(
        ratio(len(served), len(villages)), f"贫困村{len(villages)}个，已服务{len(served)}个", url=url
    )
    for village in villages:
        result.add(("✓ " if village.pk in served else "✗ 未服务：") + village.name, url)
    return result


# --- metrics of judicial offices and district bureaus (五(二)4, 七(九)) ---------------------------------------------


def _months_due(ctx: Context) -> list[tuple[int, int]]:
    """The reporting months whose report falls due in the period: due in month D (the month after), for every D
    from the start's month to the cut-off's (that one only when the cut-off is its last day)."""
    months = []
    year, month = ctx.start.year, ctx.start.month
    last = (ctx.cut_off + datetime.timedelta(days=1)).day == 1
    while (year, month) < (ctx.cut_off.year, ctx.cut_off.month) or (
        (year, month) == (ctx.cut_off.year, ctx.cut_off.month) and last
    ):
        months.append((year - 1, 12) if month == 1 else (year, month - 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def report_on_time(unit: OrgNode, ctx: Context) -> MetricResult:
    """七(八): the unit's own monthly reports falling due in the period, submitted by their deadline (the 司法所
    by the 25th, the district by the 29th). Read from the statistics app's records (``MonthlyReport``)."""
    from django.apps import apps

    report_model = apps.get_model("stats", "MonthlyReport")
    months = _months_due(ctx)
    records = {(r.year, r.month): r for r in report_model.objects.filter(node=unit)}
    result = MetricResult(ZERO, "", url=reverse("stats:index"))
    on_time = 0
    for year, month in months:
        url = reverse("stats:report", args=[unit.pk, f"{year:04d}-{month:02d}"])
        record = records.get((year, month))
        submitted = record is not None and record.submitted_at is not None
        if record is not None and submitted and not record.late:
            on_time += 1
            result.add(f"✓ {year}年{month}月月报按期报送", url)
        elif submitted:
            result.add(f"✗ {year}年{month}月月报逾期报送", url)
        else:
            result.add(f"✗ {year}年{month}月月报未报送", url)
    if not months:
        result.fraction = ONE
        result.summary = "考核期内无到期月报"
        return result
    result.fraction = ratio(on_time, len(months))
    result.summary = f"到期月报{len(months)}期，按期报送{on_time}期"
    if months:
        y, m = months[-1]
        result.url = reverse("stats:report", args=[unit.pk, f"{y:04d}-{m:02d}"])
    return result


def complaint_handling(unit: OrgNode, ctx: Context) -> MetricResult:
    """七(一)6 群众投诉登记本: complaints taken in the unit's area in the period that met every deadline falling due
    by the cut-off."""
    from lawdesk.matters.models import Matter

    complaints = list(
        Matter.objects.filter(
            subtree_q(unit.path, "node__"), kind="complaint",
            visit__received_at__gte=_start_of(ctx.start), visit__received_at__lt=_end_of(ctx.cut_off),
        ).order_by("visit__received_at", "id")
    )  # fmt: skip
    result = MetricResult(ONE, "", url=reverse("complaints:list"))
    if not complaints:
        result.summary = "考核期内无投诉"
        return result
    on_time = 0
    for matter in complaints:
        late = _late(matter, ctx.cut_off)
        if late:
            result.add(f"✗ 投诉#{matter.pk}：" + "；".join(late), _matter_url(matter))
        else:
            on_time += 1
            result.add(f"✓ 投诉#{matter.pk} 按期办理", _matter_url(matter))
    result.fraction = ratio(on_time, len(complaints))
    result.summary = f"投诉{len(complaints)}件，按期办理{on_time}件"
    return result


def platform_average(unit: OrgNode, ctx: Context) -> MetricResult:
    """The average score of the unit's platforms in the latest published platform round with a cut-off in the
    period (of whoever organised it: the district's quarter or the city's half year)."""
    from lawdesk.assessment.models import Round, RoundEntry

    round_ = (
        Round.objects.filter(
            unit_kind="platform", status="published", cut_off__gte=ctx.start, cut_off__lte=ctx.cut_off,
            entries__platform__path__startswith=unit.path,
        )
        .distinct()
        .order_by("-cut_off", "-id")
        .first()
    )  # fmt: skip
    if round_ is None:
        return MetricResult(ZERO, "考核期内所辖平台无已发布的考核", url=reverse("assessment:index"))
    entries = list(
        RoundEntry.objects.filter(subtree_q(unit.path, "platform__"), round=round_, total__isnull=False)
        .select_related("platform")
        .order_by("rank")
    )
    url = reverse("assessment:round", args=[round_.pk])
    average = sum((e.total or ZERO for e in entries), ZERO) / len(entries) if entries else ZERO
    result = MetricResult(
        ratio(average, Decimal(100)), f"“{round_.title}”所辖{len(entries)}个平台平均{average:.2f}分", url=url
    )
    for entry in entries:
        result.add(
            f"{entry.platform.name} {entry.total:.2f}分",
            reverse("assessment:entry", args=[round_.pk, entry.pk]),
        )
    return result


def rectification_on_time(unit: OrgNode, ctx: Context) -> MetricResult:
    """八(三): rectification tasks of the unit's platforms due in the period, verified by their deadline."""
    from lawdesk.assessment.models import Rectification

    tasks = list(
        Rectification.objects.filter(
            subtree_q(unit.path, "platform__"), deadline__gte=ctx.start, deadline__lte=ctx.cut_off
        ).select_related("platform").order_by("deadline", "id")
    )  # fmt: skip
    result = MetricResult(ONE, "考核期内无到期整改任务", url=reverse("assessment:rectifications"))
    if not tasks:
        return result
    done = 0
    for task in tasks:
        url = reverse("assessment:rectification", args=[task.pk])
        closed = task.closed_at is not None and timezone.localdate(task.closed_at) <= task.deadline
        done += closed
        result.add(f"{'✓' if closed else '✗'} {task.platform.name}：期限{task.deadline:%Y-%m-%d}", url)
    result.fraction = ratio(done, len(tasks))
    result.summary = f"到期整改{len(tasks)}项，按期验收{done}项"
    return result


def district_rounds(unit: OrgNode, ctx: Context) -> MetricResult:
    """五(二)4, 七(九): the district assesses its platforms every quarter — quarters of the period whose round the
    district published."""
    from lawdesk.assessment.models import Round

    quarters = []
    day = datetime.date(ctx.start.year, 3 * ((ctx.start.month - 1) // 3) + 1, 1)
    while day <= ctx.cut_off:
        end_month = day.month + 2
        end = datetime.date(day.year, end_month, 31 if end_month in (3, 12) else 30)
        if end <= ctx.cut_off:
            quarters.append((day, end))
        day = datetime.date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    rounds = list(Round.objects.filter(organiser=unit, status="published").order_by("cut_off"))
    result = MetricResult(ONE, "", url=reverse("assessment:index"))
    held = 0
    for start, end in quarters:
        found = next((r for r in rounds if start <= r.cut_off <= end), None)
        if found:
            held += 1
            result.add(
                f"✓ {start.year}年第{(start.month - 1) // 3 + 1}季度：{found.title}",
                reverse("assessment:round", args=[found.pk]),
            )
        else:
            result.add(f"✗ {start.year}年第{(start.month - 1) // 3 + 1}季度未组织考核")
    if not quarters:
        result.summary = "考核期内无完整季度"
        return result
    result.fraction = ratio(held, len(quarters))
    result.summary = f"{len(quarters)}个季度，组织考核{held}次"
    return result


METRICS: dict[str, tuple[str, Callable[[OrgNode, Context], MetricResult]]] = {
    "name_place": ("名称与场所信息", name_place),
    "signage": ("标识具备", signage),
    "equipment": ("设备与系统具备", equipment),
    "duty_coverage": ("值班时段覆盖率", duty_coverage),
    "staffing": ("人员与值班安排", staffing),
    "ledger_completeness": ("台帐记录完整率", ledger_completeness),
    "timeliness": ("按期办理率", timeliness),
    "satisfaction": ("群众满意率", satisfaction),
    "services_per_thousand": ("每千人服务量", services_per_thousand),
    "leader_window": ("局长驻窗口达标", leader_window),
    "poverty_area": ("贫困村服务覆盖", poverty_area),
    "report_on_time": ("月报按期报送率", report_on_time),
    "complaint_handling": ("投诉按期办理率", complaint_handling),
    "platform_average": ("所辖平台考核平均分", platform_average),
    "rectification_on_time": ("整改按期验收率", rectification_on_time),
    "district_rounds": ("季度考核组织情况", district_rounds),
}

# Which units each metric reads (a standard's automatic items must fit its unit kind).
UNIT_METRICS: dict[str, set[str]] = {
    "platform": {
        "name_place", "signage", "equipment", "duty_coverage", "staffing", "ledger_completeness", "timeliness",
        "satisfaction", "services_per_thousand", "leader_window", "poverty_area",
    },
    "office": {"report_on_time", "complaint_handling", "platform_average", "rectification_on_time"},
    "district": {
        "report_on_time", "complaint_handling", "platform_average", "rectification_on_time", "district_rounds",
        "leader_window",
    },
}  # fmt: skip


def compute(metric: str, platform: OrgNode, ctx: Context) -> MetricResult:
    entry = METRICS.get(metric)
    if entry is None:
        return MetricResult(ZERO, f"未知的自动指标“{metric}”")
    return entry[1](platform, ctx)
