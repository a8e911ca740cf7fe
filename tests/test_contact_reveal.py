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


# --- a dispute's parties: the mediator must call them ------------------------------------------------------

PARTY_PHONE = "13912340000"


def dispute_with_a_party(personas: Personas, tree: Tree, *, transfer: bool = True) -> tuple[Matter, str]:
    from lawdesk.matters import services as ms
    from lawdesk.matters.services import MatterInput, PersonInput
    from lawdesk.mediation import services as mediation

    visit = ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="周建华", phone="13700137000"),
        matters=[MatterInput(kind="dispute", summary="楼上漏水，协商赔偿未果")],
    )
    matter = visit.matters.get()
    detail = mediation.dispute_record(
        actor=personas.clerk_a, matter=matter, dispute_type="neighbourhood", people_involved=2,
        parties=[mediation.PartyInput(name="李卫东", phone=PARTY_PHONE)],
    )  # fmt: skip
    if transfer:
        ms.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.mediation)
    return matter, f"party-{detail.parties.get().pk}"


def test_the_mediator_reveals_a_partys_phone_on_the_matter_page_and_through_the_api_audited(
    tree: Tree, personas: Personas
) -> None:
    matter, which = dispute_with_a_party(personas, tree)
    client = client_for(personas.mediator)
    page = client.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert PARTY_PHONE not in page and "139****0000" in page and f'data-testid="reveal-{which}"' in page
    revealed = client.post(reverse("contact_reveal", args=[matter.pk, which]))
    assert revealed.status_code == 200 and PARTY_PHONE in revealed.content.decode()
    row = AuditLog.objects.filter(action="personal_data.read").latest("pk")
    assert (row.actor, row.object_id, row.data) == (
        personas.mediator,
        str(matter.pk),
        {"field": f"{which}_phone"},
    )
    api = client.post(
        reverse("api:matter-reveal", args=[matter.pk]), {"which": which}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["value"] == PARTY_PHONE
    assert AuditLog.objects.filter(action="personal_data.read", actor=personas.mediator).count() == 2


def test_a_partys_phone_is_not_revealed_to_handlers_the_dispute_is_not_with_nor_to_masked_only_roles(
    tree: Tree, personas: Personas
) -> None:
    matter, which = dispute_with_a_party(personas, tree, transfer=False)
    url = reverse("contact_reveal", args=[matter.pk, which])
    assert client_for(personas.mediator).post(url).status_code == 404  # not transferred to the committee
    assert client_for(personas.handler).post(url).status_code == 404  # another institution
    leader = client_for(personas.leader)
    assert leader.post(url).status_code in (403, 404)
    page = leader.get(reverse("desk:matter", args=[matter.pk]))
    assert page.status_code != 200 or f'data-testid="reveal-{which}"' not in page.content.decode()
    assert not AuditLog.objects.filter(action="personal_data.read").exists()
    # The window (first responder, sees personal data at its platform) may reveal it.
    assert PARTY_PHONE in client_for(personas.clerk_a).post(url).content.decode()
