"""The district admin lists a poor village and a service team, records a special service (a missing activity is
refused in Chinese first) and sees the village leave the "not yet served" board; then records a publicity event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lawdesk.outreach.models import PoorVillage, PovertyService, PublicityEvent
from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_a_service_takes_the_village_off_the_board(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    base = f"{live_server.url}/desk/outreach"
    login(page, live_server, personas.district_admin)

    # 1. A poor village: a wrong code is refused in Chinese, then the right one is taken.
    page.goto(f"{base}/villages/")
    page.fill("[name=name]", "五星村")
    page.fill("[name=region_code]", "610102001201")
    page.select_option("[name=office]", label="小寨路街道司法所")
    page.click("[data-testid=save-village]")
    page.wait_for_selector("text=不在本区(县)")
    screenshot(page, "outreach-village-error")
    page.fill("[name=region_code]", "610113001201")
    page.click("[data-testid=save-village]")
    page.wait_for_selector("text=已登记贫困村：五星村")
    village = PoorVillage.objects.get(name="五星村")

    # 2. A service team with one member.
    page.goto(f"{base}/teams/")
    page.fill("[data-testid=team-form] [name=name]", "雁塔区脱贫攻坚法律服务团")
    page.select_option("[data-testid=team-form] [name=lead]", label="office_staff")
    page.click("[data-testid=save-team]")
    page.wait_for_selector("text=已建立：雁塔区脱贫攻坚法律服务团")
    page.select_option("[data-testid=member-form] [name=team]", label="雁塔区脱贫攻坚法律服务团")
    page.fill("[data-testid=member-form] [name=name]", "王律师")
    page.select_option("[data-testid=member-form] [name=category]", "lawyer")
    page.click("[data-testid=save-member]")
    page.wait_for_selector("text=已添加成员：王律师")
    screenshot(page, "outreach-teams")

    # 3. The board lists the village as not yet served.
    page.goto(f"{base}/")
    assert page.locator(f"[data-testid=unserved-{village.pk}]").is_visible()
    screenshot(page, "outreach-board-before")

    # 4. Record the service: without an activity it is refused in Chinese; then saved with a photo.
    page.click(f"[data-testid=unserved-{village.pk}] a")
    page.wait_for_selector("[data-testid=service-form]")
    page.select_option("[name=team]", label="雁塔区脱贫攻坚法律服务团")
    page.fill("[name=description]", "入户走访，讲解土地承包和赡养纠纷相关法律")
    page.fill("[name=people_served]", "23")
    page.click("[data-testid=save-service]")
    page.wait_for_selector("text=请至少选择一项服务内容。")
    screenshot(page, "outreach-service-error")
    page.check("[name=activities][value=consultation]")
    page.check("[name=activities][value=publicity]")
    page.set_input_files("#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("[data-testid=save-service]")
    page.wait_for_selector("[data-testid=service-facts]")
    assert "法律咨询、法治宣传" in page.inner_text("[data-testid=service-facts]")
    service = PovertyService.objects.get()
    assert service.village == village and service.photos.count() == 1
    assert service.date == timezone.localdate()

    # 5. The village has left the board.
    page.click("[data-testid=tab-board]")
    page.wait_for_selector("[data-testid=all-served]")
    assert page.locator(f"[data-testid=unserved-{village.pk}]").count() == 0
    assert page.locator(f"[data-testid=served-{village.pk}]").is_visible()
    screenshot(page, "outreach-board-after")

    # 6. A publicity event.
    page.click("[data-testid=tab-events]")
    page.fill("[name=place]", "小寨十字广场")
    page.fill("[name=theme]", "国家宪法日宣传")
    page.fill("[name=organiser]", "雁塔区司法局")
    page.fill("[name=audience_count]", "300")
    page.fill("[name=materials_count]", "500")
    page.click("[data-testid=save-event]")
    page.wait_for_selector("text=已登记法治宣传活动：国家宪法日宣传")
    assert "小寨十字广场" in page.inner_text("[data-testid=events-table]")
    assert PublicityEvent.objects.get().audience_count == 300
    screenshot(page, "outreach-events")
