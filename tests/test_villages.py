"""The register of villages and communities (村/社区名录) kept at each judicial office, and the narrow roles
(社区矫正工作人员, 村(社区)法律顾问) whose grant at the office does not open the office's matters."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.accounts import scoping
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.models import AuditLog
from lawdesk.matters import services as matters
from lawdesk.orgs import selectors, services
from lawdesk.orgs.models import Village
from tests.conftest import Personas, Tree, client_for

pytestmark = pytest.mark.django_db


def test_office_staff_register_a_village_of_their_town_with_one_audit_row(
    tree: Tree, personas: Personas
) -> None:
    village = services.village_create(
        actor=personas.office_staff, office=tree.office, name="吉祥村", region_code="610113001201"
    )
    assert village.get_kind_display() == "村"
    rows = AuditLog.objects.filter(action=AuditAction.VILLAGE_CREATE)
    assert [(r.actor_id, r.node_id) for r in rows] == [(personas.office_staff.pk, tree.office.pk)]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("610113001000", "后三位不为000"),
        ("61011300120", "应为12位数字"),
        ("610113002201", "前9位应为610113001"),
    ],
)
def test_a_code_that_is_not_a_village_of_the_town_is_refused_naming_the_field(
    tree: Tree, personas: Personas, code: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.village_create(
            actor=personas.office_staff, office=tree.office, name="某村", region_code=code
        )
    assert message in " ".join(refused.value.message_dict["region_code"])
    assert not Village.objects.exists()


def test_another_office_and_a_clerk_may_not_keep_the_register(tree: Tree, personas: Personas) -> None:
    from tests.conftest import make_user

    other_office_staff = make_user("other_office", "office_staff", tree.office2)
    for actor in (other_office_staff, personas.clerk_a, personas.other_district_admin):
        with pytest.raises(PermissionDenied):
            services.village_create(
                actor=actor, office=tree.office, name="吉祥村", region_code="610113001201"
            )
    assert not Village.objects.exists()


def test_the_register_is_scoped_to_the_offices_in_reach(tree: Tree, personas: Personas) -> None:
    mine = services.village_create(actor=None, office=tree.office, name="吉祥村", region_code="610113001201")
    services.village_create(actor=None, office=tree.other_office, name="民乐社区", region_code="610102001001")
    assert list(selectors.villages_for(actor=personas.district_admin)) == [mine]
    assert list(selectors.villages_for(actor=personas.adviser)) == []
    assert list(selectors.villages_for(actor=personas.adviser, roles=("legal_adviser",))) == [mine]
    assert selectors.villages_for(actor=personas.city_admin).count() == 2


def test_a_narrow_role_at_the_office_does_not_open_its_matters(tree: Tree, personas: Personas) -> None:
    visit = matters.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=matters.PersonInput(name="张三", phone="13800000000"),
        matters=[matters.MatterInput(kind="consultation", summary="窄角色不可见")],
    )
    matter = visit.matters.get()
    for actor in (personas.correction_officer, personas.adviser):
        scope = scoping.scope_for(actor)
        assert scope.view_paths == ()
        assert scope.holds_at(tree.office, actor.roles.get().role)
        client = client_for(actor)
        assert client.get(reverse("desk:matter", args=[matter.pk])).status_code == 404
        assert "窄角色不可见" not in client.get(reverse("desk:matters")).content.decode()
    assert scoping.scope_for(personas.office_staff).view_paths == (tree.office.path,)
