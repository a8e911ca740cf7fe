"""Demo citizen ratings (质量评价) at the demo station, so the scorecards and the ranking have figures to show:
the finished matters there without a citizen's rating get one, as if given at the kiosk. Idempotent: a matter
takes one citizen rating, so a second run finds nothing to do. The hook for ``lawdesk.demo.loader``:
``loader.report.created["ratings"] = load_quality_demo(station=station)`` after the station's visits."""

from __future__ import annotations

from django.db import transaction

from lawdesk.core.audit import audit
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter
from lawdesk.orgs.models import OrgNode
from lawdesk.quality.services import FINISHED_STATES, _record_citizen_rating, has_citizen_rating

DEMO_RATINGS = [(5, "解答很耐心"), (4, ""), (5, "一次就办好了"), (3, "等候时间有点长")]


def load_quality_demo(*, station: OrgNode) -> int:
    """Rate the station's finished matters that no citizen has rated yet; returns how many were rated."""
    from lawdesk.matters.models import MatterEvent

    made = 0
    # A second run rates nothing more: the demo ratings already given count against the list.
    done = MatterEvent.objects.filter(matter__node=station, code="citizen_rated", data__demo=True).count()
    candidates = Matter.objects.filter(node=station, state__in=FINISHED_STATES).order_by("pk")
    for matter in candidates:
        if done + made >= len(DEMO_RATINGS) or has_citizen_rating(matter):
            continue
        rating, comment = DEMO_RATINGS[done + made]
        with transaction.atomic():
            locked = matter_services.lock_matter(matter)
            _record_citizen_rating(
                matter=locked, rating=rating, comment=comment, via="kiosk", data={"demo": True}
            )
            audit(actor=None, action="quality.kiosk_rated", obj=locked, node=station, data={"rating": rating})
        made += 1
    return made
