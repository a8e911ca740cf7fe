"""The REST API: token and session authentication, scoping (another organisation's client gets 404s and empty
lists), writes through the services (events and audit rows), Chinese errors naming the field, rate limits,
personal data masking, the schema and the documentation page."""

from __future__ import annotations

import datetime
import io
import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lawdesk.accounts.models import Role, User
from lawdesk.api.models import ApiClient
from lawdesk.api.services import api_client_create, api_client_set_active
from lawdesk.api.tokens import hash_token
from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Appointment, Slot
from lawdesk.core.models import AuditLog
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterEvent, MatterState, Visit
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.orgs.models import OrgNode
from lawdesk.workcal.workdays import add_working_days
from tests.conftest import Personas, Tree, client_for, make_user

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = "610113199001011230"


@pytest.fixture(autouse=True)
def _api_settings(settings: Any) -> None:
    """A clean throttle bucket per test and generous rates (the rate-limit test lowers its own)."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "api_client": "10000/min",
            "api_user": "10000/min",
            "api_anon": "10000/min",
        },
    }


# --- helpers shared with test_api_schemathesis ------------------------------------------------------------


def service_client(name: str, role: str, node: OrgNode | None = None, **kw: Any) -> tuple[ApiClient, str]:
    """A system client acting as a service account with ``role`` at ``node``."""
    user = make_user(f"svc_{name}", role, node, **kw)
    return api_client_create(actor=None, user=user, name=name)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(actor: User, node: OrgNode, kind: str = "consultation", **person: Any) -> Visit:
    return services.visit_register(
        actor=actor,
        node=node,
        person_data=PersonInput(
            name=person.get("name", "张三"),
            phone=person.get("phone", PHONE),
            id_number=person.get("id_number", ID_NUMBER),
        ),
        matters=[MatterInput(kind=kind, summary="邻里漏水纠纷怎么处理")],
    )


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def open_slot(actor: User, node: OrgNode, n: int = 2, capacity: int = 3) -> Slot:
    day = add_working_days(timezone.localdate(), n)
    return appointment_services.slot_create(
        actor=actor, node=node, start=at(day, 9), end=at(day, 10), kind="station", capacity=capacity
    )


class Api:
    """A test client that speaks JSON with a bearer token."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = bearer(token)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            path, json.dumps(body or {}), content_type="application/json", headers=self.headers
        )


@pytest.fixture
def hotline(tree: Tree) -> tuple[ApiClient, str]:
    """The 12348 hotline's client: a window clerk at station A."""
    return service_client("hotline", Role.WINDOW_CLERK, tree.station_a)


@pytest.fixture
def api(hotline: tuple[ApiClient, str]) -> Api:
    return Api(hotline[1])


@pytest.fixture
def other_api(tree: Tree) -> Api:
    """A client of another organisation: a window clerk at station D in 新城区."""
    return Api(service_client("xincheng", Role.WINDOW_CLERK, tree.station_d)[1])


# --- authentication ---------------------------------------------------------------------------------------


def test_a_valid_token_is_accepted_and_its_last_use_recorded(
    api: Api, hotline: tuple[ApiClient, str]
) -> None:
    assert hotline[0].last_used_at is None
    response = api.get("/api/v1/matters/")
    assert response.status_code == 200
    hotline[0].refresh_from_db()
    assert hotline[0].last_used_at is not None


