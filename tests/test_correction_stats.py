"""The 社区矫正 figures of the monthly report: counted at the judicial office, shown to everyone who sees the
report, but their drill-down lists records only for the correction role (a restricted source)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from lawdesk.accounts.models import Role
from lawdesk.correction import services
from lawdesk.correction.models import RecordKind
from lawdesk.stats import indicators as registry
from lawdesk.stats.fill import fill_counts
from lawdesk.stats.selectors import Month, drill_down, figures, undrillable
from tests.conftest import Personas, Tree, client_for, make_user
from tests.test_correction import TODAY, register, released

MONTH = "2026-12"


@pytest.fixture
def december(tree: Tree, personas: Personas) -> dict[str, Any]:
    officer = personas.correction_officer
    person = register(officer, tree.office, received_on=TODAY - datetime.timedelta(days=2))
    services.record_add(
        actor=officer, supervisee=person, kind=RecordKind.EDUCATION, date=TODAY, hours=Decimal(2)
    )
    services.record_add(
        actor=officer, supervisee=person, kind=RecordKind.PUBLIC_BENEFIT, date=TODAY, hours=Decimal("3.5")
    )
    services.record_add(
        actor=officer,
        supervisee=person,
        kind=RecordKind.HELP,
        date=TODAY,
        help_kind="employment",
        note="推荐",
    )
    helped = released(officer, tree.office)
    services.released_handover(actor=officer, person=helped, date=TODAY, assessment="稳定", help_plan="就业")
    fill_counts(until=TODAY + datetime.timedelta(days=1))
    return {"person": person}


def test_figures_are_counted_at_the_office(tree: Tree, december: dict[str, Any]) -> None:
    values = figures(tree.office, Month(2026, 12))
    assert values["correction_received"] == 1
    assert values["correction_education"] == 1
    assert values["correction_public_benefit_hours"] == 35  # 3.5 hours, stored in tenths
    assert values["correction_help"] == 1
    assert values["released_handed_over"] == 1 and values["released_handed_over_on_time"] == 1
    assert figures(tree.district, Month(2026, 12))["correction_received"] == 1
    assert "社区矫正" in registry.GROUPS


def test_the_correction_officer_drills_down_to_the_records(
    tree: Tree, personas: Personas, december: dict[str, Any]
) -> None:
    _item, qs = drill_down(
        actor=personas.correction_officer,
        node=tree.office,
        indicator="correction_education",
        year=2026,
        month=12,
    )
    assert qs.count() == 1
    client = client_for(personas.correction_officer)
    page = client.get(reverse("stats:drill", args=[tree.office.pk, MONTH, "correction_public_benefit_hours"]))
    assert page.status_code == 200
    assert reverse("correction:supervisee", args=[december["person"].pk]) in page.content.decode()


@pytest.mark.parametrize("persona", ["office_staff", "district_admin", "city_admin", "leader", "clerk_a"])
def test_others_see_the_figure_but_not_the_records(
    tree: Tree, personas: Personas, december: dict[str, Any], persona: str
) -> None:
    user = getattr(personas, persona)
    with pytest.raises(Http404):
        drill_down(actor=user, node=tree.office, indicator="correction_education", year=2026, month=12)
    client = client_for(user)
    url = reverse("stats:drill", args=[tree.office.pk, MONTH, "correction_education"])
    assert client.get(url).status_code == 404
    assert "correction_education" in undrillable(user, tree.office)
    if persona != "clerk_a":  # a clerk's report is of the station, not the office
        report = client.get(reverse("stats:report", args=[tree.office.pk, MONTH])).content.decode()
        assert 'data-testid="fig-correction_education"' in report
        assert url not in report


def test_an_officer_of_another_office_cannot_drill_into_this_office(
    tree: Tree, december: dict[str, Any]
) -> None:
    elsewhere = make_user("officer_other", Role.CORRECTION_OFFICER, tree.office2)
    client = client_for(elsewhere)
    assert (
        client.get(reverse("stats:drill", args=[tree.office.pk, MONTH, "correction_help"])).status_code == 404
    )
    assert (
        client.get(reverse("stats:drill", args=[tree.district.pk, MONTH, "correction_help"])).status_code
        == 404
    )
    # and an officer's drill never opens an unrestricted figure of a node it does not see
    assert client.get(reverse("stats:drill", args=[tree.office2.pk, MONTH, "visits"])).status_code == 404


def test_the_register_links_the_officer_to_the_months_drill_downs(
    tree: Tree, personas: Personas, december: dict[str, Any]
) -> None:
    client = client_for(personas.correction_officer)
    page = client.get(reverse("correction:index")).content.decode()
    url = reverse("stats:drill", args=[tree.office.pk, MONTH, "correction_help"])
    assert url in page
    drill = client.get(url)
    assert drill.status_code == 200 and "correction:supervisee" not in drill.content.decode()
    assert reverse("correction:supervisee", args=[december["person"].pk]) in drill.content.decode()
