"""The remaining pages in headless Chromium: adding a node, the Excel import page, the institutions directory,
and the layout on a tablet."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.orgs.models import OrgNode
from tests.conftest import Personas, Tree, login, screenshot, workbook

pytestmark = pytest.mark.browser


def test_district_admin_adds_a_station_and_a_bad_name_is_explained(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/org/{tree.office2.pk}/")
    page.click("text=添加下级")
    page.select_option("select[name=kind]", "village_station")
    page.fill("input[name=name]", "三爻公共法律服务站")
    page.fill("input[name=region_code]", "610113002003")
    page.click("button:text('保存')")
    assert "不符合命名规范" in page.inner_text("[role=alert]")
    screenshot(page, "add-node-refused")
    assert not OrgNode.objects.filter(region_code="610113002003").exists()

    page.fill("input[name=name]", "三爻村公共法律服务站")
    page.click("button:text('保存')")
    page.wait_for_selector("[data-testid=platform-card]")
    assert "三爻村公共法律服务站" in page.inner_text("[data-testid=node-name]")
    assert OrgNode.objects.get(region_code="610113002003").parent == tree.office2


def test_import_page_lists_every_bad_row_and_saves_nothing(
    page: Any, live_server: Any, tree: Tree, personas: Personas, tmp_path: Any
) -> None:
    path = tmp_path / "tree.xlsx"
    path.write_bytes(
        workbook(
            ["类型", "名称", "区划代码"],
            [
                {"类型": "村(社区)公共法律服务站", "名称": name, "区划代码": code}
                for name, code in (
                    ("杜城村公共法律服务站", "610113001002"),
                    ("杜城公共法律服务站", "610113001003"),
                    ("某村公共法律服务站", "610102001001"),
                )
            ],
        ).getvalue()
    )
    before = OrgNode.objects.count()
    login(page, live_server, personas.district_admin)
    page.goto(f"{live_server.url}/org/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:text('上传并导入')")
    errors = page.inner_text("[data-testid=import-errors]")
    screenshot(page, "import-errors")
    assert "未保存任何数据" in errors
    assert "第3行" in errors and "不符合命名规范" in errors
    assert "第4行" in errors  # under the other district: out of this admin's reach
    assert OrgNode.objects.count() == before


def test_clerk_finds_an_institution_serving_their_station(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    login(page, live_server, personas.clerk_a)
    page.click("text=后台机构")
    page.select_option("select[name=kind]", "law_firm")
    page.click("button:text('筛选')")
    table = page.inner_text("[data-testid=institutions]")
    assert tree.law_firm.name in table and tree.other_law_firm.name not in table
    screenshot(page, "institutions-list")
    page.click(f"text={tree.law_firm.name}")
    assert tree.law_firm.name in page.inner_text("[data-testid=institution-name]")
    assert "029-88880001" in page.content()
    screenshot(page, "institution-detail")


def test_station_page_fits_a_tablet(page: Any, live_server: Any, tree: Tree, personas: Personas) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    login(page, live_server, personas.office_staff)
    page.goto(f"{live_server.url}/org/{tree.office.pk}/")
    page.wait_for_selector("[data-testid=platform-card]")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a tablet screen"
    screenshot(page, "tablet-office")
