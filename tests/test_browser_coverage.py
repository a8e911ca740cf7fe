"""The city admin opens the coverage board, drills down from 雁塔区's "served by nothing" figure to the villages
behind it; the office registers a lightbox point for one of them from the list, and downloads its signage PDF (page
1 rendered to a PNG to look at)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from typing import Any

import pytest

from lawdesk.core import clock
from lawdesk.coverage import services
from lawdesk.coverage.models import LightboxPoint
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.services import village_create
from tests.conftest import SCREENSHOTS, Personas, Tree, login, logout, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.LAWDESK_PUBLIC_BASE_URL = "https://ggfw.xa.example.gov.cn"


def test_board_drills_down_to_the_villages_served_by_nothing_and_a_lightbox_prints(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        address="雁塔区小寨路街道便民服务中心一楼", office_phone="029-85550001",
        appointment_phone="029-85550002", supervision_phone="029-85550003",
    )  # fmt: skip
    village_create(
        actor=None, office=tree.office, name="长延堡社区", region_code="610113001001", station=tree.station_b
    )
    lit = village_create(actor=None, office=tree.office, name="吉祥村", region_code="610113001201")
    village_create(actor=None, office=tree.office, name="罗家寨村", region_code="610113001203")
    village_create(actor=None, office=tree.office2, name="丈八村", region_code="610113002201")
    village_create(actor=None, office=tree.other_office, name="西一村", region_code="610102001201")
    services.lightbox_create(
        actor=None,
        village=lit,
        place="吉祥村村委会门口",
        installed=clock.today() - datetime.timedelta(days=30),
    )

    # 1. The city admin: one row per district and the total; 雁塔区 has two villages served by nothing.
    login(page, live_server, personas.city_admin)
    page.goto(f"{live_server.url}/desk/coverage/")
    page.wait_for_selector("[data-testid=coverage-districts]")
    row = page.locator(f"[data-testid=district-{tree.district.pk}]")
    assert row.locator("[data-figure=all]").inner_text() == "4"
    assert row.locator("[data-figure=none]").inner_text() == "2"
    assert row.locator("[data-testid=percent]").inner_text() == "50.0%"
    assert "罗家寨村" in page.inner_text("[data-testid=served-by-nothing]")
    screenshot(page, "coverage-board")

    # 2. The figure drills down to exactly those villages.
    row.locator("[data-figure=none]").click()
    page.wait_for_selector("[data-testid=villages-table]")
    names = page.locator("[data-testid=village-row] td:nth-child(3)").all_inner_texts()
    assert sorted(names) == ["丈八村", "罗家寨村"]
    assert "共2个村(社区)" in page.inner_text("[data-testid=village-count]")
    screenshot(page, "coverage-drill-down")
    logout(page)

    # 3. The office registers a lightbox point for 罗家寨村; the village leaves the list.
    login(page, live_server, personas.office_staff)
    page.goto(f"{live_server.url}/desk/coverage/lightboxes/")
    page.wait_for_selector("[data-testid=lightbox-form]")
    page.select_option("[name=village]", label="小寨路街道 罗家寨村（610113001203）")
    page.fill("[name=place]", "罗家寨村文化广场")
    page.click("[data-testid=lightbox-form] button[type=submit]")
    page.wait_for_selector("[data-testid=lightbox-facts]")
    assert "/online/appointments/" in page.inner_text("[data-testid=booking-url]")
    screenshot(page, "coverage-lightbox")
    point = LightboxPoint.objects.get(place="罗家寨村文化广场")

    # 4. Its signage PDF downloads: lightbox faces A and B of the town station with the booking QR.
    href = page.get_attribute("[data-testid=lightbox-pdf]", "href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = SCREENSHOTS / "coverage-lightbox.pdf"
    pdf_path.write_bytes(response.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "12", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf_path),
             str(SCREENSHOTS / "coverage-lightbox-pdf-page1")],
            check=True,
        )  # fmt: skip
        assert (SCREENSHOTS / "coverage-lightbox-pdf-page1.png").stat().st_size > 5000
    pdf_path.unlink()

    page.goto(f"{live_server.url}/desk/coverage/villages/?served=none")
    page.wait_for_selector("[data-testid=villages-table]")
    assert "罗家寨村" not in page.inner_text("[data-testid=villages-table]")
    assert point.village.name == "罗家寨村"
