"""The city bureau's divisions (对口负责, 五(一)): problems found in the records — an overdue monthly report, an
assessment indicator under the pass mark, an upheld complaint — are traced (倒查) to the division of their area,
listed on the city board and the division's page, and a 督办 is recorded once; and the construction timetable
(八): the city plans, a district reports only its own, lagging stages are shown and exported."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.accounts.models import Role
from lawdesk.assessment.models import Method, Round, RoundEntry, RoundIndicator, RoundStatus, Score
from lawdesk.assessment.seed import ensure_default_standard
from lawdesk.bureau import selectors, services
from lawdesk.bureau.models import Area, Division, Milestone, Stage, Supervision
from lawdesk.core import clock
from lawdesk.core.models import AuditLog
from lawdesk.matters.models import MatterKind
from lawdesk.quality import services as quality
from lawdesk.stats import services as stats
from tests.builders import build, build_world
from tests.conftest import Personas, Tree, client_for, make_user

D = datetime.date


def divisions(personas: Personas) -> dict[str, Division]:
    admin = personas.city_admin
    return {
        "stats": services.division_create(
            actor=admin, name="办公室（统计）", areas=[Area.STATISTICS], head="王主任"
        ),
        "platform": services.division_create(
            actor=admin,
            name="公共法律服务管理处",
            areas=[Area.PLATFORM, Area.COMPLAINTS],
            head="李处长",
            contact="029-86660001",
        ),
        "legal_aid": services.division_create(
            actor=admin, name="法律援助处", areas=[Area.LEGAL_AID], head="赵处长"
        ),
    }


def failing_score(
    tree: Tree, personas: Personas, *, name: str = "法律援助案件质量", fraction: str = "0.5"
) -> Score:
    """A published round of the district with one indicator of station A under the pass mark."""
    round_ = Round.objects.create(
        organiser=tree.district, title="2026年第3季度考核", kind="quarter", period_start=D(2026, 7, 1),
        cut_off=D(2026, 9, 30), standard=ensure_default_standard(), status=RoundStatus.PUBLISHED,
        created_by=personas.district_admin,
    )  # fmt: skip
    item = RoundIndicator.objects.create(
        round=round_, code="X1", name=name, weight=Decimal(10), method=Method.MANUAL
    )
    entry = RoundEntry.objects.create(round=round_, platform=tree.station_a)
    return Score.objects.create(entry=entry, indicator=item, fraction=Decimal(fraction), points=Decimal(5))


# --- the divisions ---------------------------------------------------------------------------------------------


def test_the_city_admin_records_divisions_and_an_area_has_one_division(personas: Personas) -> None:
    made = divisions(personas)
    assert made["platform"].area_labels == ["平台建设", "投诉"]
    with pytest.raises(ValidationError) as caught:
        services.division_create(
            actor=personas.city_admin, name="律师工作管理处", areas=[Area.LEGAL_AID], head="钱"
        )
    assert "法律援助已由法律援助处对口负责" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.division_create(
            actor=personas.city_admin, name="法律援助处", areas=[Area.LAWYERS], head="钱"
        )
    assert "已有名为“法律援助处”的处(室)" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.division_create(actor=personas.city_admin, name="律师工作管理处", areas=[], head="")
    assert "请填写负责人" in str(caught.value) and "请至少选择一个对口负责领域" in str(caught.value)
    # A stopped division frees its areas.
    services.division_update(actor=personas.city_admin, division=made["legal_aid"], name="法律援助处",
                             areas=[Area.LEGAL_AID], head="赵处长", is_active=False)  # fmt: skip
    lawyers = services.division_create(
        actor=personas.city_admin, name="律师工作管理处", areas=[Area.LEGAL_AID], head="钱"
    )
    assert selectors.area_owners()[Area.LEGAL_AID] == lawyers


def test_only_the_city_admin_manages_divisions(personas: Personas) -> None:
    for actor in (personas.district_admin, personas.leader, personas.auditor, personas.clerk_a):
        with pytest.raises(PermissionDenied):
            services.division_create(actor=actor, name="政治部", areas=[Area.STAFF], head="孙")
    assert not Division.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="bureau.").exists()


# --- 倒查: tracing problems to divisions -----------------------------------------------------------------------


def test_an_overdue_monthly_report_is_traced_to_the_statistics_division(
    tree: Tree, personas: Personas
) -> None:
    made = divisions(personas)
    today = clock.today()  # 2026-12-08: October's reports were due in November
    keys = {p.key for p in selectors.problems_of(made["stats"], today)}
    assert f"report:{tree.district.pk}:2026-10" in keys
    # The plan sets stations no deadline (七(八)): a station's report is never overdue until its district sets one.
    assert f"report:{tree.station_a.pk}:2026-10" not in keys
    stats.station_deadline_set(actor=personas.district_admin, district=tree.district, station_day=20)
    keys = {p.key for p in selectors.problems_of(made["stats"], today)}
    assert f"report:{tree.station_a.pk}:2026-10" in keys
    # November's are not due yet (the station's deadline is the 20th).
    assert f"report:{tree.station_a.pk}:2026-11" not in keys
    # A submitted report is no longer a problem.
    stats.report_submit(actor=personas.clerk_a, node=tree.station_a, year=2026, month=10)
    keys = {p.key for p in selectors.problems_of(made["stats"], today)}
    assert f"report:{tree.station_a.pk}:2026-10" not in keys
    assert all(p.area == Area.STATISTICS for p in selectors.problems_of(made["stats"], today))


def test_a_failed_indicator_is_traced_by_its_area_and_a_passed_one_is_not(
    tree: Tree, personas: Personas
) -> None:
    made = divisions(personas)
    failed = failing_score(tree, personas)
    today = clock.today()
    legal_aid = selectors.problems_of(made["legal_aid"], today)
    assert [p.key for p in legal_aid] == [f"score:{failed.pk}"]
    assert legal_aid[0].url == reverse("assessment:score", args=[failed.pk])
    assert "未达标" in legal_aid[0].title and "50%" in legal_aid[0].detail
    failed.fraction = Decimal("0.6")  # at the pass mark
    failed.save()
    assert selectors.problems_of(made["legal_aid"], today) == []


def test_indicator_areas_follow_the_metric_then_the_words() -> None:
    assert selectors.indicator_area("poverty_area", "脱贫攻坚") == Area.OUTREACH
    assert selectors.indicator_area("", "人民调解工作") == Area.MEDIATION
    assert selectors.indicator_area("", "其他", "法律援助") == Area.LEGAL_AID
    assert selectors.indicator_area("signage", "标识标牌") == Area.PLATFORM


def test_an_upheld_complaint_is_traced_and_an_unfounded_one_is_not(tree: Tree, personas: Personas) -> None:
    made = divisions(personas)
    world = build_world(tree, personas)
    upheld = build(world, MatterKind.COMPLAINT, "answered")
    unfounded = build(world, MatterKind.COMPLAINT, "answered")
    quality.complaint_finding_record(actor=personas.office_staff, matter=upheld, upheld=True, note="查实")
    quality.complaint_finding_record(actor=personas.office_staff, matter=unfounded, upheld=False)
    keys = [p.key for p in selectors.problems_of(made["platform"], clock.today()) if p.kind == "complaint"]
    assert keys == [f"complaint:{upheld.pk}"]


def test_a_problem_of_an_area_nobody_answers_for_is_listed_apart(tree: Tree, personas: Personas) -> None:
    divisions(personas)
    failing_score(tree, personas, name="社区矫正衔接")
    rows = selectors.board(clock.today())
    orphan = rows[-1]
    assert orphan.division is None and [p.area for p in orphan.problems] == [Area.CORRECTION]


def test_the_board_counts_problems_by_division_and_drills_down(tree: Tree, personas: Personas) -> None:
    made = divisions(personas)
    failed = failing_score(tree, personas)
    client = client_for(personas.city_admin)
    page = client.get(reverse("bureau:board"))
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r.division == made["legal_aid"])
    assert row.counts == {"report": 0, "score": 1, "complaint": 0} and row.total == 1
    html = page.content.decode()
    assert f"{reverse('bureau:division', args=[made['legal_aid'].pk])}?kind=score" in html
    detail = client.get(reverse("bureau:division", args=[made["legal_aid"].pk]), {"kind": "score"})
    assert reverse("assessment:score", args=[failed.pk]) in detail.content.decode()
    # The city's leader reads the board too.
    city_leader = make_user("city_leader", Role.LEADER, tree.city)
    assert client_for(city_leader).get(reverse("bureau:board")).status_code == 200


def test_supervising_records_once_and_only_a_problem_of_the_division(tree: Tree, personas: Personas) -> None:
    made = divisions(personas)
    failed = failing_score(tree, personas)
    with pytest.raises(ValidationError) as caught:
        services.supervise(actor=personas.city_admin, division=made["stats"], problem_key=f"score:{failed.pk}",
                           note="限期整改")  # fmt: skip
    assert "不属于本处(室)对口负责" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.supervise(actor=personas.city_admin, division=made["legal_aid"], problem_key=f"score:{failed.pk}",
                           note=" ")  # fmt: skip
    assert "请填写督办意见" in str(caught.value)
    with pytest.raises(PermissionDenied):
        services.supervise(actor=personas.district_admin, division=made["legal_aid"],
                           problem_key=f"score:{failed.pk}", note="限期整改")  # fmt: skip
    client = client_for(personas.city_admin)
    url = reverse("bureau:supervise", args=[made["legal_aid"].pk])
    response = client.post(url, {"problem_key": f"score:{failed.pk}", "note": "请于本月底前督促整改"})
    assert response.status_code == 302
    record = Supervision.objects.get()
    assert record.division == made["legal_aid"] and record.by == personas.city_admin
    rows = AuditLog.objects.filter(action="bureau.supervise")
    assert rows.count() == 1 and rows.get().object_id == str(record.pk)
    page = client.get(reverse("bureau:division", args=[made["legal_aid"].pk]))
    assert "请于本月底前督促整改" in page.content.decode()


def test_division_staff_see_their_division_only_and_others_get_404(tree: Tree, personas: Personas) -> None:
    made = divisions(personas)
    staffer = make_user("aid_staffer", Role.AUDITOR, tree.city)
    services.division_update(actor=personas.city_admin, division=made["legal_aid"], name="法律援助处",
                             areas=[Area.LEGAL_AID], head="赵处长", staff=[staffer])  # fmt: skip
    client = client_for(staffer)
    assert client.get(reverse("bureau:division", args=[made["legal_aid"].pk])).status_code == 200
    assert client.get(reverse("bureau:division", args=[made["stats"].pk])).status_code == 404
    board = client.get(reverse("bureau:board"))
    assert [r.division for r in board.context["rows"]] == [made["legal_aid"]]
    assert client.get(reverse("bureau:division_edit", args=[made["legal_aid"].pk])).status_code == 404
    for persona in (
        personas.district_admin,
        personas.leader,
        personas.clerk_a,
        personas.other_district_admin,
    ):
        other = client_for(persona)
        assert other.get(reverse("bureau:board")).status_code == 404
        assert other.get(reverse("bureau:division", args=[made["stats"].pk])).status_code == 404
        assert other.get(reverse("bureau:division_new")).status_code == 404
        assert other.post(reverse("bureau:supervise", args=[made["stats"].pk]),
                          {"problem_key": "x", "note": "x"}).status_code == 404  # fmt: skip


def test_the_division_form_shows_chinese_errors_and_saves(personas: Personas) -> None:
    client = client_for(personas.city_admin)
    bad = client.post(reverse("bureau:division_new"), {"name": "", "head": ""})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "请填写处(室)名称" in text and "请至少选择一个对口负责领域" in text
    good = client.post(
        reverse("bureau:division_new"),
        {"name": "社区矫正管理处", "areas": [Area.CORRECTION], "head": "周处长", "is_active": "on"},
    )
    division = Division.objects.get(name="社区矫正管理处")
    assert good.status_code == 302 and division.areas == [Area.CORRECTION]
    assert AuditLog.objects.filter(action="bureau.division_create", object_id=str(division.pk)).count() == 1


# --- the construction timetable ---------------------------------------------------------------------------------

PLAN: dict[str, datetime.date] = {
    Stage.SURVEY: D(2026, 10, 20),
    Stage.OPENING: D(2026, 11, 30),
    Stage.INSPECTION: D(2027, 1, 10),
}


def test_the_city_plans_and_a_district_reports_its_own_progress(tree: Tree, personas: Personas) -> None:
    services.milestone_plan(actor=personas.city_admin, district=tree.district, planned=PLAN)
    services.milestone_plan(actor=personas.city_admin, district=tree.other_district, planned=PLAN)
    with pytest.raises(PermissionDenied):
        services.milestone_plan(actor=personas.district_admin, district=tree.district, planned=PLAN)
    survey = Milestone.objects.get(district=tree.district, stage=Stage.SURVEY)
    done = services.milestone_report(actor=personas.district_admin, milestone=survey, progress=100,
                                     actual_on=D(2026, 10, 18), note="摸底完成")  # fmt: skip
    assert done.actual_on == D(2026, 10, 18) and done.updated_by == personas.district_admin
    other = Milestone.objects.get(district=tree.other_district, stage=Stage.SURVEY)
    for outsider in (personas.district_admin, personas.leader, personas.office_staff):
        with pytest.raises(PermissionDenied):
            services.milestone_report(actor=outsider, milestone=other, progress=50)
    services.milestone_report(actor=personas.city_admin, milestone=other, progress=40, note="市局代为登记")


def test_the_timetable_rules_give_chinese_messages(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.milestone_plan(actor=personas.city_admin, district=tree.district,
                                planned={Stage.SURVEY: D(2026, 12, 1), Stage.OPENING: D(2026, 11, 1)})  # fmt: skip
    assert "建设开通的计划日期不能早于调查摸底" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.milestone_plan(
            actor=personas.city_admin, district=tree.office, planned={Stage.SURVEY: D(2026, 12, 1)}
        )
    assert "只下达给区(县)司法局" in str(caught.value)
    (survey, *_rest) = services.milestone_plan(
        actor=personas.city_admin, district=tree.district, planned=PLAN
    )
    with pytest.raises(ValidationError) as caught:
        services.milestone_report(
            actor=personas.district_admin, milestone=survey, progress=80, actual_on=D(2026, 10, 1)
        )
    assert "进度应为100%" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.milestone_report(actor=personas.district_admin, milestone=survey, progress=100,
                                  actual_on=clock.today() + datetime.timedelta(days=1))  # fmt: skip
    assert "不能晚于今天" in str(caught.value)
    client = client_for(personas.district_admin)
    bad = client.post(reverse("bureau:milestone", args=[survey.pk]), {"progress": "120"})
    assert bad.status_code == 400 and "进度应在0到100之间" in bad.content.decode()


def test_the_timetable_board_shows_what_lags_and_exports_it(tree: Tree, personas: Personas) -> None:
    services.milestone_plan(actor=personas.city_admin, district=tree.district, planned=PLAN)
    services.milestone_plan(actor=personas.city_admin, district=tree.other_district, planned=PLAN)
    survey = Milestone.objects.get(district=tree.district, stage=Stage.SURVEY)
    services.milestone_report(
        actor=personas.district_admin, milestone=survey, progress=100, actual_on=D(2026, 10, 18)
    )
    rows = {r.district: r for r in selectors.timetable(personas.city_admin, clock.today())}
    # 雁塔: the survey is done, the opening (planned 11-30) lags; 新城: survey and opening lag.
    assert [m.stage for m in rows[tree.district].lagging] == [Stage.OPENING]
    assert [m.stage for m in rows[tree.other_district].lagging] == [Stage.SURVEY, Stage.OPENING]
    page = client_for(personas.city_admin).get(reverse("bureau:timetable"))
    assert page.status_code == 200 and "滞后 3 项" in page.content.decode()
    # A district admin sees its own district only.
    own = client_for(personas.district_admin).get(reverse("bureau:timetable"))
    assert [r.district for r in own.context["rows"]] == [tree.district]
    export = client_for(personas.district_admin).get(reverse("bureau:timetable_xlsx"))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    values = [[c for c in row] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [v[0] for v in values] == ["雁塔区司法局"] * 3
    assert [v[5] for v in values] == ["已完成", "滞后", "进行中"]
    assert AuditLog.objects.filter(action="export", actor=personas.district_admin).count() == 1


def test_a_district_admin_cannot_reach_another_districts_milestone_or_the_plan_page(
    tree: Tree, personas: Personas
) -> None:
    services.milestone_plan(actor=personas.city_admin, district=tree.other_district, planned=PLAN)
    theirs = Milestone.objects.get(district=tree.other_district, stage=Stage.SURVEY)
    client = client_for(personas.district_admin)
    assert client.get(reverse("bureau:milestone", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("bureau:milestone", args=[theirs.pk]), {"progress": "50"}).status_code == 404
    assert client.get(reverse("bureau:plan", args=[tree.district.pk])).status_code == 404
    assert client.get(reverse("bureau:plan", args=[tree.other_district.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.progress == 0
    # Their own district's leader reads the page but may not report.
    services.milestone_plan(actor=personas.city_admin, district=tree.district, planned=PLAN)
    ours = Milestone.objects.get(district=tree.district, stage=Stage.SURVEY)
    leader = client_for(personas.leader)
    assert leader.get(reverse("bureau:milestone", args=[ours.pk])).status_code == 200
    assert leader.post(reverse("bureau:milestone", args=[ours.pk]), {"progress": "50"}).status_code == 403


def test_the_city_admin_plans_through_the_page(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.city_admin)
    url = reverse("bureau:plan", args=[tree.district.pk])
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"survey": "2026-10-20", "opening": "2026-11-30", "inspection": "2027-01-10"})
    assert response.status_code == 302
    assert sorted(Milestone.objects.filter(district=tree.district).values_list("stage", flat=True)) == sorted(
        Stage.values
    )
    assert AuditLog.objects.filter(action="bureau.milestone_plan").count() == 1


def test_the_demo_loads_divisions_and_one_lagging_district_once(tree: Tree, personas: Personas) -> None:
    from lawdesk.bureau.demo import DIVISIONS, load_bureau_demo

    assert load_bureau_demo() == len(DIVISIONS) + 2 * len(Stage.values)
    assert load_bureau_demo() == 0
    rows = selectors.timetable(personas.city_admin, clock.today())
    assert {r.district: [m.stage for m in r.lagging] for r in rows} == {
        tree.district: [Stage.OPENING],
        tree.other_district: [],
    }
    assert set(selectors.area_owners()) == set(Area.values)


def test_the_board_and_the_division_pages_count_from_one_definition(tree: Tree, personas: Personas) -> None:
    made = divisions(personas)
    failing_score(tree, personas)
    failing_score(tree, personas, name="社区矫正衔接")  # no division: listed apart
    today = clock.today()
    rows = selectors.board(today)
    assert sum(r.total for r in rows) == len(selectors.problems(today))
    for row in rows:
        if row.division is not None:
            assert [p.key for p in row.problems] == [
                p.key for p in selectors.problems_of(row.division, today)
            ]
    client = client_for(personas.city_admin)
    for division in made.values():
        page = client.get(reverse("bureau:division", args=[division.pk]))
        assert len(page.context["problems"]) == len(selectors.problems_of(division, today))
