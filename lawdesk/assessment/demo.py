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
