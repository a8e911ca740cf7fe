"""Visit registration in headless Chromium: the keyboard path of a busy window, counted key by key."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from lawdesk.core import clock
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterState, Visit
from lawdesk.people.identity import parse_id_number
from lawdesk.people.models import Person
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser

KEY_BUDGET = 12  # presses and clicks beyond the typed text, from the open form to the saved visit


class CountingKeyboard:
    """Drives the page and counts every key press and click; typed text is free."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0
        self.log: list[str] = []

    def press(self, key: str) -> None:
        self.count += 1
        self.log.append(key)
        self.page.keyboard.press(key)

    def click(self, selector: str) -> None:
        self.count += 1
        self.log.append(f"click {selector}")
        self.page.click(selector)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.name"))


def open_intake(page: Any, live_server: Any) -> None:
    """The intake page, once its scripts have run and the search box holds the cursor (keys typed earlier would
    be lost on a busy machine)."""
    page.goto(f"{live_server.url}/desk/intake/")
    page.wait_for_selector("html[data-ready]", state="attached")
    page.wait_for_selector("#intake-search:focus")  # a selector, not a polled function: the CSP forbids eval


def test_new_person_with_a_consultation_answered_on_the_spot_takes_few_keys(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.clerk_a)
    open_intake(page, live_server)
    keys = CountingKeyboard(page)
    assert focused(page) == "q"

    keys.type("张三")  # the clerk looks the person up first …
    page.wait_for_selector("[data-testid=people-none]")
    keys.press("Enter")  # … nobody found: the name goes down into 姓名, the cursor to 联系电话
    assert page.input_value("[name=name]") == "张三" and focused(page) == "phone"
    keys.type("13912345678")
    keys.press("Enter")  # → 身份证号 (none at hand)
    keys.press("Enter")  # → 住址或单位
    keys.press("Enter")  # → 事项摘要 (channel 现场 and kind 法律咨询 are the defaults)
    assert focused(page) == "m0-summary"
    keys.type("公司拖欠三个月工资，如何维权")
    keys.press("Tab")  # → 当场解答
    assert focused(page) == "m0-answer"
    keys.type("可向劳动监察大队投诉，或申请劳动仲裁；保留考勤和工资条。")
    screenshot(page, "intake-filled")
    keys.press("Control+Enter")  # save
    page.wait_for_selector("[data-testid=visit-number]")

    assert keys.count <= KEY_BUDGET, keys.log
    assert keys.count == 6, keys.log  # the measured path; raise it only with a reason
    visit = Visit.objects.get()
    assert page.inner_text("[data-testid=visit-number]") == visit.number
    assert page.inner_text("[data-testid=matter-state]") == "当场办结"
    person = Person.objects.get()
    assert (person.name, person.phone, person.name_initials) == ("张三", "13912345678", "zs")
    matter = Matter.objects.get()
    assert (matter.kind, matter.state, visit.channel) == ("consultation", MatterState.ANSWERED, "on_site")
    screenshot(page, "intake-saved")

    # "登记下一位" has the focus: Enter opens a fresh form with the search box focused.
    page.keyboard.press("Enter")
    page.wait_for_selector("#intake-search:focus")
    assert page.input_value("[name=name]") == ""


def test_returning_person_is_picked_by_pinyin_initials(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(
            name="张三", phone="13912345678", id_number="610113195001010029", groups=["elderly"]
        ),
        matters=[services.MatterInput(kind="consultation", summary="咨询赡养费")],
    )
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="赵四", phone="13800001111"),
        matters=[services.MatterInput(kind="consultation", summary="咨询租房押金")],
    )
    login(page, live_server, personas.clerk_a)
    open_intake(page, live_server)
    page.keyboard.type("zs")
    page.wait_for_selector("[data-testid=people-results]")
    # Both 张三 and 赵四 are "zs"; the most recent visit comes first.
    options = page.locator("[role=option]").all_inner_texts()
    assert [o.split()[:2] for o in options] == [["1", "赵四"], ["2", "张三"]]
    assert "老年人" in options[1]
    screenshot(page, "intake-search-initials")

    page.keyboard.press("Enter")  # with results on screen, Enter highlights the first, never registers anew
    assert page.get_attribute("[role=option]:nth-child(1)", "aria-selected") == "true"
    assert page.input_value("[name=name]") == ""
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("[role=option]:nth-child(2)", "aria-selected") == "true"
    page.keyboard.press("Enter")  # pick
    assert page.input_value("[name=name]") == "张三"
    # Issue 16: a hit carries no number; the fields stay empty (which keeps the registered ones) and the banner
    # shows them masked.
    assert page.input_value("[name=phone]") == "" and page.input_value("[name=id_number]") == ""
    assert "610113195001010029" not in page.content()  # (the search box's placeholder shows 13912345678)
    assert "13912345678" not in page.locator("[data-testid=picked]").inner_text()
    assert "139****5678" in page.locator("[data-testid=picked]").inner_text()
    assert page.locator("[data-role=picked-note]").is_visible()
    assert page.is_checked("[data-role=group][value=elderly]")
    assert page.locator("[data-testid=picked]").is_visible()
    assert page.locator("[data-role=one-trip-row]").is_visible()  # an elderly person: at most one trip
    assert focused(page) == "m0-summary"
    page.keyboard.type("再次咨询赡养费的计算")
    page.select_option("[name=m0-one_trip_mode]", "home_visit")
    screenshot(page, "intake-returning")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("[data-testid=visit-number]")

    assert Person.objects.count() == 2
    person = Person.objects.get(name="张三")
    assert person.visits.count() == 2
    assert (person.phone, person.id_number) == ("13912345678", "610113195001010029")  # kept
    assert Matter.objects.filter(visit__person=person, one_trip_mode="home_visit").count() == 1


