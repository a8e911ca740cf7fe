"""A complaint in headless Chromium: a clerk records a complaint against a lawyer (a platform user) and passes it
to the bureau's department; the department's handler acknowledges and answers it; the clerk records the
complainant's response; the lawyer logs in and finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.accounts.models import Role
from lawdesk.complaints.models import ComplaintDetail
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters.models import MatterState
from lawdesk.workcal.models import DeadlineRule
from tests.conftest import Personas, Tree, login, logout, make_user, screenshot

pytestmark = pytest.mark.browser

STATEMENT = "陕西雁塔测试律师事务所的律师收取代理费8000元后三个月未开展任何工作，电话也不接。"


def test_a_complaint_walks_to_its_answer_and_the_subject_sees_nothing(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    for stage, days in (("accept", 1), ("outcome", 15)):  # the migration's defaults (a flush removes them)
        DeadlineRule.objects.get_or_create(
            node=None, kind="complaint", stage=stage, defaults={"working_days": days}
        )
    department = Institution.objects.create(
        kind=InstitutionKind.OTHER_DEPARTMENT, name="雁塔区司法局律师工作科", home_node=tree.district
    )
    department.served_nodes.add(tree.district)
    dept_handler = make_user("dept_handler", Role.HANDLER, institution=department)
    lawyer = personas.handler

    # The clerk records the complaint as said, naming the lawyer from the list of workers.
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/complaints/")
    page.click("[data-testid=new-complaint]")
    page.fill("#id_statement", "")
    page.click("[data-testid=record-complaint]")
    page.wait_for_selector("text=请如实记录投诉事项，不能为空。")
    screenshot(page, "complaint-record-errors")
    page.fill("#id_contact_name", "周建国")
    page.fill("#id_contact_phone", "13712345678")
    page.select_option("#id_subject_user", str(lawyer.pk))
    page.fill("#id_subject_unit", tree.law_firm.name)
    page.fill("#id_statement", STATEMENT)
    screenshot(page, "complaint-record")
    page.click("[data-testid=record-complaint]")
    page.wait_for_selector("[data-testid=complaint-panel]")
    assert "已登记投诉" in page.inner_text(".flash")
    assert page.inner_text("[data-testid=complainant]") == "周建国"
    detail = ComplaintDetail.objects.get()
    matter_url = f"{live_server.url}/desk/complaints/{detail.matter_id}/"

    # …and passes it to the department.
    page.select_option("#act-pass_on select[name=department]", str(department.pk))
    page.click("[data-testid=pass-on]")
    page.wait_for_selector("[data-testid=complaint-department]")
    assert page.inner_text("[data-testid=matter-state]") == "已移交"
    screenshot(page, "complaint-passed-on")
    logout(page)

    # The department's handler finds it, does not see who complained, acknowledges and answers.
    login(page, live_server, dept_handler)
    page.goto(f"{live_server.url}/desk/complaints/")
    page.click("[data-testid=complaints] a")
    page.wait_for_selector("[data-testid=complaint-panel]")
    assert page.inner_text("[data-testid=complainant]") == "（身份保密）"
    assert "周建国" not in page.content() and "13712345678" not in page.content()
    page.click("[data-testid=acknowledge]")
    page.wait_for_selector("#act-answer")
    page.click("[data-testid=answer]")
    page.wait_for_selector("text=请填写处理结果（对投诉的答复）。")
    page.fill("#act-answer textarea[name=answer]", "经核查属实，已责令该律师退还代理费并约谈所主任。")
    page.click("[data-testid=answer]")
    page.wait_for_selector("[data-testid=complaint-answer]")
    screenshot(page, "complaint-answered")
    logout(page)

    # The clerk tells the complainant and records their response.
    login(page, live_server, personas.clerk_a)
    page.goto(matter_url)
    page.select_option("#act-response select[name=via]", "phone")
    page.select_option("#act-response select[name=satisfied]", "yes")
    page.fill("#act-response textarea[name=response]", "已收到退费")
    page.click("[data-testid=response]")
    page.wait_for_selector("[data-testid=complaint-response]")
    assert page.inner_text("[data-testid=complaint-response]") == "满意：已收到退费"
    screenshot(page, "complaint-response")
    detail.matter.refresh_from_db()
    assert detail.matter.state == MatterState.CITIZEN_TOLD
    logout(page)

    # The lawyer complained about sees nothing of it.
    login(page, live_server, lawyer)
    page.goto(f"{live_server.url}/desk/complaints/")
    assert "没有投诉。" in page.inner_text("[data-testid=complaints]")
    page.goto(f"{live_server.url}/desk/inbox/")
    assert STATEMENT not in page.content()
    response = page.goto(matter_url)
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/desk/matters/{detail.matter_id}/")
    assert response is not None and response.status == 404
    screenshot(page, "complaint-subject-404")
