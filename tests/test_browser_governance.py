"""A window clerk records a publicity event at the station (the channels ticked, a missing theme refused
first); the judicial office records a legal opinion to the street office and then its adoption."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lawdesk.governance.models import LegalOpinion
from lawdesk.outreach.models import PublicityEvent
from tests.conftest import Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_clerk_records_an_event_and_the_office_an_opinion(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.clerk_a)
    page.click("text=工作")
    page.click("[data-testid=publicity-link]")
    page.wait_for_selector("[data-testid=event-form]")
    assert page.locator("[data-testid=tab-board]").count() == 0
    page.select_option("[data-testid=event-form] [name=kind]", "lecture")
    page.fill("[name=place]", "小寨十字广场")
    page.fill("[name=organiser]", "小寨路街道公共法律服务站")
    page.check("[name=channels][value=on_site]")
    page.check("[name=channels][value=wechat_weibo]")
    page.fill("[name=audience_count]", "180")
    page.click("[data-testid=save-event]")
    assert page.eval_on_selector("[name=theme]", "e => e.validity.valueMissing")  # the browser refuses it
    assert not PublicityEvent.objects.exists()
    page.fill("[name=theme]", "民法典进社区")
    page.click("[data-testid=save-event]")
    page.wait_for_selector("text=已登记法治宣传活动：民法典进社区")
    row = page.inner_text("[data-testid=events-table]")
    assert "小寨路街道公共法律服务站" in row and "微信微博、现场活动" in row and "法治讲座" in row
    event = PublicityEvent.objects.get()
    assert event.node == tree.station_a and event.audience_count == 180
    screenshot(page, "governance-clerk-event")
    logout(page)

    login(page, live_server, personas.office_staff)
    page.click("text=工作")
    page.click("[data-testid=governance-link]")
    page.click("[data-testid=tab-opinions]")
    page.fill("[name=requester]", "小寨路街道办事处")
    page.fill("[name=subject]", "老旧小区改造征收补偿方案")
    page.fill("[name=opinion]", "补偿标准须经公示并听取被征收人意见。")
    page.click("[data-testid=save-opinion]")
    page.wait_for_selector("text=已登记法律意见建议：老旧小区改造征收补偿方案")
    assert page.inner_text("[data-testid=adoption]").startswith("待反馈")
    page.check("[name=adoption][value=adopted]")
    page.click("[data-testid=save-adoption]")
    page.wait_for_selector("text=已登记采纳情况：采纳")
    assert page.locator("[data-testid=adoption-form]").count() == 0
    assert LegalOpinion.objects.get().adoption == "adopted"
    screenshot(page, "governance-office-opinion")
