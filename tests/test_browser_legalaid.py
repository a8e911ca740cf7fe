"""A legal-aid application in headless Chromium, from the window to the legal aid centre's decision: the clerk
fills the application form and records the preliminary review, the judicial office transfers it to the centre,
the centre's handler grants legal aid and names the lawyer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from lawdesk.accounts.models import Role
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.legalaid.models import HardshipStandard, LegalAidApplication
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterKind, MatterState
from lawdesk.matters.services import MatterInput, PersonInput
from tests.conftest import Personas, Tree, login, logout, make_user, screenshot

pytestmark = pytest.mark.browser


def test_application_from_the_window_to_the_centre(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    centre = Institution.objects.create(
        kind=InstitutionKind.LEGAL_AID_CENTRE,
        name="西安市雁塔区法律援助中心",
        home_node=tree.district,
        phone="029-85550148",
    )
    centre.served_nodes.add(tree.district)
    handler = make_user("aid_handler", Role.HANDLER, institution=centre)
    HardshipStandard.objects.create(
        node=tree.district,
        monthly_income_per_head=Decimal("1000"),
        lowered_for_vulnerable=Decimal("1500"),
        effective_from=datetime.date(2020, 1, 1),
    )
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="王五", phone="13800138001", groups=["poor"]),
        matters=[MatterInput(kind=MatterKind.LEGAL_AID, summary="被拖欠工资三个月，申请法律援助")],
    )
    matter: Matter = visit.matters.get()
    url = f"{live_server.url}/desk/legal-aid/{matter.pk}/"

    # The clerk fills the application; a missing basis comes back in Chinese under its field.
    login(page, live_server, personas.clerk_a)
    page.goto(url)
    page.select_option("select[name=category]", "other")
    page.fill("input[name=opponent_name]", "某建筑劳务有限公司")
    page.select_option("select[name=opponent_type]", "unit")
    page.fill("input[name=opponent_contact]", "雁塔区科技路1号")
    page.fill("input[name=household_size]", "3")
    page.fill("input[name=monthly_income]", "4200")
    for value in ("id_proof", "hardship_statement", "evidence"):
        page.check(f"input[name=materials][value={value}]")
    page.click("[data-testid=save-application]")
    page.wait_for_selector("text=选择“法律、法规、规章规定的其他情形”的，须注明依据。")
    screenshot(page, "legalaid-form-error")
    page.select_option("select[name=category]", "labour")
    page.click("[data-testid=save-application]")
    page.wait_for_selector("text=已保存法律援助申请表。")
    assert page.inner_text("[data-testid=legalaid-summary]") == "符合法律援助条件。"
    assert "快速办理" in page.inner_text("[data-testid=fast-track]")
    verdict = page.inner_text("[data-testid=legalaid-verdict]")
    assert "第三十一条第（五）项" in verdict and "实施方案五(四)4适用的放宽标准" in verdict
    screenshot(page, "legalaid-application")

    # The preliminary review.
    page.check("input[name=opinion][value=eligible]")
    page.fill("#act-review textarea[name=note]", "事项属于法律援助范围，材料齐全")
    page.click("[data-testid=do-review]")
    page.wait_for_selector("text=已登记初审意见。")
    assert page.inner_text("[data-testid=review-opinion]").startswith("符合")
    pdf = page.request.get(f"{url}application.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    logout(page)

    # The judicial office transfers it to the legal aid centre.
    login(page, live_server, personas.office_staff)
    page.goto(url)
    page.select_option("#act-transfer select[name=institution]", str(centre.pk))
    page.click("[data-testid=do-transfer]")
    page.wait_for_selector("text=已移交法律援助中心。")
    assert centre.name in page.inner_text("[data-testid=centre]")
    assert page.inner_text("[data-testid=matter-state]") == "已移交"
    logout(page)

    # The centre's handler grants legal aid and names the lawyer.
    login(page, live_server, handler)
    page.goto(url)
    screenshot(page, "legalaid-centre-decision-form")
    page.check("input[name=decision][value=grant]")
    page.click("[data-testid=do-decision]")
    page.wait_for_selector("text=决定给予法律援助的，请填写指派的法律援助人员。")
    page.fill("input[name=lawyer_name]", "李明律师")
    page.click("[data-testid=do-decision]")
    page.wait_for_selector("text=已登记受理决定。")
    assert "给予" in page.inner_text("[data-testid=decision]")
    assert "李明律师" in page.inner_text("[data-testid=decision]")
    screenshot(page, "legalaid-decided")

    application = LegalAidApplication.objects.get(matter=matter)
    assert application.decision == "grant" and application.lawyer_name == "李明律师"
    assert Matter.objects.get(pk=matter.pk).state == MatterState.ACCEPTED
