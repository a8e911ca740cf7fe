"""Star rating, assessment rounds and rectification (issue 8: 七(九), 八, 九(三)).

Records are made through the real services (intake, facilities, duty shifts); every automatic score is checked
against a count made here straight from the records; a published round stays the same after the standard is
edited; rectifications go open → submitted → reopened → submitted → closed, and overdue ones escalate once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from lawdesk.accounts.models import Role, User
from lawdesk.assessment import metrics, selectors, services
from lawdesk.assessment.models import (
    AssessmentFile,
    Method,
    PlatformPopulation,
    Rectification,
    RectificationStatus,
    Round,
    RoundKind,
    RoundStatus,
    Score,
    Standard,
    StandardStatus,
)
from lawdesk.assessment.seed import DEFAULT_NAME, ensure_default_standard
from lawdesk.core.models import AuditLog
from lawdesk.duty.models import DutyShift, Post, Session
from lawdesk.matters import services as loop
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.notifications.models import Notification
from lawdesk.orgs.models import Facility, FacilityItem, OrgNode
from tests.conftest import Personas, Tree, client_for, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
TZ = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.date(2026, 10, 1)
CUT_OFF = datetime.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def hours(node: OrgNode) -> None:
    OrgNode.objects.filter(pk=node.pk).update(
        morning_open=datetime.time(9), morning_close=datetime.time(12),
        afternoon_open=datetime.time(14), afternoon_close=datetime.time(17),
        address="小寨东路1号", office_phone="029-88881111",
    )  # fmt: skip
    node.refresh_from_db()


def visit(actor: Any, node: OrgNode, day: datetime.date, *items: loop.MatterInput) -> Any:
    return loop.visit_register(
        actor=actor, node=node, person_data=loop.PersonInput(name="群众甲"), matters=list(items),
        received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
    )  # fmt: skip


@pytest.fixture
def records(tree: Tree, personas: Personas) -> dict[str, Any]:
    """Station A: hall hours, two of three signs, some equipment, a partial roster, matters in and after the
    period (one rated 5, one rated 2, one past its deadline)."""
    hours(tree.station_a)
    for item in (
        FacilityItem.LIGHTBOX_A,
        FacilityItem.LIGHTBOX_B,
        FacilityItem.COMPUTER,
        FacilityItem.PRINTER,
    ):
        Facility.objects.create(node=tree.station_a, item=item, present=True, as_of=datetime.date(2026, 9, 1))
    # present, but only after the cut-off: does not count
    Facility.objects.create(node=tree.station_a, item=FacilityItem.WINDOW_BACKDROP, present=True,
                            as_of=datetime.date(2026, 11, 5))  # fmt: skip
    for day in (datetime.date(2026, 10, 9), datetime.date(2026, 10, 12)):
        for session, (s, e) in ((Session.MORNING, (9, 12)), (Session.AFTERNOON, (14, 17))):
            DutyShift.objects.create(node=tree.station_a, date=day, session=session, person=personas.clerk_a,
                                     post=Post.RECEPTION, start=datetime.time(s), end=datetime.time(e))  # fmt: skip
    answered = visit(personas.clerk_a, tree.station_a, datetime.date(2026, 10, 10),
                     loop.MatterInput(kind=MatterKind.CONSULTATION, summary="欠薪咨询", answer="依法答复"))  # fmt: skip
    dispute = visit(personas.clerk_a, tree.station_a, datetime.date(2026, 10, 15),
                    loop.MatterInput(kind=MatterKind.DISPUTE, summary="邻里纠纷"))  # fmt: skip
    later = visit(personas.clerk_a, tree.station_a, datetime.date(2026, 11, 3),
                  loop.MatterInput(kind=MatterKind.DISPUTE, summary="截止日后的纠纷"))  # fmt: skip
    m_answered = answered.matters.get()
    m_dispute = dispute.matters.get()
    Matter.objects.filter(pk=m_answered.pk).update(rating=5)
    Matter.objects.filter(pk=m_dispute.pk).update(
        rating=2, accept_due=datetime.date(2026, 10, 20), accepted_at=None
    )
    PlatformPopulation.objects.create(node=tree.station_a, population=1000, as_of=datetime.date(2026, 1, 1))
    return {"answered": m_answered, "dispute": m_dispute, "later": later.matters.get()}


def new_round(actor: Any, organiser: OrgNode, title: str = "2026年第4季度考核", start: datetime.date = START,
              cut_off: datetime.date = CUT_OFF) -> Round:  # fmt: skip
    standard = ensure_default_standard()
    return services.round_create(
        actor=actor, organiser=organiser, title=title, kind=RoundKind.QUARTER, period_start=start,
        cut_off=cut_off, standard=standard,
    )  # fmt: skip


def score_of(round_: Round, platform: OrgNode, code: str) -> Score:
    return Score.objects.select_related("indicator").get(
        entry__round=round_, entry__platform=platform, indicator__code=code
    )


def fill_manual(round_: Round, actor: Any, full: bool = True) -> None:
    for score in Score.objects.filter(entry__round=round_, indicator__method=Method.MANUAL).select_related(
        "indicator"
    ):
        points = score.indicator.weight if full else score.indicator.weight / 2
        services.score_manual(actor=actor, score=score, points=points, notes="" if full else "功能区不全")


# --- the standard ------------------------------------------------------------------------------------------------


def test_default_standard_is_seeded_active_with_items_weighing_100(db: Any) -> None:
    standard = Standard.objects.get(name=DEFAULT_NAME, version=1)
    assert standard.status == StandardStatus.ACTIVE
    assert services.leaf_weight_total(standard) == Decimal(100)
    items = standard.indicators.filter(parent__isnull=False)
    assert {i.metric for i in items if i.method == Method.AUTO} <= set(metrics.METRICS)
    assert items.filter(method=Method.MANUAL).exists()
    for group in standard.indicators.filter(parent__isnull=True):
        assert group.weight == sum(c.weight for c in group.children.all())
    assert sorted(b.stars for b in standard.bands.all()) == [1, 2, 3, 4, 5]


def test_activating_a_draft_checks_the_total_and_retires_the_old_version(personas: Personas) -> None:
    old = ensure_default_standard()
    draft = services.standard_new_version(actor=personas.city_admin, standard=old)
    assert draft.status == StandardStatus.DRAFT and draft.version == old.version + 1
    item = draft.indicators.get(code="A1")
    services.standard_update(
        actor=personas.city_admin, standard=draft, weights={item.pk: Decimal(9)}, bands={}
    )
    with pytest.raises(ValidationError, match="合计应为100分，现为101分"):
        services.standard_activate(actor=personas.city_admin, standard=draft)
    services.standard_update(
        actor=personas.city_admin, standard=draft, weights={item.pk: Decimal(8)}, bands={}
    )
    services.standard_activate(actor=personas.city_admin, standard=draft)
    old.refresh_from_db()
    assert old.status == StandardStatus.RETIRED
    with pytest.raises(ValidationError, match="只能修改草稿"):
        services.standard_update(
            actor=personas.city_admin, standard=draft, weights={item.pk: Decimal(1)}, bands={}
        )
    with pytest.raises(PermissionDenied):
        services.standard_new_version(actor=personas.district_admin, standard=draft)


# --- automatic metrics equal the records ------------------------------------------------------------------------


def test_auto_scores_equal_counts_recomputed_from_the_records(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    round_ = new_round(personas.district_admin, tree.district)
    services.round_collect(actor=personas.district_admin, round_=round_)
    a = tree.station_a

    # signage: lightbox A and B before the cut-off, backdrop only after
    signs = Facility.objects.filter(
        node=a, item__in=metrics.SIGNAGE_ITEMS, present=True, as_of__lte=CUT_OFF
    ).count()
    assert signs == 2
    assert score_of(round_, a, "B1").points == (Decimal(6) * signs / 3).quantize(Decimal("0.01"))
    equipment = Facility.objects.filter(node=a, item__in=metrics.EQUIPMENT_ITEMS, present=True).count()
    # plus the town's WeChat group of A's judicial office, which has none
    assert score_of(round_, a, "C1").fraction == metrics.ratio(equipment, len(metrics.EQUIPMENT_ITEMS) + 1)

    # matters of the period: the one received after the cut-off is left out
    in_period = Matter.objects.filter(
        node=a, visit__received_at__date__gte=START, visit__received_at__date__lte=CUT_OFF
    )
    assert records["later"].pk not in set(in_period.values_list("pk", flat=True))
    rated = in_period.filter(rating__isnull=False)
    satisfied = rated.filter(rating__gte=4).count()
    assert score_of(round_, a, "F1").fraction == metrics.ratio(satisfied, rated.count()) == Decimal("0.5")
    late = score_of(round_, a, "E2")
    assert late.fraction == metrics.ratio(in_period.count() - 1, in_period.count())
    assert any(f"事项#{records['dispute'].pk}" in e["text"] for e in late.evidence)
    per_thousand = score_of(round_, a, "F2")
    assert per_thousand.summary.endswith(f"每千人{Decimal(in_period.count() * 1000 / 1000):.2f}件")
    assert per_thousand.fraction == metrics.ratio(Decimal(in_period.count()), Decimal(2))

    # duty: 2 fully covered working days out of the period's working days (two sessions each)
    from lawdesk.workcal.workdays import WorkCalendar

    cal = WorkCalendar().load(2026, 2026)
    working = sum(1 for i in range(31) if cal.is_working_day(START + datetime.timedelta(days=i)))
    duty = score_of(round_, a, "D1")
    assert duty.fraction == metrics.ratio(4, working * 2)
    assert len(duty.evidence) == working * 2 - 4
    # staffing: a roster, but one person only
    assert score_of(round_, a, "D2").fraction == Decimal("0.5")
    # a platform with no hall hours and no records scores 0 on duty and on ledgers, saying why
    assert score_of(round_, tree.station_c, "D1").points == 0
    assert "未登记办公时间" in score_of(round_, tree.station_c, "D1").summary
    assert score_of(round_, tree.station_c, "E1").summary == "考核期内台帐无记录"
    # every auto score links to its records
    for score in Score.objects.filter(entry__round=round_, indicator__method=Method.AUTO):
        assert score.drill_url.startswith("/"), score.indicator.code
    # only the district's platforms take part
    assert set(round_.entries.values_list("platform_id", flat=True)) == {
        tree.centre.pk,
        tree.station_a.pk,
        tree.station_b.pk,
        tree.station_c.pk,
    }


# --- round lifecycle -------------------------------------------------------------------------------------------


def test_round_lifecycle_from_cut_off_to_published_stars_and_change(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    admin = personas.district_admin
    round_ = new_round(admin, tree.district)
    assert round_.status == RoundStatus.DRAFT
    services.round_collect(actor=admin, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COLLECTING and round_.bands
    with pytest.raises(ValidationError, match=r"尚有.*项未评分"):
        services.round_publish(actor=admin, round_=round_)
    with pytest.raises(ValidationError, match="须填写检查记录"):
        services.score_manual(
            actor=admin, score=score_of(round_, tree.station_a, "A2"), points=Decimal(3), notes=""
        )
    with pytest.raises(ValidationError, match="得分应在0到7分之间"):
        services.score_manual(
            actor=admin, score=score_of(round_, tree.station_a, "A2"), points=Decimal(8), notes="x"
        )
    with pytest.raises(PermissionDenied):
        services.score_manual(actor=personas.other_district_admin, score=score_of(round_, tree.station_a, "A2"),
                              points=Decimal(7), notes="")  # fmt: skip
    fill_manual(round_, admin)
    services.score_manual(actor=admin, score=score_of(round_, tree.station_a, "A2"), points=Decimal(3),
                          notes="无独立调解室", photos=[png()])  # fmt: skip
    services.round_publish(actor=admin, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    entries = list(round_.entries.order_by("rank"))
    for entry in entries:
        assert entry.total is not None
        assert entry.total == sum(s.points or 0 for s in entry.scores.all())
        assert entry.stars == services.stars_for(round_.bands, entry.total)
        assert entry.previous_total is None
    totals = [e.total or Decimal(0) for e in entries]
    assert totals == sorted(totals, reverse=True)
    assert entries[0].rank == 1
    with pytest.raises(ValidationError):
        services.round_collect(actor=admin, round_=round_)

    # the next quarter: change since the last round
    Facility.objects.create(
        node=tree.station_a, item=FacilityItem.COPIER, present=True, as_of=datetime.date(2026, 11, 2)
    )
    second = new_round(
        admin, tree.district, "第二轮", datetime.date(2026, 11, 1), datetime.date(2026, 11, 20)
    )
    services.round_collect(actor=admin, round_=second)
    fill_manual(second, admin)
    services.round_publish(actor=admin, round_=second)
    first_a = round_.entries.get(platform=tree.station_a)
    second_a = second.entries.get(platform=tree.station_a)
    assert second_a.previous_total == first_a.total and second_a.previous_rank == first_a.rank
    assert second_a.total is not None and first_a.total is not None
    assert second_a.change == second_a.total - first_a.total
    assert AuditLog.objects.filter(action="assessment.round_publish").count() == 2


def test_quarter_rounds_are_district_rounds_and_half_year_rounds_city_rounds(
    tree: Tree, personas: Personas
) -> None:
    standard = ensure_default_standard()
    with pytest.raises(ValidationError, match="半年考核由市局组织"):
        services.round_create(actor=personas.district_admin, organiser=tree.district, title="x", kind=RoundKind.HALF_YEAR,
                              period_start=START, cut_off=CUT_OFF, standard=standard)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_create(actor=personas.district_admin, organiser=tree.city, title="x", kind=RoundKind.HALF_YEAR,
                              period_start=START, cut_off=CUT_OFF, standard=standard)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_create(actor=personas.other_district_admin, organiser=tree.district, title="x",
                              kind=RoundKind.QUARTER, period_start=START, cut_off=CUT_OFF, standard=standard)  # fmt: skip
    city = services.round_create(actor=personas.city_admin, organiser=tree.city, title="上半年", kind=RoundKind.HALF_YEAR,
                                 period_start=START, cut_off=CUT_OFF, standard=standard)  # fmt: skip
    services.round_collect(actor=personas.city_admin, round_=city)
    assert (
        city.entries.filter(platform=tree.station_d).exists()
        and city.entries.filter(platform=tree.station_a).exists()
    )
    fill_manual(city, personas.city_admin)
    services.round_publish(actor=personas.city_admin, round_=city)
    page = client_for(personas.city_admin).get(reverse("assessment:round", args=[city.pk])).content.decode()
    assert "各区(县)汇总" in page and tree.district.name in page and tree.other_district.name in page
    # the district admin sees neither the city's round nor its results
    assert (
        client_for(personas.district_admin).get(reverse("assessment:round", args=[city.pk])).status_code
        == 404
    )


# --- editing the standard never rewrites a past result -----------------------------------------------------------


def snapshot(round_: Round) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for entry in round_.entries.order_by("platform__path"):
        rows.append((entry.platform_id, entry.total, entry.stars, entry.rank))
        rows.extend(
            (s.indicator.code, s.indicator.weight, s.points, s.fraction)
            for s in entry.scores.order_by("indicator__code")
        )
    return rows


def test_editing_or_retiring_the_standard_leaves_a_published_round_identical(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    admin = personas.district_admin
    round_ = new_round(admin, tree.district)
    services.round_collect(actor=admin, round_=round_)
    fill_manual(round_, admin, full=False)
    services.round_publish(actor=admin, round_=round_)
    before = snapshot(round_)
    stars_before = {e.platform_id: e.stars for e in round_.entries.all()}

    city = personas.city_admin
    old = round_.standard
    draft = services.standard_new_version(actor=city, standard=old)
    a1, b1 = draft.indicators.get(code="A1"), draft.indicators.get(code="B1")
    services.standard_update(actor=city, standard=draft, weights={a1.pk: Decimal(2), b1.pk: Decimal(12)},
                             bands={5: Decimal(50), 4: Decimal(40), 3: Decimal(30), 2: Decimal(20), 1: Decimal(10)})  # fmt: skip
    services.standard_activate(actor=city, standard=draft)
    # even editing the old version's rows in place (e.g. through the admin) does not reach the round
    old.indicators.filter(code="E1").update(weight=Decimal(30))
    old.bands.update(min_score=Decimal(0))
    services.standard_retire(actor=city, standard=draft)

    round_.refresh_from_db()
    assert snapshot(round_) == before
    assert {e.platform_id: e.stars for e in round_.entries.all()} == stars_before
    # and the page shows the stored figures
    page = client_for(admin).get(reverse("assessment:round", args=[round_.pk])).content.decode()
    for entry in round_.entries.all():
        assert f'data-stars="{entry.stars or 0}"' in page
        assert f"{entry.total:.2f}" in page


# --- rectification -------------------------------------------------------------------------------------------------


@pytest.fixture
def published(tree: Tree, personas: Personas, records: dict[str, Any]) -> Round:
    round_ = new_round(personas.district_admin, tree.district)
    services.round_collect(actor=personas.district_admin, round_=round_)
    fill_manual(round_, personas.district_admin)
    services.round_publish(actor=personas.district_admin, round_=round_)
    return round_


def test_rectification_from_finding_to_verified_with_evidence(
    tree: Tree, personas: Personas, published: Round
) -> None:
    inspector = personas.district_admin
    finding = score_of(published, tree.station_a, "B1")  # signage: 2 of 3
    full = score_of(published, tree.station_a, "A2")
    today = datetime.date(2026, 11, 26)
    with pytest.raises(ValidationError, match="已得满分"):
        services.rectification_create(actor=inspector, score=full, owner=personas.clerk_a,
                                      deadline=today, description="x", today=today)  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.rectification_create(actor=inspector, score=finding, owner=personas.clerk_b,
                                      deadline=today, description="补齐窗口背景标识", today=today)  # fmt: skip
    assert "owner" in err.value.message_dict  # clerk B works at station B, not A
    with pytest.raises(PermissionDenied):
        services.rectification_create(actor=personas.other_district_admin, score=finding, owner=personas.clerk_a,
                                      deadline=today, description="x", today=today)  # fmt: skip
    task = services.rectification_create(actor=inspector, score=finding, owner=personas.clerk_a,
                                         deadline=today + datetime.timedelta(days=10),
                                         description="补齐窗口背景标识", today=today)  # fmt: skip
    assert Notification.objects.filter(user=personas.clerk_a, text__contains="整改任务").exists()

    with pytest.raises(ValidationError, match="至少一份"):
        services.rectification_submit(actor=personas.clerk_a, task=task, note="已制作", files=[])
    bad = SimpleUploadedFile("背景.png", b"not a png at all", content_type="image/png")
    with pytest.raises(ValidationError, match="内容不是PNG"):
        services.rectification_submit(actor=personas.clerk_a, task=task, note="已制作", files=[bad])
    task.refresh_from_db()
    assert task.status == RectificationStatus.OPEN and not task.files.exists()
    with pytest.raises(PermissionDenied):
        services.rectification_submit(actor=personas.clerk_b, task=task, note="x", files=[png()])

    services.rectification_submit(
        actor=personas.clerk_a, task=task, note="已制作背景标识", files=[png("背景.png")]
    )
    task.refresh_from_db()
    assert task.status == RectificationStatus.SUBMITTED and task.files.count() == 1
    with pytest.raises(ValidationError, match="退回原因"):
        services.rectification_reopen(actor=inspector, task=task, reason=" ")
    services.rectification_reopen(actor=inspector, task=task, reason="照片看不清")
    task.refresh_from_db()
    assert task.status == RectificationStatus.OPEN and task.reopen_reason == "照片看不清"
    services.rectification_submit(
        actor=personas.clerk_a, task=task, note="重新拍照", files=[png("背景2.png")]
    )
    with pytest.raises(PermissionDenied):
        services.rectification_verify(actor=personas.clerk_a, task=task)
    services.rectification_verify(actor=inspector, task=Rectification.objects.get(pk=task.pk))
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED and task.closed_at is not None
    actions = list(AuditLog.objects.filter(object_type="assessment.Rectification", object_id=str(task.pk))
                   .order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == [
        "assessment.rectification_create", "assessment.rectification_submit", "assessment.rectification_reopen",
        "assessment.rectification_submit", "assessment.rectification_verify",
    ]  # fmt: skip


def test_overdue_rectifications_escalate_once_to_owner_office_and_district(
    tree: Tree, personas: Personas, published: Round
) -> None:
    finding = score_of(published, tree.station_a, "B1")
    task = services.rectification_create(actor=personas.district_admin, score=finding, owner=personas.clerk_a,
                                         deadline=datetime.date(2026, 11, 30), description="补齐标识",
                                         today=datetime.date(2026, 11, 26))  # fmt: skip
    assert services.escalate_overdue(today=datetime.date(2026, 11, 30)) == 0  # due today: not yet overdue
    Notification.objects.all().delete()
    call_command("escalate_rectifications", "--date", "2026-12-03")
    task.refresh_from_db()
    assert task.escalated_at is not None
    notified = set(
        Notification.objects.filter(text__contains="整改逾期督办").values_list("user__username", flat=True)
    )
    assert notified == {"clerk_a", "office_staff", "district_admin"}
    assert "已逾期3天" in Notification.objects.filter(user=personas.clerk_a).first().text  # type: ignore[union-attr]
    assert services.escalate_overdue(today=datetime.date(2026, 12, 4)) == 0
    # a closed task never escalates
    other = services.rectification_create(actor=personas.district_admin, score=score_of(published, tree.station_a, "C1"),
                                          owner=personas.office_staff, deadline=datetime.date(2026, 11, 27),
                                          description="补齐设备", today=datetime.date(2026, 11, 26))  # fmt: skip
    services.rectification_submit(actor=personas.office_staff, task=other, note="已配齐", files=[png()])
    services.rectification_verify(actor=personas.district_admin, task=Rectification.objects.get(pk=other.pk))
    assert services.escalate_overdue(today=datetime.date(2026, 12, 10)) == 0
    from lawdesk.assessment.tasks import BEAT_SCHEDULE, escalate_rectifications

    assert "lawdesk-escalate-rectifications" in BEAT_SCHEDULE
    assert escalate_rectifications() == 0


# --- pages, drill-down, PDF, scoping --------------------------------------------------------------------------------


def test_every_score_drills_down_to_records_or_the_inspector_entry(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    admin = personas.district_admin
    round_ = new_round(admin, tree.district)
    services.round_collect(actor=admin, round_=round_)
    services.score_manual(actor=admin, score=score_of(round_, tree.station_a, "A2"), points=Decimal(4),
                          notes="调解室兼作仓库", photos=[png()])  # fmt: skip
    client = client_for(admin)
    entry = round_.entries.get(platform=tree.station_a)
    page = client.get(reverse("assessment:entry", args=[round_.pk, entry.pk])).content.decode()
    for score in entry.scores.all():
        assert reverse("assessment:score", args=[score.pk]) in page
    e2 = client.get(
        reverse("assessment:score", args=[score_of(round_, tree.station_a, "E2").pk])
    ).content.decode()
    assert reverse("desk:matter", args=[records["dispute"].pk]) in e2
    a2 = client.get(
        reverse("assessment:score", args=[score_of(round_, tree.station_a, "A2").pk])
    ).content.decode()
    assert "调解室兼作仓库" in a2
    photo = AssessmentFile.objects.get(score=score_of(round_, tree.station_a, "A2"))
    assert reverse("assessment:file", args=[photo.pk]) in a2
    assert client.get(reverse("assessment:file", args=[photo.pk])).status_code == 200
    # the on-site form: bad input names the field, nothing saved
    response = client.post(
        reverse("assessment:score", args=[score_of(round_, tree.station_a, "B2").pk]), {"points": "abc"}
    )
    assert response.status_code == 400 and "得分“abc”不是数字" in response.content.decode()
    assert score_of(round_, tree.station_a, "B2").points is None


def test_round_pages_collect_publish_and_pdf_report(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    client = client_for(personas.district_admin)
    response = client.post(reverse("assessment:round_new"), {
        "organiser": tree.district.pk, "title": "四季度考核", "kind": RoundKind.QUARTER,
        "period_start": "2026-10-01", "cut_off": "2026-10-31", "standard": ensure_default_standard().pk,
    })  # fmt: skip
    round_ = Round.objects.get(title="四季度考核")
    assert response.status_code == 302
    bad = client.post(reverse("assessment:round_new"), {
        "organiser": tree.district.pk, "title": "x", "kind": RoundKind.QUARTER,
        "period_start": "2026-10-31", "cut_off": "2026-10-01", "standard": ensure_default_standard().pk,
    })  # fmt: skip
    assert bad.status_code == 400 and "截止日期不能早于" in bad.content.decode()
    client.post(reverse("assessment:round_collect", args=[round_.pk]))
    fill_manual(round_, personas.district_admin)
    client.post(reverse("assessment:round_publish", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    pdf = client.get(reverse("assessment:round_report", args=[round_.pk, tree.district.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    assert AuditLog.objects.filter(action="export", data__format="pdf").exists()
    html = selectors.construction_board(tree.district, datetime.date(2026, 11, 26))
    row_a = next(r for r in html if r.platform == tree.station_a)
    # today all three signs are present (the backdrop came after the round's cut-off)
    assert [c.ok for c in row_a.checks] == [False, True, False, True, True]
    board = client.get(reverse("assessment:board"))
    assert board.status_code == 200 and tree.station_a.name in board.content.decode()


def test_population_is_entered_by_the_district_only(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.district_admin)
    response = client.post(
        reverse("assessment:population"),
        {"node": tree.station_b.pk, "population": "3200", "as_of": "2026-01-01"},
    )
    assert response.status_code == 302
    assert PlatformPopulation.objects.get(node=tree.station_b).population == 3200
    response = client.post(
        reverse("assessment:population"),
        {"node": tree.station_b.pk, "population": "-1", "as_of": "2026-01-01"},
    )
    assert response.status_code == 400 and "常住人口" in response.content.decode()
    other = client_for(personas.other_district_admin)
    assert (
        other.post(
            reverse("assessment:population"),
            {"node": tree.station_b.pk, "population": "1", "as_of": "2026-01-01"},
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.population_set(actor=personas.office_staff, node=tree.station_a, population=5, as_of=START)


def test_another_district_and_platform_users_get_404_on_every_view(
    tree: Tree, personas: Personas, published: Round
) -> None:
    finding = score_of(published, tree.station_a, "B1")
    task = services.rectification_create(actor=personas.district_admin, score=finding, owner=personas.clerk_a,
                                         deadline=datetime.date(2099, 1, 1), description="补齐标识")  # fmt: skip
    services.rectification_submit(actor=personas.clerk_a, task=task, note="已补", files=[png()])
    photo = AssessmentFile.objects.get(rectification=task)
    entry = published.entries.get(platform=tree.station_a)
    gets = [
        reverse("assessment:round", args=[published.pk]),
        reverse("assessment:entry", args=[published.pk, entry.pk]),
        reverse("assessment:score", args=[finding.pk]),
        reverse("assessment:round_report", args=[published.pk, tree.district.pk]),
        reverse("assessment:rectification", args=[task.pk]),
        reverse("assessment:file", args=[photo.pk]),
    ]
    posts = [
        reverse("assessment:round_collect", args=[published.pk]),
        reverse("assessment:round_publish", args=[published.pk]),
        reverse("assessment:rectification_new", args=[finding.pk]),
    ]
    other = client_for(personas.other_district_admin)
    for url in gets:
        assert other.get(url).status_code == 404, url
    for url in posts:
        assert other.post(url).status_code == 404, url
    assert (
        other.post(reverse("assessment:rectification", args=[task.pk]), {"action": "verify"}).status_code
        == 404
    )
    assert other.get(reverse("assessment:board") + f"?district={tree.district.pk}").status_code == 404
    # the other district's lists do not show it
    assert "补齐标识" not in other.get(reverse("assessment:rectifications")).content.decode()
    assert published.title not in other.get(reverse("assessment:index")).content.decode()
    # a clerk of a sibling station: not the round, not station A's task
    clerk_b = client_for(personas.clerk_b)
    for url in gets:
        assert clerk_b.get(url).status_code == 404, url
    # clerk A (the owner) sees the task and its evidence but not the round, and cannot verify
    clerk_a = client_for(personas.clerk_a)
    assert clerk_a.get(reverse("assessment:rectification", args=[task.pk])).status_code == 200
    assert clerk_a.get(reverse("assessment:file", args=[photo.pk])).status_code == 200
    assert clerk_a.get(reverse("assessment:round", args=[published.pk])).status_code == 404
    assert (
        clerk_a.post(reverse("assessment:rectification", args=[task.pk]), {"action": "verify"}).status_code
        == 403
    )
    # the city sees everything; a district admin cannot edit the standard
    city = client_for(personas.city_admin)
    for url in gets:
        assert city.get(url).status_code == 200, url
    std = published.standard
    assert (
        client_for(personas.district_admin)
        .post(reverse("assessment:standard", args=[std.pk]), {"action": "new_version"})
        .status_code
        == 403
    )
    assert client_for(personas.district_admin).get(reverse("assessment:round_new")).status_code == 200
    assert clerk_a.get(reverse("assessment:round_new")).status_code == 403
    assert (
        client_for(make_user("nobody", Role.HANDLER, institution=tree.law_firm))
        .get(reverse("assessment:population"))
        .status_code
        == 404
    )


def test_standard_pages_version_edit_and_activate(tree: Tree, personas: Personas) -> None:
    standard = ensure_default_standard()
    city = client_for(personas.city_admin)
    assert city.get(reverse("assessment:standards")).status_code == 200
    response = city.post(reverse("assessment:standard", args=[standard.pk]), {"action": "new_version"})
    draft = Standard.objects.get(name=standard.name, version=standard.version + 1)
    assert response.status_code == 302 and draft.status == StandardStatus.DRAFT
    assert (
        draft.indicators.filter(parent__isnull=False).count()
        == standard.indicators.filter(parent__isnull=False).count()
    )
    form = {f"weight_{i.pk}": str(i.weight) for i in draft.indicators.filter(parent__isnull=False)}
    form.update({f"band_{b.stars}": str(b.min_score) for b in draft.bands.all()})
    a1 = draft.indicators.get(code="A1")
    bad = city.post(
        reverse("assessment:standard", args=[draft.pk]), {**form, f"weight_{a1.pk}": "八", "action": "save"}
    )
    assert bad.status_code == 400 and "指标A1的分值“八”不是数字" in bad.content.decode()
    city.post(
        reverse("assessment:standard", args=[draft.pk]), {**form, f"weight_{a1.pk}": "10", "action": "save"}
    )
    refused = city.post(reverse("assessment:standard", args=[draft.pk]), {"action": "activate"})
    assert refused.status_code == 400 and "现为102分" in refused.content.decode()
    city.post(
        reverse("assessment:standard", args=[draft.pk]), {**form, f"weight_{a1.pk}": "8", "action": "save"}
    )
    city.post(reverse("assessment:standard", args=[draft.pk]), {"action": "activate"})
    draft.refresh_from_db()
    standard.refresh_from_db()
    assert draft.status == StandardStatus.ACTIVE and standard.status == StandardStatus.RETIRED
    assert (
        client_for(personas.clerk_a).get(reverse("assessment:standard", args=[draft.pk])).status_code == 200
    )
    handler = client_for(personas.handler)
    assert handler.get(reverse("assessment:standards")).status_code == 404
    assert handler.get(reverse("assessment:standard", args=[draft.pk])).status_code == 404


def test_demo_round_is_published_once(tree: Tree, personas: Personas) -> None:
    from lawdesk.assessment.demo import load_assessment_demo

    today = datetime.date(2026, 11, 26)
    assert load_assessment_demo(district=tree.district, station=tree.station_a, today=today) == 1
    assert load_assessment_demo(district=tree.district, station=tree.station_a, today=today) == 0
    round_ = Round.objects.get(organiser=tree.district)
    assert round_.status == RoundStatus.PUBLISHED and round_.cut_off == datetime.date(2026, 9, 30)
    assert Rectification.objects.filter(platform=tree.station_a, status=RectificationStatus.OPEN).count() == 1
    assert PlatformPopulation.objects.filter(node=tree.station_b).exists()


def test_rectification_pages_name_workers_by_their_names_not_their_usernames(
    tree: Tree, personas: Personas, published: Round
) -> None:
    User.objects.filter(pk=personas.clerk_a.pk).update(full_name="张晓梅")
    User.objects.filter(pk=personas.district_admin.pk).update(full_name="刘建国")
    finding = score_of(published, tree.station_a, "B1")
    today = datetime.date(2026, 11, 26)
    task = services.rectification_create(
        actor=User.objects.get(pk=personas.district_admin.pk), score=finding,
        owner=User.objects.get(pk=personas.clerk_a.pk), deadline=today + datetime.timedelta(days=10),
        description="补齐窗口背景标识", today=today,
    )  # fmt: skip
    page = client_for(personas.district_admin).get(reverse("assessment:rectification", args=[task.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "张晓梅" in text and "刘建国" in text
    assert ">clerk_a<" not in text and "district_admin，" not in text
