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
