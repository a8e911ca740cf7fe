"""Demo data of the rule-of-law publicity and grassroots governance (idempotent: a second run creates nothing),
all through the services.

In 雁塔区: the 谁执法谁普法 responsibility list (three departments, kept by the district admin 刘洋); a 宪法
lecture at 小寨路街道公共法律服务站 (by the clerk 王晓燕) fulfilling the police's duty and a 法治文艺演出 by
小寨路街道司法所 (张建国); two villages of the office in the 民主法治示范村 creation, one applying (its inspection
found two criteria unmet) and one named at 区级; two legal opinions to the street office, one adopted; a 平安创建
activity.

Hook: ``load_publicity_demo(district=..., station=..., office=...)`` in ``lawdesk/demo/loader.py``.
"""

from __future__ import annotations

import datetime

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core import clock
from lawdesk.governance import services as governance
from lawdesk.governance.criteria import CRITERIA
from lawdesk.governance.models import ModelVillageCase
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.outreach import services as outreach
from lawdesk.outreach.models import PublicityDuty

DUTIES = (
    ("雁塔区公安分局", "治安管理处罚法\n反电信网络诈骗法", "区公安分局法制大队"),
    ("雁塔区人力资源和社会保障局", "劳动合同法\n保障农民工工资支付条例", "区人社局法规科"),
    ("雁塔区市场监督管理局", "食品安全法\n消费者权益保护法", "区市场监管局法规科"),
)


def load_publicity_demo(*, district: OrgNode, station: OrgNode, office: OrgNode) -> int:
    if PublicityDuty.objects.filter(node=district).exists():
        return 0
    admin = scoping.users_holding(Role.DISTRICT_ADMIN, at=district).order_by("pk").first()
    clerk = scoping.users_holding(Role.WINDOW_CLERK, at=station).order_by("pk").first()
    staff = scoping.users_holding(Role.OFFICE_STAFF, at=office).order_by("pk").first()
    if admin is None or clerk is None or staff is None:
        return 0
    today = clock.today()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    created = 0
    duties = []
    for department, laws, contact in DUTIES:
        duties.append(
            outreach.duty_create(
                actor=admin, node=district, year=today.year, department=department, laws=laws, contact=contact
            )
        )
        created += 1
    outreach.event_record(
        actor=clerk, node=station, date=ago(6), place="小寨十字广场", theme="国家宪法日：防范电信网络诈骗",
        organiser="小寨路街道公共法律服务站", audience_count=260, materials_count=400, kind="constitution",
        channels=["on_site", "board", "wechat_weibo"], duty=duties[0],
    )  # fmt: skip
    outreach.event_record(
        actor=staff, node=office, date=ago(12), place="小寨路街道文化广场", theme="“法润雁塔”法治文艺演出",
        organiser="小寨路街道司法所", audience_count=520, materials_count=300, kind="performance",
        channels=["on_site", "outdoor_led", "website"], department="小寨路街道司法所",
    )  # fmt: skip
    created += 2

    villages = list(Village.objects.filter(office=office, is_active=True).order_by("region_code")[:2])
    all_codes = [code for code, _label in CRITERIA]
    if len(villages) == 2:
        applying, named = villages
        if not ModelVillageCase.objects.filter(village__in=villages).exists():
            case = governance.case_apply(
                actor=staff, village=applying, level="district", applied_on=ago(20),
                summary="建成法治文化广场，修订居民公约，设立“法律明白人”工作室。",
            )  # fmt: skip
            governance.case_inspect(
                actor=staff, case=case, date=ago(10), inspector="雁塔区司法局基层科", criteria_met=all_codes[:-2],
                findings="村(居)务公开栏未按季度更新；近一年有一起群体性纠纷，化解后需继续观察。",
            )  # fmt: skip
            case = governance.case_apply(
                actor=staff, village=named, level="district", applied_on=ago(60),
                summary="“四议两公开”落实到位，村规民约经合法性审查，法律顾问每月驻村。",
            )  # fmt: skip
            governance.case_inspect(
                actor=staff, case=case, date=ago(40), inspector="雁塔区司法局基层科", criteria_met=all_codes,
                findings="对照十项标准逐项检查，均已达到。",
            )  # fmt: skip
            governance.case_decide(
                actor=admin,
                case=case,
                named=True,
                date=ago(30),
                document="雁司发〔" + str(ago(30).year) + "〕12号",
            )
            created += 2

    first = governance.opinion_record(
        actor=staff, office=office, requester="小寨路街道办事处", subject="老旧小区改造征收补偿方案",
        requested_on=ago(25), opinion_on=ago(21),
        opinion="补偿标准须经公示并听取被征收人意见；补偿协议文本第七条违约责任不对等，建议修改。",
    )  # fmt: skip
    governance.opinion_adoption(
        actor=staff,
        opinion=first,
        adoption="adopted",
        date=ago(14),
        note="街道办已按建议修改协议文本并公示。",
    )
    governance.opinion_record(
        actor=staff, office=office, requester="小寨路街道党工委", subject="社区居民公约修订",
        requested_on=ago(5), opinion_on=ago(3),
        opinion="公约中“对违约居民停水停电”的条款于法无据，建议删除，改为批评教育、调解处理。",
    )  # fmt: skip
    governance.safety_record(
        actor=staff, office=office, date=ago(8), kind="anti_fraud", participants=80,
        summary="联合派出所在长延堡社区开展反诈宣传和平安家庭评选。",
    )  # fmt: skip
    return created + 3
