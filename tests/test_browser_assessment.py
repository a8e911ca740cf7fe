"""A district round from the cut-off to published stars (the automatic part from the records, one on-site score
entered on the tablet form with a photo, an error first), with drill-down and the district's PDF; then a
rectification closed with evidence: the inspector sets it, the clerk uploads a photo, it is sent back once,
and verified."""

from __future__ import annotations

import datetime
import struct
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lawdesk.advisers.services import town_group_set
from lawdesk.assessment import services
from lawdesk.assessment.models import Method, Rectification, RectificationStatus, Round, RoundStatus, Score
from lawdesk.assessment.seed import ensure_default_standard
from lawdesk.matters import services as loop
from lawdesk.matters.models import MatterKind
from lawdesk.orgs.models import Facility, FacilityItem, OrgNode
from tests.conftest import BROWSER_TIMEOUT_MS, Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser
TZ = datetime.timezone(datetime.timedelta(hours=8))


def real_png(width: int = 48, height: int = 32) -> bytes:
    """A valid PNG (a green block), so the page shows it as a picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x30\xa0\x50" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def seed_records(tree: Tree, personas: Personas) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        morning_open=datetime.time(9), morning_close=datetime.time(12), address="小寨东路1号",
        office_phone="029-88881111", appointment_phone="029-88881112", supervision_phone="029-88881113",
        location_kind="convenience_centre",
    )  # fmt: skip
    for item in FacilityItem.values:
        Facility.objects.create(node=tree.station_a, item=item, present=True, as_of=datetime.date(2026, 9, 1))
    # 四(四)3: the town's WeChat group, led by A's judicial office (read for every platform of the town)
    town_group_set(
        actor=personas.office_staff,
        office=tree.office,
        name="小寨路街道公共法律服务群",
        created=datetime.date(2026, 9, 1),
    )
    for item in (FacilityItem.LIGHTBOX_A, FacilityItem.COMPUTER):
        Facility.objects.create(node=tree.station_b, item=item, present=True, as_of=datetime.date(2026, 9, 1))
    for day, rating in ((datetime.date(2026, 10, 12), 5), (datetime.date(2026, 10, 20), 4)):
        visit = loop.visit_register(
            actor=personas.clerk_a, node=tree.station_a, person_data=loop.PersonInput(name="群众甲"),
            matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="劳动合同咨询", answer="依法答复")],
            received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
        )  # fmt: skip
        visit.matters.update(rating=rating)


def test_a_district_round_from_cut_off_to_published_stars(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    standard = ensure_default_standard()
    seed_records(tree, personas)
    base = f"{live_server.url}/desk/assessment"
    login(page, live_server, personas.district_admin)

    # 1. A new quarterly round of the district.
    page.goto(f"{base}/")
    assert page.locator("[data-testid=assessment-link]").count() == 1  # in the nav's 更多 menu
    page.click("[data-testid=round-new]")
    page.fill("[name=title]", "2026年第四季度平台考核")
    page.select_option("[name=organiser]", label="雁塔区司法局")
    page.select_option("[name=kind]", "quarter")
    page.fill("[name=period_start]", "2026-10-01")
    page.fill("[name=cut_off]", "2026-10-31")
    page.select_option("[name=standard]", str(standard.pk))
    page.click("[data-testid=create]")
    page.wait_for_selector("[data-testid=round-status]:text('草稿')")
    round_ = Round.objects.get(title="2026年第四季度平台考核")

    # 2. At the cut-off the automatic part fills itself from the records.
    page.click("[data-testid=collect]")
    page.wait_for_selector("text=已按截止日期2026-10-31的记录自动评分，共4个平台")
    screenshot(page, "assessment-round-collecting")

    # 3. The inspector scores an on-site item on the tablet form: no notes for a partial score is refused.
    entry_a = round_.entries.get(platform=tree.station_a)
    page.click(f"[data-testid=entry-{tree.station_a.pk}] a")
    page.click("[data-testid=drill-A2]")
    page.fill("#id_points", "5")
    page.click("[data-testid=save-score]")
    page.wait_for_selector("[data-testid=error-notes]:text('未得满分时须填写检查记录')")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    page.fill("#id_notes", "调解室与接待区未分开")
    page.set_input_files(
        "#id_photos", files=[{"name": "调解室.png", "mimeType": "image/png", "buffer": real_png()}]
    )
    screenshot(page, "assessment-tablet-score")
    page.click("[data-testid=save-score]")
    page.wait_for_selector("text=已保存“场所功能分区")
    page.set_viewport_size({"width": 1366, "height": 768})
    a2 = Score.objects.get(entry=entry_a, indicator__code="A2")
    assert a2.points == Decimal(5) and a2.photos.count() == 1
    screenshot(page, "assessment-entry")

    # the rest of the on-site items (as other inspectors would) so the round can be published
    for score in Score.objects.filter(
        entry__round=round_, indicator__method=Method.MANUAL, points__isnull=True
    ):
        services.score_manual(
            actor=personas.district_admin, score=score, points=score.indicator.weight, notes=""
        )

    # 4. Publish: scores, stars, ranking.
    page.goto(f"{base}/rounds/{round_.pk}/")
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=round-status]:text('已发布')")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    top = round_.entries.order_by("rank").first()
    assert top is not None and top.platform == tree.station_a
    row = page.locator(f"[data-testid=entry-{tree.station_a.pk}]")
    assert row.locator(f"[data-testid=total-{tree.station_a.pk}]").inner_text() == f"{top.total:.2f}"
    assert row.locator(f'[data-stars="{top.stars}"]').is_visible()
    screenshot(page, "assessment-round-published")

    # 5. Drill down from a score to the records behind it.
    page.click(f"[data-testid=entry-{tree.station_a.pk}] a")
    page.click("[data-testid=drill-F1]")
    page.wait_for_selector("[data-testid=evidence] li")
    assert page.locator("[data-testid=summary]").inner_text().startswith("评价2件，满意2件")
    screenshot(page, "assessment-drilldown")
    page.click("[data-testid=evidence] li a >> nth=0")
    page.wait_for_url("**/desk/matters/*/")

    # 6. The district's PDF report.
    response = page.request.get(f"{base}/rounds/{round_.pk}/report/{tree.district.pk}.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_a_rectification_is_closed_with_evidence(
    page: Any, live_server: Any, chromium: Any, tree: Tree, personas: Personas
) -> None:
    ensure_default_standard()
    seed_records(tree, personas)
    round_ = services.round_create(
        actor=personas.district_admin, organiser=tree.district, title="四季度考核", kind="quarter",
        period_start=datetime.date(2026, 10, 1), cut_off=datetime.date(2026, 10, 31), standard=ensure_default_standard(),
    )  # fmt: skip
    services.round_collect(actor=personas.district_admin, round_=round_)
    for score in Score.objects.filter(entry__round=round_, indicator__method=Method.MANUAL):
        services.score_manual(
            actor=personas.district_admin, score=score, points=score.indicator.weight, notes=""
        )
    services.round_publish(actor=personas.district_admin, round_=round_)
    entry_b = round_.entries.get(platform=tree.station_b)
    base = f"{live_server.url}/desk/assessment"

    # 1. The inspector sets a rectification on station B's signage (1 of 3 signs).
    login(page, live_server, personas.district_admin)
    page.goto(f"{base}/rounds/{round_.pk}/entries/{entry_b.pk}/")
    page.click("[data-testid=rectify-B1] summary")
    page.select_option("[data-testid=rectify-B1] [name=owner]", label="clerk_b（clerk_b）")
    page.fill("[data-testid=rectify-B1] [name=deadline]", "2099-12-31")
    page.fill("[data-testid=rectify-B1] [name=description]", "补齐标识灯箱B面和窗口背景标识")
    screenshot(page, "assessment-rectify-form")
    page.click("[data-testid=rectify-B1] button[type=submit]")
    page.wait_for_selector("[data-testid=task-status]:text('整改中')")
    task = Rectification.objects.get()

    # 2. The clerk of station B uploads the evidence (a wrong file first).
    clerk_context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    clerk_context.set_default_timeout(BROWSER_TIMEOUT_MS)
    clerk = clerk_context.new_page()
    try:
        login(clerk, live_server, personas.clerk_b)
        clerk.goto(f"{base}/")
        clerk.click(f"a[href='/desk/assessment/rectifications/{task.pk}/']")
        clerk.fill("#id_evidence_note", "已制作灯箱B面和窗口背景标识")
        clerk.set_input_files(
            "#id_files", files=[{"name": "标识.png", "mimeType": "image/png", "buffer": b"not png"}]
        )
        clerk.click("[data-testid=submit]")
        clerk.wait_for_selector("[data-testid=errors] >> text=内容不是PNG")
        clerk.set_input_files(
            "#id_files", files=[{"name": "标识.png", "mimeType": "image/png", "buffer": real_png()}]
        )
        clerk.click("[data-testid=submit]")
        clerk.wait_for_selector("[data-testid=task-status]:text('待验收')")
        screenshot(clerk, "assessment-rectification-submitted")

        # 3. Sent back once, then submitted again.
        page.reload()
        page.fill("[name=reason]", "背景标识照片不完整")
        page.click("[data-testid=reopen]")
        page.wait_for_selector("[data-testid=reopen-reason]:text('背景标识照片不完整')")
        clerk.reload()
        clerk.set_input_files(
            "#id_files", files=[{"name": "标识全景.png", "mimeType": "image/png", "buffer": real_png(64, 40)}]
        )
        clerk.click("[data-testid=submit]")
        clerk.wait_for_selector("[data-testid=task-status]:text('待验收')")
    finally:
        clerk_context.close()

    # 4. Verified: closed, with both evidence files.
    page.reload()
    page.click("[data-testid=verify]")
    page.wait_for_selector("[data-testid=task-status]:text('已验收')")
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED and task.files.count() == 2
    screenshot(page, "assessment-rectification-closed")


def test_the_city_versions_the_standard_and_a_district_sees_its_construction_board(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    standard = ensure_default_standard()
    seed_records(tree, personas)
    base = f"{live_server.url}/desk/assessment"
    login(page, live_server, personas.city_admin)
    page.goto(f"{base}/standards/{standard.pk}/")
    page.click("[data-testid=new-version]")
    page.wait_for_selector("text=已另存为第2版（草稿）")
    page.fill("[data-testid=weight-A1]", "10")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=total]:text('102')")
    page.click("[data-testid=activate]")
    page.wait_for_selector("[data-testid=errors] >> text=各指标分值合计应为100分，现为102分")
    screenshot(page, "assessment-standard-draft")
    page.fill("[data-testid=weight-A1]", "8")
    page.click("[data-testid=save]")
    page.click("[data-testid=activate]")
    page.wait_for_selector("text=已启用；此前的启用版本已停用")
    standard.refresh_from_db()
    assert standard.status == "retired"

    # The construction board of 雁塔区 (八): station A has all of 四 but a duty roster (4 of 5).
    page.goto(f"{base}/board/?district={tree.district.pk}")
    row = page.locator(f"[data-testid=board-{tree.station_a.pk}]")
    assert "无值班安排" in row.inner_text() and "80%" in row.inner_text()
    assert "0%" in page.locator(f"[data-testid=board-{tree.station_c.pk}]").inner_text()
    screenshot(page, "assessment-board")
    page.goto(f"{base}/population/")
    page.fill(f"[aria-label='{tree.station_a.name}常住人口']", "4200")
    page.locator("tr", has_text=tree.station_a.name).locator("button").click()
    page.wait_for_selector(f"text=已登记{tree.station_a.name}服务人口4200人")
    screenshot(page, "assessment-population")
