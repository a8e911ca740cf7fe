"""A district admin opens the signage of the district: the platforms missing a phone or address are listed,
a complete station shows its lightbox faces and window backdrop, and its PDF prints at real size (page 1 is
rendered to a PNG to look at)."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from lawdesk.orgs.models import OrgNode
from tests.conftest import SCREENSHOTS, Personas, Tree, login, screenshot


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    """The site's public address is set, as a bureau sets it before printing signs (see the test below for the
    warning when it is not)."""
    settings.LAWDESK_PUBLIC_BASE_URL = "https://ggfw.xa.example.gov.cn"


pytestmark = pytest.mark.browser


def test_district_admin_prints_a_station_s_signage(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(
        address="雁塔区小寨路街道便民服务中心一楼",
        office_phone="029-85550001",
        appointment_phone="029-85550002",
        supervision_phone="029-85550003",
    )
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/public/signage/")
    page.wait_for_selector("[data-testid=incomplete]")
    incomplete = page.inner_text("[data-testid=incomplete]")
    assert "长延堡社区公共法律服务站" in incomplete and "预约电话" in incomplete
    assert "小寨路街道公共法律服务站" in page.inner_text("[data-testid=complete]")
    screenshot(page, "signage-batch")

    page.click("[data-testid=complete] >> text=小寨路街道公共法律服务站")
    page.wait_for_selector("[data-testid=english-name]")
    assert (
        page.inner_text("[data-testid=english-name]") == "Xiaozhailu Subdistrict Public Legal Service Station"
    )
    for key in ("a", "b", "backdrop"):
        img = page.locator(f"[data-testid=sign-{key}] img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    screenshot(page, "signage-platform")

    response = page.request.get(
        page.get_attribute("[data-testid=signage-pdf]", "href").join([live_server.url, ""])
    )
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = SCREENSHOTS / "signage.pdf"
    pdf_path.write_bytes(response.body())
    if shutil.which("pdftoppm"):
        for first in (1, 3):
            subprocess.run(
                ["pdftoppm", "-r", "12", "-png", "-singlefile", "-f", str(first), "-l", str(first), str(pdf_path),
                 str(SCREENSHOTS / f"signage-pdf-page{first}")],
                check=True,
            )  # fmt: skip
        assert (SCREENSHOTS / "signage-pdf-page1.png").stat().st_size > 5000
    pdf_path.unlink()

    # A station without phones shows why its face B is not drawn.
    page.goto(f"{live_server.url}/public/signage/{tree.station_b.pk}/")
    assert "缺少办公电话、预约电话、监督电话" in page.inner_text("[data-testid=missing-b]")
    screenshot(page, "signage-missing")
