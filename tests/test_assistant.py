"""智慧小司: the seeded FAQ base answers the common questions (jieba words and keywords), cites law articles from
the law search, offers an appointment or a question to a clerk when unsure, has a kiosk variant without the site
chrome, and never calls an outside service unless a hook is configured."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lawdesk.online import assistant, faq_seed
from lawdesk.online.models import Faq


@pytest.fixture(autouse=True)
def faqs(db: Any) -> None:
    """The seeded FAQ base (a flush by an earlier transactional test removes what the migration loaded)."""
    faq_seed.load()


def ask(question: str, **extra: str) -> str:
    response = Client().post(reverse("online:assistant"), {"q": question, **extra})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("请问怎么申请法律援助", "怎样申请法律援助？"),
        ("办公证要带些什么东西", "办理公证需要带什么材料？"),
        ("调解要收钱吗", "人民调解是怎么进行的？收费吗？"),
        ("离我最近的服务站在哪", "最近的公共法律服务站在哪里？"),
        ("老板拖欠农民工工资能不能找法援", "农民工讨薪可以申请法律援助吗？"),
    ],
)
def test_the_seeded_faqs_answer_the_common_questions(db: Any, question: str, expected: str) -> None:
    hits = assistant.match_faqs(question)
    assert hits and hits[0].faq.question == expected, [(h.faq.question, h.score) for h in hits]
    assert hits[0].score >= assistant.CONFIDENT


def test_the_page_answers_with_the_faq(db: Any) -> None:
    body = ask("申请法律援助要带哪些材料")
    assert 'data-testid="faq-answer"' in body and "身份证明" in body
    assert 'data-testid="assistant-unsure"' not in body


def test_when_unsure_it_offers_an_appointment_and_a_question_to_a_clerk(db: Any) -> None:
    body = ask("宇宙飞船的发射许可证怎么办")
    assert 'data-testid="assistant-unsure"' in body
    assert reverse("online:appointments") in body and reverse("online:ask") in body
    assert "预约到站咨询" in body and "留言给工作人员" in body


def test_an_unsure_question_is_carried_into_the_consultation_form(db: Any) -> None:
    client = Client()
    client.post(reverse("online:assistant"), {"q": "宇宙飞船的发射许可证怎么办"})
    form = client.get(reverse("online:ask")).content.decode()
    assert "宇宙飞船的发射许可证怎么办" in form


def test_an_inactive_faq_is_not_used_and_an_admin_edit_is(db: Any) -> None:
    Faq.objects.filter(question="怎样申请法律援助？").update(active=False)
    assert all(h.faq.question != "怎样申请法律援助？" for h in assistant.match_faqs("怎么申请法律援助"))
    Faq.objects.create(
        question="社区矫正人员可以外出吗？", keywords="社区矫正 外出 请假", answer="须经批准。"
    )
    assert assistant.match_faqs("社区矫正期间想外出")[0].faq.answer == "须经批准。"


def test_the_kiosk_variant_has_no_site_chrome(db: Any) -> None:
    body = Client().get(reverse("online:assistant"), {"kiosk": "1"}).content.decode()
    assert 'class="kiosk"' in body and 'class="topbar"' not in body
    assert 'name="kiosk" value="1"' in body
    site = Client().get(reverse("online:assistant")).content.decode()
    assert 'class="topbar"' in site


def test_the_question_is_posted_never_put_in_the_url(db: Any) -> None:
    body = Client().get(reverse("online:assistant")).content.decode()
    assert 'method="post"' in body and 'method="get"' not in body


def test_the_outside_hook_is_off_by_default_and_called_only_when_set(db: Any, settings: Any) -> None:
    assert not getattr(settings, "LAWDESK_ASSISTANT_HOOK", "")
    calls: list[str] = []

    def hook(question: str, faqs: Any, laws: Any) -> str:
        calls.append(question)
        return "本地服务补充的答复"

    assistant.ask("怎么申请法律援助")
    assert calls == []
    settings.LAWDESK_ASSISTANT_HOOK = "tests.test_assistant.HOOK"
    globals()["HOOK"] = hook
    assert assistant.ask("怎么申请法律援助").extra == "本地服务补充的答复"
    assert calls == ["怎么申请法律援助"]


@pytest.fixture
def legal_aid_law(db: Any) -> Iterator[None]:
    search = pytest.importorskip("lawdesk.laws.search")
    services = pytest.importorskip("lawdesk.laws.services")
    try:
        services.import_corpus(actor=None, only=("法律援助法", "劳动合同法"), force=True)
    except Exception as exc:  # no corpus file on this machine
        pytest.skip(f"law corpus not available: {exc}")
    search.reset_index()
    yield
    search.reset_index()


def test_it_cites_law_articles_from_the_law_search(legal_aid_law: None) -> None:
    reply = assistant.ask("公司拖欠工资不给，可以申请法律援助吗")
    assert reply.laws_available and reply.laws
    titles = {hit.law_title for hit in reply.laws}
    assert titles & {"中华人民共和国法律援助法", "中华人民共和国劳动合同法"}, titles
    body = ask("公司拖欠工资不给，可以申请法律援助吗")
    assert 'data-testid="law-citations"' in body
    first = reply.laws[0]
    assert first.article_label in body and first.law_title in body


def test_the_faq_base_is_kept_in_the_admin_by_system_admins_only(db: Any, personas: Any) -> None:
    from tests.conftest import client_for

    admin = client_for(personas.system_admin)
    listing = admin.get("/admin/online/faq/")
    assert listing.status_code == 200 and "怎样申请法律援助？" in listing.content.decode()
    faq = Faq.objects.get(question="怎样申请法律援助？")
    assert admin.get(f"/admin/online/faq/{faq.pk}/change/").status_code == 200
    assert client_for(personas.clerk_a).get("/admin/online/faq/").status_code == 302