def test_a_person_found_by_a_full_number_typed_is_picked_with_that_number_from_the_search_box(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    """clerk_b does not see station A's visits; the full phone the citizen gives finds the person city-wide. The
    hit shows it masked and carries no number: the pick copies the typed number from the search box, so the
    server can check it (``person_for_intake``)."""
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="张三", phone="13912345678"),
        matters=[services.MatterInput(kind="consultation", summary="咨询")],
    )
    login(page, live_server, personas.clerk_b)
    open_intake(page, live_server)
    page.keyboard.type("13912345678")
    page.wait_for_selector("[data-testid=people-results]")
    assert "139****5678" in page.locator("[data-testid=people-results]").inner_text()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # pick
    # Outside clerk_b's reach the hit is a reference: no name comes from the record; the clerk writes what the
    # citizen says, and the visit keeps it.
    assert page.input_value("[name=name]") == ""
    assert page.input_value("[name=phone]") == "13912345678"  # what the clerk typed, not what the page held
    page.fill("[name=name]", "张三")
    page.fill("[name=m0-summary]", "再次咨询")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("[data-testid=visit-number]")
    assert Person.objects.count() == 1
    visit = Visit.objects.get(person__name="张三", node=tree.station_b)
    assert visit.by_reference and visit.said_name == "张三"


def test_number_key_picks_and_bad_input_is_shown_beside_the_field(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="张三", phone="13912345678"),
        matters=[services.MatterInput(kind="consultation", summary="咨询")],
    )
    login(page, live_server, personas.clerk_a)
    open_intake(page, live_server)
    page.keyboard.type("张")
    page.wait_for_selector("[data-testid=people-results]")
    page.keyboard.press("1")
    assert page.input_value("[name=name]") == "张三"
    page.click("[data-action=unpick]")
    assert page.input_value("[name=name]") == "" and focused(page) == "q"

    # The ID number is read as it is typed: birth date, age and gender; the gender choice disappears.
    page.keyboard.type("李四")
    page.keyboard.press("Tab")  # leaving the search box forward takes the name along
    assert page.input_value("[name=name]") == "李四" and focused(page) == "phone"
    page.fill("[name=id_number]", "610113199003071237")
    age = parse_id_number("610113199003071237").age_on(datetime.date.today())
    assert page.inner_text("[data-testid=id-info]") == f"出生日期 1990-03-07 · {age}岁 · 男"
    assert page.locator("[data-role=gender-row]").is_hidden()
    # A mistyped one is caught as it is typed, and again by the server.
    page.fill("[name=id_number]", "610113199003071238")
    assert page.locator("[data-role=gender-row]").is_visible()
    assert "校验位不正确" in page.inner_text("[data-testid=id-info]")
    page.fill("[name=m0-summary]", "咨询劳动合同")
    page.dblclick("[data-testid=save]")  # a double click saves once (or, here, refuses once)
    page.wait_for_selector("[data-testid=intake-errors]")
    assert "身份证号码校验位不正确" in page.inner_text("[data-error-for=id_number]")
    assert page.input_value("[name=name]") == "李四"
    assert focused(page) == "id_number"
    screenshot(page, "intake-error")
    assert Visit.objects.count() == 1

    page.fill("[name=id_number]", "610113199003071237")
    page.dblclick("[data-testid=save]")
    page.wait_for_selector("[data-testid=visit-number]")
    assert Visit.objects.count() == 2 and Person.objects.filter(name="李四").count() == 1


