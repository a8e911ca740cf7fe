"""四(四)2: the 12348 terminals are recorded at judicial offices and mediation committees too, not only at the
platforms; the office records its own and its committees', an admin above may too, nobody else."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.institutions import services as institutions
from lawdesk.institutions.models import Terminal
from lawdesk.orgs import services as orgs
from lawdesk.orgs.models import Facility, FacilityItem
from tests.conftest import Personas, Tree, client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_judicial_office_records_its_terminals_and_nothing_else(tree: Tree, personas: Personas) -> None:
    orgs.facility_set(
        actor=personas.office_staff, node=tree.office, item=FacilityItem.TERMINAL_12348_HOTLINE, present=True
    )
    with pytest.raises(ValidationError) as refused:
        orgs.facility_set(
            actor=personas.office_staff, node=tree.office, item=FacilityItem.COPIER, present=True
        )
    assert "只登记12348" in " ".join(refused.value.message_dict["item"])
    assert list(Facility.objects.filter(node=tree.office).values_list("item", flat=True)) == [
        "terminal_12348_hotline"
    ]
    page = client_for(personas.office_staff).get(reverse("orgs:node", args=[tree.office.pk])).content.decode()
    assert "12348热线服务终端：已配备" in page and "12348中国法网终端：未配备" in page


def test_the_office_page_form_offers_only_the_terminals(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.office_staff)
    form = client.get(reverse("orgs:facilities", args=[tree.office.pk])).content.decode()
    assert "12348中国法网终端" in form and "复印机" not in form
    response = client.post(
        reverse("orgs:facilities", args=[tree.office.pk]),
        {"terminal_12348_web__present": "on", "terminal_12348_web__as_of": "2026-12-01"},
    )
    assert response.status_code == 302
    assert Facility.objects.get(node=tree.office, item="terminal_12348_web").present


def test_the_office_records_its_committees_terminals_with_one_audit_row(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.office_staff)
    detail = client.get(reverse("institutions:detail", args=[tree.mediation.pk])).content.decode()
    assert "12348中国法网终端：未配备" in detail and 'data-testid="record-terminals"' in detail
    response = client.post(
        reverse("institutions:terminals", args=[tree.mediation.pk]),
        {"terminal_12348_web__present": "on", "terminal_12348_web__as_of": "2026-12-01"},
    )
    assert response.status_code == 302
    terminal = Terminal.objects.get()
    assert (terminal.item, terminal.present, str(terminal.as_of)) == (
        "terminal_12348_web",
        True,
        "2026-12-01",
    )
    rows = AuditLog.objects.filter(action="terminal_set")
    assert [(r.actor_id, r.node_id) for r in rows] == [(personas.office_staff.pk, tree.office.pk)]
    detail = client.get(reverse("institutions:detail", args=[tree.mediation.pk])).content.decode()
    assert "12348中国法网终端：已配备（2026-12-01）" in detail


def test_others_may_not_record_a_committees_terminals(tree: Tree, personas: Personas) -> None:
    other_office = make_user("other_office", "office_staff", tree.office2)
    for actor in (personas.clerk_a, personas.mediator, other_office, personas.other_district_admin):
        with pytest.raises(PermissionDenied):
            institutions.terminal_set(
                actor=actor, institution=tree.mediation, item="terminal_12348_web", present=True
            )
        response = client_for(actor).post(
            reverse("institutions:terminals", args=[tree.mediation.pk]),
            {"terminal_12348_web__present": "on"},
        )
        assert response.status_code in (403, 404)
    with pytest.raises(ValidationError):
        institutions.terminal_set(
            actor=None, institution=tree.law_firm, item="terminal_12348_web", present=True
        )
    assert not Terminal.objects.exists()
    # an admin above the office may
    institutions.terminal_set(
        actor=personas.district_admin,
        institution=tree.mediation,
        item="terminal_12348_hotline",
        present=False,
    )
    assert Terminal.objects.count() == 1
