"""Quality of service in the browser: the citizen rates an answered phone matter by the SMS link (once, then it is
refused); the district admin sees the rating on the station's scorecard and drills down to exactly that matter; a
clerk hands the tablet over and the citizen taps a face; the clerk prints the visit slip with its one-time code,
and at the kiosk a wrong code is refused, the slip's rates; the ranking orders the platforms. Every page runs under the CSP without a violation or script error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from lawdesk.matters import services as ms
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import ConsoleSmsBackend
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def sms(settings: Any, live_server: Any, transactional_db: Any) -> None:
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    settings.LAWDESK_PUBLIC_BASE_URL = live_server.url
    ConsoleSmsBackend.outbox.clear()
    cache.clear()


@pytest.fixture(autouse=True)
def no_script_errors(page: Any) -> Iterator[None]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield
    assert errors == []


def answered(
    personas: Personas, tree: Tree, *, channel: str = "on_site", clerk: Any = None, node: Any = None
) -> Matter:
    visit = ms.visit_register(
        actor=clerk or personas.clerk_a,
        node=node or tree.station_a,
        channel=channel,
        person_data=PersonInput(name="王建国", phone=PHONE),
        matters=[
            MatterInput(kind=MatterKind.CONSULTATION, summary="公司拖欠工资", answer="可申请劳动仲裁。")
        ],
    )
    return visit.matters.get()


def test_rating_by_sms_link_once_then_refused_and_the_score_drills_down(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    matter = answered(personas, tree, channel="phone")  # a 12348 call answered: the SMS goes out on commit
    texts = [m.text for m in ConsoleSmsBackend.outbox if m.phone == PHONE]
    assert len(texts) == 1, texts
    link = re.search(r"(http://\S+/online/rate/\S+/)", texts[0])
    assert link
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(link.group(1))
    page.check("input[name=rating][value='4']")
    page.fill("[name=comment]", "解答清楚")
    screenshot(page, "quality-sms-rate")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=rate-thanks]")
    assert Matter.objects.get(pk=matter.pk).rating == 4
    page.goto(link.group(1))
    page.wait_for_selector("[data-testid=rate-refused]")
    screenshot(page, "quality-sms-rate-used")

    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, personas.district_admin)
    page.click("[data-testid=quality-link]")
    page.wait_for_selector("[data-testid=node-card]")
    page.goto(f"{live_server.url}/desk/quality/?node={tree.station_a.pk}")
    card = f"[data-testid=card-node-{tree.station_a.pk}]"
    assert page.inner_text(f"{card} [data-testid=fig-satisfaction]") == "100.0%"
    assert page.inner_text(f"{card} [data-testid=fig-rated]") == "1"
    screenshot(page, "quality-station-card")
    page.click(f"{card} [data-testid=fig-rated]")
    page.wait_for_selector("[data-testid=drill-table]")
    assert page.locator("[data-testid^=drill-row-]").count() == 1
    assert page.locator(f"[data-testid=drill-row-{matter.pk}]").is_visible()
    assert "4分" in page.inner_text(f"[data-testid=drill-row-{matter.pk}]")
    screenshot(page, "quality-drill")


def test_the_clerk_hands_the_tablet_over_and_the_citizen_taps_a_face(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    matter = answered(personas, tree)
    login(page, live_server, personas.clerk_a)
    page.set_viewport_size({"width": 1180, "height": 820})  # a tablet
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    page.click("[data-testid=tablet-rate-link]")
    page.wait_for_selector("[data-testid=tablet-form]")
    page.click("[data-testid=tablet-submit]")
    page.wait_for_selector("text=请点一下表情选择评分。")
    page.click("[data-testid=face-5]")
    page.fill("[name=comment]", "态度很好")
    screenshot(page, "quality-tablet")
    # On a 1024 px tablet the form keeps a margin from the screen's edges.
    page.set_viewport_size({"width": 1024, "height": 768})
    edges = page.eval_on_selector(
        "[data-testid=tablet-form]",
        "e => { const r = e.getBoundingClientRect(); return [r.left, innerWidth - r.right]; }",
    )
    assert min(edges) >= 16, edges
    screenshot(page, "quality-tablet-1024")
    page.click("[data-testid=tablet-submit]")
    page.wait_for_selector("[data-testid=tablet-thanks]")
    screenshot(page, "quality-tablet-thanks")
    stored = Matter.objects.get(pk=matter.pk)
    assert stored.rating == 5 and stored.state == MatterState.CLOSED
    page.goto(f"{live_server.url}/desk/quality/rate/{matter.pk}/")
    page.wait_for_selector("[data-testid=tablet-done]")
    page.goto(f"{live_server.url}/desk/quality/")
    assert page.inner_text("[data-testid=my-card] [data-testid=fig-satisfaction]") == "100.0%"
    screenshot(page, "quality-my-card")


def test_the_clerk_prints_the_slip_and_the_kiosk_rates_with_its_code_only(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    matter = answered(personas, tree)
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/visits/{matter.visit.pk}/")
    with page.context.expect_page() as opened:
        page.click("[data-testid=receipt-print]")
    slip = opened.value
    slip.wait_for_selector("[data-testid=receipt-code]")
    code = slip.inner_text("[data-testid=receipt-code]").replace(" ", "")
    assert re.fullmatch(r"\d{6}", code)
    assert f"来访第{matter.visit.seq:04d}号" in slip.inner_text("[data-testid=receipt-number]")
    screenshot(slip, "quality-receipt")
    slip.close()
    # The visit's page never shows the code again.
    page.reload()
    assert code not in page.content()
    # The citizen at the kiosk: the phone's digits are not asked for; a wrong code is refused, the slip's rates.
    kiosk = page.context.new_page()
    kiosk.goto(f"{live_server.url}/desk/quality/kiosk/{tree.station_a.pk}/")
    assert kiosk.locator("[name=phone_last4]").count() == 0
    kiosk.fill("[name=visit_seq]", str(matter.visit.seq))
    kiosk.fill("[name=code]", "000000" if code != "000000" else "111111")
    kiosk.click("[data-testid=face-4]")
    kiosk.click("[data-testid=kiosk-submit]")
    kiosk.wait_for_selector("[data-testid=kiosk-error]")
    screenshot(kiosk, "quality-kiosk-refused")
    assert Matter.objects.get(pk=matter.pk).rating is None
    kiosk.fill("[name=visit_seq]", str(matter.visit.seq))
    kiosk.fill("[name=code]", code)
    kiosk.click("[data-testid=face-4]")
    kiosk.click("[data-testid=kiosk-submit]")
    kiosk.wait_for_selector("[data-testid=kiosk-thanks]")
    screenshot(kiosk, "quality-kiosk-thanks")
    assert Matter.objects.get(pk=matter.pk).rating == 4


def test_the_district_ranks_platforms_and_workers(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    from lawdesk.quality import services

    good = answered(personas, tree)
    services.tablet_rate(handed_by=personas.clerk_a, matter=good, rating=5)
    poor = answered(personas, tree, clerk=personas.clerk_b, node=tree.station_b)
    services.tablet_rate(handed_by=personas.clerk_b, matter=poor, rating=2)
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/desk/quality/")
    page.click("[data-testid=ranking-link]")
    page.wait_for_selector("[data-testid=platform-ranking]")
    rows = page.locator("[data-testid=platform-ranking] tbody tr")
    assert rows.count() == 2
    assert tree.station_a.name in rows.nth(0).inner_text() and tree.station_b.name in rows.nth(1).inner_text()
    workers = page.locator("[data-testid=worker-ranking] tbody tr")
    assert "clerk_a" in workers.nth(0).inner_text()
    assert timezone.localdate().strftime("%Y年") in page.inner_text("h1")
    screenshot(page, "quality-ranking")


def test_the_office_finds_a_complaint_upheld_and_it_counts_against_the_worker(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    from lawdesk.complaints import services as complaint_services

    complaint = complaint_services.complaint_record(
        actor=personas.clerk_b, node=tree.station_b, statement="窗口人员态度差", subject_user=personas.clerk_a,
        contact_name="张三", contact_phone="13700137000",
    ).matter  # fmt: skip
    Matter.objects.filter(pk=complaint.pk).update(state=MatterState.CLOSED)
    login(page, live_server, personas.office_staff)
    page.goto(f"{live_server.url}/desk/quality/complaints/")
    row = f"[data-testid=finding-row-{complaint.pk}]"
    assert "clerk_a" in page.inner_text(row)
    page.check(f"{row} input[name=upheld][value='1']")
    page.fill(f"{row} input[name=note]", "经调取录像核实")
    screenshot(page, "quality-findings")
    page.click(f"[data-testid=finding-save-{complaint.pk}]")
    page.wait_for_selector("text=已认定：查实。")
    assert "查实" in page.inner_text(row)
    page.goto(f"{live_server.url}/desk/quality/")
    assert page.inner_text(f"[data-testid=worker-{personas.clerk_a.pk}] td:last-child") == "1"
    screenshot(page, "quality-office")