def test_office_staff_registers_two_matters_at_a_chosen_station(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.office_staff)
    open_intake(page, live_server)
    page.select_option("[name=platform]", str(tree.station_b.pk))
    page.fill("[name=name]", "王芳")
    page.fill("[name=phone]", "029-85551234")
    page.check("[data-role=group][value=migrant_worker]")
    page.fill("[name=m0-summary]", "工地拖欠工资")
    page.keyboard.press("Alt+J")  # 再加一项: the new block's kind has the focus
    assert focused(page) == "m1-kind"
    page.keyboard.press("5")  # type-ahead: "5 业务移交"
    assert page.input_value("[name=m1-kind]") == "service_transfer"
    assert page.locator("#id_m1-service_type").is_visible()
    assert page.locator("#id_m1-legal_field").is_hidden()
    assert page.locator("#id_m1-one_trip_mode").is_visible()  # a migrant worker
    page.select_option("[name=m1-service_type]", "lawyer")
    page.keyboard.press("Alt+S")  # the summary of the block being filled
    assert focused(page) == "m1-summary"
    page.keyboard.type("请律师代理劳动仲裁")
    page.select_option("[name=m1-one_trip_mode]", "proxy")
    assert page.inner_text("[data-matter]:nth-child(2) [data-role=matter-no]") == "2"
    screenshot(page, "intake-two-matters")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=visit-number]")

    visit = Visit.objects.get()
    assert visit.node == tree.station_b and visit.number.startswith(tree.station_b.name)
    consultation, transfer = visit.matters.order_by("id")
    assert consultation.kind == "consultation" and consultation.one_trip_mode == ""
    assert (transfer.service_type, transfer.one_trip_mode) == ("lawyer", "proxy")
    assert page.locator("[data-testid=matter-state]").all_inner_texts() == ["已受理", "已受理"]
    screenshot(page, "intake-two-matters-saved")


def _id_number(birth: datetime.date, sequence: str = "002") -> str:
    """A valid GB 11643 number of a woman born on ``birth`` in 雁塔区."""
    body = f"610113{birth:%Y%m%d}{sequence}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def test_the_age_beside_the_id_number_counts_from_the_servers_today(
    page: Any, live_server: Any, tree: Tree, personas: Personas, pinned_clock: Any
) -> None:
    # Years away from the desk computer's own clock: only the server's date can give these ages.
    pinned_clock.move_to(
        datetime.datetime(2031, 6, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    )
    # (a password set in 2026 has long expired by then)
    type(personas.clerk_a).objects.filter(pk=personas.clerk_a.pk).update(password_changed_at=clock.now())
    login(page, live_server, personas.clerk_a)
    open_intake(page, live_server)
    assert page.get_attribute("html", "data-today") == "2031-06-02"
    page.fill("[name=id_number]", _id_number(datetime.date(1971, 6, 2)))
    page.wait_for_selector("[data-testid=id-info].ok")
    info = page.inner_text("[data-testid=id-info]")
    assert "60岁" in info and "可勾选“老年人”" in info
    page.fill("[name=id_number]", _id_number(datetime.date(1971, 6, 3)))
    page.wait_for_selector("[data-testid=id-info]:has-text('59岁')")
    assert "老年人" not in page.inner_text("[data-testid=id-info]")
    assert parse_id_number(_id_number(datetime.date(1971, 6, 3))).birth_date == datetime.date(1971, 6, 3)


def test_picking_a_returning_person_aged_sixty_or_more_suggests_the_elderly_group(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    from lawdesk.people.identity import check_digit

    first17 = "61011319550301003"  # born 1 March 1955: 71 on the pinned clock
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(
            name="赵老汉", phone="13911112222", id_number=first17 + check_digit(first17)
        ),
        matters=[services.MatterInput(kind="consultation", summary="咨询")],
    )
    login(page, live_server, personas.clerk_a)
    open_intake(page, live_server)
    page.keyboard.type("赵老汉")
    page.wait_for_selector("[data-testid=people-results]")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # pick
    page.wait_for_selector("[data-testid=picked]")
    assert "可勾选“老年人”" in page.inner_text("[data-testid=id-info]")
    assert not page.is_checked("[data-role=group][value=elderly]")  # suggested, never ticked for the clerk
    screenshot(page, "intake-suggest-elderly")


def test_an_enterprise_is_registered_with_its_credit_code_and_contact(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    from lawdesk.core.validators import credit_code_check_char

    code = "91610113MA6TXXXX1"
    code += credit_code_check_char(code)
    login(page, live_server, personas.clerk_a)
    open_intake(page, live_server)
    organisation_row = page.locator("[data-role=organisation-row]")
    assert organisation_row.is_hidden()  # a natural person: the row stays out of the clerk's way
    page.get_by_label("企业", exact=True).check()
    organisation_row.wait_for(state="visible")
    assert page.locator("fieldset.groups").is_hidden() and page.locator("[data-role=gender-row]").is_hidden()
    page.fill("[name=name]", "西安某科技有限公司")
    page.fill("[name=credit_code]", code[:17] + "0")  # a wrong check character first
    page.fill("[name=contact_name]", "王经理")
    page.fill("[name=m0-summary]", "劳动用工合规咨询")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=校验位不对")
    assert not Visit.objects.exists()
    page.fill("[name=credit_code]", code)
    screenshot(page, "intake-enterprise")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=visit-number]")
    person = Visit.objects.get().person
    assert (person.client_kind, person.credit_code, person.contact_name) == ("enterprise", code, "王经理")
