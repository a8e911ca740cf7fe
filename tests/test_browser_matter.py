"""The core loop in headless Chromium: a clerk transfers a dispute to the mediation committee, the mediator
accepts it from the inbox and records success, the clerk tells the citizen and closes it with a rating; and the
redirect slip, the office's one-trip tasks and the matters list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from lawdesk.accounts.models import Role
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from tests.conftest import SCREENSHOTS, Personas, Tree, login, logout, make_user, screenshot

pytestmark = pytest.mark.browser


DISPUTE = "楼上漏水致楼下墙面受损，双方协商未果"
LAWYER = "委托律师代写民事起诉状"


def new_matter(
    personas: Personas, tree: Tree, kind: str = "dispute", summary: str = DISPUTE, **person: Any
) -> Matter:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone="13800138000", **person),
        matters=[
            MatterInput(
                kind=kind, summary=summary, service_type="lawyer" if kind == "service_transfer" else ""
            )
        ],
    )
    return visit.matters.get()


def test_a_service_transfer_goes_to_a_law_firm_and_back_to_the_citizen(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    matter = new_matter(personas, tree, kind="service_transfer", summary=LAWYER)
    matter_url = f"{live_server.url}/desk/matters/{matter.pk}/"

    # The clerk finds the matter among their open matters and transfers it to a law firm.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/")
    screenshot(page, "matter-list")
    page.click("[data-testid=matters] a:text('业务移交')")
    page.wait_for_selector("[data-testid=matter-state]")
    page.click("#act-transfer summary")
    picker = page.locator("[data-testid=transfer-picker]")
    assert tree.law_firm.name in picker.inner_text()  # the default filter: a lawyer → law firms
    assert tree.mediation.name not in picker.inner_text()
    page.select_option("select[name=transfer_kind]", "all")
    page.wait_for_selector(f"[data-testid=transfer-picker] >> text={tree.mediation.name}")
    page.select_option("select[name=transfer_kind]", "law_firm")
    page.wait_for_selector(f"[data-testid=transfer-picker] >> text={tree.mediation.name}", state="detached")
    picker.locator("label", has_text=tree.law_firm.name).click()
    page.fill("#act-transfer textarea[name=note]", "群众指定本所")
    screenshot(page, "matter-transfer-form")
    page.click("[data-testid=do-transfer]")
    page.wait_for_selector(f"text=已移交“{tree.law_firm.name}”")
    assert page.inner_text("[data-testid=matter-state]") == "已移交"
    screenshot(page, "matter-transferred")
    logout(page)

    # The law firm's handler sees it in the inbox, accepts it and records the outcome.
    login(page, live_server, personas.handler)
    page.goto(f"{live_server.url}/desk/inbox/")
    to_accept = page.inner_text("[data-testid=inbox-to-accept]")
    assert "起诉状" in to_accept and "小寨路街道公共法律服务站" in to_accept
    screenshot(page, "inbox")
    page.click("[data-testid=inbox-to-accept] >> text=业务移交")
    assert "138****8000" in page.inner_text("[data-testid=person]")  # a handler sees the phone masked
    screenshot(page, "matter-handler-to-accept")
    page.click("[data-testid=do-accept]")
    page.wait_for_selector("text=已承接该事项")
    page.fill("#act-outcome textarea[name=outcome]", "已为当事人代写民事起诉状并指导立案。")
    page.click("[data-testid=do-outcome]")
    page.wait_for_selector("text=已登记办理结果")
    assert page.inner_text("[data-testid=matter-state]") == "已办结"
    screenshot(page, "matter-outcome-recorded")
    logout(page)

    # Back at the station: the clerk tells the citizen by phone and archives it (the citizen rates by SMS).
    login(page, live_server, personas.clerk_a)
    page.goto(matter_url)
    assert "代写民事起诉状" in page.inner_text("[data-testid=outcome]")
    page.check("#act-tell input[name=told_via][value=phone]")
    page.fill("#act-tell textarea[name=note]", "已电话告知张三办理结果")
    page.click("[data-testid=do-tell]")
    page.wait_for_selector("text=已登记告知群众（电话）")
    assert page.locator("#act-close input[name=rating]").count() == 0  # no rating by staff
    screenshot(page, "matter-close-form")
    page.click("[data-testid=do-close]")
    page.wait_for_selector("text=事项已归档")
    assert page.inner_text("[data-testid=matter-state]") == "已归档"

    timeline = page.inner_text("[data-testid=timeline]")
    for label in ("受理", "移交", "承接", "办结", "告知群众", "归档"):
        assert label in timeline, label
    assert "告知方式：电话" in timeline
    events = page.locator("[data-testid=timeline] li").evaluate_all("els => els.map(e => e.dataset.event)")
    assert events == ["received", "transferred", "accepted", "outcome_recorded", "citizen_told", "closed"]
    screenshot(page, "matter-closed")
    stored = Matter.objects.get(pk=matter.pk)
    assert (stored.state, stored.rating, stored.told_via) == (MatterState.CLOSED, None, "phone")


def test_a_bad_rating_and_a_stale_page_are_explained_in_place(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    matter = new_matter(personas, tree, kind="consultation", summary="劳动合同解除补偿标准")
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    page.click("#act-answer summary")
    page.click("#act-answer button[type=submit]")
    page.wait_for_selector("#act-answer >> text=请填写答复意见。")
    screenshot(page, "matter-answer-error")
    # Meanwhile a colleague's tab transferred it: this page is stale.
    services.matter_transfer(actor=personas.office_staff, matter=matter, institution=tree.law_firm)
    page.fill("#act-answer textarea[name=answer]", "按劳动合同法第四十七条计算经济补偿")
    page.click("#act-answer button[type=submit]")
    page.wait_for_selector("text=事项当前为“已移交”，不能当场解答办结")
    assert page.inner_text("[data-testid=matter-state]") == "已移交"
    screenshot(page, "matter-stale-move")


def test_redirect_and_print_the_slip(page: Any, live_server: Any, tree: Tree, personas: Personas) -> None:
    tree.station_a.office_phone = "029-85551234"
    tree.station_a.address = "雁塔区小寨东路街道办事处一楼"
    tree.station_a.save()
    police = Institution.objects.create(
        kind=InstitutionKind.OTHER_DEPARTMENT, department_kind="police_station", name="西安市公安局雁塔分局小寨路派出所",
        home_node=tree.office, address="雁塔区小寨东路126号", phone="029-85550110",
    )  # fmt: skip
    police.served_nodes.add(tree.office)
    matter = new_matter(personas, tree, kind="consultation", summary="户口迁移需要哪些材料")
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    page.click("#act-redirect summary")
    page.fill("#act-redirect textarea[name=redirect_reason]", "户籍事项由公安机关办理，不属公共法律服务范围")
    page.select_option("select[name=department]", str(police.pk))
    # A function, not an expression: Playwright evaluates a bare expression with eval, which the CSP refuses.
    page.wait_for_function(
        "() => document.querySelector('input[name=redirect_address]').value.includes('126号')"
    )
    assert page.input_value("input[name=redirect_phone]") == "029-85550110"
    assert "户籍事项" in page.input_value("textarea[name=redirect_reason]")  # kept across the prefill
    screenshot(page, "matter-redirect-form")
    page.click("#act-redirect button[type=submit]")
    page.wait_for_selector("text=已登记指引")
    with page.expect_popup() as popup:
        page.click("[data-testid=slip-link]")
    slip = popup.value
    slip.wait_for_selector("[data-testid=slip]")
    text = slip.inner_text("[data-testid=slip]")
    for expected in ("公共法律服务指引单", "张三", "户籍事项由公安机关办理", police.name, "小寨东路126号",
                     "029-85550110", "12348", tree.station_a.name, "029-85551234"):  # fmt: skip
        assert expected in text, expected
    screenshot(slip, "redirect-slip")
    slip.emulate_media(media="print")
    assert not slip.is_visible("[data-testid=print]")
    screenshot(slip, "redirect-slip-print")
    pdf = slip.pdf(prefer_css_page_size=True)  # the A5 page the browser prints
    assert pdf.startswith(b"%PDF")
    (SCREENSHOTS / "redirect-slip.pdf").write_bytes(pdf)


def test_office_tasks_show_one_trip_matters_overdue_first(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    today = timezone.localdate()
    later = new_matter(personas, tree, summary="代办公证材料", groups=["elderly"])
    services.matter_mark_one_trip(
        actor=personas.clerk_a, matter=later, mode="proxy", due=today + datetime.timedelta(days=6)
    )
    overdue = new_matter(personas, tree, summary="上门调解邻里纠纷", groups=["disabled"])
    services.matter_mark_one_trip(actor=personas.clerk_a, matter=overdue, mode="home_visit", due=today)
    Matter.objects.filter(pk=overdue.pk).update(one_trip_due=today - datetime.timedelta(days=3))
    login(page, live_server, personas.office_staff)
    page.goto(f"{live_server.url}/desk/tasks/")
    rows = page.locator("[data-testid=tasks] tbody tr").all_inner_texts()
    assert "上门调解" in rows[0] and "已逾期" in rows[0] and "代办公证" in rows[1]
    screenshot(page, "one-trip-tasks")


def test_a_hand_over_is_confirmed_by_the_colleague(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    colleague = make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)
    matter = new_matter(personas, tree)
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/matters/{matter.pk}/")
    page.click("#act-handover summary")
    page.select_option("select[name=to_user]", str(colleague.pk))
    page.fill("#act-handover textarea[name=note]", "本人下周轮岗，交由李四跟进")
    page.click("#act-handover button[type=submit]")
    page.wait_for_selector("text=已发起交接，等待“clerk_a2”确认")
    assert "待 clerk_a2 确认交接" in page.inner_text("[data-testid=owner]")
    logout(page)

    login(page, live_server, colleague)
    page.goto(f"{live_server.url}/desk/matters/")
    assert "楼上漏水" in page.inner_text("[data-testid=my-handovers]")
    screenshot(page, "matter-list-handover")
    page.click("[data-testid=my-handovers] a")
    page.wait_for_selector("[data-testid=handover-prompt]")
    screenshot(page, "matter-handover-prompt")
    page.click("[data-testid=handover-prompt] button:text('确认接手')")
    page.wait_for_selector("text=您现在是首问负责人")
    assert page.inner_text("[data-testid=owner]") == "clerk_a2"
    assert Matter.objects.get(pk=matter.pk).owner == colleague