def test_the_token_is_stored_only_as_its_hash_with_a_short_prefix(hotline: tuple[ApiClient, str]) -> None:
    client, token = hotline
    assert client.token_hash == hash_token(token) and token not in client.token_hash
    assert token.startswith(client.token_prefix) and len(client.token_prefix) < len(token) // 3
    assert not ApiClient.objects.filter(token_hash=token).exists()
    assert AuditLog.objects.filter(action="api_client_created", object_id=str(client.pk)).exists()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ld_not-a-real-token", "Bearer a b", "Token something", "Basic Zm9vOmJhcg=="],
)
def test_missing_or_bad_credentials_answer_401_in_chinese(tree: Tree, header: str | None) -> None:
    response = Client().get("/api/v1/matters/", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    body = response.json()
    assert re.search(r"[\u4e00-\u9fff]", body["detail"]), body
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_disabled_client_is_refused(api: Api, hotline: tuple[ApiClient, str]) -> None:
    api_client_set_active(actor=None, client=hotline[0], active=False)
    response = api.get("/api/v1/matters/")
    assert response.status_code == 401
    assert "停用" in response.json()["detail"]
    assert AuditLog.objects.filter(action="api_client_disabled").exists()


def test_an_expired_token_is_refused(api: Api, hotline: tuple[ApiClient, str]) -> None:
    ApiClient.objects.filter(pk=hotline[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = api.get("/api/v1/matters/")
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]


def test_a_disabled_service_account_is_refused(api: Api, hotline: tuple[ApiClient, str]) -> None:
    User.objects.filter(pk=hotline[0].user_id).update(is_active=False)
    assert api.get("/api/v1/matters/").status_code == 401


def test_a_demo_service_account_is_refused_outside_demo_mode(tree: Tree, settings: Any) -> None:
    settings.DEMO_MODE = False
    _, token = service_client("demo", Role.WINDOW_CLERK, tree.station_a, is_demo=True)
    assert Api(token).get("/api/v1/matters/").status_code == 401
    settings.DEMO_MODE = True
    assert Api(token).get("/api/v1/matters/").status_code == 200


def test_api_token_command_prints_the_token_once_and_it_works(tree: Tree) -> None:
    make_user("wechat_svc", Role.WINDOW_CLERK, tree.station_a)
    out = io.StringIO()
    call_command("api_token", "create", "--user", "wechat_svc", "--name", "微信公众号", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert token.startswith("ld_")
    client = ApiClient.objects.get(name="微信公众号")
    assert client.token_hash == hash_token(token)
    assert Api(token).get("/api/v1/visits/").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert client.token_prefix in listing.getvalue() and token not in listing.getvalue()
    call_command("api_token", "disable", client.token_prefix, stdout=io.StringIO())
    assert Api(token).get("/api/v1/visits/").status_code == 401


def test_a_service_account_without_a_role_gets_no_token(tree: Tree) -> None:
    User.objects.create_user(username="nobody_svc", password="x-Lawdesk-2026")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有任何角色"):
        call_command("api_token", "create", "--user", "nobody_svc", "--name", "x", stdout=io.StringIO())


def test_a_logged_in_user_uses_the_session_and_csrf_is_enforced(personas: Personas, tree: Tree) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.clerk_a)
    assert client.get(f"/api/v1/matters/{matter.pk}/").status_code == 200
    body = json.dumps({"answer": "已解答"})
    refused = client.post(f"/api/v1/matters/{matter.pk}/answer/", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert Matter.objects.get(pk=matter.pk).state == MatterState.RECEIVED


# --- visits -----------------------------------------------------------------------------------------------

VISIT = {
    "node": None,
    "channel": "phone",
    "person": {"name": "李四", "phone": "13700001111"},
    "matters": [
        {"kind": "consultation", "summary": "劳动合同咨询", "legal_field": "labour", "answer": "已电话解答"}
    ],
}


def test_a_visit_is_registered_through_the_intake_service(api: Api, tree: Tree) -> None:
    response = api.post("/api/v1/visits/", {**VISIT, "node": tree.station_a.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert body["number"] == visit.number and "来访第" in body["number"]
    assert visit.received_by.username == "svc_hotline" and visit.channel == "phone"
    matter = visit.matters.get()
    assert matter.state == MatterState.ANSWERED and matter.legal_field == "labour"
    assert list(matter.events.values_list("code", flat=True)) == ["received", "answered"]
    assert body["person"]["phone"] == "137****1111" and body["person"]["masked"] is True
    assert body["person"]["can_reveal"] is True  # the full number: POST /api/v1/people/<id>/reveal/


def test_the_same_client_token_returns_the_first_visit(api: Api, tree: Tree) -> None:
    body = {**VISIT, "node": tree.station_a.pk, "client_token": "6f1c1f2e-2b7a-4f5e-9d1e-0a3b5c7d9e11"}
    first = api.post("/api/v1/visits/", body)
    again = api.post("/api/v1/visits/", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Visit.objects.count() == 1


def test_invalid_visit_input_answers_400_naming_the_field_in_chinese(api: Api, tree: Tree) -> None:
    response = api.post(
        "/api/v1/visits/",
        {
            "node": tree.station_a.pk,
            "person": {"name": ""},
            "matters": [{"kind": "nonsense", "summary": "x"}],
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["person.name"][0].startswith("来访人·姓名：")
    assert errors["matters.0.kind"][0].startswith("事项第1项·事项类别：")
    assert Visit.objects.count() == 0


def test_the_services_own_rules_come_back_as_field_errors(api: Api, tree: Tree) -> None:
    body = {**VISIT, "node": tree.station_a.pk, "person": {"name": "李四", "id_number": "610113199001011236"}}
    response = api.post("/api/v1/visits/", body)
    assert response.status_code == 400
    assert "person.id_number" in response.json()["errors"]
    bad_phone = api.post(
        "/api/v1/visits/", {**VISIT, "node": tree.station_a.pk, "person": {"name": "李", "phone": "12"}}
    )
    assert bad_phone.status_code == 400 and "person.phone" in bad_phone.json()["errors"]
    assert Visit.objects.count() == 0


def test_a_visit_cannot_be_registered_at_a_platform_out_of_reach(api: Api, tree: Tree) -> None:
    response = api.post("/api/v1/visits/", {**VISIT, "node": tree.station_d.pk})
    assert response.status_code == 400
    assert response.json()["errors"]["node"][0].startswith("接待平台：")
    assert Visit.objects.count() == 0


def test_a_role_without_intake_is_refused_with_403(tree: Tree) -> None:
    _, token = service_client("bureau", Role.DISTRICT_ADMIN, tree.district)
    response = Api(token).post("/api/v1/visits/", {**VISIT, "node": tree.station_a.pk})
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]


def test_another_organisations_client_sees_no_visit_and_gets_404(
    api: Api, other_api: Api, personas: Personas, tree: Tree
) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    assert [v["id"] for v in api.get("/api/v1/visits/").json()["results"]] == [visit.pk]
    assert other_api.get("/api/v1/visits/").json()["count"] == 0
    response = other_api.get(f"/api/v1/visits/{visit.pk}/")
    assert response.status_code == 404
    assert "没有找到" in response.json()["detail"]


def test_ids_and_phones_are_masked_for_everyone_and_only_some_may_reveal(
    personas: Personas, tree: Tree
) -> None:
    visit = register(personas.clerk_a, tree.station_a)
    _, token = service_client("leader", Role.LEADER, tree.district)
    person = Api(token).get(f"/api/v1/visits/{visit.pk}/").json()["person"]
    assert person["masked"] is True and person["can_reveal"] is False
    assert person["phone"] == "139****5678" and person["id_number"] == "6101**********1230"
    assert person["address"] is None
    # Issue 16: masked for the clerk too; the full number comes only from the audited reveal.
    clerk = client_for(personas.clerk_a).get(f"/api/v1/visits/{visit.pk}/").json()["person"]
    assert (clerk["phone"], clerk["id_number"], clerk["masked"]) == (
        "139****5678",
        "6101**********1230",
        True,
    )
    assert clerk["can_reveal"] is True


def test_visits_filter_by_date_and_channel(api: Api, personas: Personas, tree: Tree) -> None:
    register(personas.clerk_a, tree.station_a)
    today = timezone.localdate()
    assert api.get("/api/v1/visits/", date_from=today.isoformat()).json()["count"] == 1
    assert (
        api.get("/api/v1/visits/", date_from=(today + datetime.timedelta(days=1)).isoformat()).json()["count"]
        == 0
    )
    assert api.get("/api/v1/visits/", channel="online").json()["count"] == 0
    bad = api.get("/api/v1/visits/", date_from="2026-13-45")
    assert bad.status_code == 400
    assert bad.json()["errors"]["date_from"][0].startswith("来访日期从：")
    # Dates whose day bounds would overflow are refused, not a server error.
    for path in ("/api/v1/visits/", "/api/v1/matters/", "/api/v1/appointments/", "/api/v1/ledgers/1/rows/"):
        far = api.get(path, date_to="9999-12-31")
        assert far.status_code == 400 and "2100年12月31日" in far.json()["errors"]["date_to"][0], path


# --- matters ----------------------------------------------------------------------------------------------


def test_matters_list_is_scoped_and_filtered(
    api: Api, other_api: Api, personas: Personas, tree: Tree
) -> None:
    dispute = register(personas.clerk_a, tree.station_a, kind="dispute").matters.get()
    consultation = register(personas.clerk_a, tree.station_a, kind="consultation", id_number="").matters.get()
    register(personas.clerk_b, tree.station_b, id_number="")
    ids = {m["id"] for m in api.get("/api/v1/matters/").json()["results"]}
    assert ids == {dispute.pk, consultation.pk}
    assert [m["id"] for m in api.get("/api/v1/matters/", kind="dispute").json()["results"]] == [dispute.pk]
    assert api.get("/api/v1/matters/", state="closed").json()["count"] == 0
    assert other_api.get("/api/v1/matters/").json()["count"] == 0
    out_of_reach = api.get("/api/v1/matters/", node=tree.station_b.pk)
    assert out_of_reach.status_code == 400
    assert out_of_reach.json()["errors"]["node"][0].startswith("受理平台：")
    bad = api.get("/api/v1/matters/", state="nonsense")
    assert bad.status_code == 400 and bad.json()["errors"]["state"][0].startswith("状态：")


def test_the_office_filters_its_matters_by_station(personas: Personas, tree: Tree) -> None:
    a = register(personas.clerk_a, tree.station_a).matters.get()
    register(personas.clerk_b, tree.station_b, id_number="")
    _, token = service_client("office", Role.OFFICE_STAFF, tree.office)
    office = Api(token)
    assert office.get("/api/v1/matters/").json()["count"] == 2
    assert [m["id"] for m in office.get("/api/v1/matters/", node=tree.station_a.pk).json()["results"]] == [
        a.pk
    ]


def test_another_organisation_gets_404_for_a_matter_its_events_and_its_actions(
    other_api: Api, personas: Personas, tree: Tree
) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    for path in ("", "events/"):
        assert other_api.get(f"/api/v1/matters/{matter.pk}/{path}").status_code == 404
    response = other_api.post(f"/api/v1/matters/{matter.pk}/answer/", {"answer": "越权"})
    assert response.status_code == 404
    assert Matter.objects.get(pk=matter.pk).state == MatterState.RECEIVED
    assert other_api.get("/api/v1/matters/99999999/").status_code == 404
    assert other_api.get("/api/v1/matters/abc/").status_code == 404
    assert other_api.get(f"/api/v1/matters/{2**70}/").status_code == 404
    for path in (
        "/api/v1/matters/1.5/",
        "/api/v1/matters/-1/events/",
        "/api/v1/nothing/",
        "/api/v2/matters/",
    ):
        response = other_api.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path


def test_the_whole_loop_through_the_api_writes_every_event(personas: Personas, tree: Tree, api: Api) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    # The hotline's service account owns matters it registers; this one is clerk A's, so the office acts.
    _, token = service_client("office", Role.OFFICE_STAFF, tree.office)
    office = Api(token)
    _, handler_token = service_client("mediation", Role.HANDLER, institution=tree.mediation)
    committee = Api(handler_token)
    url = f"/api/v1/matters/{matter.pk}"
    moved = office.post(f"{url}/transfer/", {"institution": tree.mediation.pk, "note": "请调解"})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["state"] == "transferred" and moved.json()["institution"]["id"] == tree.mediation.pk
    assert committee.post(f"{url}/accept/", {}).json()["state"] == "accepted"
    assert committee.post(f"{url}/outcome/", {"outcome": "调解成功"}).json()["state"] == "outcome_recorded"
    told = office.post(f"{url}/tell-citizen/", {"told_via": "phone"})
    assert told.json()["state"] == "citizen_told"
    closed = office.post(f"{url}/close/", {"rating": 5, "comment": "满意"})
    assert closed.json()["state"] == "closed" and closed.json()["rating"] is None  # staff never rate
    events = office.get(f"{url}/events/").json()
    assert [e["code"] for e in events["results"]] == [
        "received", "transferred", "accepted", "outcome_recorded", "citizen_told", "closed"
    ]  # fmt: skip
    assert events["results"][2]["actor"] == "svc_mediation"
    assert events["results"][1]["label"] == "移交"
    # The handler sees the person masked.
    assert committee.get(f"{url}/").json()["person"]["masked"] is True


def test_a_handler_declines_with_a_reason_and_loses_sight_of_the_matter(
    personas: Personas, tree: Tree
) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    services.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.mediation)
    _, token = service_client("mediation", Role.HANDLER, institution=tree.mediation)
    committee = Api(token)
    missing = committee.post(f"/api/v1/matters/{matter.pk}/decline/", {})
    assert missing.status_code == 400
    # The same message the matter page shows under the field (tests/test_command_parity.py).
    assert missing.json()["errors"]["reason"] == ["退回须说明原因。"]
    declined = committee.post(f"/api/v1/matters/{matter.pk}/decline/", {"reason": "不属本会受理范围"})
    assert declined.status_code == 200 and declined.json()["state"] == "received"
    assert MatterEvent.objects.filter(matter=matter, code="declined").count() == 1
    assert committee.get(f"/api/v1/matters/{matter.pk}/").status_code == 404


def test_an_illegal_move_answers_400_with_the_registrys_message(api: Api, tree: Tree) -> None:
    visit = api.post("/api/v1/visits/", {**VISIT, "node": tree.station_a.pk}).json()
    matter_id = visit["matters"][0]["id"]
    response = api.post(f"/api/v1/matters/{matter_id}/transfer/", {"institution": tree.mediation.pk})
    assert response.status_code == 400
    assert "不能移交" in response.json()["detail"]
    assert not MatterEvent.objects.filter(matter_id=matter_id, code="transferred").exists()


def test_transfer_to_an_institution_out_of_reach_names_the_field(
    api: Api, personas: Personas, tree: Tree
) -> None:
    visit = api.post(
        "/api/v1/visits/",
        {**VISIT, "node": tree.station_a.pk, "matters": [{"kind": "dispute", "summary": "纠纷"}]},
    ).json()
    matter_id = visit["matters"][0]["id"]
    response = api.post(f"/api/v1/matters/{matter_id}/transfer/", {"institution": tree.other_law_firm.pk})
    assert response.status_code == 400
    assert response.json()["errors"]["institution"] == ["该机构不在可移交的机构名录中（须服务本平台）。"]
    assert Matter.objects.get(pk=matter_id).state == MatterState.RECEIVED


def test_transfer_targets_are_the_institutions_serving_the_platform(
    api: Api, other_api: Api, personas: Personas, tree: Tree
) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    url = f"/api/v1/matters/{matter.pk}/transfer-targets/"
    names = {i["name"] for i in api.get(url).json()["results"]}
    assert names == {tree.mediation.name, tree.law_firm.name}
    only = api.get(url, kind="mediation_committee").json()["results"]
    assert [i["name"] for i in only] == [tree.mediation.name]
    assert api.get(url, kind="bank").status_code == 400
    assert other_api.get(url).status_code == 404


def test_a_clerk_who_does_not_own_the_matter_is_refused_403(personas: Personas, tree: Tree, api: Api) -> None:
    matter = register(personas.clerk_a, tree.station_a).matters.get()
    response = api.post(f"/api/v1/matters/{matter.pk}/answer/", {"answer": "越权解答"})
    assert response.status_code == 403
    assert "首问负责人" in response.json()["detail"]


def test_a_rating_sent_with_close_is_not_taken(api: Api, tree: Tree) -> None:
    visit = api.post("/api/v1/visits/", {**VISIT, "node": tree.station_a.pk}).json()
    matter_id = visit["matters"][0]["id"]
    api.post(f"/api/v1/matters/{matter_id}/answer/", {"answer": "依法可以申请劳动仲裁"})
    response = api.post(f"/api/v1/matters/{matter_id}/close/", {"rating": 5})
    assert response.status_code == 200 and response.json()["rating"] is None


def test_redirect_goes_through_the_service(api: Api, tree: Tree) -> None:
    visit = api.post(
        "/api/v1/visits/",
        {**VISIT, "node": tree.station_a.pk, "matters": [{"kind": "dispute", "summary": "纠纷"}]},
    ).json()
    url = f"/api/v1/matters/{visit['matters'][0]['id']}/redirect/"
    bad = api.post(url, {"reason": "不属司法行政", "redirect_to": "派出所", "phone": "12"})
    assert bad.status_code == 400 and "phone" in bad.json()["errors"]
    done = api.post(url, {"reason": "不属司法行政", "redirect_to": "小寨派出所", "phone": "029-85551234"})
    assert done.status_code == 200 and done.json()["state"] == "redirected"


# --- institutions -----------------------------------------------------------------------------------------


def test_institutions_are_scoped_and_filtered(api: Api, other_api: Api, tree: Tree) -> None:
    names = {i["name"] for i in api.get("/api/v1/institutions/").json()["results"]}
    assert names == {tree.law_firm.name, tree.mediation.name}
    assert [
        i["name"] for i in api.get("/api/v1/institutions/", kind="mediation_committee").json()["results"]
    ] == [tree.mediation.name]
    assert api.get("/api/v1/institutions/", q="雁塔").json()["count"] == 1
    assert api.get(f"/api/v1/institutions/{tree.other_law_firm.pk}/").status_code == 404
    assert other_api.get(f"/api/v1/institutions/{tree.other_law_firm.pk}/").status_code == 200
    assert other_api.get(f"/api/v1/institutions/{tree.mediation.pk}/").status_code == 404
    bad = api.get("/api/v1/institutions/", kind="bank")
    assert bad.status_code == 400 and bad.json()["errors"]["kind"][0].startswith("类型：")


# --- appointments -----------------------------------------------------------------------------------------


def test_slots_are_scoped_and_a_booking_goes_through_the_service(
    api: Api, other_api: Api, personas: Personas, tree: Tree
) -> None:
    slot = open_slot(personas.clerk_a, tree.station_a)
    open_slot(personas.clerk_b, tree.station_b)
    assert [s["id"] for s in api.get("/api/v1/appointments/slots/").json()["results"]] == [slot.pk]
    assert other_api.get("/api/v1/appointments/slots/").json()["count"] == 0
    assert other_api.get(f"/api/v1/appointments/slots/{slot.pk}/").status_code == 404
    booked = api.post(
        "/api/v1/appointments/",
        {"slot": slot.pk, "name": "王秀英", "phone": "13800138000", "summary": "遗嘱咨询"},
    )
    assert booked.status_code == 201, booked.json()
    body = booked.json()
    assert body["status"] == "booked" and body["slot"]["taken"] == 1
    appointment = Appointment.objects.get(pk=body["id"])
    assert appointment.matter.kind == "appointment"
    assert MatterEvent.objects.filter(matter=appointment.matter, code="appointment_booked").exists()
    assert AuditLog.objects.filter(action="appointment_booked", object_id=str(appointment.pk)).exists()
    assert api.get("/api/v1/appointments/slots/", available="true").json()["count"] == 1
    assert other_api.get(f"/api/v1/appointments/{appointment.pk}/").status_code == 404
    assert (
        other_api.post(f"/api/v1/appointments/{appointment.pk}/cancel/", {"reason": "x"}).status_code == 404
    )


def test_booking_input_errors_name_the_field(
    api: Api, other_api: Api, personas: Personas, tree: Tree
) -> None:
    slot = open_slot(personas.clerk_a, tree.station_a)
    missing = api.post("/api/v1/appointments/", {"slot": slot.pk, "summary": "咨询"})
    assert missing.status_code == 400 and missing.json()["errors"]["name"][0].startswith("预约人姓名：")
    out_of_reach = other_api.post("/api/v1/appointments/", {"slot": slot.pk, "name": "王", "summary": "咨询"})
    assert out_of_reach.status_code == 400 and out_of_reach.json()["errors"]["slot"][0].startswith(
        "预约时段："
    )
    assert Appointment.objects.count() == 0


def test_cancel_needs_a_reason_and_writes_the_audit_row(api: Api, personas: Personas, tree: Tree) -> None:
    slot = open_slot(personas.clerk_a, tree.station_a)
    appointment_id = api.post(
        "/api/v1/appointments/", {"slot": slot.pk, "name": "王秀英", "summary": "咨询"}
    ).json()["id"]
    missing = api.post(f"/api/v1/appointments/{appointment_id}/cancel/", {})
    assert missing.status_code == 400 and missing.json()["errors"]["reason"][0].startswith("取消原因：")
    done = api.post(f"/api/v1/appointments/{appointment_id}/cancel/", {"reason": "群众改期"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert AuditLog.objects.filter(action="appointment_cancelled", object_id=str(appointment_id)).exists()
    again = api.post(f"/api/v1/appointments/{appointment_id}/cancel/", {"reason": "再取消"})
    assert again.status_code == 400 and "不能取消" in again.json()["detail"]


# --- ledgers ----------------------------------------------------------------------------------------------


def test_ledger_rows_come_from_the_ledger_selectors_and_are_masked_by_role(
    api: Api, personas: Personas, tree: Tree
) -> None:
    visit = register(personas.clerk_a, tree.station_a, kind="dispute")
    ledgers = api.get("/api/v1/ledgers/").json()["results"]
    assert [ledger["code"] for ledger in ledgers] == [1, 2, 3, 4, 5, 6]
    rows = api.get("/api/v1/ledgers/1/rows/").json()
    assert rows["count"] == 1
    row = rows["results"][0]
    # Issue 16: masked in the API for every role (the export keeps the full numbers for those who may).
    assert row["number"] == visit.number and row["masked"] is True
    assert not any(PHONE in cell for cell in row["cells"]) and any("139****5678" in c for c in row["cells"])
    _, token = service_client("leader", Role.LEADER, tree.district)
    leader_row = Api(token).get("/api/v1/ledgers/1/rows/", node=tree.station_a.pk).json()["results"][0]
    assert leader_row["masked"] is True and not any(PHONE in cell for cell in leader_row["cells"])
    assert api.get("/api/v1/ledgers/2/rows/").json()["count"] == 1
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).isoformat()
    assert api.get("/api/v1/ledgers/1/rows/", date_to=last_month, date_from="2020-01-01").json()["count"] == 0


def test_ledgers_refuse_other_nodes_handlers_and_bad_periods(api: Api, tree: Tree) -> None:
    assert api.get("/api/v1/ledgers/1/rows/", node=tree.station_d.pk).status_code == 404
    assert api.get("/api/v1/ledgers/7/rows/").status_code == 404
    bad = api.get("/api/v1/ledgers/1/rows/", date_from="2026-05-02", date_to="2026-05-01")
    assert bad.status_code == 400 and bad.json()["errors"]["date_to"][0].startswith("结束日期：")
    _, token = service_client("firm", Role.HANDLER, institution=tree.law_firm)
    handler = Api(token)
    assert handler.get("/api/v1/ledgers/").status_code == 403
    assert handler.get("/api/v1/ledgers/1/rows/").status_code == 403


# --- limits, pages, schema, docs --------------------------------------------------------------------------


def test_a_client_over_its_rate_gets_429_in_chinese(api: Api, other_api: Api, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "3/min", "api_user": "3/min", "api_anon": "3/min"},
    }
    statuses = [api.get("/api/v1/institutions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get("/api/v1/institutions/")
    assert limited.json()["code"] == "throttled" and re.search(r"[\u4e00-\u9fff]", limited.json()["detail"])
    assert int(limited["Retry-After"]) > 0
    # The bucket is per client: another client is not slowed down.
    assert other_api.get("/api/v1/institutions/").status_code == 200


def test_pages_are_bounded(api: Api, personas: Personas, tree: Tree) -> None:
    for n in range(3):
        register(personas.clerk_a, tree.station_a, id_number="", phone=f"1391234567{n}")
    page = api.get("/api/v1/visits/", page_size=2).json()
    assert (page["count"], len(page["results"])) == (3, 2) and page["next"]
    assert len(api.get("/api/v1/visits/", page_size=100000).json()["results"]) == 3
    missing = api.get("/api/v1/visits/", page=9)
    assert missing.status_code == 404 and "页码" in missing.json()["detail"]


def test_the_schema_is_served_without_credentials_and_declares_the_errors(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/matters/{id}/transfer/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for operation in operations.values():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), path
            assert {"tokenAuth": []} in operation["security"]
    assert client.get("/api/schema/").status_code == 200  # YAML by default


def test_the_docs_page_loads_the_vendored_swagger_ui_without_inline_script(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html and "api/docs.js" in html
    assert 'data-schema-url="/api/schema/?format=json"' in html
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in script[0] and not script[1].strip()


# --- reports ----------------------------------------------------------------------------------------------


def test_the_monthly_report_comes_from_the_stats_selectors_and_is_scoped(
    api: Api, other_api: Api, personas: Personas, tree: Tree
) -> None:
    from lawdesk.stats.fill import fill_counts

    register(personas.clerk_a, tree.station_a, id_number="")
    register(personas.clerk_b, tree.station_b, id_number="")
    fill_counts()
    month = timezone.localdate().strftime("%Y-%m")
    _, token = service_client("office", Role.OFFICE_STAFF, tree.office)
    report = Api(token).get("/api/v1/reports/monthly/", month=month).json()
    assert report["node"]["id"] == tree.office.pk and report["month"] == month
    figures = {row["code"]: row["value"] for group in report["groups"] for row in group["rows"]}
    assert figures["visits"] == 2
    children = {child["node"]["id"]: child["figures"]["visits"] for child in report["children"]}
    assert children[tree.station_a.pk] == 1 and children[tree.station_b.pk] == 1
    station = api.get("/api/v1/reports/monthly/", month=month).json()
    assert station["node"]["id"] == tree.station_a.pk
    assert {r["code"]: r["value"] for g in station["groups"] for r in g["rows"]}["visits"] == 1
    assert api.get("/api/v1/reports/monthly/", node=tree.office.pk, month=month).status_code == 404
    assert other_api.get("/api/v1/reports/monthly/", node=tree.station_a.pk).status_code == 404
    bad = api.get("/api/v1/reports/monthly/", month="2026-13")
    assert bad.status_code == 400 and bad.json()["errors"]["month"][0].startswith("月份：")
    _, handler_token = service_client("firm", Role.HANDLER, institution=tree.law_firm)
    assert Api(handler_token).get("/api/v1/reports/monthly/").status_code == 403


def test_the_demo_client_works_only_in_demo_mode_and_loads_once(tree: Tree, settings: Any) -> None:
    from lawdesk.api.demo import DEMO_TOKEN, load_api_demo

    assert load_api_demo(station=tree.station_a) == 3
    assert load_api_demo(station=tree.station_a) == 0
    settings.DEMO_MODE = True
    assert Api(DEMO_TOKEN).get("/api/v1/matters/").status_code == 200
    settings.DEMO_MODE = False
    assert Api(DEMO_TOKEN).get("/api/v1/matters/").status_code == 401
    assert not User.objects.get(username="hotline").has_usable_password()


def test_the_admin_lists_clients_read_only_and_disables_them_through_the_service(
    hotline: tuple[ApiClient, str], personas: Personas, rf: Any
) -> None:
    from django.contrib import admin
    from django.contrib.messages.storage.fallback import FallbackStorage

    model_admin = admin.site._registry[ApiClient]
    request = rf.post("/admin/api/apiclient/")
    request.user = personas.system_admin
    request.session = {}
    request._messages = FallbackStorage(request)
    assert not model_admin.has_add_permission(request)
    assert "token_hash" not in model_admin.get_fields(request, hotline[0])
    model_admin.disable(request, ApiClient.objects.filter(pk=hotline[0].pk))  # type: ignore[attr-defined]
    assert not ApiClient.objects.get(pk=hotline[0].pk).is_active
    assert AuditLog.objects.filter(action="api_client_disabled", actor=personas.system_admin).exists()
    assert Api(hotline[1]).get("/api/v1/matters/").status_code == 401
