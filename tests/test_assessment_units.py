"""Assessment beyond platforms (issue 19 part 3a: 五(一), 五(二)4, 七(九), 八, 九(三)) and two fixes: a platform under the
pass mark gets no star (it showed “1星”), and stations have no monthly deadline of their own unless a district
sets one (the plan, 七(八), sets the 司法所 by the 25th and the district by the 29th only)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lawdesk.assessment import pdf, services
from lawdesk.assessment.models import Method, Round, RoundKind, Score
from lawdesk.assessment.seed import PASS_MARK, ensure_default_standard
from tests.conftest import Personas, Tree, client_for

START = datetime.date(2026, 10, 1)
CUT_OFF = datetime.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def platform_round(actor: Any, organiser: Any) -> Round:
    return services.round_create(
        actor=actor, organiser=organiser, title="2026年第4季度考核", kind=RoundKind.QUARTER,
        period_start=START, cut_off=CUT_OFF, standard=ensure_default_standard(),
    )  # fmt: skip


def score_manual_zero(round_: Round, actor: Any) -> None:
    for score in Score.objects.filter(entry__round=round_, indicator__method=Method.MANUAL):
        services.score_manual(actor=actor, score=score, points=Decimal(0), notes="现场未见")


# --- star bands ----------------------------------------------------------------------------------------------


def test_stars_for_gives_no_star_under_the_pass_mark() -> None:
    bands = [["95", 5], ["90", 4], ["80", 3], ["70", 2], [str(PASS_MARK), 1]]
    assert services.stars_for(bands, Decimal("59.99")) is None
    assert services.stars_for(bands, Decimal(0)) is None
    assert services.stars_for(bands, Decimal(PASS_MARK)) == 1
    assert services.stars_for(bands, Decimal(100)) == 5
    assert services.pass_mark(bands) == Decimal(PASS_MARK)


def test_a_platform_under_the_pass_mark_is_published_with_no_star_on_page_and_report(
    tree: Tree, personas: Personas
) -> None:
    admin = personas.district_admin
    round_ = platform_round(admin, tree.district)
    services.round_collect(actor=admin, round_=round_)
    score_manual_zero(round_, admin)
    services.round_publish(actor=admin, round_=round_)
    entry = round_.entries.get(platform=tree.station_c)  # no records at all: far under the pass mark
    assert entry.total is not None and entry.total < PASS_MARK
    assert entry.stars is None

    client = client_for(admin)
    page = client.get(reverse("assessment:round", args=[round_.pk])).content.decode()
    row = page.split(f'data-testid="entry-{tree.station_c.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "无星级" in row and "★" not in row and 'data-stars="0"' in row
    assert "无星级平台" in page or "district-summary" not in page
    detail = client.get(reverse("assessment:entry", args=[round_.pk, entry.pk])).content.decode()
    assert "无星级" in detail
    html = pdf.render_html(round_, tree.district, [entry])
    assert "无星级" in html and "1星" not in html and "None星" not in html


def test_a_standard_needs_a_band_but_not_one_at_zero(personas: Personas) -> None:
    city = personas.city_admin
    draft = services.standard_new_version(actor=city, standard=ensure_default_standard())
    assert min(b.min_score for b in draft.bands.all()) == Decimal(PASS_MARK)
    services.standard_activate(actor=city, standard=draft)  # no band at 0 points is needed


# --- the stations' monthly deadline (issue 19 part 4) -----------------------------------------------------------


def _submit(actor: Any, node: Any, day: int) -> Any:
    from lawdesk.stats import services as stats

    return stats.report_submit(
        actor=actor, node=node, year=2026, month=10, confirm_missing=True, refresh=False,
        now=datetime.datetime(2026, 11, day, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
    )  # fmt: skip


def test_stations_have_no_deadline_and_are_never_overdue_unless_the_district_sets_one(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.notifications.models import Notification
    from lawdesk.stats import selectors as stats_selectors
    from lawdesk.stats import services as stats
    from lawdesk.stats.models import ReportSchedule

    october = stats_selectors.Month(2026, 10)
    assert ReportSchedule.current().station_day is None
    assert stats_selectors.due_date(tree.station_a, october) is None
    assert stats_selectors.due_date(tree.office, october) == datetime.date(2026, 11, 25)
    late_but_no_deadline = _submit(personas.clerk_a, tree.station_a, 24)
    assert late_but_no_deadline.due_on is None and not late_but_no_deadline.late
    # the office's page lists its stations with no deadline and none 逾期未报, even after the 20th
    page = client_for(personas.office_staff).get(reverse("stats:report", args=[tree.office.pk, "2026-10"]))
    assert f'data-testid="overdue-{tree.station_b.pk}"' not in page.content.decode()
    rows = {r.node.pk: r for r in stats_selectors.rollup(
        actor=personas.office_staff, node=tree.office, year=2026, month=10, today=datetime.date(2026, 11, 24),
    )}  # fmt: skip
    assert rows[tree.station_b.pk].due_on is None and not rows[tree.station_b.pk].overdue
    stats.send_report_reminders(today=datetime.date(2026, 11, 24))
    assert not Notification.objects.filter(user=personas.clerk_b, text__contains="统计月报").exists()

    # the district sets the 20th for its stations: now station B (not submitted) is overdue; the other
    # district's stations still have no deadline
    stats.station_deadline_set(actor=personas.district_admin, district=tree.district, station_day=20)
    assert stats_selectors.due_date(tree.station_b, october) == datetime.date(2026, 11, 20)
    assert stats_selectors.due_date(tree.station_d, october) is None
    rows = {r.node.pk: r for r in stats_selectors.rollup(
        actor=personas.office_staff, node=tree.office, year=2026, month=10, today=datetime.date(2026, 11, 24),
    )}  # fmt: skip
    assert rows[tree.station_b.pk].overdue
    stats.send_report_reminders(today=datetime.date(2026, 11, 24))
    assert Notification.objects.filter(user=personas.clerk_b, text__contains="已超过报送期限").exists()


def test_the_deadlines_page_lets_a_district_set_and_clear_its_stations_day(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.core.models import AuditLog
    from lawdesk.stats.models import DistrictReportSetting

    client = client_for(personas.district_admin)
    url = reverse("stats:deadlines")
    page = client.get(url).content.decode()
    assert "方案未规定服务中心(站)的报送日" in page and tree.other_district.name not in page
    client.post(url, {"district": tree.district.pk, "station_day": "18"})
    assert DistrictReportSetting.objects.get(district=tree.district).station_day == 18
    refused = client.post(url, {"district": tree.district.pk, "station_day": "27"})
    assert refused.status_code == 400 and "服务中心(站)报送日应在1到25日" in refused.content.decode()
    client.post(url, {"district": tree.district.pk, "station_day": ""})
    assert DistrictReportSetting.objects.get(district=tree.district).station_day is None
    assert AuditLog.objects.filter(action="stats.station_deadline_set").count() == 2
    # another district's admin cannot set it (the district is out of reach: 404) nor see it
    other = client_for(personas.other_district_admin)
    assert other.post(url, {"district": tree.district.pk, "station_day": "10"}).status_code == 404
    assert tree.district.name not in other.get(url).content.decode()
    # a clerk sees the deadlines but cannot set them
    clerk_page = client_for(personas.clerk_a).get(url).content.decode()
    assert 'name="station_day"' not in clerk_page
    assert (
        client_for(personas.clerk_a)
        .post(url, {"district": tree.district.pk, "station_day": "10"})
        .status_code
        == 403
    )
