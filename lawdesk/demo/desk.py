"""Demo visits and matters at 小寨路街道公共法律服务站, in every state of the core loop, made through the same
services the windows use. Loaded once: skipped when the station already has visits."""

from __future__ import annotations

import datetime
from typing import Any

from lawdesk.accounts.models import User
from lawdesk.complaints.services import complaint_record
from lawdesk.core import clock
from lawdesk.institutions.models import Institution
from lawdesk.matters import commands, services
from lawdesk.matters.models import Matter, Visit
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.orgs.models import OrgNode
from lawdesk.people.identity import check_digit

STATION_CODE = "610113001000"


def demo_id(birth: str, serial: str) -> str:
    """A well-formed (check digit correct) but invented ID number from 雁塔区."""
    first17 = "610113" + birth + serial
    return first17 + check_digit(first17)


def issue(actor: User, matter: Matter, key: str, **data: Any) -> None:
    """One command, exactly as the matter page and the API issue it (the same form and rules)."""
    commands.issue(actor=actor, matter=Matter.objects.get(pk=matter.pk), key=key, data=data)


def load_desk(*, station: OrgNode) -> int:
    """Create the demo visits; returns how many were created (0 when the station already has some)."""
    if Visit.objects.filter(node=station).exists():
        return 0
    clerk = User.objects.get(username="clerk")
    mediator = User.objects.get(username="mediator")
    mediation = Institution.objects.get(name="小寨路街道人民调解委员会")
    legal_aid = Institution.objects.get(name="西安市雁塔区法律援助中心")
    now = clock.now()

    def visit(days_ago: int, person: PersonInput, *matters: MatterInput, channel: str = "on_site") -> Visit:
        return services.visit_register(
            actor=clerk,
            node=station,
            person_data=person,
            matters=list(matters),
            channel=channel,
            received_at=now - datetime.timedelta(days=days_ago, hours=2),
        )

    # Answered on the spot and closed with a rating.
    v = visit(
        9,
        PersonInput("张秀兰", "13991234501", demo_id("19480312", "002"), groups=["elderly", "left_behind_elderly"]),
        MatterInput("consultation", "儿子长期不给赡养费，询问如何维权", legal_field="marriage_family",
                    answer="告知可先由村委会调解，也可向人民法院起诉要求支付赡养费；符合条件可申请法律援助。"),
    )  # fmt: skip
    services.matter_close(actor=clerk, matter=v.matters.get(), rating=5, comment="讲得很清楚")

    # A wage dispute mediated successfully, waiting for the clerk to tell the citizen.
    v = visit(
        6,
        PersonInput("李建军", "13891234502", demo_id("19850704", "013"), groups=["migrant_worker"]),
        MatterInput("dispute", "工地老板拖欠三个月工资共计2.4万元"),
    )
    matter = v.matters.get()
    issue(clerk, matter, "dispute_record", dispute_type="labour", amount="24000", people_involved=1,
          parties=[{"name": "某建筑劳务公司", "role": "respondent", "party_type": "unit"}])  # fmt: skip
    # The routing proposes the trade's committee for a wage dispute; the station chose the street's, and says why.
    issue(
        clerk,
        matter,
        "transfer",
        institution=mediation.pk,
        note="用人单位和工地都在本街道，属地调解更便于当面协商",
    )
    issue(mediator, matter, "accept", note="")
    issue(mediator, matter, "mediation_result", result="success", agreement_form="written",
          agreed_amount="24000", note="老板分两期支付全部工资。")  # fmt: skip

    # A legal aid application, reviewed at the window, waiting in the legal aid centre's inbox (a person in
    # poverty: the fast track of 五(四)4).
    v = visit(
        2,
        PersonInput("王芳", "13791234503", demo_id("19900521", "026"), groups=["poor"]),
        MatterInput("legal_aid", "交通事故受伤，对方拒绝赔偿，申请法律援助"),
    )
    matter = v.matters.get()
    issue(clerk, matter, "legal_aid_apply", applied_on=clock.today() - datetime.timedelta(days=2),
          category="personal_injury", case_facts="骑电动车被机动车撞伤，对方拒绝赔偿医疗费。",
          opponent_name="某汽车租赁公司", opponent_type="unit", household_size=3, monthly_income="2400",
          materials=["id_proof", "application", "hardship_statement", "evidence"])  # fmt: skip
    issue(clerk, matter, "legal_aid_review", opinion="eligible", note="")
    issue(clerk, matter, "transfer", institution=legal_aid.pk, note="材料齐全，快速通道")

    # Redirected: out of scope.
    v = visit(
        4,
        PersonInput("赵强", "13691234504"),
        MatterInput("consultation", "社保缴费年限查询", legal_field="administrative"),
        channel="phone",
    )
    services.matter_redirect(
        actor=clerk,
        matter=v.matters.get(),
        reason="社保缴费记录由人社部门查询，不属于公共法律服务范围",
        redirect_to="雁塔区人力资源和社会保障局",
        address="雁塔区政务服务中心二楼",
        phone="029-85261234",
    )

    # Open matters: a complaint (its complainant's identity restricted) and a disabled person's notarisation
    # with a home visit.
    complaint_record(
        actor=clerk,
        node=station,
        statement="反映某律师事务所律师收取代理费后三个月未提供任何服务，电话也不接。",
        contact_name="陈磊",
        contact_phone="13591234505",
        subject_name="某律师（姓名未知）",
        subject_unit="陕西曲江正衡律师事务所",
        received_at=now - datetime.timedelta(days=1, hours=2),
    )
    v = visit(
        0,
        PersonInput("刘桂英", "13491234506", demo_id("19520918", "048"), groups=["elderly", "disabled"]),
        MatterInput("service_transfer", "办理房产继承公证，行动不便", service_type="notary", one_trip_mode="home_visit"),
    )  # fmt: skip
    return Visit.objects.filter(node=station).count()
