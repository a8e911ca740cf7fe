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


# --- offices and districts ----------------------------------------------------------------------------------------


def _manual(round_: Round, actor: Any, points: dict[int, Decimal] | None = None, full: bool = True) -> None:
    for score in Score.objects.filter(entry__round=round_, indicator__method=Method.MANUAL).select_related(
        "indicator", "entry"
    ):
        value = (points or {}).get(score.entry.platform_id, score.indicator.weight if full else Decimal(0))
        services.score_manual(actor=actor, score=score, points=min(value, score.indicator.weight),
                              notes="" if value >= score.indicator.weight else "检查发现不足")  # fmt: skip


def test_a_district_assesses_its_judicial_offices_with_office_metrics_that_drill_down(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.assessment.seed import ensure_unit_standards

    office_standard, _ = ensure_unit_standards()
    admin = personas.district_admin
    # a published platform round in the period feeds the offices' "platforms' average"
    platforms = platform_round(admin, tree.district)
    services.round_collect(actor=admin, round_=platforms)
    _manual(platforms, admin)
    services.round_publish(actor=admin, round_=platforms)

    round_ = services.round_create(
        actor=admin, organiser=tree.district, title="2026年第4季度司法所考核", kind=RoundKind.QUARTER,
        period_start=START, cut_off=datetime.date(2026, 12, 31), standard=office_standard,
    )  # fmt: skip
    assert round_.unit_kind == "office"
    services.round_collect(actor=admin, round_=round_)
    assert set(round_.entries.values_list("platform_id", flat=True)) == {tree.office.pk, tree.office2.pk}
    avg = Score.objects.get(
        entry__round=round_, entry__platform=tree.office, indicator__metric="platform_average"
    )
    office_entries = platforms.entries.filter(platform__path__startswith=tree.office.path)
    expected = sum(e.total or Decimal(0) for e in office_entries) / office_entries.count()
    assert all(e.total is not None for e in office_entries)
    assert f"平均{expected:.2f}分" in avg.summary and avg.drill_url == reverse(
        "assessment:round", args=[platforms.pk]
    )
    reports = Score.objects.get(
        entry__round=round_, entry__platform=tree.office, indicator__metric="report_on_time"
    )
    # reports of September, October and November fall due in the period (by the 25th of the next month): none sent
    assert reports.summary == "到期月报3期，按期报送0期" and reports.points == 0
    assert reports.drill_url == reverse("stats:report", args=[tree.office.pk, "2026-11"])
    assert all(e["url"].startswith("/desk/stats/") for e in reports.evidence)
    for score in Score.objects.filter(entry__round=round_, indicator__method="auto"):
        assert score.drill_url.startswith("/"), score.indicator.code

    _manual(round_, admin, {tree.office.pk: Decimal(20), tree.office2.pk: Decimal(0)})
    services.round_publish(actor=admin, round_=round_)
    for entry in round_.entries.all():
        assert entry.total is not None
        assert entry.stars is None and entry.grade == services.grade_for(round_, entry.total)
    page = client_for(admin).get(reverse("assessment:round", args=[round_.pk])).content.decode()
    assert "等次" in page and f'data-testid="grade-{tree.office.pk}"' in page and "无星级" not in page
    entry = round_.entries.get(platform=tree.office)
    detail = client_for(admin).get(reverse("assessment:entry", args=[round_.pk, entry.pk])).content.decode()
    assert 'data-testid="entry-grade"' in detail and "无星级" not in detail


def test_only_the_city_organises_the_annual_responsibility_assessment_of_districts(
    tree: Tree, personas: Personas
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from lawdesk.assessment.seed import ensure_unit_standards

    office_standard, district_standard = ensure_unit_standards()
    kwargs: dict[str, Any] = {"title": "2026年度责任考核", "period_start": datetime.date(2026, 1, 1),
                              "cut_off": datetime.date(2026, 12, 31)}  # fmt: skip
    with pytest.raises((ValidationError, PermissionDenied)):
        services.round_create(actor=personas.district_admin, organiser=tree.district, kind=RoundKind.ANNUAL,
                              standard=district_standard, **kwargs)  # fmt: skip
    with pytest.raises(ValidationError):  # an annual round assesses districts only
        services.round_create(actor=personas.city_admin, organiser=tree.city, kind=RoundKind.ANNUAL,
                              standard=office_standard, **kwargs)  # fmt: skip
    with pytest.raises(ValidationError):  # districts take part in the annual round only
        services.round_create(actor=personas.city_admin, organiser=tree.city, kind=RoundKind.HALF_YEAR,
                              standard=district_standard, **kwargs)  # fmt: skip
    annual = services.round_create(actor=personas.city_admin, organiser=tree.city, kind=RoundKind.ANNUAL,
                                   standard=district_standard, **kwargs)  # fmt: skip
    services.round_collect(actor=personas.city_admin, round_=annual)
    assert set(annual.entries.values_list("platform_id", flat=True)) == {
        tree.district.pk,
        tree.other_district.pk,
    }
    # a district's admin does not see the city's round
    assert (
        client_for(personas.district_admin).get(reverse("assessment:round", args=[annual.pk])).status_code
        == 404
    )


def annual_published(tree: Tree, personas: Personas) -> Round:
    """The city's annual assessment of both districts, 雁塔 full marks on site and 新城 none; the thresholds set
    between their totals so that one is 优秀 and the other 不合格."""
    from lawdesk.assessment.seed import ensure_unit_standards

    _, district_standard = ensure_unit_standards()
    city = personas.city_admin
    annual = services.round_create(
        actor=city, organiser=tree.city, title="2026年度公共法律服务责任考核", kind=RoundKind.ANNUAL,
        period_start=datetime.date(2026, 1, 1), cut_off=datetime.date(2026, 12, 31), standard=district_standard,
    )  # fmt: skip
    services.round_collect(actor=city, round_=annual)
    _manual(annual, city, {tree.other_district.pk: Decimal(0)})
    totals = {
        e.platform_id: sum((s.points or Decimal(0) for s in e.scores.all()), Decimal(0))
        for e in annual.entries.all()
    }
    assert totals[tree.district.pk] > totals[tree.other_district.pk]
    Round.objects.filter(pk=annual.pk).update(
        excellent_score=totals[tree.district.pk], pass_score=totals[tree.other_district.pk] + Decimal("0.01")
    )
    services.round_publish(actor=city, round_=annual)
    annual.refresh_from_db()
    return annual


def test_the_city_applies_its_reward_and_penalty_standards_to_a_published_annual_round(
    tree: Tree, personas: Personas
) -> None:
    from django.core.exceptions import ValidationError

    from lawdesk.assessment.models import Notice
    from lawdesk.core.models import AuditLog

    annual = annual_published(tree, personas)
    grades = {e.platform_id: e.grade for e in annual.entries.all()}
    assert grades == {tree.district.pk: "excellent", tree.other_district.pk: "fail"}
    notices = services.round_apply_rewards(actor=personas.city_admin, round_=annual)
    by_unit = {n.unit_id: n for n in notices}
    assert by_unit[tree.district.pk].measure == "commend" and by_unit[tree.district.pk].points == 2
    assert (
        by_unit[tree.other_district.pk].measure == "criticise"
        and by_unit[tree.other_district.pk].points == -2
    )
    assert (
        "等次优秀" in by_unit[tree.district.pk].text
        and "督促限期整改" in by_unit[tree.other_district.pk].text
    )
    # applying again issues nothing twice
    assert services.round_apply_rewards(actor=personas.city_admin, round_=annual) == []
    assert Notice.objects.count() == 2
    assert AuditLog.objects.filter(action="assessment.notices_publish").count() == 2
    # a district admin cannot apply them to the city's round
    with pytest.raises((ValidationError, Exception)):
        services.round_apply_rewards(actor=personas.district_admin, round_=annual)

    # the notices page: each district sees its own notice, the city both
    url = reverse("assessment:notices")
    own = client_for(personas.district_admin).get(url).content.decode()
    assert tree.district.name in own and tree.other_district.name not in own and "tag measure-commend" in own
    other = client_for(personas.other_district_admin).get(url).content.decode()
    assert (
        tree.other_district.name in other
        and tree.district.name not in other
        and "tag measure-criticise" in other
    )
    city = client_for(personas.city_admin)
    page = city.get(url + f"?round={annual.pk}").content.decode()
    assert tree.district.name in page and tree.other_district.name in page
    # a clerk of a station sees neither (notices are for the unit concerned and above)
    assert 'data-testid="no-notices"' in client_for(personas.clerk_a).get(url).content.decode()

    # exports: Excel lists the notices the actor sees; PDF too; both audited as exports
    workbook = city.get(reverse("assessment:notices_xlsx"))
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith("application/vnd.openxml")
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "通报编号" and {r[1] for r in rows[1:]} == {"通报表扬", "通报批评"}
    own_xlsx = client_for(personas.district_admin).get(reverse("assessment:notices_xlsx"))
    own_sheet = openpyxl.load_workbook(io.BytesIO(own_xlsx.content)).active
    assert own_sheet is not None and own_sheet.max_row == 2
    pdf_response = city.get(reverse("assessment:notices_pdf"))
    assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")
    assert AuditLog.objects.filter(action="export").count() >= 3


def test_the_rules_page_lets_only_the_city_set_a_reward_or_penalty_standard(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.assessment.models import RewardRule
    from lawdesk.assessment.seed import ensure_unit_standards

    ensure_unit_standards()
    before = RewardRule.objects.count()
    url = reverse("assessment:rules")
    form = {"name": "三星以上平台通报表扬", "unit_kind": "platform", "measure": "commend", "grade": "",
            "min_total": "80", "max_total": "", "points": "0", "wording": "成绩突出，予以通报表扬。"}  # fmt: skip
    assert client_for(personas.district_admin).post(url, form).status_code == 403
    assert 'data-testid="rule-form"' not in client_for(personas.district_admin).get(url).content.decode()
    refused = client_for(personas.city_admin).post(url, {**form, "min_total": "", "grade": ""})
    assert refused.status_code == 400 and "请设定等次条件或得分条件" in refused.content.decode()
    client_for(personas.city_admin).post(url, form)
    assert RewardRule.objects.count() == before + 1
    assert "三星以上平台通报表扬" in client_for(personas.clerk_a).get(url).content.decode()


def test_another_organisations_user_is_refused_the_round_rewards_and_sees_no_notices(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.assessment.models import Notice

    admin = personas.district_admin
    round_ = platform_round(admin, tree.district)
    services.round_collect(actor=admin, round_=round_)
    score_manual_zero(round_, admin)
    services.round_publish(actor=admin, round_=round_)
    from lawdesk.assessment.seed import ensure_unit_standards

    ensure_unit_standards()  # the default rules: platforms under the pass mark are criticised
    other = client_for(personas.other_district_admin)
    assert other.post(reverse("assessment:round_rewards", args=[round_.pk])).status_code == 404
    assert not Notice.objects.exists()
    client_for(admin).post(reverse("assessment:round_rewards", args=[round_.pk]))
    assert Notice.objects.filter(round=round_, measure="criticise").exists()
    for url in (reverse("assessment:notices"), reverse("assessment:notices_xlsx")):
        body = other.get(url).content
        assert tree.station_c.name.encode() not in body


def test_the_demo_publishes_an_office_round_and_an_annual_assessment_with_one_commendation_and_one_criticism(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.assessment.demo import load_unit_assessment_demo
    from lawdesk.assessment.models import Notice

    assert (
        load_unit_assessment_demo(city=tree.city, district=tree.district, today=datetime.date(2026, 11, 20))
        == 2
    )
    office_round = Round.objects.get(organiser=tree.district, unit_kind="office")
    assert office_round.status == "published"
    annual = Round.objects.get(organiser=tree.city, kind=RoundKind.ANNUAL)
    assert annual.status == "published" and annual.title == "2025年度公共法律服务责任考核"
    notices = {n.unit_id: n.measure for n in Notice.objects.filter(round=annual)}
    assert notices == {tree.district.pk: "commend", tree.other_district.pk: "criticise"}
    # a second run creates nothing
    assert (
        load_unit_assessment_demo(city=tree.city, district=tree.district, today=datetime.date(2026, 11, 20))
        == 0
    )
    assert Notice.objects.count() == 2


def test_the_city_sets_a_district_standards_grade_thresholds_on_a_new_version(personas: Personas) -> None:
    from lawdesk.assessment.seed import ensure_unit_standards

    _, district_standard = ensure_unit_standards()
    city = personas.city_admin
    draft = services.standard_new_version(actor=city, standard=district_standard)
    assert draft.unit_kind == "district"
    client = client_for(city)
    url = reverse("assessment:standard", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="grades"' in page and 'data-testid="bands"' not in page
    form = {f"weight_{i.pk}": str(i.weight) for i in draft.indicators.filter(parent__isnull=False)}
    refused = client.post(url, {**form, "action": "save", "excellent_score": "50", "pass_score": "60"})
    assert refused.status_code == 400 and "合格最低得分 &lt; 优秀最低得分" in refused.content.decode()
    client.post(url, {**form, "action": "save", "excellent_score": "85", "pass_score": "65"})
    draft.refresh_from_db()
    assert (draft.excellent_score, draft.pass_score) == (Decimal(85), Decimal(65))
    client.post(url, {"action": "activate"})
    draft.refresh_from_db()
    assert draft.status == "active"  # a district standard needs no star bands
