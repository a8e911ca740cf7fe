"""What the boards and drill-downs cost per request (issue 21, bench/page_cost.py): no query per row on the staff
page's unit lists, the bureau's board and division pages, the construction board and the quality drill-down; a
division's long list of problems is paged with the count shown; the unit lists' HTML is tests/test_form_renderer.py's."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, RoleAssignment
from lawdesk.bureau import selectors as bureau
from lawdesk.core import clock
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.services import org_node_create
from tests.conftest import Personas, Tree, client_for, make_user
from tests.test_bureau import divisions, failing_score
from tests.test_matter_views import new_matter, text


def _get(client: Client, address: str, **params: Any) -> tuple[str, int, Any]:
    client.get(address, params)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, params)
    assert response.status_code == 200, (address, response.status_code)
    return text(response), len(queries), response


def _stations(parent: OrgNode, count: int, start: int = 0) -> list[OrgNode]:
    return [
        org_node_create(
            actor=None,
            parent=parent,
            kind=NodeKind.VILLAGE_STATION,
            name=f"测试{start + i}社区公共法律服务站",
            region_code=f"610113002{start + i + 1:03d}",
        )
        for i in range(count)
    ]


def test_a_workers_page_lists_every_unit_in_the_same_queries_whatever_their_number(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.city_admin)
    address = reverse("staff:detail", args=[personas.clerk_a.pk])
    page, few, _ = _get(client, address)
    added = _stations(tree.office2, 8)
    page, many, _ = _get(client, address)
    assert many == few, (few, many)
    for unit in [tree.city, tree.station_a, *added]:
        label = "　" * max(unit.depth - 1, 0) + unit.name
        assert page.count(f'<option value="{unit.pk}">{label}</option>') == 2, unit.name  # profile and role


def test_the_bureaus_board_and_division_page_cost_the_same_queries_for_2_failed_indicators_and_for_14(
    tree: Tree, personas: Personas
) -> None:
    made = divisions(personas)
    for _ in range(2):
        failing_score(tree, personas)
    client = client_for(personas.city_admin)
    division = reverse("bureau:division", args=[made["legal_aid"].pk])
    _, board_few, _ = _get(client, reverse("bureau:board"))
    page, division_few, _ = _get(client, division)
    assert page.count('data-testid="problem-score:') == 2
    for _ in range(12):
        failing_score(tree, personas)
    board, board_many, _ = _get(client, reverse("bureau:board"))
    page, division_many, _ = _get(client, division)
    assert (board_many, division_many) == (board_few, division_few)
    assert f'data-testid="total-{made["legal_aid"].pk}">14<' in board
    assert page.count('data-testid="problem-score:') == 14 and "共 14 个问题" in page


def test_a_long_list_of_a_divisions_problems_is_paged_and_the_pages_hold_exactly_its_problems(
    tree: Tree, personas: Personas
) -> None:
    made = divisions(personas)
    scores = [failing_score(tree, personas) for _ in range(53)]
    client = client_for(personas.city_admin)
    address = reverse("bureau:division", args=[made["legal_aid"].pk])
    seen: list[str] = []
    for number, rows in ((1, 50), (2, 3)):
        page, _, response = _get(client, address, page=str(number))
        assert len(response.context["problems"]) == rows
        assert f"共 53 个问题，第 {number}/2 页" in page
        seen += [p.key for p, _ in response.context["problems"]]
    assert "?page=2" in text(client.get(address)) and "?page=1" in page
    assert seen == [p.key for p in bureau.problems_of(made["legal_aid"], clock.today())]
    assert sorted(seen) == sorted(f"score:{s.pk}" for s in scores)
    page, _, _ = _get(client, address, kind="score", page="2")
    assert "?kind=score&amp;page=1" in page


def test_the_construction_board_costs_the_same_queries_for_3_platforms_and_for_9(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.district_admin)
    address = reverse("assessment:board")
    page, few, _ = _get(client, address, district=str(tree.district.pk))
    added = _stations(tree.office2, 6)
    page, many, _ = _get(client, address, district=str(tree.district.pk))
    assert many == few, (few, many)
    for station in added:
        assert f'data-testid="board-{station.pk}"' in page


def test_a_drill_down_costs_the_same_queries_for_2_records_and_for_12(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.district_admin)
    address = reverse("quality:drill", args=["node", tree.station_a.pk, "service"])
    period = timezone.localdate().strftime("%Y-%m")
    made = [new_matter(personas, tree) for _ in range(2)]
    page, few, _ = _get(client, address, period=period)
    assert "共 2 件" in page
    made += [new_matter(personas, tree, kind="dispute", summary="欠薪纠纷") for _ in range(10)]
    page, many, response = _get(client, address, period=period)
    assert many == few, (few, many)
    assert "共 12 件" in page and [row["pk"] for row in response.context["rows"]] == [m.pk for m in made]
    for matter in made:
        assert f'<a href="{reverse("desk:matter", args=[matter.pk])}">{matter}</a>' in page
        assert f"<td>{matter.owner}</td>" in page


def test_the_staff_list_costs_the_same_queries_for_few_workers_and_for_more(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.district_admin)
    address = reverse("staff:list")
    page, few, _ = _get(client, address)
    added = [make_user(f"worker{i}", Role.WINDOW_CLERK, tree.station_c) for i in range(6)]
    make_user("worker0_office", Role.OFFICE_STAFF, tree.office2)
    RoleAssignment.objects.create(user=added[0], role=Role.OFFICE_STAFF, node=tree.office2)
    page, many, response = _get(client, address)
    assert many == few, (few, many)
    rows = {row["user"]: row["roles"] for row in response.context["rows"]}
    for user in added:
        assert rows[user] == scoping.assignments_of(user)
    assert (
        f"{Role.WINDOW_CLERK.label}（{tree.station_c.name}）<br>{Role.OFFICE_STAFF.label}（{tree.office2.name}）"
        in page
    )
