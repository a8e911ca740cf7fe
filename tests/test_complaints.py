"""The complaints register (投诉举报, plan 五(四)6): recorded as said, passed to a department, acknowledged
within 1 working day and answered within 15, the complainant's response recorded, overdue ones escalated; the
complainant's identity restricted to the roles that handle complaints; a complaint never visible to, or
actionable by, its subject."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lawdesk.accounts.models import Role, User
from lawdesk.complaints import services
from lawdesk.complaints.ledger import ledger6_values
from lawdesk.complaints.models import ComplaintDetail, ComplaintNote
from lawdesk.complaints.panel import panel_context
from lawdesk.complaints.rules import HIDDEN, can_see_complainant
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.ledgers.definitions import COMPLAINTS, Cell
from lawdesk.matters import access as matter_access
from lawdesk.matters import escalation
from lawdesk.matters.models import Matter, MatterEvent, MatterState, Visit
from lawdesk.notifications.models import Notification
from lawdesk.workcal import workdays
from lawdesk.workcal.models import DeadlineRule
from tests.conftest import Personas, Tree, client_for, make_user

pytestmark = pytest.mark.django_db

STATEMENT = "某律师收取代理费8000元后三个月未开展任何工作，电话不接。"
NAME, PHONE = "周建国", "13712345678"


@pytest.fixture(autouse=True)
def _complaint_rules() -> None:
    """The defaults of migration complaints 0002 (a transactional test elsewhere may have flushed them)."""
    for stage, days in (("accept", 1), ("outcome", 15)):
        DeadlineRule.objects.get_or_create(
            node=None, kind="complaint", stage=stage, defaults={"working_days": days}
        )


@pytest.fixture
def department(tree: Tree) -> Institution:
    dept = Institution.objects.create(
        kind=InstitutionKind.OTHER_DEPARTMENT, name="雁塔区司法局律师工作科", home_node=tree.district
    )
    dept.served_nodes.add(tree.district)
    return dept


@pytest.fixture
def dept_handler(department: Institution) -> User:
    return make_user("dept_handler", Role.HANDLER, institution=department)


def record(personas: Personas, tree: Tree, **kwargs: Any) -> Matter:
    values: dict[str, Any] = {
        "actor": personas.clerk_a,
        "node": tree.station_a,
        "statement": STATEMENT,
        "contact_name": NAME,
        "contact_phone": PHONE,
        "subject_user": personas.handler,
        "subject_unit": tree.law_firm.name,
        **kwargs,
    }
    return services.complaint_record(**values).matter


def answered(
    personas: Personas, tree: Tree, department: Institution, dept_handler: User, **kw: Any
) -> Matter:
    matter = record(personas, tree, department=department, **kw)
    services.complaint_acknowledge(actor=dept_handler, matter=matter)
    return services.complaint_answer(
        actor=dept_handler, matter=matter, answer="经核查属实，已责令退费并约谈。"
    )


def ledger6_rows(client: Any, node: Any) -> list[dict[str, Any]]:
    response = client.get(f"/desk/ledgers/6.xlsx?node={node.pk}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == "编号")
    headers = [str(h) for h in rows[start]]
    return [dict(zip(headers, r, strict=False)) for r in rows[start + 1 :] if r and r[0]]


# --- the whole way -------------------------------------------------------------------------------------


def test_a_complaint_from_record_to_response_fills_ledger_6(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    today = timezone.localdate()
    matter = record(personas, tree, department=department)
    assert matter.state == MatterState.TRANSFERRED
    assert matter.accept_due == workdays.add_working_days(today, 1)  # acknowledge within 1 working day
    # The visit and the matter say nothing about who complained or what about (ledger 1, lists, reminders).
    assert matter.visit.person.name == HIDDEN and matter.visit.person.phone == ""
    assert STATEMENT not in matter.summary and STATEMENT not in matter.visit.summary

    services.complaint_acknowledge(actor=dept_handler, matter=matter)
    matter.refresh_from_db()
    assert matter.outcome_due == workdays.add_working_days(today, 15)  # answer within 15
    services.complaint_answer(actor=dept_handler, matter=matter, answer="经核查属实，已责令退费。")
    services.complaint_response(
        actor=personas.clerk_a, matter=matter, satisfied=False, response="要求吊销执业证", via="phone"
    )
    matter.refresh_from_db()
    assert matter.state == MatterState.CITIZEN_TOLD

    values = ledger6_values(matter, actor=personas.office_staff)
    assert set(values) == {c.key for c in COMPLAINTS.columns} - {Cell.NUMBER}
    assert values[Cell.COMPLAINANT] == NAME and values[Cell.CONTACT] == PHONE
    assert values[Cell.SUBJECT] == f"handler（{tree.law_firm.name}）"
    assert values[Cell.STATEMENT] == STATEMENT
    assert values[Cell.RECORDER] == "clerk_a"
    assert values[Cell.INSTITUTION] == department.name and values[Cell.TRANSFERRED_ON] == today
    assert values[Cell.OUTCOME] == "经核查属实，已责令退费。"
    assert values[Cell.TOLD_ON] == today
    assert values[Cell.RESPONSE] == "不满意：要求吊销执业证"
    codes = list(matter.events.values_list("code", flat=True))
    assert codes == ["received", "transferred", "accepted", "outcome_recorded", "citizen_told"]


def test_the_statement_is_never_edited_a_correction_is_appended(
    tree: Tree, personas: Personas, department: Institution
) -> None:
    matter = record(personas, tree)
    client = client_for(personas.clerk_a)
    response = client.post(f"/desk/complaints/{matter.pk}/note/", {"text": "更正：代理费为6000元。"})
    assert response.status_code == 302
    detail = ComplaintDetail.objects.get(matter=matter)
    assert detail.statement == STATEMENT
    assert list(detail.notes.values_list("text", flat=True)) == ["更正：代理费为6000元。"]
    text = ledger6_values(matter, actor=personas.clerk_a)[Cell.STATEMENT]
    assert text.startswith(STATEMENT) and "更正：代理费为6000元。" in text


def test_the_department_can_be_chosen_later_on_the_complaint_page(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    matter = record(personas, tree)
    assert matter.state == MatterState.RECEIVED
    client = client_for(personas.clerk_a)
    page = client.get(f"/desk/complaints/{matter.pk}/").content.decode()
    assert department.name in page and STATEMENT in page
    assert (
        client.post(f"/desk/complaints/{matter.pk}/pass-on/", {"department": department.pk}).status_code
        == 302
    )
    matter.refresh_from_db()
    assert matter.institution == department and matter.state == MatterState.TRANSFERRED
    # The department's handler sees it in the list and acknowledges it there.
    handler_client = client_for(dept_handler)
    assert f"/desk/complaints/{matter.pk}/" in handler_client.get("/desk/complaints/").content.decode()
    assert handler_client.post(f"/desk/complaints/{matter.pk}/acknowledge/").status_code == 302
    matter.refresh_from_db()
    assert matter.state == MatterState.ACCEPTED and matter.handler == dept_handler


# --- the subject never sees it -------------------------------------------------------------------------


def test_the_subject_cannot_see_their_complaint_anywhere(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    # The lawyer complained about is a handler at the law firm; the complaint also concerns a transfer the firm
    # holds, so the firm's inbox would otherwise reach it.
    matter = record(personas, tree, department=department)
    Matter.objects.filter(pk=matter.pk).update(accept_due=timezone.localdate() - datetime.timedelta(days=7))
    subject = personas.handler
    assert not matter_access.visible_matters(subject).filter(pk=matter.pk).exists()
    with pytest.raises(Http404):
        matter_access.get_matter_for(subject, matter.pk)
    assert panel_context(actor=subject, matter=matter) is None
    client = client_for(subject)
    for url in (f"/desk/matters/{matter.pk}/", f"/desk/complaints/{matter.pk}/"):
        assert client.get(url).status_code == 404
    for url in ("/desk/complaints/", "/desk/overdue/", "/desk/inbox/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert STATEMENT not in response.content.decode()
        assert f"/desk/complaints/{matter.pk}/" not in response.content.decode()
        assert f"/desk/matters/{matter.pk}/" not in response.content.decode()
    assert not [i for i in escalation.overdue_matters(actor=subject) if i.matter.pk == matter.pk]
    for url in ("/desk/ledgers/6/", "/desk/ledgers/1/", "/desk/ledgers/6.xlsx"):
        response = client.get(f"{url}?node={tree.station_a.pk}")
        assert response.status_code in (403, 404), url  # a handler has no ledgers at all
    # Nor can they act on it, even by posting directly.
    for action in ("pass-on", "acknowledge", "answer", "response", "note"):
        assert client.post(f"/desk/complaints/{matter.pk}/{action}/", {"text": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.complaint_add_note(actor=subject, matter=matter, text="我没有收费")


def test_a_subject_with_an_overseeing_role_still_cannot_see_or_act(
    tree: Tree, personas: Personas, department: Institution
) -> None:
    """Judicial office staff oversee station A; a complaint against them recorded there is out of their reach."""
    matter = record(personas, tree, subject_user=personas.office_staff, subject_unit=tree.office.name)
    staff = personas.office_staff
    client = client_for(staff)
    assert client.get(f"/desk/matters/{matter.pk}/").status_code == 404
    assert client.get(f"/desk/complaints/{matter.pk}/").status_code == 404
    assert f"/desk/matters/{matter.pk}/" not in client.get("/desk/matters/?kind=complaint").content.decode()
    assert f"/desk/complaints/{matter.pk}/" not in client.get("/desk/complaints/").content.decode()
    assert (
        client.post(f"/desk/complaints/{matter.pk}/pass-on/", {"department": department.pk}).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.complaint_pass_on(actor=staff, matter=matter, department=department)
    assert not can_see_complainant(staff, matter)
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.TRANSFERRED, accept_due=timezone.localdate())
    assert not [i for i in escalation.overdue_matters(actor=staff) if i.matter.pk == matter.pk]


def test_a_subject_with_an_overseeing_role_does_not_find_it_in_ledger_6(
    tree: Tree, personas: Personas
) -> None:
    matter = record(personas, tree, subject_user=personas.office_staff)
    rows = ledger6_rows(client_for(personas.office_staff), tree.office)
    assert not [r for r in rows if str(matter.ledger_seq).zfill(4) in str(r["编号"])]


def test_nobody_records_a_complaint_against_themselves_nor_passes_it_to_the_subjects_department(
    tree: Tree, personas: Personas, department: Institution
) -> None:
    with pytest.raises(ValidationError) as exc:
        record(personas, tree, subject_user=personas.clerk_a)
    assert "不能登记针对本人的投诉" in str(exc.value)
    colleague = make_user("dept_lawyer", Role.HANDLER, institution=department)
    matter = record(personas, tree, subject_user=colleague)
    with pytest.raises(ValidationError) as exc:
        services.complaint_pass_on(actor=personas.clerk_a, matter=matter, department=department)
    assert "被投诉人是该部门（机构）的工作人员" in str(exc.value)


# --- the complainant's identity ------------------------------------------------------------------------


def test_an_anonymous_complainant_is_hidden_from_leaders_and_auditors_and_shown_to_office_staff(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    matter = record(personas, tree, anonymous=True, contact_name=NAME, department=department)
    assert matter.visit.person.name == "匿名"
    for actor in (personas.leader, personas.auditor, personas.clerk_b, dept_handler):
        assert not can_see_complainant(actor, matter), actor
    for actor in (personas.office_staff, personas.district_admin, personas.city_admin, personas.system_admin,
                  personas.clerk_a):  # fmt: skip
        assert can_see_complainant(actor, matter), actor
    assert ledger6_values(matter, actor=personas.leader)[Cell.COMPLAINANT] == HIDDEN
    assert ledger6_values(matter, actor=personas.auditor)[Cell.CONTACT] == HIDDEN
    assert NAME in ledger6_values(matter, actor=personas.office_staff)[Cell.COMPLAINANT]
    assert ledger6_values(matter, actor=personas.office_staff)[Cell.CONTACT] == PHONE

    for actor in (personas.leader, personas.auditor, dept_handler):
        client = client_for(actor)
        for url in (f"/desk/complaints/{matter.pk}/", f"/desk/matters/{matter.pk}/", "/desk/complaints/"):
            page = client.get(url).content.decode()
            assert NAME not in page and PHONE not in page, (actor, url)
        assert HIDDEN in client.get(f"/desk/complaints/{matter.pk}/").content.decode()
    page = client_for(personas.office_staff).get(f"/desk/complaints/{matter.pk}/").content.decode()
    assert NAME in page and "137****5678" in page and PHONE not in page  # masked until revealed (audited)
    # Ledger 6 and 1 as exported today read the visit's person, which never holds the identity.
    for code in (1, 6):
        content = (
            client_for(personas.leader).get(f"/desk/ledgers/{code}.xlsx?node={tree.district.pk}").content
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert NAME not in cells and PHONE not in cells


def test_a_named_complainant_is_hidden_too(tree: Tree, personas: Personas) -> None:
    matter = record(personas, tree)
    assert ledger6_values(matter, actor=personas.leader)[Cell.COMPLAINANT] == HIDDEN
    assert ledger6_values(matter, actor=personas.clerk_a)[Cell.COMPLAINANT] == NAME


# --- bad input -----------------------------------------------------------------------------------------


def test_bad_input_gets_a_chinese_message_and_saves_nothing(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.clerk_a)
    visits = Visit.objects.count()
    base = {"node": tree.station_a.pk, "channel": "on_site", "contact_name": NAME, "subject_name": "张律师"}
    response = client.post("/desk/complaints/new/", {**base, "statement": "   "})
    assert response.status_code == 400
    assert "请如实记录投诉事项，不能为空。" in response.content.decode()
    response = client.post("/desk/complaints/new/", {**base, "statement": STATEMENT, "contact_name": ""})
    assert "实名投诉须填写投诉人姓名" in response.content.decode()
    response = client.post("/desk/complaints/new/", {**base, "statement": STATEMENT, "subject_name": ""})
    assert "请选择或填写被投诉人或被投诉单位。" in response.content.decode()
    response = client.post("/desk/complaints/new/", {**base, "statement": STATEMENT, "contact_phone": "123"})
    assert "联系电话" in response.content.decode() and response.status_code == 400
    assert Visit.objects.count() == visits and not ComplaintDetail.objects.exists()

    response = client.post("/desk/complaints/new/", {**base, "statement": STATEMENT, "anonymous": "on"})
    assert response.status_code == 302
    matter = ComplaintDetail.objects.get().matter
    response = client.post(f"/desk/complaints/{matter.pk}/response/", {"via": "phone", "satisfied": "yes"})
    assert response.status_code == 400
    assert "投诉尚未答复，不能登记投诉人意见。" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == MatterState.RECEIVED and matter.told_at is None
    assert client.post(f"/desk/complaints/{matter.pk}/note/", {"text": " "}).status_code == 400
    assert not ComplaintNote.objects.exists()


def test_an_empty_answer_and_an_answer_before_acknowledgement_are_refused(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    matter = record(personas, tree, department=department)
    client = client_for(dept_handler)
    response = client.post(f"/desk/complaints/{matter.pk}/answer/", {"answer": "已处理"})
    assert response.status_code in (400, 403)
    services.complaint_acknowledge(actor=dept_handler, matter=matter)
    response = client.post(f"/desk/complaints/{matter.pk}/answer/", {"answer": ""})
    assert response.status_code == 400
    assert "请填写处理结果" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == MatterState.ACCEPTED and matter.outcome == ""
    with pytest.raises(ValidationError):
        services.complaint_response(actor=personas.clerk_a, matter=matter, satisfied=True)


def test_a_response_needs_the_complainants_verdict(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    matter = answered(personas, tree, department, dept_handler)
    response = client_for(personas.clerk_a).post(f"/desk/complaints/{matter.pk}/response/", {"via": "phone"})
    assert response.status_code == 400
    assert "请选择投诉人对答复是否满意。" in response.content.decode()


# --- deadlines and escalation --------------------------------------------------------------------------


def test_an_unacknowledged_complaint_is_escalated_after_one_working_day(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    matter = record(personas, tree, department=department)
    due = matter.accept_due
    assert due is not None
    assert escalation.escalate_overdue(today=due) == 0  # due today: not overdue yet
    next_day = workdays.add_working_days(due, 1)
    assert escalation.escalate_overdue(today=next_day) == 1
    event = MatterEvent.objects.get(matter=matter, code="escalated")
    assert event.data["stage"] == "accept"
    notified = set(Notification.objects.filter(matter=matter).values_list("user__username", flat=True))
    assert notified == {"clerk_a", "dept_handler"}
    assert STATEMENT not in Notification.objects.filter(matter=matter).first().text  # type: ignore[union-attr]
    items = escalation.overdue_matters(actor=personas.district_admin, today=next_day)
    assert [(i.matter.pk, i.stage) for i in items] == [(matter.pk, "accept")]


def test_an_unanswered_complaint_is_escalated_after_fifteen_working_days(
    tree: Tree, personas: Personas, department: Institution, dept_handler: User
) -> None:
    matter = record(personas, tree, department=department)
    services.complaint_acknowledge(actor=dept_handler, matter=matter)
    matter.refresh_from_db()
    assert matter.outcome_due is not None
    late = workdays.add_working_days(matter.outcome_due, 1)
    assert escalation.escalate_overdue(today=late) == 1
    assert MatterEvent.objects.get(matter=matter, code="escalated").data["stage"] == "outcome"


def test_the_default_deadlines_come_from_configurable_rules(tree: Tree, personas: Personas,
                                                            department: Institution) -> None:  # fmt: skip
    DeadlineRule.objects.filter(kind="complaint", stage="accept", node=None).update(working_days=2)
    matter = record(personas, tree, department=department)
    assert matter.accept_due == workdays.add_working_days(timezone.localdate(), 2)


# --- scope ---------------------------------------------------------------------------------------------


def test_every_complaint_view_answers_404_to_another_nodes_user(
    tree: Tree, personas: Personas, department: Institution
) -> None:
    matter = record(personas, tree)
    for actor in (personas.other_district_admin, personas.clerk_b):
        client = client_for(actor)
        assert client.get(f"/desk/complaints/{matter.pk}/").status_code == 404
        assert f"/desk/complaints/{matter.pk}/" not in client.get("/desk/complaints/").content.decode()
        for action in ("pass-on", "acknowledge", "answer", "response", "note"):
            response = client.post(f"/desk/complaints/{matter.pk}/{action}/", {"department": department.pk})
            assert response.status_code == 404, (actor, action)
    assert client_for(personas.other_district_admin).get("/desk/complaints/new/").status_code == 403


def test_a_consultation_is_not_a_complaint_page(tree: Tree, personas: Personas) -> None:
    from lawdesk.matters import services as matter_services

    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=matter_services.PersonInput(name="李四"),
        matters=[matter_services.MatterInput(kind="consultation", summary="咨询")],
    )
    matter = visit.matters.get()
    assert client_for(personas.clerk_a).get(f"/desk/complaints/{matter.pk}/").status_code == 404
    assert panel_context(actor=personas.clerk_a, matter=matter) is None


def test_the_migration_adds_the_default_rules_once_and_keeps_a_configured_one(tree: Tree) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lawdesk.complaints.migrations.0002_default_deadlines")
    DeadlineRule.objects.filter(kind="complaint").delete()
    DeadlineRule.objects.create(node=None, kind="complaint", stage="outcome", working_days=10)
    migration.add_rules(apps, None)
    migration.add_rules(apps, None)
    rules = dict(DeadlineRule.objects.filter(kind="complaint").values_list("stage", "working_days"))
    assert rules == {"accept": 1, "outcome": 10}


def test_a_complaint_registered_as_a_plain_matter_still_fills_ledger_6(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.matters import services as matter_services

    visit = matter_services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=matter_services.PersonInput(name="陈磊", phone="13591234505"),
        matters=[matter_services.MatterInput(kind="complaint", summary="反映某律师收费后未提供服务")],
    )
    matter = visit.matters.get()
    assert ledger6_values(matter, actor=personas.clerk_a)[Cell.COMPLAINANT] == "陈磊"
    values = ledger6_values(matter, actor=personas.leader)
    assert values[Cell.COMPLAINANT] == HIDDEN and values[Cell.CONTACT] == HIDDEN
    assert values[Cell.STATEMENT] == "反映某律师收费后未提供服务"


def test_a_subject_with_an_overseeing_role_finds_neither_the_visit_nor_its_ledger_1_row(
    tree: Tree, personas: Personas
) -> None:
    matter = record(personas, tree, subject_user=personas.office_staff)
    client = client_for(personas.office_staff)
    assert client.get(f"/desk/visits/{matter.visit_id}/").status_code == 404
    response = client.get(f"/desk/ledgers/1.xlsx?node={tree.office.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    numbers = [str(row[0]) for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert not [n for n in numbers if f"来访第{matter.visit.seq:04d}号" in n]
    # The district admin, who handles complaints, still sees both.
    assert client_for(personas.district_admin).get(f"/desk/visits/{matter.visit_id}/").status_code == 200
