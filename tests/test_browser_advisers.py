"""The village legal adviser, on a phone, records a service with a photo; the judicial office approves it; the
board shows a village without an adviser and the month's figures lead back to the record."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from lawdesk.advisers import services
from lawdesk.advisers.demo import sample_png
from lawdesk.advisers.models import RecordStatus, ServiceRecord
from lawdesk.core import clock
from lawdesk.orgs import services as orgs
from tests.conftest import Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_the_adviser_records_on_a_phone_and_the_office_approves(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    today = clock.today()
    served = orgs.village_create(actor=None, office=tree.office, name="吉祥村", region_code="610113001201")
    lonely = orgs.village_create(actor=None, office=tree.office, name="罗家寨村", region_code="610113001203")
    services.contract_create(
        actor=personas.office_staff, village=served, adviser=personas.adviser, institution=tree.law_firm,
        start=today - datetime.timedelta(days=100), end=today + datetime.timedelta(days=200),
        signed=today - datetime.timedelta(days=110),
    )  # fmt: skip

    # 1. The adviser, on a phone: the home page is their own page with a big button.
    page.set_viewport_size(PHONE)
    login(page, live_server, personas.adviser)
    page.wait_for_selector("[data-testid=my-villages]")
    assert "吉祥村" in page.inner_text("[data-testid=my-villages]")
    assert "罗家寨村" not in page.content()
    screenshot(page, "advisers-phone-home")
    page.click("[data-testid=record-service]")
    page.wait_for_selector("[data-testid=record-form]")

    # 2. Thirty hours in a day is refused in Chinese; then saved with a photo.
    page.select_option("[name=kind]", "lecture")
    page.fill("[name=hours]", "30")
    page.fill("[name=people_served]", "40")
    page.fill("[name=description]", "民法典进村讲座，讲解婚姻家庭和继承")
    page.click("[data-testid=save-record]")
    page.wait_for_selector("text=服务时长应大于0且不超过24小时。")
    screenshot(page, "advisers-phone-error")
    page.fill("[name=hours]", "1.5")
    page.set_input_files(
        "#id_photos", files=[{"name": "讲座.png", "mimeType": "image/png", "buffer": sample_png()}]
    )
    screenshot(page, "advisers-phone-form")
    page.click("[data-testid=save-record]")
    page.wait_for_selector("text=等待司法所审核")
    record = ServiceRecord.objects.get()
    assert record.photos.count() == 1 and record.status == RecordStatus.PENDING
    assert "待审核" in page.inner_text(f"[data-testid=my-record-{record.pk}]")
    screenshot(page, "advisers-phone-recorded")
    logout(page)

    # 3. The office staff, at a desk: the board shows the village without an adviser.
    page.set_viewport_size(DESKTOP)
    login(page, live_server, personas.office_staff)
    page.click("summary:text('工作')")
    page.click("[data-testid=advisers-link]")
    page.wait_for_selector("[data-testid=villages-table]")
    assert page.get_attribute(f"[data-testid=village-{lonely.pk}]", "data-state") == "none"
    assert "无顾问" in page.inner_text(f"[data-testid=village-{lonely.pk}]")
    assert page.get_attribute(f"[data-testid=village-{served.pk}]", "data-state") == "active"
    screenshot(page, "advisers-board")

    # 4. The month's records: the figures, then the record; approve it.
    page.click("[data-testid=tab-records]")
    page.wait_for_selector("[data-testid=by-adviser]")
    assert "1.5" in page.inner_text("[data-testid=by-adviser]")
    page.click(f"[data-testid=record-{record.pk}] a")
    page.wait_for_selector("[data-testid=check-form]")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.fill("[name=comment]", "讲座内容翔实")
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=已审核通过。")
    assert "已审核" in page.inner_text("[data-testid=record-status]")
    record.refresh_from_db()
    assert record.status == RecordStatus.APPROVED and record.checked_by == personas.office_staff
    screenshot(page, "advisers-record-approved")

    # 5. The town's WeChat group: registered by the office, one member with the phone masked in the list.
    page.click("text=← 返回")
    page.click("[data-testid=tab-groups]")
    page.wait_for_selector(f"[data-testid=missing-{tree.office.pk}]")
    page.click("summary:text('登记(修改)微信群')")
    page.fill("[data-testid=group-form] [name=name]", "小寨路街道公共法律服务群")
    page.click("[data-testid=save-group]")
    page.wait_for_selector("text=已登记微信群：小寨路街道公共法律服务群")
    page.fill("[data-testid=member-form] [name=name]", "王书记")
    page.select_option("[data-testid=member-form] [name=category]", "secretary")
    page.select_option("[data-testid=member-form] [name=village]", label="吉祥村")
    page.fill("[data-testid=member-form] [name=phone]", "13912345678")
    page.click("[data-testid=save-member]")
    page.wait_for_selector("text=已添加群成员：王书记")
    members = page.inner_text("[data-testid=members-table]")
    assert "139****5678" in members and "13912345678" not in members
    assert "村(社区)书记 1 人" in page.inner_text("[data-testid=member-counts]")
    screenshot(page, "advisers-wechat-group")
