"""What the assessment round, the lightbox list, the advisers' board and contracts, the poor villages and teams and
a supervisee's page cost per request (issue 21, bench/page_cost.py): the same queries whatever the number of rows,
the rows still shown with their links."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from lawdesk.assessment.models import Round, RoundEntry
from lawdesk.correction import deadlines
from lawdesk.correction import services as correction
from lawdesk.correction.models import RecordKind, ReleasedPerson, Supervisee
from lawdesk.coverage import services as coverage
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.services import village_create
from lawdesk.outreach import services as outreach
from tests.conftest import Personas, Tree, client_for
from tests.test_advisers import contract
from tests.test_assessment import media, published, records  # noqa: F401  (fixtures)
from tests.test_correction import TODAY, register
from tests.test_page_cost_boards import _get, _stations


def _villages(office: OrgNode, count: int, start: int) -> list[Any]:
    return [
        village_create(actor=None, office=office, name=f"测试{start + i}村", region_code=f"{office.region_code[:9]}{start + i + 201:03d}")
        for i in range(count)
    ]  # fmt: skip


def _twice(client: Client, address: str, grow: Any) -> tuple[str, int, int]:
    _, few, _ = _get(client, address)
    grow()
    page, many, _ = _get(client, address)
    return page, few, many


def test_a_round_lists_every_entry_with_its_district_in_the_same_queries(
    tree: Tree,
    personas: Personas,
    published: Round,  # noqa: F811
) -> None:
    client = client_for(personas.district_admin)
    address = reverse("assessment:round", args=[published.pk])
    added: list[OrgNode] = []

    def grow() -> None:
        added.extend(_stations(tree.office2, 6))
        for i, station in enumerate(added):
            RoundEntry.objects.create(
                round=published, platform=station, total=Decimal(80 + i), stars=i % 6, rank=50 + i
            )

    page, few, many = _twice(client, address, grow)
    assert many == few, (few, many)
    district = f'data-testid="district-{tree.district.pk}"'
    assert district in page
    for i, station in enumerate(added):
        entry = RoundEntry.objects.get(round=published, platform=station)
        assert (
            f'<a href="{reverse("assessment:entry", args=[published.pk, entry.pk])}">{station.name}</a>'
            in page
        )
        assert page.index(district) < page.index(f'data-testid="entry-{station.pk}"')
        stars = i % 6
        if stars:
            glyphs = "★" * min(stars, 5) + "☆" * (5 - min(stars, 5))
            assert f'data-stars="{stars}">{glyphs}</span>' in page


def test_the_lightbox_list_shows_every_point_in_the_same_queries(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.district_admin)
    installed = datetime.date(2026, 1, 5)

    def grow() -> None:
        for v in _villages(tree.office, 6, 0):
            coverage.lightbox_create(actor=None, village=v, place=f"{v.name}村委会", installed=installed)

    grow_first = _villages(tree.office, 1, 50)
    coverage.lightbox_create(actor=None, village=grow_first[0], place="村口", installed=installed)
    page, few, many = _twice(client, reverse("coverage:lightboxes"), grow)
    assert many == few, (few, many)
    for point in coverage.LightboxPoint.objects.select_related("village", "village__office", "platform"):
        assert f'<a href="{reverse("coverage:lightbox", args=[point.pk])}">{point.place}</a>' in page
        assert f"<td>{point.village.office.name}</td><td>{point.village.name}</td>" in page
        assert f"<td>{point.platform.name}</td>" in page
    assert page.count('<option value="') >= 8  # the form's villages and platforms, as rows


def test_the_advisers_board_and_contracts_list_every_village_in_the_same_queries(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.city_admin)
    contract(personas, tree, _villages(tree.office, 1, 60)[0])

    def grow() -> None:
        for i, v in enumerate(_villages(tree.office, 5, 0)):
            if i % 2:
                contract(personas, tree, v)

    page, few, many = _twice(client, reverse("advisers:board"), grow)
    assert many == few, (few, many)
    for v in Village.objects.all():
        assert f'data-testid="village-{v.pk}"' in page
    page, few, many = _twice(
        client,
        reverse("advisers:contracts"),
        lambda: contract(personas, tree, _villages(tree.office, 1, 70)[0]),
    )
    assert many == few, (few, many)
    assert page.count(f"<td>{personas.adviser}</td><td>陕西顾问测试律师事务所</td>") == 4
    assert f"<td>{tree.office.name}</td><td>测试70村</td>" in page


def test_the_poor_villages_and_teams_pages_cost_the_same_queries_whatever_their_rows(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.city_admin)

    def villages() -> None:
        for i in range(5):
            outreach.village_create(
                actor=personas.district_admin, district=tree.district, name=f"测试{i}村",
                region_code=f"610113001{i + 301:03d}", office=tree.office if i % 2 else None,
            )  # fmt: skip

    page, few, many = _twice(client, reverse("outreach:villages"), villages)
    assert many == few, (few, many)
    assert (
        f"<td>{tree.district.name}</td><td>测试1村</td><td>610113001302</td><td>{tree.office.name}</td>"
        in page
    )
    assert "<td>测试0村</td><td>610113001301</td><td>—</td><td>尚未设站</td>" in page
    personas.office_staff.phone = "13900000001"
    personas.office_staff.save()

    def teams(numbers: range = range(2, 5)) -> None:
        for i in numbers:
            outreach.team_create(
                actor=personas.district_admin, district=tree.district, name=f"测试服务团{i}", kind="service_group",
                lead=personas.office_staff,
            )  # fmt: skip

    # members are prefetched once there is a team; a single team is preselected (one query more)
    teams(range(2))
    page, few, many = _twice(client, reverse("outreach:teams"), teams)
    assert many == few, (few, many)
    lead = f'<option value="{personas.office_staff.pk}">{personas.office_staff}</option>'
    assert lead in page  # the people of every district the city manages may lead a team
    assert (
        f'<option value="{personas.other_district_admin.pk}">{personas.other_district_admin}</option>' in page
    )
    assert f'<option value="{personas.city_admin.pk}">' not in page  # a role above the districts: no


def test_a_supervisee_page_costs_the_same_queries_whatever_their_records_and_shows_their_deadlines(
    tree: Tree, personas: Personas
) -> None:
    officer = personas.correction_officer
    person = register(officer, tree.office)
    correction.record_add(actor=officer, supervisee=person, kind=RecordKind.REPORT, date=TODAY)
    client = client_for(officer)
    address = reverse("correction:supervisee", args=[person.pk])

    def grow() -> None:
        for days in (1, 2, 3):
            correction.record_add(
                actor=officer,
                supervisee=person,
                kind=RecordKind.HOME_VISIT,
                date=TODAY - datetime.timedelta(days=days),
            )
        correction.record_add(
            actor=officer, supervisee=person, kind=RecordKind.LEAVE, date=TODAY, leave_from=TODAY,
            leave_to=TODAY + datetime.timedelta(days=3), destination="咸阳",
        )  # fmt: skip

    page, few, many = _twice(client, address, grow)
    assert many == few, (few, many)
    expected = deadlines.open_deadlines(
        Supervisee.objects.filter(pk=person.pk), ReleasedPerson.objects.none()
    )
    assert [d.kind for d in expected] == [
        d.kind for d in deadlines.person_deadlines(person, list(person.records.all()))
    ]
    assert {d.kind for d in expected} >= {"visit", "term_end", "leave_return"}
    for d in expected:
        assert f"{d.label}：{d.due:%Y-%m-%d}" in page
