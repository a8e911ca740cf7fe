"""Which mediation committee a dispute goes to (五(四)3): by trade (行业) when its type has a trade committee
serving the place, else by place (属地): the committee serving the nearest node up from where it arises."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max

from lawdesk.institutions.models import Institution, InstitutionKind, MediationScope, MediationTrade
from lawdesk.matters.models import Matter
from lawdesk.mediation.models import DisputeType
from lawdesk.orgs.models import OrgNode

# Dispute types that a trade committee mediates.
TRADE_OF_TYPE: dict[str, str] = {
    DisputeType.MEDICAL: MediationTrade.MEDICAL,
    DisputeType.TRAFFIC: MediationTrade.TRAFFIC,
    DisputeType.LABOUR: MediationTrade.LABOUR,
    DisputeType.PROPERTY_MANAGEMENT: MediationTrade.PROPERTY,
}


@dataclass(frozen=True)
class Proposal:
    committee: Institution | None
    basis: str  # "place" | "trade" | "" (none found)
    explanation_cn: str
    alternatives: list[Institution] = field(default_factory=list)


def committees_serving(place: OrgNode) -> list[tuple[int, Institution]]:
    """Active mediation committees serving ``place`` or a node above it, with the depth of the nearest node
    each serves; nearest first, then by name."""
    paths = place.ancestor_paths()
    # one row per committee: the aggregate runs over the served nodes the filter joined (those in ``paths``)
    committees = Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE, is_active=True, served_nodes__path__in=paths
    ).annotate(nearest_depth=Max("served_nodes__depth"))
    return sorted(
        ((committee.nearest_depth, committee) for committee in committees),
        key=lambda pair: (-pair[0], pair[1].name),
    )


def propose(*, matter: Matter, dispute_type: str, place: OrgNode | None = None) -> Proposal:
    place = place or matter.node
    serving = committees_serving(place)
    trade = TRADE_OF_TYPE.get(dispute_type)
    type_label = DisputeType(dispute_type).label if dispute_type in DisputeType.values else dispute_type
    chosen: Institution | None = None
    basis = ""
    explanation = ""
    if trade:
        trade_label = MediationTrade(trade).label
        for _depth, committee in serving:
            if committee.mediation_scope == MediationScope.TRADE and committee.mediation_trade == trade:
                chosen, basis = committee, "trade"
                explanation = (
                    f"{type_label}纠纷按行业调解：“{committee.name}”是服务“{place.name}”的"
                    f"{trade_label}行业性人民调解委员会。"
                )
                break
        else:
            explanation = f"服务“{place.name}”的{trade_label}行业性人民调解委员会没有登记，"
    if chosen is None:
        for _depth, committee in serving:
            if committee.mediation_scope == MediationScope.PLACE:
                chosen, basis = committee, "place"
                explanation += (
                    f"按属地调解：“{committee.name}”是服务纠纷发生地“{place.name}”最近的人民调解委员会。"
                )
                break
        else:
            explanation += f"没有找到服务“{place.name}”的人民调解委员会，请在机构名录中登记，或从其他调解组织中选择并说明原因。"
    alternatives = [c for _d, c in serving if chosen is None or c.pk != chosen.pk]
    return Proposal(chosen, basis, explanation, alternatives)
