"""The city's annual responsibility assessment of the districts (七(九)), published; the city admin applies the
reward/penalty standards to it on the round's page and sees the notices: 通报表扬 for 雁塔, 通报批评 for 新城."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from lawdesk.assessment import services
from lawdesk.assessment.models import Method, Notice, Round, RoundKind, Score
from lawdesk.assessment.seed import ensure_unit_standards
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def published_annual(tree: Tree, personas: Personas) -> Round:
    _, standard = ensure_unit_standards()
    city = personas.city_admin
    annual = services.round_create(
        actor=city, organiser=tree.city, title="2026年度公共法律服务责任考核", kind=RoundKind.ANNUAL,
        period_start=datetime.date(2026, 1, 1), cut_off=datetime.date(2026, 12, 31), standard=standard,
    )  # fmt: skip
    services.round_collect(actor=city, round_=annual)
    for score in Score.objects.filter(entry__round=annual, indicator__method=Method.MANUAL).select_related(
        "indicator", "entry"
    ):
        full = score.entry.platform_id == tree.district.pk
        services.score_manual(actor=city, score=score, points=score.indicator.weight if full else Decimal(0),
                              notes="" if full else "建设方案未落实")  # fmt: skip
    totals = {
        e.platform_id: sum((s.points or Decimal(0) for s in e.scores.all()), Decimal(0))
        for e in annual.entries.all()
    }
    # the city's thresholds fall between the two districts' results (the plan sets none)
    Round.objects.filter(pk=annual.pk).update(
        excellent_score=totals[tree.district.pk], pass_score=totals[tree.other_district.pk] + Decimal("0.01")
    )
    services.round_publish(actor=city, round_=annual)
    return annual


def test_the_city_applies_the_reward_and_penalty_standards_and_sees_the_notices(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    annual = published_annual(tree, personas)
    login(page, live_server, personas.city_admin)
    page.goto(f"{live_server.url}/desk/assessment/rounds/{annual.pk}/")
    page.wait_for_selector(f"[data-testid=grade-{tree.district.pk}]:text('优秀')")
    assert page.inner_text(f"[data-testid=grade-{tree.other_district.pk}]") == "不合格"
    page.click("[data-testid=apply-rewards]")
    page.wait_for_selector("text=已按奖惩标准发布通报2份：通报表扬1份，通报批评1份")
    notices = {n.unit_id: n for n in Notice.objects.filter(round=annual)}
    commend, criticise = notices[tree.district.pk], notices[tree.other_district.pk]
    assert commend.measure == "commend" and criticise.measure == "criticise"
    assert "雁塔区司法局" in page.inner_text(f"[data-testid=notice-{commend.pk}]")
    assert "通报表扬" in page.inner_text(f"[data-testid=notice-{commend.pk}]")
    assert "通报批评" in page.inner_text(f"[data-testid=notice-{criticise.pk}]")
    screenshot(page, "assessment-notices")
    # the rules behind them
    page.goto(f"{live_server.url}/desk/assessment/rules/")
    page.wait_for_selector("[data-testid=rules] >> text=年度责任考核优秀通报表扬")
    screenshot(page, "assessment-rules")
