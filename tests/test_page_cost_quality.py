"""What the quality index, the training board and the publicity events page cost per request (issue 21,
bench/page_cost.py): the same queries whatever the number of platforms, workers and units; the index's own card
from the node's one pass equals the card computed on its own (the way it was); a card's cells written in Python
are the HTML the old ``quality/_cells.html`` include wrote; the shared paging."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from lawdesk.accounts.models import Role
from lawdesk.core.http import paging
from lawdesk.institutions.models import Institution
from lawdesk.matters.models import Matter
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.services import org_node_create
from lawdesk.quality import services as quality_services
from lawdesk.quality.scorecard import Card, Scope, own_upheld, parse_period
from lawdesk.quality.views import CardCells
from lawdesk.staff import selectors as staff_selectors
from lawdesk.staff.models import StaffProfile
from tests.conftest import Personas, Tree, client_for, make_user
from tests.test_page_cost_boards import _get, _stations
from tests.test_quality import answered, records  # noqa: F401 - the fixture

FIGURES = ("service", "rated", "satisfied", "adoption_recorded", "adopted", "timely_decided", "timely", "late",
           "upheld")  # fmt: skip

# quality/_cells.html as it was, the reference for CardCells
OLD_CELLS = (
    "{% load quality_links %}"
    """<td class="num"><a href="{% drill_url kind pk 'service' %}?period={{ period.key }}">{{ card.service }}</a></td>
<td class="num">{% if card.satisfaction is not None %}<a href="{% drill_url kind pk 'rated' %}?period={{ period.key }}">{{ card.satisfaction }}%</a> <small>({{ card.satisfied }}/{{ card.rated }})</small>{% else %}—{% endif %}</td>
<td class="num">{% if card.average is not None %}{{ card.average }}{% else %}—{% endif %}</td>
<td class="num">{% if card.adoption is not None %}<a href="{% drill_url kind pk 'adoption_recorded' %}?period={{ period.key }}">{{ card.adoption }}%</a> <small>({{ card.adopted }}/{{ card.adoption_recorded }})</small>{% else %}—{% endif %}</td>
<td class="num">{% if card.timeliness is not None %}<a href="{% drill_url kind pk 'timely_decided' %}?period={{ period.key }}">{{ card.timeliness }}%</a> <small>({{ card.timely }}/{{ card.timely_decided }})</small>{% else %}—{% endif %}</td>
<td class="num"><a href="{% drill_url kind pk 'upheld' %}?period={{ period.key }}">{{ card.upheld }}</a></td>
"""
)


def _figures(card: Card) -> dict[str, Any]:
    return {
        **{figure: sorted(card.ids[figure]) for figure in FIGURES},
        "average": card.average,
        "satisfaction": card.satisfaction,
    }


def _own_card_the_old_way(actor: Any) -> dict[str, Any]:
    """The reader's own card as the index computed it before: a scope of their own matters alone."""
    period = parse_period(None)
    card = Scope(actor, period, worker_id=actor.pk).worker_card(actor.pk)
    card.ids["upheld"] = own_upheld(actor, period)
    return _figures(card)


@pytest.mark.parametrize(
    "who", ["clerk_a", "clerk_b", "office_staff", "district_admin", "mediator", "handler"]
)
def test_the_index_own_card_equals_the_card_computed_on_its_own(
    tree: Tree,
    personas: Personas,
    records: dict[str, Any],  # noqa: F811 - the fixture
    who: str,
) -> None:
    actor = getattr(personas, who)
    response = client_for(actor).get(reverse("quality:index"))
    assert response.status_code == 200
    assert _figures(response.context["mine"]) == _own_card_the_old_way(actor)
    if who == "clerk_a":  # their five matters, the upheld complaint counted (never listed)
        assert response.context["mine"].service == 5


def test_the_quality_index_costs_the_same_queries_for_few_platforms_and_workers_and_for_more(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.district_admin)
    address = reverse("quality:index")
    answered(personas, tree)
    page, few, response = _get(client, address)
    assert len(response.context["workers"]) == 1
    added = _stations(tree.office2, 6)
    clerks = [make_user(f"q_clerk{i}", Role.WINDOW_CLERK, station) for i, station in enumerate(added)]
    for clerk, station in zip(clerks, added, strict=True):
        matter = answered(personas, tree, clerk=clerk, node=station)
        quality_services.tablet_rate(handed_by=clerk, matter=matter, rating=5)
    page, many, response = _get(client, address)
    assert many == few, (few, many)
    assert {row["user"].pk for row in response.context["workers"]} >= {c.pk for c in clerks}
    period = timezone.localdate().strftime("%Y-%m")
    for station in added:
        assert f'data-testid="platform-{station.pk}"' in page
        drill = reverse("quality:drill", args=["node", station.pk, "rated"])
        assert f'<a href="{drill}?period={period}">100.0%</a> <small>(1/1)</small>' in page
    ranking, _queries, _ = _get(client, reverse("quality:ranking"))
    for station in added:
        assert f'data-testid="rank-node-{station.pk}"' in ranking


