"""Enterprises, public institutions and social organisations as clients (三(一) "积极为企事业单位、社会组织等提供
法律服务"), and 流动人口 as a group: one rule in ``visit_register`` for the intake page and the API, and their own
figures in the monthly report."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lawdesk.accounts.models import Role
from lawdesk.core.validators import credit_code_check_char
from lawdesk.matters import services
from lawdesk.matters.models import Visit
from lawdesk.people.models import ClientKind, Person
from lawdesk.stats.fill import fill_counts
from lawdesk.stats.selectors import drill_down, monthly_report
from tests.conftest import Personas, Tree, client_for
from tests.test_api import Api, service_client
from tests.test_intake import post

pytestmark = pytest.mark.django_db

CODE = "91610113MA6TXXXX1"  # 17 characters; the check character is computed (GB 32100)
CODE += credit_code_check_char(CODE)


def _register(actor: Any, node: Any, **person: Any) -> Visit:
    return services.visit_register(
        actor=actor,
        node=node,
        person_data=services.PersonInput(**person),
        matters=[services.MatterInput(kind="consultation", summary="劳动用工合规咨询")],
    )


def test_an_enterprise_is_registered_by_its_name_credit_code_and_contact(
    tree: Tree, personas: Personas
) -> None:
    visit = _register(
        personas.clerk_a, tree.station_a, name="西安某科技有限公司", phone="13800138000",
        client_kind=ClientKind.ENTERPRISE, credit_code=CODE.lower(), contact_name="王经理",
    )  # fmt: skip
    person = visit.person
    assert (person.client_kind, person.credit_code, person.contact_name) == ("enterprise", CODE, "王经理")
    assert person.get_client_kind_display() == "企业" and person.groups == [] and person.gender == ""


@pytest.mark.parametrize(
    ("person", "field", "message"),
    [
        (
            {"client_kind": "enterprise", "name": "某公司", "credit_code": CODE[:17] + "0"},
            "credit_code",
            "校验位不对",
        ),
        (
            {"client_kind": "enterprise", "name": "某公司", "credit_code": "91610113MA6TXXXXI1"},
            "credit_code",
            "格式不对",
        ),
        (
            {"client_kind": "social_organisation", "name": "", "contact_name": "李"},
            "name",
            "单位名称不能为空",
        ),
        (
            {"client_kind": "enterprise", "name": "某公司", "id_number": "610113195001010029"},
            "id_number",
            "不填身份证号",
        ),
        ({"client_kind": "enterprise", "name": "某公司", "groups": ["elderly"]}, "groups", "只适用于个人"),
        ({"client_kind": "person", "name": "张三", "credit_code": CODE}, "client_kind", "来访对象"),
        ({"client_kind": "club", "name": "某会"}, "client_kind", "来访对象无效"),
    ],
)
def test_bad_organisation_input_names_the_field_and_saves_nothing(
    tree: Tree, personas: Personas, person: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _register(personas.clerk_a, tree.station_a, **person)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Visit.objects.exists() and not Person.objects.exists()


def test_the_intake_page_and_the_api_give_the_same_answer(tree: Tree, personas: Personas) -> None:
    page = post(
        client_for(personas.clerk_a), name="西安某科技有限公司", phone="", client_kind="enterprise",
        credit_code=CODE[:17] + "0", contact_name="王经理",
    )  # fmt: skip
    assert page.status_code == 400 and "校验位不对" in page.content.decode()
    api = Api(service_client("hotline", Role.WINDOW_CLERK, tree.station_a)[1])
    body: dict[str, Any] = {
        "node": tree.station_a.pk,
        "channel": "phone",
        "person": {"name": "西安某科技有限公司", "client_kind": "enterprise", "credit_code": CODE[:17] + "0"},
        "matters": [{"kind": "consultation", "summary": "劳动用工合规咨询"}],
    }
    refused = api.post("/api/v1/visits/", body)
    assert refused.status_code == 400 and "校验位不对" in refused.content.decode()
    assert not Visit.objects.exists()
    body["person"]["credit_code"] = CODE
    created = api.post("/api/v1/visits/", body)
    assert created.status_code == 201, created.json()
    shown = created.json()["person"]
    assert (shown["client_kind"], shown["credit_code"]) == ("enterprise", CODE)
    page = post(
        client_for(personas.clerk_a), name="某社区养老协会", phone="", client_kind="social_organisation",
        contact_name="李会长",
    )  # fmt: skip
    assert page.status_code == 302
    assert Person.objects.get(name="某社区养老协会").client_kind == "social_organisation"


def test_a_returning_organisation_stays_one_when_the_form_is_left_at_person(
    tree: Tree, personas: Personas
) -> None:
    first = _register(
        personas.clerk_a,
        tree.station_a,
        name="西安某科技有限公司",
        client_kind="enterprise",
        credit_code=CODE,
    )
    again = services.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person=first.person,
        person_data=services.PersonInput(name="西安某科技有限公司"),
        matters=[services.MatterInput(kind="consultation", summary="再次咨询")],
    )  # fmt: skip
    again.person.refresh_from_db()
    assert again.person.client_kind == "enterprise" and again.person.credit_code == CODE


def test_the_monthly_report_counts_organisations_and_the_floating_population_with_drill_down(
    tree: Tree, personas: Personas, pinned_clock: Any
) -> None:
    _register(personas.clerk_a, tree.station_a, name="西安某科技有限公司", client_kind="enterprise")
    _register(personas.clerk_a, tree.station_a, name="某养老协会", client_kind="social_organisation")
    _register(personas.clerk_a, tree.station_a, name="张三", groups=["floating_population"])
    fill_counts(until=datetime.date(2026, 12, 9))
    figures = monthly_report(actor=personas.office_staff, node=tree.office, year=2026, month=12).figures
    assert figures["visits"] == 3
    assert figures["visits_organisation"] == 2
    assert figures["visits_client_enterprise"] == 1 and figures["visits_client_social_organisation"] == 1
    assert figures["vulnerable_floating_population"] == 1
    _item, rows = drill_down(
        actor=personas.office_staff, node=tree.office, year=2026, month=12, indicator="visits_organisation"
    )
    assert sorted(v.person.name for v in rows) == ["某养老协会", "西安某科技有限公司"]


def test_another_districts_clerk_cannot_register_at_this_station(tree: Tree) -> None:
    api = Api(service_client("xincheng", Role.WINDOW_CLERK, tree.station_d)[1])
    response = api.post(
        "/api/v1/visits/",
        {
            "node": tree.station_a.pk, "channel": "phone",
            "person": {"name": "西安某科技有限公司", "client_kind": "enterprise", "credit_code": CODE},
            "matters": [{"kind": "consultation", "summary": "劳动用工合规咨询"}],
        },
    )  # fmt: skip
    assert response.status_code in (400, 403, 404)  # the node is named as not found or not allowed
    assert not Visit.objects.exists()
