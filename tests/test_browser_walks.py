"""Each role's main flow, walked by clicking only what the pages show (no URL typed after logging in): a hidden
next step or a dead menu item fails here. A dispute goes from the window to the committee and back: the clerk
finds it under 事项, records the details and transfers it; the mediator finds it under 待承接, accepts, records the
result — each next step offered on the page they are on — and the clerk tells the citizen and archives it."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from tests.conftest import Personas, Tree, login, logout, ready, screenshot

pytestmark = pytest.mark.browser


def open_from_list(page: Any, menu: str, matter: Matter) -> None:
    """Open the matter from a menu's list by clicking its row's link."""
    page.click(f"header nav >> text={menu}")
    ready(page)
    page.locator(f"a[href$='/desk/matters/{matter.pk}/']").first.click()
    page.wait_for_selector("[data-testid=actions]")
    ready(page)


def test_a_dispute_is_walked_by_clerk_and_mediator_clicking_only_what_the_pages_offer(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="周建华", phone="13700137000"),
        matters=[MatterInput(kind="dispute", summary="楼上卫生间漏水，损坏楼下吊顶，协商赔偿未果")],
    )
    matter = visit.matters.get()
    extra = [
        Institution.objects.create(
            kind=InstitutionKind.MEDIATION_COMMITTEE,
            name=f"雁塔区{trade}行业性专业性人民调解委员会（第{i}调解室）",
            home_node=tree.district,
            mediation_scope="trade",
        )
        for i, trade in enumerate(("医疗纠纷", "道路交通事故", "劳动争议", "物业纠纷", "婚姻家庭"), start=1)
    ]
    for committee in extra:
        committee.served_nodes.add(tree.district)

    # The clerk: 事项 → the dispute; the matter page offers both next steps: the details, and 移交.
    login(page, live_server, personas.clerk_a)
    open_from_list(page, "事项", matter)
    actions = page.inner_text("[data-testid=actions]")
    assert "登记纠纷详情" in actions and "移交调解组织" in actions
    screenshot(page, "walk-dispute-clerk-matter")
    page.click("[data-testid=do-dispute_record]")
    page.select_option("[name=dispute_type]", "neighbourhood")
    page.fill("[name=amount]", "6000")
    page.fill("[name=people_involved]", "2")
    page.fill("[name=parties-0-name]", "李卫东")
    page.fill("[name=parties-0-phone]", "13900139000")
    page.click("[data-testid=save-dispute]")
    page.wait_for_selector("[data-testid=proposal]")
    # The committees are listed one under another, none over another (long names and notes wrap).
    if page.locator("[data-testid=committee-list] details").count():
        page.click("[data-testid=committee-list] details summary")
    boxes = [
        b for b in page.eval_on_selector_all(
            "[data-testid=committee-list] label",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.height]; })",
        ) if b[2] > 0
    ]  # fmt: skip
    assert len(boxes) == 1 + len(extra)
    for (_, bottom, _h), (top, _b, _h2) in itertools.pairwise(boxes):
        assert top >= bottom - 1, boxes
    screenshot(page, "walk-dispute-committees")
    page.click("[data-testid=do-route]")
    page.wait_for_selector("text=已移交“小寨路街道人民调解委员会”")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.TRANSFERRED
    logout(page)

    # The mediator: 待承接 → the dispute → 承接; then 登记调解结果 is offered on the same page.
    login(page, live_server, personas.mediator)
    open_from_list(page, "待承接", matter)
    page.click("[data-testid=do-accept]")
    page.wait_for_selector("text=已承接该事项")
    ready(page)
    assert "登记调解结果" in page.inner_text("[data-testid=actions]")
    # The mediator must call the other party: the phone is masked, and 显示完整 shows it (audited).
    page.click("[data-testid^=reveal-party-]")
    page.wait_for_selector("[data-testid^=revealed-party-]")
    assert "13900139000" in page.inner_text("[data-testid^=revealed-party-]")
    screenshot(page, "walk-dispute-mediator-next-step")
    # The only step left to the mediator is open on the page, and the panel links to the full result page.
    assert page.locator("#act-mediation_result[open]").count() == 1
    page.click("[data-testid=mediation-result-link]")
    page.wait_for_selector("[data-testid=mediation-panel]")
    page.check("[name=result][value=success]")
    page.select_option("[name=agreement_form]", "oral")
    page.click("[data-testid=save-result]")
    page.wait_for_selector("text=已登记调解结果")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.OUTCOME_RECORDED
    logout(page)

    # The clerk is told (通知), opens the matter from the notice, tells the citizen and archives.
    login(page, live_server, personas.clerk_a)
    page.click("[data-testid=notifications-link]")
    ready(page)
    page.locator(f"a[href*='/desk/matters/{matter.pk}/']").first.click()
    page.wait_for_selector("[data-testid=actions]")
    ready(page)
    assert "告知" in page.inner_text("[data-testid=actions]")
    assert page.locator("#act-tell[open]").count() == 1  # the step due is open
    page.check("#act-tell [name=told_via][value=phone]")
    page.click("[data-testid=do-tell]")
    page.wait_for_url(re.compile(rf"/desk/matters/{matter.pk}/"))
    page.wait_for_function("() => document.querySelector('[data-testid=actions]').innerText.includes('归档')")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.CITIZEN_TOLD
    page.wait_for_selector("#act-close[open]")
    page.click("[data-testid=do-close]")
    page.wait_for_function("() => document.body.innerText.includes('事项已归档')")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.CLOSED
    screenshot(page, "walk-dispute-closed")


def test_a_legal_aid_application_is_walked_by_office_and_centre_clicking_only_what_the_pages_offer(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    from lawdesk.legalaid.models import LegalAidApplication
    from lawdesk.matters.models import MatterKind
    from tests.builders import build, build_world

    world = build_world(tree, personas)
    centre, handler = world.centre, world.centre_handler
    matter = build(world, MatterKind.LEGAL_AID, "reviewed")  # applied and 初审 符合 at the window

    # The judicial office: 事项 → the application → 移交 is offered, to the legal aid centre.
    login(page, live_server, personas.office_staff)
    open_from_list(page, "事项", matter)
    assert "移交" in page.inner_text("[data-testid=actions]")
    page.click("[data-testid=legalaid-open]")
    page.wait_for_selector("#act-transfer")
    page.select_option("#act-transfer select[name=institution]", str(centre.pk))
    page.click("[data-testid=do-transfer]")
    page.wait_for_selector("text=已移交法律援助中心。")
    logout(page)

    # The centre's handler: 待承接 → the application; the decision is the step offered.
    login(page, live_server, handler)
    open_from_list(page, "待承接", matter)
    screenshot(page, "walk-legalaid-handler-matter")
    page.click("[data-testid=legalaid-open]")
    page.wait_for_selector("[data-testid=do-decision]")
    page.check("input[name=decision][value=grant]")
    page.fill("input[name=lawyer_name]", "李明律师")
    page.click("[data-testid=do-decision]")
    page.wait_for_selector("text=已登记受理决定。")
    assert LegalAidApplication.objects.get(matter=matter).decision == "grant"


def test_district_city_and_auditor_reach_their_work_through_the_menus_alone(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    """No URL typed after login: each bureau role's menu leads to its pages, every page answers, and the links on
    them (a unit below, a figure's records, the charts, a ledger) lead on."""
    failures: list[str] = []
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}")
            if r.request.resource_type == "document" and r.status >= 400
            else None
        ),
    )

    def menu(label: str, wait: str) -> None:
        page.click(f"header nav >> text={label}")
        page.wait_for_selector(wait)
        ready(page)

    # The district: its report → a judicial office below → a figure's records; its ledgers; 督办.
    login(page, live_server, personas.district_admin)
    menu("统计", "[data-testid=report-status]")
    page.click(f"[data-testid=child-{tree.office.pk}] a")
    page.wait_for_selector("[data-testid=report-status]")
    assert tree.office.name in page.inner_text("[data-testid=report-status]")
    page.click("[data-testid=fig-visits]")
    page.wait_for_selector("[data-testid=drill-summary]")
    assert page.inner_text("[data-testid=drill-figure]") == page.inner_text("[data-testid=drill-count]")
    menu("台帐", "[data-testid=ledger-index]")
    page.locator("[data-testid=ledger-index] article header a").first.click()
    page.wait_for_selector("[data-testid=ledger-title]")
    menu("督办", "h1")
    logout(page)

    # The city: its report → a district → the district's charts with its map.
    login(page, live_server, personas.city_admin)
    menu("统计", "[data-testid=report-status]")
    page.click(f"[data-testid=child-{tree.district.pk}] a")
    page.wait_for_selector("[data-testid=report-status]")
    page.click("[data-testid=dashboard-link]")
    page.wait_for_selector("#chart-map[data-ready='1']")
    screenshot(page, "walk-city-district-dashboard")
    logout(page)

    # The auditor: 操作日志, a search, and no menu item that leads nowhere.
    login(page, live_server, personas.auditor)
    menu("操作日志", "[data-testid=audit-filters]")
    page.click("[data-testid=audit-search]")
    page.wait_for_selector("[data-testid=audit-count]")
    for link in page.locator("header nav a").all():
        href = link.get_attribute("href") or ""
        if href.startswith("/") and not href.startswith("/admin"):
            assert page.request.get(live_server.url + href).status < 400, href
    assert failures == []
