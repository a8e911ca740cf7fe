"""Demo data of the star rating (idempotent): residents per platform of a district, and last quarter's district
round scored and published, with one rectification open at station ``station`` — so the results, stars,
drill-downs, the PDF and the rectification page have something to show.

Hook (integrator): ``load_assessment_demo(district=district, station=station)`` in ``lawdesk/demo/loader.py``
after the stats demo, with 雁塔区司法局 and 小寨路街道公共法律服务站."""

from __future__ import annotations

import datetime
from decimal import Decimal

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.assessment import services
from lawdesk.assessment.models import Method, PlatformPopulation, Round, RoundKind, Score
from lawdesk.assessment.seed import ensure_default_standard
from lawdesk.core import clock
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import PLATFORM_KINDS

DEMO_POPULATION = 8000
DEMO_NOTES = {"A2": "调解室与接待区未分隔", "E3": "一次性告知制度未上墙"}


def _previous_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)
    start = datetime.date(end.year, end.month - 2, 1)
    return start, end, f"{end.year}年第{(end.month - 1) // 3 + 1}季度平台考核"


def load_assessment_demo(*, district: OrgNode, station: OrgNode, today: datetime.date | None = None) -> int:
    """Returns how many rounds it created (0 on a second run)."""
    today = today or clock.today()
    admin = scoping.users_holding(Role.DISTRICT_ADMIN, at=district).order_by("pk").first()
    if admin is None:
        return 0
    standard = ensure_default_standard()
    platforms = OrgNode.objects.filter(subtree_q(district.path), kind__in=PLATFORM_KINDS, is_active=True)
    for platform in platforms:
        if not PlatformPopulation.objects.filter(node=platform).exists():
            services.population_set(
                actor=admin, node=platform, population=DEMO_POPULATION, as_of=datetime.date(today.year, 1, 1)
            )
    start, end, title = _previous_quarter(today)
    if Round.objects.filter(organiser=district, title=title).exists():
        return 0
    round_ = services.round_create(
        actor=admin, organiser=district, title=title, kind=RoundKind.QUARTER, period_start=start, cut_off=end,
        standard=standard,
    )  # fmt: skip
    services.round_collect(actor=admin, round_=round_)
    for score in Score.objects.filter(entry__round=round_, indicator__method=Method.MANUAL).select_related(
        "indicator", "entry"
    ):
        note = DEMO_NOTES.get(score.indicator.code, "") if score.entry.platform_id == station.pk else ""
        points = score.indicator.weight / 2 if note else score.indicator.weight
        services.score_manual(actor=admin, score=score, points=Decimal(points), notes=note)
    services.round_publish(actor=admin, round_=round_)
    owner = services.owner_candidates(station)
    finding = Score.objects.filter(entry__round=round_, entry__platform=station, indicator__code="A2").first()
    if owner and finding is not None:
        services.rectification_create(
            actor=admin, score=finding, owner=owner[0], deadline=today + datetime.timedelta(days=20),
            description="设置独立调解室，与接待区分隔，并上传照片。", today=today,
        )  # fmt: skip
    return 1


def load_unit_assessment_demo(*, city: OrgNode, district: OrgNode, today: datetime.date | None = None) -> int:
    """An office round of the district (last quarter, published) and the city's annual responsibility assessment
    of the districts for last year, published, with the city's reward/penalty standards applied: 雁塔 (full
    marks on site) is 优秀 and commended, the next district (none on site) 不合格 and criticised. The plan sets
    no grade thresholds: the demo's city sets them on a new version of the standard between the districts'
    results. Returns how many rounds it created (0 on a second run)."""
    from lawdesk.assessment import metrics
    from lawdesk.assessment.seed import ensure_unit_standards

    today = today or clock.today()
    admin = scoping.users_holding(Role.DISTRICT_ADMIN, at=district).order_by("pk").first()
    city_admin = scoping.users_holding(Role.CITY_ADMIN, at=city).order_by("pk").first()
    if admin is None or city_admin is None:
        return 0
    office_standard, district_standard = ensure_unit_standards()
    created = 0
    start, end, _ = _previous_quarter(today)
    title = f"{end.year}年第{(end.month - 1) // 3 + 1}季度司法所考核"
    if not Round.objects.filter(organiser=district, title=title).exists():
        round_ = services.round_create(
            actor=admin, organiser=district, title=title, kind=RoundKind.QUARTER, period_start=start, cut_off=end,
            standard=office_standard,
        )  # fmt: skip
        services.round_collect(actor=admin, round_=round_)
        for score in Score.objects.filter(
            entry__round=round_, indicator__method=Method.MANUAL
        ).select_related("indicator"):
            services.score_manual(actor=admin, score=score, points=score.indicator.weight, notes="")
        services.round_publish(actor=admin, round_=round_)
        created += 1

    year = today.year - 1
    title = f"{year}年度公共法律服务责任考核"
    if Round.objects.filter(organiser=city, title=title).exists():
        return created
    period = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    districts = list(
        OrgNode.objects.filter(subtree_q(city.path), kind="district_bureau", is_active=True).order_by("path")
    )
    others = [d for d in districts if d.pk != district.pk]
    if not others:
        return created
    criticised = others[0]
    items = list(district_standard.indicators.filter(parent__isnull=False))
    manual_weight = sum((i.weight for i in items if i.method == Method.MANUAL), Decimal(0))
    ctx = metrics.Context(*period)

    def auto_total(unit: OrgNode) -> Decimal:
        return sum(
            (
                i.weight * metrics.compute(i.metric, unit, ctx).fraction
                for i in items
                if i.method == Method.AUTO
            ),
            Decimal(0),
        )

    # 雁塔 full marks on site, the criticised district none, the others half: the thresholds fall between them
    share = {district.pk: Decimal(1), criticised.pk: Decimal(0)}
    totals = {d.pk: auto_total(d) + manual_weight * share.get(d.pk, Decimal("0.5")) for d in districts}
    middle = [totals[d.pk] for d in others[1:]]
    excellent = min(Decimal(90), totals[district.pk]).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
    passing = min([totals[criticised.pk] + 1, *middle, excellent - 1]).quantize(
        Decimal("0.01"), rounding="ROUND_FLOOR"
    )
    if not totals[criticised.pk] < passing < excellent:
        return created
    draft = services.standard_new_version(actor=city_admin, standard=district_standard)
    services.standard_update(actor=city_admin, standard=draft, weights={}, bands={}, excellent_score=excellent,
                             pass_score=passing)  # fmt: skip
    services.standard_activate(actor=city_admin, standard=draft)
    annual = services.round_create(
        actor=city_admin, organiser=city, title=title, kind=RoundKind.ANNUAL, period_start=period[0],
        cut_off=period[1], standard=draft,
    )  # fmt: skip
    services.round_collect(actor=city_admin, round_=annual)
    for score in Score.objects.filter(entry__round=annual, indicator__method=Method.MANUAL).select_related(
        "indicator", "entry"
    ):
        fraction = share.get(score.entry.platform_id, Decimal("0.5"))
        points = (score.indicator.weight * fraction).quantize(Decimal("0.01"))
        note = "" if points == score.indicator.weight else "检查发现：建设方案落实不到位，督导检查记录不全"
        services.score_manual(actor=city_admin, score=score, points=points, notes=note)
    services.round_publish(actor=city_admin, round_=annual)
    services.round_apply_rewards(actor=city_admin, round_=annual)
    return created + 1
