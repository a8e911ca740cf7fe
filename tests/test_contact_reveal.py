"""Contact phones kept on a matter — a complainant's, an appointment's reminder phone — are masked on every
screen; roles that may see personal data in full reveal them one at a time, and each reveal is audited."""

from __future__ import annotations

from django.urls import reverse

from lawdesk.complaints import services as complaint_services
from lawdesk.core.models import AuditLog
from lawdesk.matters.models import Matter
from tests.conftest import Personas, Tree, client_for

PHONE = "13712345678"


def complaint(personas: Personas, tree: Tree) -> Matter:
    return complaint_services.complaint_record(
        actor=personas.clerk_a,
        node=tree.station_a,
        statement="窗口人员态度差",
        contact_name="周建国",
        contact_phone=PHONE,
        subject_unit="某律师事务所",
    ).matter


def test_the_complainant_phone_is_masked_and_revealed_with_an_audit_row(
    tree: Tree, personas: Personas
) -> None:
    matter = complaint(personas, tree)
    client = client_for(personas.office_staff)
    page = client.get(reverse("complaints:detail", args=[matter.pk])).content.decode()
    assert PHONE not in page and "137****5678" in page and 'data-testid="reveal-complainant_phone"' in page
    url = reverse("contact_reveal", args=[matter.pk, "complainant"])
    assert client.get(url).status_code == 405  # a read is a POST, never a link
    revealed = client.post(url)
    assert revealed.status_code == 200 and PHONE in revealed.content.decode()
    row = AuditLog.objects.filter(action="personal_data.read").latest("pk")
    assert (row.actor, row.object_id, row.data) == (
        personas.office_staff,
        str(matter.pk),
        {"field": "complainant_phone"},
    )


def test_roles_that_see_masked_data_only_cannot_reveal(tree: Tree, personas: Personas) -> None:
    matter = complaint(personas, tree)
    client = client_for(personas.leader)
    response = client.post(reverse("contact_reveal", args=[matter.pk, "complainant"]))
    assert response.status_code in (403, 404)
    assert PHONE not in response.content.decode()


def test_another_platform_or_district_gets_404_and_no_audit_row(tree: Tree, personas: Personas) -> None:
    matter = complaint(personas, tree)
    for user in (personas.clerk_b, personas.other_district_admin):
        before = AuditLog.objects.filter(action="personal_data.read").count()
        response = client_for(user).post(reverse("contact_reveal", args=[matter.pk, "complainant"]))
        assert response.status_code == 404
        assert AuditLog.objects.filter(action="personal_data.read").count() == before


def test_an_unknown_contact_kind_is_404(tree: Tree, personas: Personas) -> None:
    matter = complaint(personas, tree)
    response = client_for(personas.clerk_a).post(reverse("contact_reveal", args=[matter.pk, "anything"]))
    assert response.status_code == 404
