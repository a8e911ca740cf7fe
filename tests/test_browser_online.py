"""A citizen, on the web and at the kiosk: asks the assistant, sends a question (a missing field is refused in
Chinese first), checks legal-aid eligibility and pre-applies, books a real slot, complains, and follows each one by
its code and phone (a wrong phone says "not found"); the clerk claims the question; the citizen rates the answer."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Appointment, SlotKind
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, Matter, MatterKind
from lawdesk.notifications.backends import ConsoleSmsBackend
from lawdesk.online import faq_seed
from lawdesk.online.models import OnlineRequest
from lawdesk.workcal.workdays import add_working_days
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def online(settings: Any, live_server: Any, transactional_db: Any) -> None:
    settings.LAWDESK_ONLINE_MIN_FILL_SECONDS = 0
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    settings.LAWDESK_PUBLIC_BASE_URL = live_server.url
    ConsoleSmsBackend.outbox.clear()
    cache.clear()
    faq_seed.load()


@pytest.fixture(autouse=True)
def no_script_errors(page: Any) -> Iterator[None]:
    """Every page runs under the Content Security Policy without a violation or a script error."""
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            errors.append(message.text)

    def on_error(error: Any) -> None:
        errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    yield
    assert errors == []


def pick_place(page: Any, tree: Tree) -> None:
    page.select_option("[name=district]", str(tree.district.pk))
    # The street list shows only the chosen district's stations.
    options = page.locator("select[name=station] option:not([hidden])").all_inner_texts()
    assert tree.station_a.name in options and tree.station_d.name not in options
    page.select_option("[name=station]", str(tree.station_a.pk))


def read_code(page: Any) -> str:
    page.wait_for_selector("[data-testid=tracking-code]")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert re.fullmatch(r"[A-Z0-9]{10}", code), code
    assert PHONE not in page.url
    return code


def track(page: Any, base: str, code: str, phone: str) -> None:
    page.goto(f"{base}/online/track/")
    page.fill("[name=code]", code)
    page.fill("[name=phone]", phone)
    page.click("[data-testid=submit]")
    assert PHONE not in page.url and code not in page.url


def test_the_assistant_answers_and_offers_a_clerk_when_unsure(
    page: Any, live_server: Any, tree: Tree
) -> None:
    page.goto(f"{live_server.url}/online/")
    screenshot(page, "online-index")
    page.click("[data-testid=go-assistant]")
    page.fill("[name=q]", "申请法律援助要带哪些材料？")
    page.click("[data-testid=assistant-ask]")
    page.wait_for_selector("[data-testid=faq-answer]")
    assert "身份证明" in page.inner_text("[data-testid=faq-answer]")
    assert "q=" not in page.url
    screenshot(page, "online-assistant-answer")
    # With the law corpus loaded, the answer cites the articles.
    from lawdesk.laws import search, services

    services.import_corpus(actor=None, only=("法律援助法", "劳动合同法"), force=True)
    search.reset_index()
    try:
        page.fill("[name=q]", "公司拖欠工资不给，可以申请法律援助吗？")
        page.click("[data-testid=assistant-ask]")
        page.wait_for_selector("[data-testid=law-citations]")
        assert "法律援助法" in page.inner_text("[data-testid=law-citations]")
        screenshot(page, "online-assistant-laws")
    finally:
        search.reset_index()
    page.fill("[name=q]", "宇宙飞船的发射许可证怎么办")
    page.click("[data-testid=assistant-ask]")
    page.wait_for_selector("[data-testid=assistant-unsure]")
    screenshot(page, "online-assistant-unsure")
    # "留言给工作人员" carries the question into the consultation form.
    page.click("[data-testid=offer-ask]")
    assert page.input_value("[name=question]") == "宇宙飞船的发射许可证怎么办"


def test_the_kiosk_assistant_has_large_targets_and_no_site_chrome(
    page: Any, live_server: Any, tree: Tree
) -> None:
    page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto(f"{live_server.url}/online/assistant/?kiosk=1")
    assert page.locator(".topbar").count() == 0
    page.click(
        "text=调解要收费吗？" if page.locator("text=调解要收费吗？").count() else "[data-testid^=faq-]"
    )
    page.wait_for_selector("[data-testid=assistant-reply]")
    assert page.locator("body.kiosk").count() == 1
    height = page.locator("[data-testid=assistant-ask]").bounding_box()["height"]
    assert height >= 56, height
    screenshot(page, "online-assistant-kiosk")


def test_a_question_is_sent_tracked_claimed_answered_and_rated(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 420, "height": 900})  # a phone
    page.goto(f"{base}/online/ask/")
    pick_place(page, tree)
    page.fill("[name=name]", "王建国")
    page.fill("[name=phone]", PHONE)
    page.click("[data-testid=submit]")
    page.wait_for_selector("text=请把您的问题写清楚")
    screenshot(page, "online-ask-error")
    page.fill("[name=question]", "公司拖欠我三个月工资，我应该怎么办？")
    page.click("[data-testid=submit]")
    code = read_code(page)
    screenshot(page, "online-ask-done")
    matter = OnlineRequest.objects.get(code=code).matter
    assert matter.visit.channel == Channel.ONLINE and matter.node == tree.station_a

    track(page, base, code, "13900000000")
    page.wait_for_selector("text=没有找到与该查询码和手机号相符的申请")
    screenshot(page, "online-track-not-found")
    track(page, base, code, PHONE)
    page.wait_for_selector("[data-testid=progress-state]")
    assert "已收到" in page.inner_text("[data-testid=progress-state]")

    # The clerk claims it from the online list and answers it on the matter page's service.
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, personas.clerk_a)
    # It did not arrive silently: the bell and the 工作 menu show it; the clerk opens it from the menu.
    assert page.inner_text("[data-testid=work-badge]") == "1"
    assert page.inner_text("[data-testid=notifications-link] .badge") == "1"
    screenshot(page, "online-arrived-badge")
    page.click("details.dropdown > summary")
    page.click("[data-testid=online-desk-link]")
    page.wait_for_selector(f"[data-testid=claim-{matter.pk}]")
    screenshot(page, "online-desk")
    page.click(f"[data-testid=claim-{matter.pk}]")
    page.wait_for_url(re.compile(rf"/desk/matters/{matter.pk}/"))
    assert Matter.objects.get(pk=matter.pk).owner == personas.clerk_a
    matter_services.matter_answer(
        actor=personas.clerk_a, matter=matter, answer="可向劳动人事争议仲裁委员会申请仲裁。"
    )
    page.click("text=退出")

    track(page, base, code, PHONE)
    page.wait_for_selector("text=可向劳动人事争议仲裁委员会申请仲裁。")
    screenshot(page, "online-track-answered")

    # The SMS carries the one-time rating link.
    texts = [m.text for m in ConsoleSmsBackend.outbox if m.phone == PHONE]
    assert len(texts) == 1, texts
    link = re.search(r"(http://\S+/online/rate/\S+/)", texts[0])
    assert link
    page.goto(link.group(1))
    page.check("input[name=rating][value='5']")
    page.fill("[name=comment]", "答复很及时")
    screenshot(page, "online-rate")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=rate-thanks]")
    assert Matter.objects.get(pk=matter.pk).rating == 5
    page.goto(link.group(1))
    page.wait_for_selector("[data-testid=rate-refused]")
    screenshot(page, "online-rate-used")


def test_legal_aid_self_check_then_pre_application(page: Any, live_server: Any, tree: Tree) -> None:
    from decimal import Decimal

    from lawdesk.legalaid.models import HardshipStandard, LegalAidApplication

    HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("1500"),
        effective_from=datetime.date(2020, 1, 1),
    )
    base = live_server.url
    page.goto(f"{base}/online/legal-aid/")
    pick_place(page, tree)
    page.select_option("[name=category]", "labour")
    page.select_option("[name=exempt_group]", "migrant_worker")
    page.fill("[name=household_size]", "3")
    page.fill("[name=monthly_income]", "2400")
    page.click("[data-testid=self-check]")
    page.wait_for_selector("[data-testid=verdict]")
    assert "符合法律援助条件" in page.inner_text("[data-testid=verdict]")
    assert "第四十二条" in page.inner_text("[data-testid=verdict]")
    screenshot(page, "online-legal-aid-verdict")
    page.fill("[name=case_facts]", "在工地干了半年活，老板拖欠工资两万元不给。")
    page.fill("[name=opponent_name]", "某建筑劳务公司")
    page.fill("[name=name]", "王建国")
    page.fill("[name=phone]", PHONE)
    page.click("[data-testid=submit]")
    code = read_code(page)
    screenshot(page, "online-legal-aid-done")
    matter = OnlineRequest.objects.get(code=code).matter
    assert matter.kind == MatterKind.LEGAL_AID
    assert LegalAidApplication.objects.get(matter=matter).exempt_group == "migrant_worker"
    track(page, base, code, PHONE)
    page.wait_for_selector("[data-testid=progress]")
    assert "法律援助预申请" in page.inner_text("[data-testid=progress]")


def test_booking_a_real_slot_online(page: Any, live_server: Any, tree: Tree, personas: Personas) -> None:
    day = add_working_days(timezone.localdate(), 2)
    slots = []
    for hour in (9, 10, 14):
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
        slots.append(
            appointment_services.slot_create(
                actor=personas.clerk_a,
                node=tree.station_a,
                kind=SlotKind.STATION,
                start=start,
                end=start + datetime.timedelta(hours=1),
                capacity=2,
            )
        )
    base = live_server.url
    page.goto(f"{base}/online/appointments/")
    page.select_option("[name=district]", str(tree.district.pk))
    page.wait_for_selector(f"[data-testid=platform-{tree.station_a.pk}]")
    screenshot(page, "online-appointments-platforms")
    page.click(f"[data-testid=platform-{tree.station_a.pk}]")
    page.wait_for_selector(f"[data-testid=slot-{slots[1].pk}]")
    screenshot(page, "online-appointments-slots")
    page.click(f"[data-testid=slot-{slots[1].pk}]")
    page.fill("[name=summary]", "想咨询房屋租赁合同纠纷")
    page.fill("[name=name]", "王建国")
    page.fill("[name=phone]", PHONE)
    screenshot(page, "online-appointments-form")
    page.click("[data-testid=submit]")
    code = read_code(page)
    appointment = Appointment.objects.get()
    assert appointment.slot == slots[1] and appointment.matter.visit.channel == Channel.ONLINE
    track(page, base, code, PHONE)
    page.wait_for_selector("text=预约成功")
    screenshot(page, "online-appointments-track")


def test_an_online_complaint(page: Any, live_server: Any, tree: Tree) -> None:
    base = live_server.url
    page.goto(f"{base}/online/complaint/")
    pick_place(page, tree)
    page.fill("[name=subject_name]", "3号窗口工作人员")
    page.fill("[name=statement]", "11月20日上午咨询公证事项时，工作人员态度恶劣，拒绝解答。")
    page.check("[name=anonymous]")
    page.fill("[name=phone]", PHONE)
    screenshot(page, "online-complaint-form")
    page.click("[data-testid=submit]")
    code = read_code(page)
    matter = OnlineRequest.objects.get(code=code).matter
    assert matter.kind == MatterKind.COMPLAINT and matter.complaint.anonymous
    track(page, base, code, PHONE)
    page.wait_for_selector("[data-testid=progress]")
    assert "投诉举报" in page.inner_text("[data-testid=progress]")
    screenshot(page, "online-complaint-track")
