"""Routing a dispute to a mediation committee: by trade when a trade committee serves the place, else by place
(the committee serving the nearest node up), with the explanation and the alternatives."""

from __future__ import annotations

from typing import Any

import pytest

from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import services
from lawdesk.matters.models import Matter
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.mediation.routing import propose
from lawdesk.orgs.models import OrgNode
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db


def committee(name: str, serves: OrgNode, scope: str = "place", trade: str = "", **extra: Any) -> Institution:
    inst = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE,
        name=name,
        home_node=serves,
        mediation_scope=scope,
        mediation_trade=trade,
        **extra,
    )
    inst.served_nodes.add(serves)
    return inst


@pytest.fixture
def dispute(personas: Personas, tree: Tree) -> Matter:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone="13800138000"),
        matters=[MatterInput(kind="dispute", summary="纠纷")],
    )
    return visit.matters.get()


@pytest.fixture
def committees(tree: Tree) -> dict[str, Institution]:
    return {
        "office_place": tree.mediation,
        "district_medical": committee("雁塔区医疗纠纷人民调解委员会", tree.district, "trade", "medical"),
        "district_place": committee("雁塔区人民调解委员会", tree.district),
        "other_labour": committee("新城区劳动争议人民调解委员会", tree.other_district, "trade", "labour"),
        "office_property_inactive": committee(
            "小寨路物业纠纷人民调解委员会", tree.office, "trade", "property", is_active=False
        ),
        "station_d_place": committee("西一路街道人民调解委员会", tree.other_office),
    }


# (dispute type, place attribute of the tree, expected committee key or None, basis, words in the explanation)
TABLE = [
    ("neighbourhood", "station_a", "office_place", "place", ["属地", "小寨路街道人民调解委员会"]),
    ("medical", "station_a", "district_medical", "trade", ["行业", "医疗纠纷"]),
    ("medical", "station_c", "district_medical", "trade", ["行业"]),
    ("traffic", "station_a", "office_place", "place", ["道路交通行业性人民调解委员会没有登记", "属地"]),
    ("labour", "station_a", "office_place", "place", ["劳动争议", "属地"]),
    ("labour", "station_d", "other_labour", "trade", ["行业"]),
    ("property_management", "station_a", "office_place", "place", ["物业纠纷", "属地"]),
    ("neighbourhood", "station_c", "district_place", "place", ["电子城街道公共法律服务站"]),
    ("contract", "station_d", "station_d_place", "place", ["属地"]),
    ("neighbourhood", "centre", "district_place", "place", ["属地"]),
]


@pytest.mark.parametrize(("dispute_type", "place", "expected", "basis", "words"), TABLE)
def test_routing_table(
    tree: Tree,
    dispute: Matter,
    committees: dict[str, Institution],
    dispute_type: str,
    place: str,
    expected: str,
    basis: str,
    words: list[str],
) -> None:
    proposal = propose(matter=dispute, dispute_type=dispute_type, place=getattr(tree, place))
    assert proposal.committee == committees[expected]
    assert proposal.basis == basis
    for word in words:
        assert word in proposal.explanation_cn
    assert proposal.committee not in proposal.alternatives
    assert committees["office_property_inactive"] not in proposal.alternatives


def test_default_place_is_the_matter_node(
    tree: Tree, dispute: Matter, committees: dict[str, Institution]
) -> None:
    proposal = propose(matter=dispute, dispute_type="neighbourhood")
    assert proposal.committee == tree.mediation
    # the alternatives are the other active committees serving the place or above it
    assert set(proposal.alternatives) == {committees["district_medical"], committees["district_place"]}


def test_nearest_place_committee_wins(
    tree: Tree, dispute: Matter, committees: dict[str, Institution]
) -> None:
    station = committee("小寨路街道社区人民调解委员会", tree.station_a)
    assert propose(matter=dispute, dispute_type="other").committee == station
    assert propose(matter=dispute, dispute_type="other", place=tree.station_b).committee == tree.mediation


def test_none_found_is_explained(tree: Tree, dispute: Matter) -> None:
    proposal = propose(matter=dispute, dispute_type="neighbourhood", place=tree.station_d)
    assert proposal.committee is None
    assert proposal.basis == ""
    assert "没有找到服务“西一路街道公共法律服务站”的人民调解委员会" in proposal.explanation_cn
    assert proposal.alternatives == []
