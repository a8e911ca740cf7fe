"""Every view × every role × own / sibling / parent / child node.

A node outside the actor's subtree answers 404 (as if it did not exist); a node the actor sees but may not
change answers 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from lawdesk.accounts.scoping import MANAGE_ROLES
from tests.conftest import Personas, Tree, client_for

# persona → (own, sibling, parent, child) as attribute names of Tree; None where there is none.
RELATIONS: dict[str, dict[str, str | None]] = {
    "clerk_a": {"own": "station_a", "sibling": "station_b", "parent": "office", "child": None},
    "clerk_b": {"own": "station_b", "sibling": "station_a", "parent": "office", "child": None},
    "office_staff": {"own": "office", "sibling": "office2", "parent": "district", "child": "station_a"},
    "district_admin": {"own": "district", "sibling": "other_district", "parent": "city", "child": "office"},
    "leader": {"own": "district", "sibling": "other_district", "parent": "city", "child": "office"},
    "other_district_admin": {
        "own": "other_district",
        "sibling": "district",
        "parent": "city",
        "child": "other_office",
    },
    "city_admin": {"own": "city", "sibling": None, "parent": None, "child": "district"},
    "auditor": {"own": "city", "sibling": None, "parent": None, "child": "district"},
    "system_admin": {"own": "city", "sibling": None, "parent": None, "child": "district"},
}
PERSONA_ROLE = {
    "clerk_a": "window_clerk",
    "clerk_b": "window_clerk",
    "office_staff": "office_staff",
    "district_admin": "district_admin",
    "leader": "leader",
    "other_district_admin": "district_admin",
    "city_admin": "city_admin",
    "auditor": "auditor",
    "system_admin": "system_admin",
}
READ_VIEWS = ["orgs:node", "orgs:children"]
MANAGE_VIEWS = ["orgs:edit", "orgs:add"]

CASES = [
    (persona, relation, attr)
    for persona, relations in RELATIONS.items()
    for relation, attr in relations.items()
    if attr is not None
]


PLATFORMS = {"station_a", "station_b"}


def _expected(persona: str, relation: str, attr: str, view: str) -> int:
    if relation in ("sibling", "parent"):
        return 404
    if view in MANAGE_VIEWS and PERSONA_ROLE[persona] not in MANAGE_ROLES:
        return 403
    if view == "orgs:add" and attr in PLATFORMS:
        return 403  # nothing hangs under a station
    return 200


@pytest.mark.parametrize("view", READ_VIEWS + MANAGE_VIEWS)
@pytest.mark.parametrize(("persona", "relation", "attr"), CASES)
def test_node_views_answer_by_relation(
    tree: Tree, personas: Personas, view: str, persona: str, relation: str, attr: str
) -> None:
    node = getattr(tree, attr)
    response = client_for(getattr(personas, persona)).get(reverse(view, args=[node.pk]))
    assert response.status_code == _expected(persona, relation, attr, view)


@pytest.mark.parametrize("view", READ_VIEWS + MANAGE_VIEWS + ["orgs:facilities"])
@pytest.mark.parametrize("attr", ["station_a", "office", "district", "city"])
def test_handler_sees_no_node(tree: Tree, personas: Personas, view: str, attr: str) -> None:
    node = getattr(tree, attr)
    response = client_for(personas.handler).get(reverse(view, args=[node.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "attr", "status"),
    [
        ("clerk_a", "station_a", 403),  # sees it, may not change the facility list
        ("clerk_a", "station_b", 404),
        ("office_staff", "station_a", 200),
        ("office_staff", "station_b", 200),
        ("office_staff", "station_c", 404),
        ("district_admin", "station_c", 200),
        ("district_admin", "station_d", 404),
        ("other_district_admin", "station_a", 404),
        ("leader", "station_a", 403),
        ("auditor", "station_a", 403),
        ("city_admin", "station_d", 200),
        ("district_admin", "office", 200),  # a judicial office records its 12348 terminals (四(四)2)
        ("district_admin", "district", 403),  # a bureau: no facility list
    ],
)
def test_facility_form_access(tree: Tree, personas: Personas, persona: str, attr: str, status: int) -> None:
    node = getattr(tree, attr)
    response = client_for(getattr(personas, persona)).get(reverse("orgs:facilities", args=[node.pk]))
    assert response.status_code == status


def test_unknown_node_answers_404_like_a_hidden_one(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.city_admin).get(reverse("orgs:node", args=[999_999]))
    assert response.status_code == 404


INSTITUTION_VISIBILITY = {
    # persona: (sees 雁塔 law firm, sees 新城 law firm)
    "clerk_a": (True, False),
    "clerk_b": (True, False),
    "office_staff": (True, False),
    "district_admin": (True, False),
    "leader": (True, False),
    "other_district_admin": (False, True),
    "city_admin": (True, True),
    "auditor": (True, True),
    "system_admin": (True, True),
    "handler": (True, False),
}


@pytest.mark.parametrize(("persona", "visible"), INSTITUTION_VISIBILITY.items())
def test_institution_detail_is_404_outside_the_actor_reach(
    tree: Tree, personas: Personas, persona: str, visible: tuple[bool, bool]
) -> None:
    client = client_for(getattr(personas, persona))
    for institution, sees in zip((tree.law_firm, tree.other_law_firm), visible, strict=True):
        response = client.get(reverse("institutions:detail", args=[institution.pk]))
        assert response.status_code == (200 if sees else 404), institution.name


@pytest.mark.parametrize(("persona", "visible"), INSTITUTION_VISIBILITY.items())
def test_institution_list_shows_only_reachable_institutions(
    tree: Tree, personas: Personas, persona: str, visible: tuple[bool, bool]
) -> None:
    content = client_for(getattr(personas, persona)).get(reverse("institutions:list")).content.decode()
    assert (tree.law_firm.name in content) == visible[0]
    assert (tree.other_law_firm.name in content) == visible[1]


def test_institution_list_filtered_by_a_hidden_node_is_404(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.clerk_a).get(reverse("institutions:list"), {"node": tree.station_b.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("view", ["orgs:import", "institutions:import"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clerk_a", 403),
        ("office_staff", 403),
        ("leader", 403),
        ("auditor", 403),
        ("handler", 403),
        ("district_admin", 200),
        ("city_admin", 200),
        ("system_admin", 200),
    ],
)
def test_import_pages_only_for_admins(personas: Personas, view: str, persona: str, status: int) -> None:
    response = client_for(getattr(personas, persona)).get(reverse(view))
    assert response.status_code == status


@pytest.mark.parametrize("persona", [*RELATIONS, "handler"])
def test_home_shows_own_node_and_never_a_sibling(tree: Tree, personas: Personas, persona: str) -> None:
    content = client_for(getattr(personas, persona)).get(reverse("home")).content.decode()
    relations = RELATIONS.get(persona)
    if relations is None:  # the handler
        assert tree.law_firm.name in content
        assert tree.station_a.name not in content
        return
    own = getattr(tree, str(relations["own"]))
    assert own.name in content
    if relations["sibling"]:
        assert getattr(tree, relations["sibling"]).name not in content


def test_anonymous_user_is_sent_to_login(tree: Tree) -> None:
    from django.test import Client

    for url in (reverse("home"), reverse("orgs:node", args=[tree.city.pk]), reverse("institutions:list")):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_site_refuses_non_staff(personas: Personas) -> None:
    response = client_for(personas.district_admin).get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def _xlsx_names(content: bytes) -> set[str]:
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    name_col = list(rows[0]).index("名称")
    return {str(row[name_col]) for row in rows[1:] if row[name_col]}


@pytest.mark.parametrize("persona", list(RELATIONS))
def test_tree_export_holds_only_the_actor_subtree(tree: Tree, personas: Personas, persona: str) -> None:
    response = client_for(getattr(personas, persona)).get(reverse("orgs:export"))
    assert response.status_code == 200
    names = _xlsx_names(response.content)
    relations = RELATIONS[persona]
    assert getattr(tree, str(relations["own"])).name in names
    for relation in ("sibling", "parent"):
        if relations[relation]:
            assert getattr(tree, str(relations[relation])).name not in names


def test_handler_cannot_export_the_tree(personas: Personas) -> None:
    assert client_for(personas.handler).get(reverse("orgs:export")).status_code == 403


@pytest.mark.parametrize(("persona", "visible"), INSTITUTION_VISIBILITY.items())
def test_institution_export_holds_only_reachable_institutions(
    tree: Tree, personas: Personas, persona: str, visible: tuple[bool, bool]
) -> None:
    response = client_for(getattr(personas, persona)).get(reverse("institutions:export"))
    assert response.status_code == 200
    names = _xlsx_names(response.content)
    assert (tree.law_firm.name in names) == visible[0]
    assert (tree.other_law_firm.name in names) == visible[1]
