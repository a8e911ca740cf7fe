"""The matter page, its actions, the slip, the inbox, the tasks and the list, through the test client: who sees
what (404 outside one's reach), which actions are offered, errors under their field, illegal moves explained."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lawdesk.accounts.models import Role, User
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterEvent, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.people.models import Person
from tests.conftest import Personas, Tree, client_for, make_user

pytestmark = pytest.mark.django_db

S = MatterState
ID_NUMBER = "110101199003074477"


def new_matter(
    personas: Personas, tree: Tree, kind: str = "consultation", summary: str = "邻里漏水纠纷"
) -> Matter:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone="13800138000", id_number=ID_NUMBER),
        person=Person.objects.by_id_number(ID_NUMBER).first(),  # a returning visitor
        matters=[
            MatterInput(
                kind=kind, summary=summary, service_type="lawyer" if kind == "service_transfer" else ""
            )
        ],
    )
    return visit.matters.get()


def transferred(personas: Personas, tree: Tree) -> Matter:
    return services.matter_transfer(
        actor=personas.clerk_a, matter=new_matter(personas, tree), institution=tree.mediation
    )


def fresh(matter: Matter) -> Matter:
    return Matter.objects.get(pk=matter.pk)


def url(name: str, matter: Matter) -> str:
    return reverse(f"desk:{name}", args=[matter.pk])


def text(response: Any) -> str:
    return response.content.decode()


ACTION_URLS = [
    "matter_answer",
    "matter_redirect",
    "matter_transfer",
    "matter_accept",
    "matter_decline",
    "matter_outcome",
    "matter_tell",
    "matter_close",
    "matter_handover",
    "matter_handover_confirm",
    "matter_one_trip",
    "attachment_upload",
]


# --- reach ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", ["clerk_b", "other_district_admin", "handler"])
def test_every_matter_view_answers_404_outside_the_actors_reach(
    personas: Personas, tree: Tree, outsider: str
) -> None:
    matter = transferred(personas, tree)  # to the mediation committee: the law firm's handler is an outsider
    redirected = new_matter(personas, tree)
    services.matter_redirect(
        actor=personas.clerk_a, matter=redirected, reason="不属受理范围", redirect_to="派出所"
    )
    client = client_for(getattr(personas, outsider))
    assert client.get(url("matter", matter)).status_code == 404
    assert client.get(url("redirect_slip", redirected)).status_code == 404
    for name in ACTION_URLS:
        response = client.post(url(name, matter), {"answer": "x", "reason": "x", "outcome": "x"})
        assert response.status_code == 404, name
    assert fresh(matter).state == S.TRANSFERRED
    assert client.get(reverse("desk:matter", args=[999999])).status_code == 404


def test_the_list_shows_nothing_outside_the_actors_reach(personas: Personas, tree: Tree) -> None:
    new_matter(personas, tree, summary="站A的纠纷")
    for outsider in (personas.clerk_b, personas.other_district_admin):
        page = text(client_for(outsider).get(reverse("desk:matters")))
        assert "站A的纠纷" not in page and "没有符合条件的事项" in page
    assert "站A的纠纷" in text(client_for(personas.district_admin).get(reverse("desk:matters")))


def test_login_is_required(tree: Tree) -> None:
    response = Client().get(reverse("desk:matters"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the page ------------------------------------------------------------------------------------------


def test_the_page_shows_the_person_the_matter_and_its_timeline(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree)
    response = client_for(personas.clerk_a).get(url("matter", matter))
    assert response.status_code == 200
    page = text(response)
    # Numbers are masked by default even for the clerk, who may reveal them (tests/test_personal_data.py).
    assert "张三" in page and "138****8000" in page and "1101**********4477" in page
    assert "13800138000" not in page and 'data-testid="reveal-id_number"' in page
    assert "法律咨询" in page and "邻里漏水纠纷" in page and "已移交" in page
    assert tree.mediation.name in page
    assert f"{matter.accept_due:%Y-%m-%d}" in page and "进行中" in page
    timeline = page[page.index('data-testid="timeline"') :]
    assert timeline.index("受理") < timeline.index("移交") and "已受理 → 已移交" in timeline
    assert f"移交至：{tree.mediation.name}" in timeline


def test_personal_data_is_masked_for_those_who_may_not_see_it(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree)
    for reader in (personas.leader, personas.mediator):
        page = text(client_for(reader).get(url("matter", matter)))
        assert "138****8000" in page and "1101**********4477" in page
        assert "13800138000" not in page and "110101199003074477" not in page
        assert 'data-testid="reveal-phone"' not in page  # no "显示完整" for them
    office_page = text(client_for(personas.office_staff).get(url("matter", matter)))
    assert "13800138000" not in office_page and 'data-testid="reveal-phone"' in office_page


def test_an_overdue_deadline_is_highlighted(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree)
    Matter.objects.filter(pk=matter.pk).update(accept_due=timezone.localdate() - datetime.timedelta(days=2))
    page = text(client_for(personas.clerk_a).get(url("matter", matter)))
    assert 'class="overdue" data-testid="due-accept_due"' in page and "已逾期" in page


OFFERED_KEYS = ("answer", "redirect", "transfer", "accept", "decline", "outcome", "tell", "close", "handover",
                "one_trip")  # fmt: skip


def _offered(page: str) -> set[str]:
    return {name for name in OFFERED_KEYS if f'id="act-{name}"' in page}


def test_only_the_actions_allowed_for_the_actor_and_state_are_offered(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree, kind="service_transfer")
    assert _offered(text(client_for(personas.clerk_a).get(url("matter", matter)))) == {
        "answer", "redirect", "transfer", "handover", "one_trip",
    }  # fmt: skip
    assert _offered(text(client_for(personas.leader).get(url("matter", matter)))) == set()
    matter = services.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.law_firm)
    assert _offered(text(client_for(personas.clerk_a).get(url("matter", matter)))) == {"handover", "one_trip"}
    assert _offered(text(client_for(personas.handler).get(url("matter", matter)))) == {"accept", "decline"}
    matter = services.matter_accept(actor=personas.handler, matter=matter)
    assert _offered(text(client_for(personas.handler).get(url("matter", matter)))) == {"outcome"}
    office_page = text(client_for(personas.office_staff).get(url("matter", matter)))
    assert "outcome" in _offered(office_page) and "代承办人登记" in office_page
    assert "outcome" not in _offered(text(client_for(personas.clerk_a).get(url("matter", matter))))
    matter = services.matter_record_outcome(actor=personas.handler, matter=matter, outcome="已代书起诉状")
    assert _offered(text(client_for(personas.clerk_a).get(url("matter", matter)))) == {"tell", "handover"}
    matter = services.matter_tell_citizen(actor=personas.clerk_a, matter=matter, via="sms")
    assert _offered(text(client_for(personas.clerk_a).get(url("matter", matter)))) == {"close", "handover"}
    services.matter_close(actor=personas.clerk_a, matter=matter, rating=4)
    page = text(client_for(personas.clerk_a).get(url("matter", matter)))
    assert _offered(page) == set() and "事项已归档" in page


def test_the_transfer_picker_defaults_to_the_kind_and_lists_only_institutions_serving_the_node(
    personas: Personas, tree: Tree
) -> None:
    matter = new_matter(personas, tree, kind="service_transfer")  # to a lawyer
    client = client_for(personas.clerk_a)
    picker = _picker(text(client.get(url("matter", matter))))
    assert tree.law_firm.name in picker and tree.mediation.name not in picker
    picker = _picker(text(client.get(url("matter", matter), {"transfer_kind": "all"})))
    assert tree.mediation.name in picker and tree.law_firm.name in picker
    assert tree.other_law_firm.name not in picker
    picker = _picker(text(client.get(url("matter", matter), {"transfer_kind": "mediation_committee"})))
    assert tree.mediation.name in picker and tree.law_firm.name not in picker


def test_a_dispute_is_transferred_from_its_page_to_a_committee_recommended_first(
    personas: Personas, tree: Tree
) -> None:
    page = text(client_for(personas.clerk_a).get(url("matter", new_matter(personas, tree, kind="dispute"))))
    assert 'data-testid="mediation-panel"' in page and 'data-testid="transfer-picker"' in page
    assert tree.mediation.name in _picker(page) and tree.law_firm.name not in _picker(page)
    assert "人民调解委员会（推荐）" in page


def _picker(page: str) -> str:
    start = page.index('data-testid="transfer-picker"')
    return page[start : page.index("</fieldset>", start)]


# --- actions -------------------------------------------------------------------------------------------


def test_transfer_through_the_page(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    client = client_for(personas.clerk_a)
    response = client.post(url("matter_transfer", matter), {"institution": tree.mediation.pk, "note": "属地"})
    assert response.status_code == 302 and response["Location"] == url("matter", matter)
    stored = fresh(matter)
    assert stored.state == S.TRANSFERRED and stored.institution == tree.mediation
    page = text(client.get(response["Location"]))
    assert f"已移交“{tree.mediation.name}”" in page


def test_a_bad_input_comes_back_under_its_field_and_nothing_is_saved(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree, kind="service_transfer")
    client = client_for(personas.clerk_a)
    response = client.post(url("matter_answer", matter), {"answer": "  "})
    assert response.status_code == 400 and "请填写答复意见。" in text(response)
    assert 'id="act-answer" open' in text(response)

    response = client.post(url("matter_transfer", matter), {"institution": tree.other_law_firm.pk})
    assert response.status_code == 400 and "该机构不在可移交的机构名录中" in text(response)

    response = client.post(url("matter_redirect", matter), {"redirect_reason": "", "redirect_phone": "12"})
    page = text(response)
    assert response.status_code == 400
    assert "请填写指引原因" in page and "请填写指引去向" in page
    assert fresh(matter).state == S.RECEIVED
    assert list(MatterEvent.objects.filter(matter=matter).values_list("code", flat=True)) == ["received"]


def test_an_htmx_error_is_swapped_in_with_the_form_in_view(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    response = client_for(personas.clerk_a).post(
        url("matter_answer", matter), {"answer": ""}, headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert response.status_code == 200 and "请填写答复意见。" in text(response)
    assert response["HX-Reswap"] == "innerHTML show:#act-answer:top"


def test_a_stale_page_gets_the_registrys_message_and_nothing_changes(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    services.matter_answer(actor=personas.clerk_a, matter=matter, answer="已解答")  # in another tab
    client = client_for(personas.clerk_a)
    response = client.post(url("matter_transfer", matter), {"institution": tree.mediation.pk}, follow=True)
    page = text(response)
    assert "事项当前为“当场办结”，不能移交" in page and "flash-error" in page
    stored = fresh(matter)
    assert stored.state == S.ANSWERED and stored.institution is None


def test_a_move_the_actor_may_not_make_is_403(personas: Personas, tree: Tree) -> None:
    colleague = make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)
    matter = new_matter(personas, tree)
    assert client_for(colleague).post(url("matter_answer", matter), {"answer": "x"}).status_code == 403
    assert client_for(personas.leader).post(url("matter_answer", matter), {"answer": "x"}).status_code == 403
    moved = transferred(personas, tree)
    assert client_for(personas.clerk_a).post(url("matter_accept", moved), {}).status_code == 403
    assert fresh(matter).state == S.RECEIVED and fresh(moved).state == S.TRANSFERRED


def test_handler_accepts_and_records_the_outcome(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree)
    client = client_for(personas.mediator)
    assert client.post(url("matter_accept", matter), {"note": ""}).status_code == 302
    assert fresh(matter).state == S.ACCEPTED and fresh(matter).handler == personas.mediator
    response = client.post(url("matter_outcome", matter), {"outcome": "调解成功，达成书面协议"}, follow=True)
    assert "已登记办理结果" in text(response)
    stored = fresh(matter)
    assert stored.state == S.OUTCOME_RECORDED and not stored.outcome_by_proxy


def test_office_staff_outcome_on_behalf_is_shown_as_such(personas: Personas, tree: Tree) -> None:
    matter = services.matter_accept(actor=personas.mediator, matter=transferred(personas, tree))
    response = client_for(personas.office_staff).post(
        url("matter_outcome", matter), {"outcome": "调解成功"}, follow=True
    )
    page = text(response)
    assert fresh(matter).outcome_by_proxy
    assert "司法所代为登记" in page and "由司法所代承办人登记" in page


def test_handler_declines_and_lands_back_in_the_inbox(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree)
    client = client_for(personas.mediator)
    response = client.post(url("matter_decline", matter), {"reason": ""})
    assert response.status_code == 400 and "退回须说明原因。" in text(response)
    response = client.post(url("matter_decline", matter), {"reason": "不属本委员会调解范围"})
    assert response.status_code == 302 and response["Location"] == reverse("desk:inbox")
    stored = fresh(matter)
    assert stored.state == S.RECEIVED and stored.institution is None
    assert client.get(url("matter", matter)).status_code == 404
    page = text(client_for(personas.clerk_a).get(url("matter", matter)))
    assert "退回" in page and "不属本委员会调解范围" in page


def test_tell_and_close_without_a_staff_rating(personas: Personas, tree: Tree) -> None:
    matter = services.matter_accept(actor=personas.mediator, matter=transferred(personas, tree))
    matter = services.matter_record_outcome(actor=personas.mediator, matter=matter, outcome="调解成功")
    client = client_for(personas.clerk_a)
    response = client.post(url("matter_tell", matter), {"told_via": ""})
    assert response.status_code == 400 and "请选择告知群众的方式" in text(response)
    assert client.post(url("matter_tell", matter), {"told_via": "phone"}).status_code == 302
    assert fresh(matter).state == S.CITIZEN_TOLD

    page = client.get(url("matter", matter)).content.decode()
    assert 'name="rating"' not in page and "请群众在平板上评价" in page  # the citizen rates, not the clerk
    # A rating slipped into the post is not taken: staff never rate their own work.
    response = client.post(url("matter_close", matter), {"rating": "5", "comment": "很满意"}, follow=True)
    stored = fresh(matter)
    assert stored.state == S.CLOSED and stored.rating is None and stored.rating_comment == ""
    assert "事项已归档。" in text(response) and "满意度：" not in text(response)


def test_redirect_prefilled_from_a_department_and_the_slip(personas: Personas, tree: Tree) -> None:
    tree.station_a.office_phone = "029-85551234"
    tree.station_a.save()
    police = Institution.objects.create(
        kind=InstitutionKind.OTHER_DEPARTMENT, department_kind="police_station", name="小寨路派出所",
        home_node=tree.office, address="小寨东路1号", phone="029-85550110",
    )  # fmt: skip
    police.served_nodes.add(tree.office)
    matter = new_matter(personas, tree, kind="consultation", summary="户口迁移")
    client = client_for(personas.clerk_a)
    page = text(client.get(url("matter", matter), {"department": police.pk}))
    assert 'value="小寨东路1号"' in page and 'id="act-redirect" open' in page
    assert police.name not in _picker(text(client.get(url("matter", matter), {"transfer_kind": "all"})))

    response = client.post(
        url("matter_redirect", matter), {"redirect_reason": "户籍事项由公安机关办理", "department": police.pk}
    )
    assert response.status_code == 302
    stored = fresh(matter)
    assert (stored.state, stored.redirect_to, stored.redirect_address, stored.redirect_phone) == (
        S.REDIRECTED, "小寨路派出所", "小寨东路1号", "029-85550110",
    )  # fmt: skip
    slip = client.get(url("redirect_slip", matter))
    assert slip.status_code == 200
    page = text(slip)
    for expected in ("张三", "户籍事项由公安机关办理", "小寨路派出所", "小寨东路1号", "029-85550110", "12348",
                     tree.station_a.name, "029-85551234", "data-print", "slip-a5"):  # fmt: skip
        assert expected in page, expected
    assert "slip-a4" in text(client.get(url("redirect_slip", matter), {"paper": "a4"}))
    assert client.get(url("redirect_slip", new_matter(personas, tree))).status_code == 404


def test_hand_over_through_the_page_and_the_list(personas: Personas, tree: Tree) -> None:
    colleague = make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)
    matter = new_matter(personas, tree)
    owner = client_for(personas.clerk_a)
    response = owner.post(url("matter_handover", matter), {"to_user": personas.clerk_b.pk})
    assert response.status_code == 400 and "该同事不在本平台工作。" in text(response)
    assert (
        owner.post(url("matter_handover", matter), {"to_user": colleague.pk, "note": "调岗"}).status_code
        == 302
    )
    assert fresh(matter).handover_to == colleague and fresh(matter).owner == personas.clerk_a

    other = client_for(colleague)
    page = text(other.get(url("matter", matter)))
    assert 'data-testid="handover-prompt"' in page and "确认接手" in page
    listing = text(other.get(reverse("desk:matters")))
    assert 'data-testid="my-handovers"' in listing and "邻里漏水纠纷" in listing
    response = other.post(url("matter_handover_confirm", matter), {"decision": "accept"}, follow=True)
    assert "您现在是首问负责人" in text(response)
    assert fresh(matter).owner == colleague
    assert owner.post(url("matter_answer", matter), {"answer": "x"}).status_code == 403


def test_refusing_a_hand_over_on_the_page_keeps_the_owner(personas: Personas, tree: Tree) -> None:
    colleague = make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)
    matter = services.matter_handover_offer(
        actor=personas.clerk_a, matter=new_matter(personas, tree), to_user=colleague
    )
    response = client_for(colleague).post(url("matter_handover_confirm", matter), {"decision": "refuse"})
    assert response.status_code == 302
    assert fresh(matter).owner == personas.clerk_a and fresh(matter).handover_to is None
    assert (
        client_for(personas.office_staff)
        .post(url("matter_handover_confirm", matter), {"decision": "accept"})
        .status_code
        == 403
    )


def test_mark_one_trip_and_the_office_task_list(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    client = client_for(personas.clerk_a)
    response = client.post(url("matter_one_trip", matter), {"one_trip_mode": ""})
    assert response.status_code == 400 and "请选择代办或上门服务。" in text(response)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        url("matter_one_trip", matter), {"one_trip_mode": "proxy", "one_trip_due": yesterday}
    )
    assert response.status_code == 400 and "期限不能早于今天。" in text(response)
    due = timezone.localdate() + datetime.timedelta(days=3)
    assert (
        client.post(
            url("matter_one_trip", matter), {"one_trip_mode": "home_visit", "one_trip_due": due}
        ).status_code
        == 302
    )
    assert fresh(matter).one_trip_mode == "home_visit"

    overdue = new_matter(personas, tree, summary="逾期代办")
    services.matter_mark_one_trip(actor=personas.clerk_a, matter=overdue, mode="proxy", due=due)
    Matter.objects.filter(pk=overdue.pk).update(one_trip_due=yesterday)
    page = text(client_for(personas.office_staff).get(reverse("desk:tasks")))
    assert page.index("逾期代办") < page.index("邻里漏水纠纷") and "已逾期" in page
    assert "上门服务" in page and "代办" in page
    assert "邻里漏水纠纷" not in text(client_for(personas.other_district_admin).get(reverse("desk:tasks")))
    assert client_for(personas.mediator).get(reverse("desk:tasks")).status_code == 403


def test_the_handler_inbox(personas: Personas, tree: Tree) -> None:
    waiting = transferred(personas, tree)
    working = services.matter_accept(
        actor=personas.mediator,
        matter=services.matter_transfer(
            actor=personas.clerk_a,
            matter=new_matter(personas, tree, summary="调解中的纠纷"),
            institution=tree.mediation,
        ),
    )
    response = client_for(personas.mediator).get(reverse("desk:inbox"))
    assert response.status_code == 200
    page = text(response)
    to_accept = page[
        page.index('data-testid="inbox-to-accept"') : page.index('data-testid="inbox-to-finish"')
    ]
    to_finish = page[page.index('data-testid="inbox-to-finish"') :]
    assert url("matter", waiting) in to_accept and f"{waiting.accept_due:%Y-%m-%d}" in to_accept
    assert url("matter", working) in to_finish and url("matter", waiting) not in to_finish
    assert "没有待承接的事项" in text(client_for(personas.handler).get(reverse("desk:inbox")))
    assert client_for(personas.clerk_a).get(reverse("desk:inbox")).status_code == 403


def test_the_matters_list_filters_and_paginates(personas: Personas, tree: Tree) -> None:
    for i in range(32):
        new_matter(personas, tree, kind="consultation", summary=f"咨询{i:02d}")
    new_matter(personas, tree, kind="dispute", summary="唯一的纠纷")
    client = client_for(personas.clerk_a)
    page = text(client.get(reverse("desk:matters"), {"kind": "dispute"}))
    assert "唯一的纠纷" in page and "咨询01" not in page
    first = text(client.get(reverse("desk:matters")))
    assert "第1/2页，共33件" in first and "我的未归档事项" in first
    assert "下一页" in text(client.get(reverse("desk:matters"), {"state": "received"}))
    assert "没有符合条件的事项" in text(client.get(reverse("desk:matters"), {"state": "closed"}))


def test_the_list_marks_overdue_matters(personas: Personas, tree: Tree) -> None:
    matter = transferred(personas, tree)
    Matter.objects.filter(pk=matter.pk).update(accept_due=timezone.localdate() - datetime.timedelta(days=1))
    page = text(client_for(personas.clerk_a).get(reverse("desk:matters")))
    assert "overdue-row" in page and "逾期" in page


def test_unknown_users_without_roles_get_403_on_the_lists(db: Any) -> None:
    nobody = User.objects.create_user(username="nobody", password="x-Lawdesk-2026")
    client = client_for(nobody)
    for name in ("desk:matters", "desk:inbox", "desk:tasks"):
        assert client.get(reverse(name)).status_code == 403, name


def test_an_action_address_opened_directly_shows_the_matter(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    response = client_for(personas.clerk_a).get(url("matter_answer", matter))
    assert response.status_code == 302 and response["Location"] == url("matter", matter)
    assert client_for(personas.clerk_b).get(url("matter_answer", matter)).status_code == 404


def test_an_htmx_move_the_actor_may_not_make_reloads_the_page_with_the_reason(
    personas: Personas, tree: Tree
) -> None:
    colleague = make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)
    matter = new_matter(personas, tree)
    client = client_for(colleague)
    response = client.post(url("matter_answer", matter), {"answer": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 403 and response["HX-Refresh"] == "true"
    assert "只有首问负责人或其上级可以当场解答该事项。" in text(client.get(url("matter", matter)))
    assert fresh(matter).state == S.RECEIVED


def test_redirect_prefill_keeps_what_the_clerk_typed_when_no_department_is_picked(
    personas: Personas, tree: Tree
) -> None:
    matter = new_matter(personas, tree, kind="consultation")
    page = text(
        client_for(personas.clerk_a).get(
            url("matter", matter), {"department": "", "redirect_to": "区人社局", "redirect_phone": "12333"}
        )
    )
    assert 'value="区人社局"' in page and 'value="12333"' in page


def test_a_deadline_in_a_year_without_holiday_data_says_it_counts_weekends_only(
    tree: Tree, personas: Personas
) -> None:
    matter = new_matter(personas, tree)
    services.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.mediation)
    transferred = timezone.make_aware(datetime.datetime(2026, 12, 28, 10, 0))
    Matter.objects.filter(pk=matter.pk).update(
        transferred_at=transferred, accept_due=datetime.date(2027, 1, 4)
    )
    content = client_for(personas.clerk_a).get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert "2027年节假日数据未录入，按周末计算" in content


def test_the_citizens_comment_appears_once_on_the_timeline(personas: Personas, tree: Tree) -> None:
    from lawdesk.quality import services as quality

    matter = services.matter_answer(
        actor=personas.clerk_a, matter=new_matter(personas, tree), answer="可申请仲裁"
    )
    quality.tablet_rate(handed_by=personas.clerk_a, matter=matter, rating=5, comment="讲得很清楚，谢谢")
    assert fresh(matter).state == S.CLOSED
    page = text(client_for(personas.clerk_a).get(url("matter", matter)))
    timeline = page[page.index('data-testid="timeline"') : page.index('id="attachments"')]
    assert timeline.count("讲得很清楚，谢谢") == 1
