"""What the staff pages cost per request (issue 21, bench/load/run.py): the matters list reads its rows in one
query whatever their number (no query per row, the encrypted numbers not read), counts in one query, and shows
the same figures as before; the menu's badge counts unclaimed online requests without loading them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lawdesk.matters import selectors
from lawdesk.matters.models import MatterState
from lawdesk.online import services as online_services
from tests.conftest import Personas, Tree, client_for
from tests.test_matter_views import new_matter, text
from tests.test_online import submit_question


def _list(client: object, **params: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("desk:matters"), params)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return text(response), len(queries)


def test_the_matters_list_costs_the_same_queries_for_3_rows_and_for_12(
    personas: Personas, tree: Tree
) -> None:
    for _ in range(3):
        new_matter(personas, tree)
    client = client_for(personas.clerk_a)
    _list(client)
    page, few = _list(client)
    assert page.count("邻里漏水纠纷") == 3 and "张三" in page
    for _ in range(9):
        new_matter(personas, tree, kind="dispute", summary="欠薪纠纷")
    page, many = _list(client)
    assert many == few, (few, many)
    assert page.count('class="state state-') == 12 and "张三" in page


def test_the_list_counts_agree_with_the_selectors_they_replace(personas: Personas, tree: Tree) -> None:
    for kind in ("consultation", "dispute", "dispute"):
        new_matter(personas, tree, kind=kind)
    actor = personas.clerk_a
    for state, kind in (("", ""), ("", "dispute"), (MatterState.RECEIVED, ""), ("closed", "")):
        counts = selectors.matter_list_counts(actor=actor, state=state, kind=kind)
        assert counts.total == selectors.matter_list(actor=actor, state=state, kind=kind).count()
        assert counts.mine_open == selectors.my_open_matters(actor=actor).count()
        assert counts.offered == selectors.handovers_for(actor=actor).count()
    page, _ = _list(client_for(actor), kind="dispute")
    assert f"我的未归档事项 {selectors.my_open_matters(actor=actor).count()} 件" in page
    other = selectors.matter_list_counts(actor=personas.clerk_b)
    assert (other.total, other.mine_open, other.offered) == (0, 0, 0)  # another platform's clerk sees none


def test_the_badge_count_is_the_number_of_claimable_requests(
    personas: Personas, tree: Tree, settings: Any
) -> None:
    settings.LAWDESK_ONLINE_MIN_FILL_SECONDS = 0
    submit_question(Client(), tree)  # at station A
    counts = [
        online_services.unclaimed_count_for(a)
        for a in (personas.clerk_a, personas.clerk_b, personas.office_staff)
    ]
    assert counts == [1, 0, 1]
    for actor in (personas.clerk_a, personas.clerk_b, personas.office_staff):
        assert online_services.unclaimed_count_for(actor) == len(online_services.unclaimed_for(actor))


def _ledger_page(client: object, code: int, node: Any) -> tuple[str, int]:
    address = f"{reverse('desk:ledger', args=[code])}?node={node.pk}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return text(response), len(queries)


def _visit(personas: Personas, tree: Tree, index: int) -> None:
    from lawdesk.matters import services

    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name=f"群众{index}", phone=f"135{index:08d}", address="小寨东路8号"),
        matters=[
            services.MatterInput(kind="dispute", summary="邻里漏水纠纷"),
            services.MatterInput(kind="consultation", summary="劳动合同咨询", answer="告知可申请劳动仲裁"),
        ],
    )


@pytest.mark.parametrize("code", [1, 2, 3, 4, 5, 6])
def test_a_ledger_page_costs_the_same_queries_for_2_rows_and_for_12(
    personas: Personas, tree: Tree, code: int
) -> None:
    """No query per row (N+1) on any of the six ledgers, for a platform and for the bureau above it."""
    for index in range(2):
        _visit(personas, tree, index)
    for actor, node in ((personas.clerk_a, tree.station_a), (personas.district_admin, tree.district)):
        client = client_for(actor)
        _ledger_page(client, code, node)  # warm the session
        _, few = _ledger_page(client, code, node)
        for index in range(10):
            _visit(personas, tree, 100 * code + index + (50 if actor is personas.district_admin else 0))
        page, many = _ledger_page(client, code, node)
        assert many == few, (code, actor.username, few, many)
        if code in (1, 2):
            assert page.count("第00") >= 12, page.count("第00")


def test_every_page_reads_the_users_roles_once(personas: Personas) -> None:
    """The second-factor check and the menus share the request's scope: one query of the role table."""
    client = client_for(personas.clerk_a)
    client.get(reverse("desk:notifications"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("desk:notifications"))
    assert response.status_code == 200
    role_reads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_roleassignment"' in q["sql"]]
    assert len(role_reads) == 1, role_reads


def test_the_menu_links_are_the_reversed_routes_under_the_script_prefix(personas: Personas) -> None:
    from django.template import Context, Template
    from django.urls import set_script_prefix

    from lawdesk.core import urls_cache

    template = Template("{% load menu %}{% menu_url 'desk:matters' %}|{% menu_url 'home' %}")
    assert template.render(Context()) == f"{reverse('desk:matters')}|{reverse('home')}"
    set_script_prefix("/lawdesk/")
    try:
        assert template.render(Context()) == "/lawdesk/desk/matters/|/lawdesk/"
    finally:
        set_script_prefix("/")
        urls_cache.forget()
    page = text(client_for(personas.clerk_a).get(reverse("home")))
    assert f'href="{reverse("desk:intake")}"' in page and f'href="{reverse("desk:ledgers")}"' in page


def test_a_route_pattern_gives_the_reversed_path_for_any_arguments() -> None:
    from django.urls import set_script_prefix

    from lawdesk.core import urls_cache
    from lawdesk.quality.templatetags.quality_links import drill_url

    for kind, pk, figure in (("node", 7, "service"), ("worker", 12345, "timely_decided")):
        assert drill_url(kind, pk, figure) == reverse("quality:drill", args=[kind, pk, figure])
    set_script_prefix("/lawdesk/")
    try:
        shown = drill_url("node", 3, "upheld")
        assert shown.startswith("/lawdesk/") and shown == reverse("quality:drill", args=["node", 3, "upheld"])
    finally:
        set_script_prefix("/")
        urls_cache.forget()


def test_the_ledgers_node_drop_down_lists_the_tree_indented_in_the_same_queries_whatever_its_size(
    personas: Personas, tree: Tree
) -> None:
    """The filters' drop-down (both ledger pages) is written from rows: each node in reach once, indented by
    depth, the asked node selected; more nodes cost no more queries."""
    from lawdesk.orgs.rules import NodeKind
    from lawdesk.orgs.services import org_node_create

    client = client_for(personas.district_admin)
    _ledger_page(client, 1, tree.office)
    page_before, few = _ledger_page(client, 1, tree.office)
    for index in range(4):
        org_node_create(
            actor=None, parent=tree.office, kind=NodeKind.VILLAGE_STATION, name=f"新{'一二三四'[index]}社区公共法律服务站",
            region_code=f"61011300100{index + 2}",
        )  # fmt: skip
    response = client.get(reverse("desk:ledger", args=[1]), {"node": tree.office.pk})
    body = response.content.decode()
    assert f'<option value="{tree.office.pk}" selected>\u3000{tree.office.name}</option>' in body
    assert f'<option value="{tree.district.pk}" >{tree.district.name}</option>' in body
    assert "<option" in body and "\u3000\u3000新四社区公共法律服务站</option>" in body
    _, many = _ledger_page(client, 1, tree.office)
    assert many == few, (few, many)
    index_page = client.get(reverse("desk:ledgers"), {"node": tree.office.pk}).content.decode()
    assert (
        f'<option value="{tree.office.pk}" selected>' in index_page and "新一社区公共法律服务站" in index_page
    )
    assert "新一社区" not in page_before


def test_a_statistics_drill_down_of_visits_costs_the_same_queries_for_2_visits_and_for_12(
    personas: Personas, tree: Tree
) -> None:
    """The 来访总人次 drill-down lists each visit (number, channel, platform, time, link) from the columns it
    shows — not the encrypted ones — in the same queries whatever the number of visits."""
    from django.utils import timezone

    from lawdesk.matters.models import Visit

    client = client_for(personas.district_admin)
    month = timezone.localdate().strftime("%Y-%m")
    address = reverse("stats:drill", args=[tree.station_a.pk, month, "visits"])

    def drill() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        return response.content.decode(), [q["sql"] for q in queries.captured_queries]

    for index in range(2):
        _visit(personas, tree, index)
    drill()
    _, few = drill()
    for index in range(2, 12):
        _visit(personas, tree, index)
    page, many = drill()
    assert len(many) == len(few), (len(few), len(many))
    assert not [sql for sql in many if "said_phone" in sql or '"summary"' in sql]
    visits = list(Visit.objects.filter(node=tree.station_a).select_related("node"))
    assert len(visits) == 12
    for visit in visits:
        when = f"{timezone.localtime(visit.received_at):%Y-%m-%d %H:%M}"
        link = f'<a href="{reverse("desk:visit", args=[visit.pk])}">{visit.number} {visit.get_channel_display()}</a>'
        assert f"<td>{when}</td><td>{visit.node.name}</td><td>{link}</td></tr>" in page