def test_a_cards_cells_are_the_html_the_old_include_wrote(
    tree: Tree,
    personas: Personas,
    records: dict[str, Any],  # noqa: F811 - the fixture
) -> None:
    period = parse_period(None)
    scope = Scope(personas.city_admin, period, within=tree.city)
    cards: list[tuple[str, int, Card]] = [("node", 1, Card())]  # every figure empty: "—"
    cards += [
        ("node", node.pk, scope.node_card(node)) for node in (tree.city, tree.station_a, tree.station_b)
    ]
    cards += [("worker", uid, scope.worker_card(uid)) for uid in scope.worker_ids()]
    assert any(card.average is not None and card.timeliness is not None for _k, _pk, card in cards)
    old = Template(OLD_CELLS)
    for kind, pk, card in cards:
        want = old.render(Context({"kind": kind, "pk": pk, "card": card, "period": period}))
        assert CardCells(kind, period)(pk, card) == want, (kind, pk)


def test_the_training_board_costs_the_same_queries_for_few_workers_and_for_more(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.city_admin)
    address = reverse("staff:board")
    _page, few, _ = _get(client, address)
    # a worker with a profile, one with a node role only, a handler of an institution with a home node
    profiled = make_user("t_profiled", Role.WINDOW_CLERK, tree.station_a)
    StaffProfile.objects.create(user=profiled, node=tree.station_c)
    by_role = [make_user(f"t_clerk{i}", Role.WINDOW_CLERK, tree.station_b) for i in range(4)]
    firm = Institution.objects.filter(home_node__isnull=False).first()
    assert firm is not None
    handler = make_user("t_handler", Role.HANDLER, institution=firm)
    _page, many, response = _get(client, address)
    assert many == few, (few, many)
    units = {row.user.pk: row.unit for row in response.context["rows"]}
    assert units[profiled.pk] == tree.station_c.name
    assert all(units[u.pk] == tree.station_b.name for u in by_role)
    assert units[handler.pk] == firm.home_node.name
    for row in response.context["rows"]:  # as unit_of, one worker at a time
        place = staff_selectors.unit_of(row.user)
        assert row.unit == (place.name if place else "")


def test_the_publicity_events_page_costs_the_same_queries_for_few_units_and_for_more(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.city_admin)
    address = reverse("outreach:events")
    page, few, _ = _get(client, address)
    added = [
        org_node_create(
            actor=None, parent=tree.office2, kind=NodeKind.VILLAGE_STATION, name=f"宣传{i}社区公共法律服务站",
            region_code=f"610113002{i + 50:03d}",
        )
        for i in range(5)
    ]  # fmt: skip
    page, many, _ = _get(client, address)
    assert many == few, (few, many)
    for node in added:
        assert f'<option value="{node.pk}">{node.name}（{NodeKind.VILLAGE_STATION.label}）</option>' in page


@pytest.mark.parametrize(
    ("asked", "count", "shown", "page_number", "pages", "previous_page", "next_page"),
    [
        ("", 0, [], 1, 1, None, None),
        ("x", 5, [0, 1], 1, 3, None, 2),
        ("0", 5, [4], 3, 3, 2, None),
        ("2", 5, [2, 3], 2, 3, 1, 3),
        ("3", 5, [4], 3, 3, 2, None),
        ("99", 4, [2, 3], 2, 2, 1, None),
    ],
)
def test_paging_gives_the_first_page_for_a_word_and_the_last_out_of_range_as_paginator_does(
    asked: str, count: int, shown: list[int], page_number: int, pages: int, previous_page: Any, next_page: Any
) -> None:
    request = RequestFactory().get("/", {"page": asked} if asked else {})
    page = paging(request, list(range(count)), 2)
    assert (page.shown, page.page_number, page.pages) == (shown, page_number, pages)
    assert page.context() == {
        "page_number": page_number, "pages": pages, "previous_page": previous_page, "next_page": next_page,
    }  # fmt: skip


def test_a_matter_out_of_the_node_still_counts_on_the_readers_own_card(
    tree: Tree, personas: Personas
) -> None:
    """A reader whose reach is more than the node shown (a node asked for): their own card is computed apart."""
    matter = answered(personas, tree, clerk=personas.office_staff, node=tree.station_b)
    client = client_for(personas.office_staff)
    response = client.get(reverse("quality:index"), {"node": tree.station_a.pk})
    assert response.status_code == 200
    assert response.context["node"] == tree.station_a
    assert response.context["mine"].ids["service"] == [matter.pk]
    assert Matter.objects.filter(pk=matter.pk, node=tree.station_b).exists()
