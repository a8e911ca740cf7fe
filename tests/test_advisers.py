"""Village and community legal advisers (三(一)) and the town WeChat group (四(四)3): contracts and the board's
states, the adviser's own records (their villages only, inside the contract), the office's check, the month's
figures, the WeChat group, the expiry reminder once, and 404s for every other organisation and role."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lawdesk.accounts.models import Role
from lawdesk.advisers import selectors, services
from lawdesk.advisers.models import AdviserContract, ContractState, RecordStatus, ServiceRecord
from lawdesk.core import clock
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.notifications.models import Notification
from lawdesk.orgs import services as orgs
from lawdesk.orgs.models import Village
from tests.conftest import Personas, Tree, client_for, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def today() -> datetime.date:
    return clock.today()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def village(tree: Tree, name: str = "吉祥村", code: str = "610113001201", office: Any = None) -> Village:
    return orgs.village_create(actor=None, office=office or tree.office, name=name, region_code=code)


def firm(tree: Tree) -> Institution:
    return Institution.objects.create(
        kind=InstitutionKind.LAW_FIRM, name="陕西顾问测试律师事务所", home_node=tree.district
    )


def contract(personas: Personas, tree: Tree, v: Village, *, start: int = -100, end: int = 200, adviser: Any = None) -> AdviserContract:  # fmt: skip
    law_firm = Institution.objects.filter(name="陕西顾问测试律师事务所").first() or firm(tree)
    return services.contract_create(
        actor=personas.office_staff, village=v, adviser=adviser or personas.adviser, institution=law_firm,
        start=days(start), end=days(end), signed=days(start - 5),
    )  # fmt: skip


def record(personas: Personas, c: AdviserContract, **extra: Any) -> ServiceRecord:
    data: dict[str, Any] = {
        "date": today(), "kind": "consultation", "hours": Decimal("2.5"), "people_served": 4,
        "description": "坐班接待村民咨询土地承包问题",
    }  # fmt: skip
    data.update(extra)
    return services.record_create(actor=personas.adviser, contract=c, **data)


# --- contracts and the board --------------------------------------------------------------------------------


def test_the_board_tells_each_village_no_adviser_expired_expiring_or_active(
    tree: Tree, personas: Personas
) -> None:
    none = village(tree, "无顾问村", "610113001201")
    expired = village(tree, "过期村", "610113001202")
    expiring = village(tree, "将到期村", "610113001203")
    active = village(tree, "正常村", "610113001204")
    contract(personas, tree, expired, start=-400, end=-1)
    contract(personas, tree, expiring, start=-300, end=30)
    contract(personas, tree, active, start=-300, end=31)
    board = selectors.board(selectors.villages_for(personas.office_staff), today())
    states = {row.village.name: row.state for row in board.rows}
    assert states == {
        "无顾问村": ContractState.NONE,
        "过期村": ContractState.EXPIRED,
        "将到期村": ContractState.EXPIRING,
        "正常村": ContractState.ACTIVE,
    }
    assert none.pk in {r.village.pk for r in board.needing_action}
    assert [(t.name, t.villages, t.of("none")) for t in board.districts] == [("雁塔区司法局", 4, 1)]


def test_a_contract_needs_an_adviser_of_that_office_a_legal_service_institution_and_no_overlap(
    tree: Tree, personas: Personas
) -> None:
    v = village(tree)
    with pytest.raises(ValidationError) as exc:
        contract(personas, tree, v, adviser=personas.clerk_a)
    assert "adviser" in exc.value.error_dict
    mediation = tree.mediation
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=personas.office_staff, village=v, adviser=personas.adviser, institution=mediation,
            start=days(0), end=days(300), signed=days(0),
        )  # fmt: skip
    assert "institution" in exc.value.error_dict
    contract(personas, tree, v)
    with pytest.raises(ValidationError) as exc:
        contract(personas, tree, v, start=100, end=500)
    assert "合同期不能重叠" in str(exc.value)


def test_another_office_a_clerk_and_the_adviser_may_not_register_a_contract(
    tree: Tree, personas: Personas
) -> None:
    v = village(tree)
    law_firm = firm(tree)
    other = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    for actor in (other, personas.clerk_a, personas.adviser, personas.other_district_admin, personas.leader):
        with pytest.raises(PermissionDenied):
            services.contract_create(
                actor=actor, village=v, adviser=personas.adviser, institution=law_firm, start=days(0),
                end=days(30), signed=days(0),
            )  # fmt: skip
    assert not AdviserContract.objects.exists()


# --- records --------------------------------------------------------------------------------------------------


def test_the_adviser_records_a_service_with_a_photo_and_the_office_approves_it(
    tree: Tree, personas: Personas
) -> None:
    c = contract(personas, tree, village(tree))
    r = record(personas, c, photos=[png()])
    assert r.status == RecordStatus.PENDING and r.photos.count() == 1
    services.record_check(actor=personas.office_staff, record=r, approve=True)
    r.refresh_from_db()
    assert r.status == RecordStatus.APPROVED and r.checked_by == personas.office_staff
    with pytest.raises(ValidationError):
        services.record_check(actor=personas.office_staff, record=r, approve=False, comment="重复")


def test_returning_a_record_needs_a_comment_and_tells_the_adviser(tree: Tree, personas: Personas) -> None:
    r = record(personas, contract(personas, tree, village(tree)))
    with pytest.raises(ValidationError) as exc:
        services.record_check(actor=personas.office_staff, record=r, approve=False)
    assert "comment" in exc.value.error_dict
    services.record_check(actor=personas.office_staff, record=r, approve=False, comment="请补充照片")
    assert Notification.objects.filter(user=personas.adviser, text__contains="请补充照片").exists()


def test_a_record_outside_the_contract_period_in_the_future_or_with_a_pdf_is_refused(
    tree: Tree, personas: Personas
) -> None:
    c = contract(personas, tree, village(tree), start=-10, end=100)
    for extra, field in (
        ({"date": days(-11)}, "date"),
        ({"date": days(1)}, "date"),
        ({"hours": Decimal("0")}, "hours"),
        ({"photos": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]}, "photos"),
    ):
        with pytest.raises(ValidationError) as exc:
            record(personas, c, **extra)
        assert field in exc.value.error_dict, extra
    assert not ServiceRecord.objects.exists()


def test_an_adviser_records_only_under_their_own_contract(tree: Tree, personas: Personas) -> None:
    other_adviser = make_user("adviser2", Role.LEGAL_ADVISER, tree.office)
    c = contract(personas, tree, village(tree), adviser=other_adviser)
    with pytest.raises(PermissionDenied):
        record(personas, c)


def test_the_office_staff_of_another_office_may_not_check(tree: Tree, personas: Personas) -> None:
    r = record(personas, contract(personas, tree, village(tree)))
    other = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    for actor in (other, personas.clerk_a, personas.adviser, personas.other_district_admin, personas.leader):
        with pytest.raises(PermissionDenied):
            services.record_check(actor=actor, record=r, approve=True)
    services.record_check(actor=personas.district_admin, record=r, approve=True)


# --- scoping --------------------------------------------------------------------------------------------------


def test_an_adviser_sees_only_their_own_contracts_and_records(tree: Tree, personas: Personas) -> None:
    other_adviser = make_user("adviser2", Role.LEGAL_ADVISER, tree.office)
    mine = contract(personas, tree, village(tree, "甲村", "610113001201"))
    theirs = contract(personas, tree, village(tree, "乙村", "610113001202"), adviser=other_adviser)
    my_record = record(personas, mine)
    services.record_create(
        actor=other_adviser, contract=theirs, date=today(), kind="duty", hours=Decimal(3), people_served=0,
        description="坐班",
    )  # fmt: skip
    assert list(selectors.contracts_for(personas.adviser)) == [mine]
    assert list(selectors.records_for(personas.adviser)) == [my_record]
    assert not selectors.villages_for(personas.adviser).exists()  # the board is the office's
    assert selectors.records_for(personas.office_staff).count() == 2
    assert selectors.records_for(personas.district_admin).count() == 2
    assert selectors.records_for(personas.city_admin).count() == 2
    for outsider in (
        personas.clerk_a,
        personas.other_district_admin,
        personas.handler,
        personas.correction_officer,
    ):
        assert not selectors.records_for(outsider).exists(), outsider
        assert not selectors.contracts_for(outsider).exists(), outsider
    office2_staff = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    assert not selectors.records_for(office2_staff).exists()


def test_pages_open_for_their_roles_and_answer_404_to_everyone_else(tree: Tree, personas: Personas) -> None:
    c = contract(personas, tree, village(tree))
    r = record(personas, c, photos=[png()])
    group = services.town_group_set(actor=personas.office_staff, office=tree.office, name="小寨路街道法律服务群",
                                    created=today())  # fmt: skip
    member = services.town_group_member_add(
        actor=personas.office_staff, group=group, name="张三", category="town_staff"
    )
    photo = r.photos.get()
    office_pages = [
        "/desk/advisers/", "/desk/advisers/contracts/", "/desk/advisers/records/",
        "/desk/advisers/records/export.xlsx", f"/desk/advisers/records/{r.pk}/", f"/desk/advisers/photos/{photo.pk}/",
        "/desk/advisers/groups/", f"/desk/advisers/groups/{group.pk}/",
    ]  # fmt: skip
    for user in (personas.office_staff, personas.district_admin, personas.city_admin):
        client = client_for(user)
        for url in office_pages:
            assert client.get(url).status_code == 200, (user, url)
    office2_staff = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    for user in (office2_staff, personas.other_district_admin):
        client = client_for(user)
        for url in (office_pages[4], office_pages[5], office_pages[7]):
            assert client.get(url).status_code == 404, (user, url)
        for url in (office_pages[1], office_pages[2], office_pages[6]):
            assert (
                "吉祥村" not in client.get(url).content.decode()
                and "小寨路" not in client.get(url).content.decode()
            )
        assert client.post(f"/desk/advisers/records/{r.pk}/", {"decision": "approve"}).status_code == 404
        assert client.post(f"/desk/advisers/groups/members/{member.pk}/remove/").status_code == 404
        assert str(r.village.name) not in client.get("/desk/advisers/").content.decode()
    for user in (personas.clerk_a, personas.handler, personas.correction_officer):
        client = client_for(user)
        for url in [*office_pages, "/desk/advisers/mine/", "/desk/advisers/records/new/"]:
            assert client.get(url).status_code == 404, (user, url)
    r.refresh_from_db()
    assert r.status == RecordStatus.PENDING
    adviser = client_for(personas.adviser)
    assert adviser.get("/")["Location"] == "/desk/advisers/mine/"
    assert adviser.get("/desk/advisers/")["Location"] == "/desk/advisers/mine/"
    assert "吉祥村" in adviser.get("/desk/advisers/mine/").content.decode()
    assert adviser.get(f"/desk/advisers/records/{r.pk}/").status_code == 200
    assert adviser.get(f"/desk/advisers/photos/{photo.pk}/").status_code == 200
    for url in ("/desk/advisers/contracts/", "/desk/advisers/records/", "/desk/advisers/groups/",
                f"/desk/advisers/groups/{group.pk}/"):  # fmt: skip
        assert adviser.get(url).status_code == 404, url
    assert adviser.post(f"/desk/advisers/records/{r.pk}/", {"decision": "approve"}).status_code == 403
    r.refresh_from_db()
    assert r.status == RecordStatus.PENDING


def test_the_adviser_records_through_the_page_and_the_office_checks_through_the_page(
    tree: Tree, personas: Personas
) -> None:
    c = contract(personas, tree, village(tree))
    adviser = client_for(personas.adviser)
    response = adviser.post("/desk/advisers/records/new/", {
        "contract": c.pk, "date": today().isoformat(), "kind": "lecture", "hours": "1.5", "people_served": "30",
        "description": "民法典进村讲座", "photos": [png()],
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    r = ServiceRecord.objects.get()
    assert r.photos.count() == 1 and r.kind == "lecture"
    refused = adviser.post("/desk/advisers/records/new/", {
        "contract": c.pk, "date": days(1).isoformat(), "kind": "lecture", "hours": "1.5", "people_served": "30",
        "description": "明天",
    })  # fmt: skip
    assert refused.status_code == 400 and "服务日期不能晚于今天" in refused.content.decode()
    office = client_for(personas.office_staff)
    assert office.post(f"/desk/advisers/records/{r.pk}/", {"decision": "return"}).status_code == 400
    assert (
        office.post(f"/desk/advisers/records/{r.pk}/", {"decision": "approve", "comment": "很好"}).status_code
        == 302
    )
    r.refresh_from_db()
    assert r.status == RecordStatus.APPROVED and r.comment == "很好"


# --- figures and the export -----------------------------------------------------------------------------------


def test_the_month_figures_drill_down_to_the_records_and_leave_out_returned_ones(
    tree: Tree, personas: Personas
) -> None:
    c = contract(personas, tree, village(tree))
    record(personas, c, hours=Decimal("2"), people_served=3)
    record(personas, c, kind="lecture", hours=Decimal("1.5"), people_served=40)
    returned = record(personas, c, hours=Decimal("8"), people_served=1)
    services.record_check(actor=personas.office_staff, record=returned, approve=False, comment="重复登记")
    start, end = selectors.month_bounds(today().year, today().month)
    qs = selectors.records_for(personas.office_staff).filter(date__gte=start, date__lte=end)
    [row] = selectors.month_figures(qs, "adviser")
    assert (row.count, row.hours, row.people) == (2, Decimal("3.5"), 43)
    assert dict(selectors.kinds_of(qs))["法治讲座"] == 1
    response = client_for(personas.office_staff).get("/desk/advisers/records/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "民法典" not in values and "坐班接待村民咨询土地承包问题" in values and "退回" in values


# --- the WeChat group --------------------------------------------------------------------------------------


def test_one_wechat_group_per_office_with_masked_phones(tree: Tree, personas: Personas) -> None:
    v = village(tree)
    group = services.town_group_set(
        actor=personas.office_staff, office=tree.office, name="群一", created=today()
    )
    again = services.town_group_set(
        actor=personas.office_staff, office=tree.office, name="群二", created=today()
    )
    assert group.pk == again.pk and again.name == "群二"
    services.town_group_member_add(
        actor=personas.office_staff,
        group=group,
        name="李书记",
        category="secretary",
        village=v,
        phone="13912345678",
    )
    with pytest.raises(ValidationError):
        services.town_group_member_add(actor=personas.office_staff, group=group, name="王", category="x")
    other_village = village(tree, "电子城村", "610113002201", office=tree.office2)
    with pytest.raises(ValidationError):
        services.town_group_member_add(
            actor=personas.office_staff, group=group, name="王", category="director", village=other_village
        )
    with pytest.raises(ValidationError):
        services.town_group_set(
            actor=personas.district_admin, office=tree.district, name="区群", created=today()
        )
    page = client_for(personas.office_staff).get(f"/desk/advisers/groups/{group.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert selectors.office_has_group(tree.office) and not selectors.office_has_group(tree.office2)


# --- the reminder --------------------------------------------------------------------------------------------


def test_the_office_is_told_once_thirty_days_before_a_contract_ends(tree: Tree, personas: Personas) -> None:
    c = contract(personas, tree, village(tree), start=-300, end=31)
    assert services.send_contract_reminders() == 0
    assert services.send_contract_reminders(today=days(1)) == 1
    assert services.send_contract_reminders(today=days(2)) == 0
    notices = Notification.objects.filter(user=personas.office_staff, text__contains="法律顾问合同到期提醒")
    assert notices.count() == 1 and "吉祥村" in notices.get().text
    c.end = days(45)
    c.save()
    assert services.send_contract_reminders(today=days(20)) == 1  # a new end is told again


def test_the_assessment_and_the_construction_board_read_the_offices_wechat_group(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.assessment import metrics
    from lawdesk.assessment.selectors import construction_board

    ctx = metrics.Context(days(-90), today())

    def wechat_line(platform: Any) -> str:
        return next(e["text"] for e in metrics.equipment(platform, ctx).evidence if "微信群" in e["text"])

    def board_equipment(platform: Any) -> str:
        row = next(r for r in construction_board(tree.district, today()) if r.platform == platform)
        return next(c.detail for c in row.checks if c.label == "设备与系统")

    assert wechat_line(tree.station_a).startswith("✗") and "微信群" in board_equipment(tree.station_a)
    before = metrics.equipment(tree.station_b, ctx).fraction
    services.town_group_set(
        actor=personas.office_staff, office=tree.office, name="小寨路街道法律服务群", created=today()
    )
    for platform in (tree.station_a, tree.station_b):  # every platform of the town reads the one group
        assert wechat_line(platform).startswith("✓ 镇(街道)微信群：小寨路街道法律服务群")
        assert "微信群" not in board_equipment(platform)
    assert metrics.equipment(tree.station_b, ctx).fraction > before
    assert wechat_line(tree.station_c).startswith("✗")  # another town: its own office has none
    assert not any("微信群" in e["text"] for e in metrics.equipment(tree.centre, ctx).evidence)


def test_the_reminder_command_and_the_beat_task_tell_the_office(tree: Tree, personas: Personas) -> None:
    from django.core.management import call_command

    from lawdesk.advisers.tasks import BEAT_SCHEDULE, send_adviser_reminders
    from lawdesk.celery import PERIODIC_APPS

    assert "lawdesk.advisers" in PERIODIC_APPS and BEAT_SCHEDULE
    contract(personas, tree, village(tree), start=-300, end=10)
    out = io.StringIO()
    call_command("send_adviser_reminders", stdout=out)
    assert "已提醒1份" in out.getvalue()
    assert send_adviser_reminders() == 0  # once


def test_the_adviser_corrects_a_returned_record_and_it_waits_for_a_new_check(
    tree: Tree, personas: Personas
) -> None:
    r = record(personas, contract(personas, tree, village(tree)))
    adviser = client_for(personas.adviser)

    def data() -> dict[str, Any]:
        return {"contract": r.contract_id, "date": today().isoformat(), "kind": "consultation", "hours": "2",
                "people_served": "4", "description": "补充了调解协议书", "photos": [png()]}  # fmt: skip

    assert adviser.post(f"/desk/advisers/records/{r.pk}/resubmit/", data()).status_code == 403  # not returned
    services.record_check(actor=personas.office_staff, record=r, approve=False, comment="请补充照片")
    assert "更正后重新提交" in adviser.get("/desk/advisers/mine/").content.decode()
    office = client_for(personas.office_staff)
    assert office.get(f"/desk/advisers/records/{r.pk}/resubmit/").status_code == 404  # only the adviser
    response = adviser.post(f"/desk/advisers/records/{r.pk}/resubmit/", data())
    assert response.status_code == 302, response.content.decode()
    r.refresh_from_db()
    assert r.status == RecordStatus.PENDING and r.description == "补充了调解协议书" and r.photos.count() == 1
    services.record_check(actor=personas.office_staff, record=r, approve=True)
    other = make_user("adviser2", Role.LEGAL_ADVISER, tree.office)
    with pytest.raises(PermissionDenied):
        services.record_resubmit(
            actor=other,
            record=r,
            date=today(),
            kind="duty",
            hours=Decimal(1),
            people_served=0,
            description="x",
        )
