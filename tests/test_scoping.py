from lawdesk.orgs import access as node_access
from tests.conftest import Personas, Tree


def test_clerk_sees_only_their_station(tree: Tree, personas: Personas) -> None:
    assert list(node_access.visible_nodes(personas.clerk_a)) == [tree.station_a]


def test_office_staff_see_their_office_and_its_stations_only(tree: Tree, personas: Personas) -> None:
    seen = set(node_access.visible_nodes(personas.office_staff))
    assert seen == {tree.office, tree.station_a, tree.station_b}


def test_district_admin_sees_district_subtree_not_the_other_district(tree: Tree, personas: Personas) -> None:
    seen = set(node_access.visible_nodes(personas.district_admin))
    assert tree.station_c in seen and tree.centre in seen
    assert tree.station_d not in seen and tree.city not in seen and tree.other_district not in seen
