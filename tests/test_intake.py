"""Visit registration at the window (/desk/intake/): the form, the returning-person search, the confirmation
page, and who may use them."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lawdesk.matters import people_search as selectors
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterEvent, MatterState, Visit
from lawdesk.people.models import Person
from tests.conftest import Personas, Tree, client_for

ID_NUMBER = "610113199003071237"  # born 1990-03-07, male
ELDER_ID = "610113195001010029"  # born 1950-01-01, female
PHONE = "13912345678"


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_token": str(uuid.uuid4()),
        "name": "张三",
        "phone": PHONE,
        "id_number": "",
        "address": "",
        "channel": "on_site",
        "m0-kind": "consultation",
        "m0-legal_field": "labour",
        "m0-service_type": "",
        "m0-summary": "公司拖欠三个月工资，如何维权",
        "m0-answer": "",
        "m0-one_trip_mode": "",
    }
    data.update(overrides)
    return data


def post(client: Client, **overrides: Any) -> Any:
    return client.post(reverse("desk:intake"), form_data(**overrides))


def register(actor: Any, node: Any, name: str = "张三", phone: str = PHONE, id_number: str = "") -> Visit:
    return services.visit_register(
        actor=actor,
        node=node,
        person_data=services.PersonInput(name=name, phone=phone, id_number=id_number),
        matters=[services.MatterInput(kind="consultation", summary="咨询离婚财产分割")],
    )


def nothing_saved() -> bool:
    return not (Visit.objects.exists() or Person.objects.exists() or Matter.objects.exists())


# --- the screen -----------------------------------------------------------------------------------------


def test_the_form_opens_with_the_search_box_focused_and_a_fresh_token(personas: Personas) -> None:
    response = client_for(personas.clerk_a).get(reverse("desk:intake"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="intake-search"' in html and "autofocus" in html
    token = response.context["form"].initial["client_token"]
    assert isinstance(token, uuid.UUID) and str(token) in html
    assert "小寨路街道公共法律服务站" in html
    # A clerk holds one platform: no platform select.
    assert 'name="platform"' not in html


def test_registering_through_the_view_creates_visit_person_matter_events_and_number(
    tree: Tree, personas: Personas
) -> None:
    response = post(client_for(personas.clerk_a), id_number=ID_NUMBER, **{"m0-kind": "dispute"})
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:visit", args=[visit.pk])
    assert visit.node == tree.station_a and visit.received_by == personas.clerk_a
    assert visit.seq == 1 and visit.number == f"小寨路街道公共法律服务站〔{visit.year}〕来访第0001号"
    person = visit.person
    assert (person.name, person.name_initials, person.phone) == ("张三", "zs", PHONE)
    assert person.gender == "male" and str(person.birth_date) == "1990-03-07"
    matter = visit.matters.get()
    assert matter.kind == "dispute" and matter.state == MatterState.RECEIVED
    assert matter.legal_field == ""  # only consultations carry a legal field
    assert matter.ledger_seq == 1  # numbered in the dispute ledger
    assert list(MatterEvent.objects.filter(matter=matter).values_list("code", flat=True)) == ["received"]


def test_consultation_answered_on_the_spot_ends_answered(personas: Personas) -> None:
    post(client_for(personas.clerk_a), **{"m0-answer": "可向劳动监察大队投诉，或申请劳动仲裁。"})
    matter = Matter.objects.get()
    assert matter.state == MatterState.ANSWERED
    assert matter.legal_field == "labour"
    assert matter.answer == "可向劳动监察大队投诉，或申请劳动仲裁。"
    assert list(matter.events.values_list("code", flat=True)) == ["received", "answered"]


def test_confirmation_page_shows_number_person_matters_and_next_button(personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    response = post(client, **{"m0-answer": "已当场解答。"})
    page = client.get(response["Location"])
    html = page.content.decode()
    visit = Visit.objects.get()
    assert visit.number in html and "张三" in html
    # The phone is masked by default; the clerk may reveal it (an audited POST).
    assert PHONE not in html and "139****5678" in html and 'data-testid="reveal-phone"' in html
    assert "当场办结" in html
    assert f"/desk/matters/{visit.matters.get().pk}/" in html
    assert "登记下一位" in html and reverse("desk:intake") in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "610113199003071238"}, "id_number", "身份证号码校验位不正确"),
        ({"id_number": "610113199002301234"}, "id_number", "出生日期“19900230”不存在"),
        ({"id_number": "61011319900307"}, "id_number", "身份证号码应为18位"),
        ({"phone": "1391234567"}, "phone", "联系电话“1391234567”格式不正确"),
        ({"phone": "12348"}, "phone", "联系电话“12348”格式不正确"),
        ({"name": "  "}, "name", "姓名不能为空"),
        ({"m0-summary": ""}, "m0-summary", "第1项事项：请填写事项摘要"),
        ({"m0-kind": "service_transfer"}, "m0-service_type", "业务移交须选择业务类别"),
    ],
    ids=[
        "id-check-digit",
        "id-birth-date",
        "id-shape",
        "phone",
        "service-number",
        "name",
        "summary",
        "service-type",
    ],
)
def test_bad_input_names_the_field_in_chinese_and_saves_nothing(
    personas: Personas, overrides: dict[str, str], field: str, message: str
) -> None:
    response = post(client_for(personas.clerk_a), **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert re.search(rf'data-error-for="{field}">[^<]*{re.escape(message)}', html), "beside its field"
    assert "未保存，请更正标红的项目" in html
    assert nothing_saved()
    # What was typed is still there.
    assert "公司拖欠三个月工资" in html or overrides.get("m0-summary") == ""


def test_errors_keep_what_was_typed_and_the_same_token(personas: Personas) -> None:
    token = str(uuid.uuid4())
    response = post(
        client_for(personas.clerk_a),
        client_token=token,
        phone="110abc",
        address="雁塔区小寨东路1号",
        **{"m0-answer": "先收集欠薪证据"},
    )
    html = response.content.decode()
    assert 'value="110abc"' in html and 'value="雁塔区小寨东路1号"' in html and "先收集欠薪证据" in html
    assert f'value="{token}"' in html
    assert 'aria-invalid="true"' in html


def test_a_new_person_with_an_id_number_already_registered_is_refused(tree: Tree, personas: Personas) -> None:
    register(personas.clerk_b, tree.station_b, name="张三", phone="13800009999", id_number=ID_NUMBER)
    response = post(client_for(personas.clerk_a), name="张叁", id_number=ID_NUMBER)
    assert response.status_code == 400
    assert re.search(
        r'data-error-for="id_number">已登记过该身份证号的群众，请直接选用', response.content.decode()
    )
    assert Visit.objects.count() == 1 and Person.objects.count() == 1


def test_a_tampered_token_is_refused_in_chinese(personas: Personas) -> None:
    response = post(client_for(personas.clerk_a), client_token="not-a-uuid")
    assert response.status_code == 400
    assert "登记表已失效" in response.content.decode()
    assert nothing_saved()


def test_double_post_with_the_same_token_registers_one_visit(personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    data = form_data()
    first = client.post(reverse("desk:intake"), data)
    second = client.post(reverse("desk:intake"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Visit.objects.count() == 1 and Matter.objects.count() == 1 and Person.objects.count() == 1


def test_two_matters_in_one_visit_each_get_their_number(personas: Personas) -> None:
    response = post(
        client_for(personas.clerk_a),
        **{
            "m3-kind": "service_transfer",
            "m3-service_type": "notary",
            "m3-summary": "办理继承公证",
            "m3-legal_field": "labour",  # ignored: not a consultation
        },
    )
    assert response.status_code == 302
    consultation, transfer = Visit.objects.get().matters.order_by("id")
    assert (consultation.kind, consultation.ledger_seq) == ("consultation", None)
    assert (transfer.kind, transfer.service_type, transfer.legal_field) == ("service_transfer", "notary", "")
    assert transfer.ledger_seq == 1


def test_error_in_the_second_matter_is_shown_beside_the_second_block(personas: Personas) -> None:
    response = post(client_for(personas.clerk_a), **{"m1-kind": "dispute", "m1-summary": ""})
    html = response.content.decode()
    assert 'data-error-for="m1-summary">第2项事项：请填写事项摘要' in html
    assert 'data-error-for="m0-summary"' not in html
    assert nothing_saved()


def test_vulnerable_person_gets_at_most_one_trip_and_others_do_not(personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    post(client, groups=["elderly", "disabled"], id_number=ELDER_ID, **{"m0-one_trip_mode": "home_visit"})
    matter = Matter.objects.get()
    assert matter.visit.person.groups == ["elderly", "disabled"]
    assert matter.one_trip_mode == "home_visit" and matter.one_trip_due is not None
    post(client, name="李四", phone="13800001111", **{"m0-one_trip_mode": "proxy"})
    assert Matter.objects.get(visit__person__name="李四").one_trip_mode == ""


def test_gender_is_taken_from_the_form_only_without_an_id_number(personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    post(client, gender="female")
    post(client, name="王五", phone="13800002222", id_number=ID_NUMBER, gender="female")
    assert Person.objects.get(name="张三").gender == "female"
    assert Person.objects.get(name="王五").gender == "male"


# --- a returning person ---------------------------------------------------------------------------------


def test_returning_person_chosen_makes_no_second_person(tree: Tree, personas: Personas) -> None:
    first = register(personas.clerk_a, tree.station_a)
    response = post(
        client_for(personas.clerk_a), person_id=str(first.person_id), phone=PHONE, address="雁塔区长安路"
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1
    person = Person.objects.get()
    assert person.visits.count() == 2 and person.address == "雁塔区长安路"


def test_sibling_clerk_picks_a_person_found_by_full_phone(tree: Tree, personas: Personas) -> None:
    first = register(personas.clerk_a, tree.station_a, id_number=ID_NUMBER)
    # The ID number was masked for clerk_b, so it is left blank: the stored one is kept.
    response = post(client_for(personas.clerk_b), person_id=str(first.person_id), phone=PHONE, id_number="")
    assert response.status_code == 302
    assert Person.objects.count() == 1 and Person.objects.get().id_number == ID_NUMBER
    assert Visit.objects.filter(node=tree.station_b).count() == 1


def test_a_person_out_of_reach_cannot_be_picked_by_id_alone(tree: Tree, personas: Personas) -> None:
    first = register(personas.clerk_a, tree.station_a)
    response = post(client_for(personas.clerk_b), person_id=str(first.person_id), phone="13700000000")
    assert response.status_code == 400
    html = response.content.decode()
    assert "所选的来访人不存在或您无权选用" in html
    assert 'name="person_id" value=' not in html  # the stale pick is dropped
    assert Visit.objects.count() == 1


def test_search_finds_by_initials_number_tails_whole_numbers_and_name(tree: Tree, personas: Personas) -> None:
    register(personas.clerk_a, tree.station_a, id_number=ID_NUMBER)
    register(personas.clerk_a, tree.station_a, name="李四", phone="13800001111")
    clerk = personas.clerk_a

    def names(query: str) -> list[str]:
        return [p.name for p in selectors.person_search(actor=clerk, query=query)]

    assert names("zs") == ["张三"]
    assert names("ZS") == ["张三"]
    assert names("5678") == ["张三"]  # last four of the phone (blind index)
    assert names("1237") == ["张三"]  # last four of the ID number
    assert names(PHONE) == ["张三"]
    assert names("1391") == []  # a phone's first digits: not searchable once encrypted
    assert names(ID_NUMBER) == ["张三"]
    assert names("李") == ["李四"]
    assert names("139") == []  # fewer than four digits
    assert names("wangwu") == []


def test_search_partial_shows_results_with_pick_data_and_masked_numbers(
    tree: Tree, personas: Personas
) -> None:
    register(personas.clerk_a, tree.station_a, id_number=ID_NUMBER)
    response = client_for(personas.clerk_a).post(reverse("desk:person_search"), {"q": "zs"})
    html = response.content.decode()
    assert response.status_code == 200
    # A pick carries the person's id, never a number (issue 16): the numbers are masked even for the clerk.
    assert 'data-person-id="' in html and "data-phone=" not in html and "data-id-number=" not in html
    assert PHONE not in html and ID_NUMBER not in html and "139****5678" in html
    assert "最近来访" in html
    short = client_for(personas.clerk_a).post(reverse("desk:person_search"), {"q": "13"})
    assert "请至少输入4位号码" in short.content.decode()
    none = client_for(personas.clerk_a).post(reverse("desk:person_search"), {"q": "wz"})
    assert "没有找到“wz”" in none.content.decode()


def test_sibling_clerk_cannot_find_a_person_by_name_but_can_by_full_phone(
    tree: Tree, personas: Personas
) -> None:
    register(personas.clerk_a, tree.station_a, id_number=ID_NUMBER)
    client = client_for(personas.clerk_b)
    for query in ("张三", "zs", "5678", "1237"):
        response = client.post(reverse("desk:person_search"), {"q": query})
        assert 'role="option"' not in response.content.decode(), query
        assert "没有找到" in response.content.decode()
    response = client.post(reverse("desk:person_search"), {"q": PHONE})
    html = response.content.decode()
    # Issue 16: outside the reach a full number yields a reference only — the matched number masked, never the
    # name or the other number; the typed phone is not echoed (the pick copies it from the search box).
    assert "按完整号码找到" in html and "139****5678" in html
    assert "张三" not in html and ID_NUMBER not in html and "6101**********1237" not in html
    assert PHONE not in html and 'data-phone-typed="1"' in html and "data-id-typed" not in html
    by_id = client.post(reverse("desk:person_search"), {"q": ID_NUMBER}).content.decode()
    assert "张三" not in by_id and PHONE not in by_id and "139****5678" not in by_id
    assert "6101**********1237" in by_id and ID_NUMBER not in by_id and 'data-id-typed="1"' in by_id


def test_office_staff_finds_people_of_all_its_stations(tree: Tree, personas: Personas) -> None:
    register(personas.clerk_a, tree.station_a)
    register(personas.clerk_b, tree.station_b, name="张珊", phone="13800003333")
    found = {p.name for p in selectors.person_search(actor=personas.office_staff, query="zs")}
    assert found == {"张三", "张珊"}


# --- who may do what ------------------------------------------------------------------------------------


def test_sibling_clerk_gets_404_for_the_visit_page(tree: Tree, personas: Personas) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    url = reverse("desk:visit", args=[visit.pk])
    assert client_for(personas.clerk_b).get(url).status_code == 404
    assert client_for(personas.clerk_a).get(url).status_code == 200
    assert client_for(personas.office_staff).get(url).status_code == 200


def test_leader_sees_the_visit_page_with_numbers_masked(tree: Tree, personas: Personas) -> None:
    visit = register(personas.clerk_a, tree.station_a, id_number=ID_NUMBER)
    html = client_for(personas.leader).get(reverse("desk:visit", args=[visit.pk])).content.decode()
    assert "139****5678" in html and PHONE not in html and ID_NUMBER not in html
    assert "登记下一位" not in html  # a leader registers no visits


@pytest.mark.parametrize("persona", ["handler", "leader", "auditor", "district_admin"])
def test_roles_without_a_window_get_403_on_intake(personas: Personas, persona: str) -> None:
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("desk:intake")).status_code == 403
    assert client.post(reverse("desk:intake"), form_data()).status_code == 403
    assert client.post(reverse("desk:person_search"), {"q": PHONE}).status_code == 403
    assert nothing_saved()


def test_anonymous_is_sent_to_login(db: Any) -> None:
    response = Client().get(reverse("desk:intake"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_office_staff_chooses_among_its_stations(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.office_staff)
    html = client.get(reverse("desk:intake")).content.decode()
    assert 'name="platform"' in html
    assert tree.station_a.name in html and tree.station_b.name in html and tree.station_c.name not in html
    response = post(client, platform=str(tree.station_b.pk))
    assert response.status_code == 302
    assert Visit.objects.get().node == tree.station_b
    # The chosen platform is remembered for the next visit.
    assert client.get(reverse("desk:intake")).context["form"].initial["platform"] == tree.station_b.pk


def test_office_staff_cannot_register_at_a_platform_out_of_reach(tree: Tree, personas: Personas) -> None:
    response = post(client_for(personas.office_staff), platform=str(tree.station_c.pk))
    assert response.status_code == 400
    assert nothing_saved()


# --- cost (issue 21) --------------------------------------------------------------------------------------


def test_the_intake_post_reads_and_writes_only_what_it_must(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The window clerk's main action, pinned at 18 queries inside the test's transaction (28 before, 2026-12-06):
    the session, user, role assignments and node (middleware and scope); the token look-up; the person insert
    (a new citizen without an ID number: no uniqueness query for an empty ID number); the visit counter (read,
    update), the visit, the matter (inserted by its "received" event, updated by "answered") and the two
    events; the audit row; the savepoints of the service. The platform already in the session is not written
    again, and an on-site visit queues no rating-link transaction after the commit. A new query here is a cost
    come back."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.clerk_a)
    post(client, phone="13900000001")  # the first visit of the session remembers the platform
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks() as callbacks:
        response = post(client, phone="13900000002", **{"m0-answer": "可申请劳动仲裁。"})
    assert response.status_code == 302
    assert not callbacks
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in sql if "django_session" in s and not s.startswith("SELECT")]
    assert not [s for s in sql if "_check" in s]  # the id_number_bidx constraint's condition query
    assert len(sql) == 18, "\n".join(sql)
    matter = Matter.objects.latest("pk")
    assert matter.state == MatterState.ANSWERED
    assert list(MatterEvent.objects.filter(matter=matter).values_list("code", flat=True)) == [
        "received",
        "answered",
    ]


def test_an_id_number_is_still_checked_for_uniqueness_and_an_empty_one_makes_no_query(
    tree: Tree, personas: Personas
) -> None:
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register(personas.clerk_b, tree.station_b, name="张三", phone="13800009999", id_number=ID_NUMBER)
    without = Person(name="李四", phone=PHONE, first_node=tree.station_a)
    with CaptureQueriesContext(connection) as captured:
        without.full_clean(exclude=["first_node"])
    assert len(captured) == 0
    twin = Person(name="张叁", id_number=ID_NUMBER, first_node=tree.station_a)
    with pytest.raises(ValidationError) as caught:
        twin.full_clean(exclude=["first_node"])
    assert caught.value.messages == ["已登记过该身份证号的群众，请直接选用。"]
