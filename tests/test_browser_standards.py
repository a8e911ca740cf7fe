"""The district's hardship-standard page in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def test_district_admin_sets_a_standard_from_the_district_page(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/org/{tree.district.pk}/")
    page.click("text=法律援助经济困难标准")
    page.fill("[name=monthly_income_per_head]", "1500")
    page.fill("[name=lowered_for_vulnerable]", "1200")
    page.fill("[name=effective_from]", "2026-01-01")
    page.click("button:text('保存')")
    assert "特殊群体放宽标准不能低于一般标准" in page.inner_text("main")
    page.fill("[name=lowered_for_vulnerable]", "2000")
    page.click("button:text('保存')")
    page.wait_for_selector("text=已保存经济困难标准。")
    assert "1500.00" in page.inner_text("[data-testid=standards]")
    screenshot(page, "legalaid-standards")
