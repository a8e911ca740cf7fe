"""A citizen, not logged in, asks "老板拖欠工资" in their own words, sees the Labour Contract Law's article 30
highlighted in the results, and opens the law page at that article (chapters, status, dates)."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.laws.models import Law
from lawdesk.laws.search import reset_index
from lawdesk.laws.services import import_corpus
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def corpus(transactional_db: Any) -> Any:
    import_corpus(actor=None, only=("劳动合同法", "劳动法", "劳动争议调解仲裁法"), force=True)
    yield
    reset_index()


def test_a_citizen_searches_in_their_own_words_and_opens_the_article(
    page: Any, live_server: Any, corpus: Any
) -> None:
    page.goto(f"{live_server.url}/laws/")
    assert page.locator("[data-testid=dept]").count() >= 1
    screenshot(page, "laws-index")

    page.fill("[data-testid=law-query]", "老板拖欠工资")
    page.click("[data-testid=law-search]")
    page.wait_for_selector("[data-testid=hit]")
    titles = page.locator("[data-testid=hit] h3").all_inner_texts()
    assert "《中华人民共和国劳动合同法》第三十条" in titles[:5]
    assert page.locator("[data-testid=hit] mark").count() > 0
    screenshot(page, "laws-search")

    page.click("text=《中华人民共和国劳动合同法》第三十条")
    page.wait_for_selector("[data-testid=law-title]")
    law = Law.objects.get(title="中华人民共和国劳动合同法")
    assert page.url.startswith(f"{live_server.url}/laws/{law.pk}/#a")
    assert page.inner_text("[data-testid=law-status]") == "现行有效"
    assert page.locator("[data-testid=chapter]").count() >= 5
    target = page.locator("[data-testid=article][data-number='30']")
    assert "及时足额支付劳动报酬" in target.inner_text()
    assert target.is_visible()
    screenshot(page, "laws-law")
