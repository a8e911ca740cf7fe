"""Demo screening and warnings for 小寨路街道: two rounds of the demo committee this month (one finding waiting
for the office to register it, one already a matter), last month's round, a planted cluster (three workers
against one builder, its name written three ways) and a repeat visitor (three visits at two stations) — so the
warnings page has signals. Everything through the services; loaded once (skipped when the committee already has
rounds)."""

from __future__ import annotations

import datetime

from lawdesk.accounts.models import User
from lawdesk.core import clock
from lawdesk.institutions.models import Institution
from lawdesk.matters import services as matter_services
from lawdesk.mediation import services as mediation
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.rules import NodeKind
from lawdesk.screening import services
from lawdesk.screening.models import Disposition, ScreeningRound
from lawdesk.screening.services import FindingInput
from lawdesk.screening.warning import compute_signals

COMMITTEE = "小寨路街道人民调解委员会"


def load_screening_demo(*, station: OrgNode) -> int:
    """Create the demo rounds, disputes and visits; returns how many visits were created (0 on a second run)."""
    committee = Institution.objects.filter(name=COMMITTEE).first()
    if committee is None or ScreeningRound.objects.filter(committee=committee).exists():
        return 0
    mediator = User.objects.get(username="mediator")
    office_user = User.objects.get(username="office")
    clerk = User.objects.get(username="clerk")
    office = station.parent
    assert office is not None and office.kind == NodeKind.JUDICIAL_OFFICE
    villages = list(Village.objects.filter(office=office, is_active=True).order_by("region_code"))
    village = villages[0] if villages else None
    other_station = village.station if village is not None and village.station is not None else station
    today = clock.today()
    last_month = today.replace(day=1) - datetime.timedelta(days=3)
    services.round_record(
        actor=mediator, committee=committee, village=village, date=last_month, households=36,
        summary="月度排查：入户走访，重点了解拖欠工资、邻里纠纷情况。",
        findings=[FindingInput(disposition=Disposition.RESOLVED, description="两户因楼道堆放杂物争吵，当场劝解",
                               dispute_type="neighbourhood", people_involved=2)],
    )  # fmt: skip
    first = services.round_record(
        actor=mediator, committee=committee, village=village, date=today - datetime.timedelta(days=1),
        households=42, summary="月度排查：走访在建工地及周边住户。",
        findings=[
            FindingInput(disposition=Disposition.TO_MATTER, description="工地拖欠钢筋工工资两个月，约3万元",
                         dispute_type="labour", applicant="高建军", counterpart="宏达建筑有限公司",
                         people_involved=3, escalation_risk=True),
            FindingInput(disposition=Disposition.NO_DISPUTE, description="其余走访户未发现矛盾纠纷"),
        ],
    )  # fmt: skip
    services.finding_register(
        actor=office_user, finding=first.findings.get(disposition=Disposition.TO_MATTER), phone="13991230001"
    )
    services.round_record(
        actor=mediator, committee=committee, date=today, households=20, summary="全辖区排查：物业小区。",
        findings=[FindingInput(disposition=Disposition.TO_MATTER, description="小区业主与物业因停车费发生争执",
                               dispute_type="property_management", applicant="田淑芬",
                               counterpart="长安物业服务有限公司", people_involved=5)],
    )  # fmt: skip
    created = 1
    # a cluster: two more workers against the same builder, its name written differently
    for name, phone, counterpart, where, who in (
        ("雷振华", "13991230002", "宏达建筑公司", station, clerk),
        ("冯小兵", "13991230003", "宏达建筑（西安）工地", other_station, office_user),
    ):
        visit = matter_services.visit_register(
            actor=who, node=where, person_data=matter_services.PersonInput(name=name, phone=phone),
            matters=[matter_services.MatterInput(kind="dispute", summary="讨要拖欠工资")],
        )  # fmt: skip
        created += 1
        mediation.dispute_record(
            actor=who, matter=visit.matters.get(), dispute_type="labour", people_involved=1,
            parties=[mediation.PartyInput(name=counterpart, role="respondent", party_type="unit")],
        )  # fmt: skip
    # a repeat visitor: three visits at two stations, by two channels
    for where, who, channel in ((station, clerk, "on_site"), (station, clerk, "phone"),
                                (other_station, office_user, "on_site")):  # fmt: skip
        matter_services.visit_register(
            actor=who, node=where, channel=channel,
            person_data=matter_services.PersonInput(name="褚国庆", phone="13991230009"),
            matters=[matter_services.MatterInput(kind="consultation", summary="反映邻居违建遮挡采光",
                                                 answer="告知可向街道城管部门反映，也可申请人民调解。")],
        )  # fmt: skip
        created += 1
    compute_signals()
    return created
