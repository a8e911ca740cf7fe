"""The services a citizen can get at a platform or an institution, and the how-to guide (办事指南) of each, shown on
the public pages and the kiosk (四(四)1: 办事流程、法律知识和法律服务网点的宣传、导引).

A platform offers what 五(四) asks of every centre and station (consultation, legal-aid applications, mediation,
complaints) and, by coordination, what the institutions serving it offer (law firms, notaries, forensic
appraisal, grassroots legal service)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from lawdesk.institutions.models import InstitutionKind


class Service(models.TextChoices):
    CONSULTATION = "consultation", "法律咨询"
    LEGAL_AID = "legal_aid", "法律援助"
    MEDIATION = "mediation", "人民调解"
    NOTARY = "notary", "公证"
    FORENSIC = "forensic", "司法鉴定"
    LAWYER = "lawyer", "律师服务"
    GRASSROOTS = "grassroots", "基层法律服务"
    COMPLAINT = "complaint", "投诉举报"
    APPOINTMENT = "appointment", "预约服务"


# What every centre and station does itself (五(四)1, 2, 3, 6).
PLATFORM_SERVICES: tuple[str, ...] = (
    Service.CONSULTATION,
    Service.LEGAL_AID,
    Service.MEDIATION,
    Service.COMPLAINT,
)

INSTITUTION_SERVICE: dict[str, str] = {
    InstitutionKind.LAW_FIRM: Service.LAWYER,
    InstitutionKind.LEGAL_AID_CENTRE: Service.LEGAL_AID,
    InstitutionKind.NOTARY_OFFICE: Service.NOTARY,
    InstitutionKind.FORENSIC_OFFICE: Service.FORENSIC,
    InstitutionKind.GRASSROOTS_LEGAL_OFFICE: Service.GRASSROOTS,
    InstitutionKind.MEDIATION_COMMITTEE: Service.MEDIATION,
}


@dataclass(frozen=True)
class Guide:
    service: str
    summary: str
    who: str
    steps: tuple[str, ...]
    materials: tuple[str, ...]
    fees: str
    law_queries: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return str(Service(self.service).label)


GUIDES: dict[str, Guide] = {
    Service.CONSULTATION: Guide(
        service=Service.CONSULTATION,
        summary="免费解答法律问题，提供法律法规查询、法律事务解析和公共法律服务项目介绍。",
        who="所有群众、企事业单位和社会组织。",
        steps=(
            "到就近的公共法律服务中心(站)窗口，或拨打12348法律服务热线。",
            "向窗口工作人员说明遇到的问题，工作人员登记后当场解答。",
            "问题复杂、难以当场解答的，工作人员约请您到指定的律师事务所当面解答。",
            "不属于司法行政职责的，工作人员告诉您该去哪个部门、地址和电话。",
        ),
        materials=("本人身份证件", "与问题有关的合同、票据、通知书、照片等材料（有则带上）"),
        fees="免费。",
        law_queries=("民法典", "劳动合同"),
    ),
    Service.LEGAL_AID: Guide(
        service=Service.LEGAL_AID,
        summary="经济困难或属于特定群体的公民，可以申请由法律援助机构指派律师免费代理或辩护。",
        who=(
            "因经济困难没有委托代理人的公民（请求给付赡养费、抚养费、扶养费，请求支付劳动报酬，请求工伤赔偿等事项）；"
            "英雄烈士近亲属维护英烈权益、因见义勇为行为主张权益、再审改判无罪请求国家赔偿、遭受虐待遗弃或者家庭暴力的受害人等，"
            "不受经济困难条件限制（《法律援助法》第三十一条、第三十二条）。"
        ),
        steps=(
            "到公共法律服务中心(站)窗口提出申请，填写《法律援助申请表》。",
            "窗口工作人员当场告知所需材料并进行初审，出具材料接收凭证。",
            "材料齐全的，通过司法所转交法律援助中心审查；老、弱、病、残、孕等困难群众可申请代办或上门服务。",
            "法律援助中心作出给予或不予法律援助的决定，给予的，指派律师承办。",
        ),
        materials=(
            "申请人身份证件（代理申请的另带代理人身份证件和代理权限证明）",
            "经济困难状况说明表或低保证、特困证明等（免于经济困难审查的不需要）",
            "与所申请事项有关的证据材料（合同、欠条、判决书、病历等）",
        ),
        fees="免费。",
        law_queries=("法律援助法", "法律援助 经济困难"),
    ),
    Service.MEDIATION: Guide(
        service=Service.MEDIATION,
        summary="邻里、婚姻家庭、物业、劳动、道路交通、医疗等民间纠纷，可以申请人民调解委员会免费调解。",
        who="发生民间纠纷的当事人，一方或双方均可申请。",
        steps=(
            "到公共法律服务中心(站)窗口说明纠纷情况，登记申请调解。",
            "按属地或行业原则，由所在地司法所联系相应的人民调解委员会。",
            "调解委员会组织双方调解；达成协议的，制作人民调解协议书，可申请法院司法确认。",
            "调解不成的，工作人员告诉您通过仲裁、诉讼等途径解决。",
        ),
        materials=("申请人身份证件", "纠纷对方的姓名、住址、联系电话", "与纠纷有关的证据材料"),
        fees="免费。",
        law_queries=("人民调解法", "物业服务"),
    ),
    Service.NOTARY: Guide(
        service=Service.NOTARY,
        summary="公证处对民事法律行为、有法律意义的事实和文书的真实性、合法性予以证明，如继承、委托、声明、学历、亲属关系等。",
        who="自然人、法人和其他组织。",
        steps=(
            "到公证处（或经公共法律服务中心(站)指引）提出公证申请。",
            "填写公证申请表，提交材料，公证员审查。",
            "缴纳公证费，公证处出具公证书；行动不便的，可预约上门办理。",
        ),
        materials=(
            "申请人身份证件、户口簿",
            "需要公证的文书或证明事实的材料（如房产证、学历证书、亲属关系证明）",
            "委托他人办理的，另带委托书和受托人身份证件",
        ),
        fees="按陕西省公证服务收费标准收取；符合条件的可申请减免。",
        law_queries=("公证法", "继承"),
    ),
    Service.FORENSIC: Guide(
        service=Service.FORENSIC,
        summary="司法鉴定机构对诉讼涉及的专门性问题进行鉴别和判断，如法医临床（伤残等级）、法医病理、文书、痕迹、声像资料等。",
        who="办案机关委托，或当事人经办案机关同意后委托。",
        steps=(
            "了解需要鉴定的事项，向法院等办案机关申请或经同意后委托。",
            "到具备相应资质的司法鉴定机构办理委托手续，签订委托书。",
            "鉴定机构受理、检验后，在规定时限内出具鉴定意见书。",
        ),
        materials=("委托人身份证件", "办案机关的委托书或同意委托的证明", "病历、影像、检材等鉴定材料"),
        fees="按司法鉴定收费标准收取；经济困难的法律援助受援人可申请缓、减、免。",
        law_queries=("司法鉴定", "伤残"),
    ),
    Service.LAWYER: Guide(
        service=Service.LAWYER,
        summary="律师事务所提供诉讼代理、刑事辩护、法律顾问、合同审查、非诉讼法律事务等服务。",
        who="所有有需要的公民、企业和组织。",
        steps=(
            "在公共法律服务中心(站)了解辖区律师事务所的分布、业务范围和联系电话。",
            "可通过窗口预约律师当面咨询。",
            "确定委托的，与律师事务所签订委托代理合同，由律师办理。",
        ),
        materials=("本人身份证件", "案件相关的合同、证据、判决书等材料"),
        fees="按律师服务收费管理规定与律师事务所协商；经济困难的可申请法律援助。",
        law_queries=("律师法", "民事诉讼"),
    ),
    Service.GRASSROOTS: Guide(
        service=Service.GRASSROOTS,
        summary="基层法律服务所在乡镇、街道提供法律咨询、代理民事案件、代写法律文书、协助调解等服务。",
        who="辖区群众和单位。",
        steps=(
            "到辖区基层法律服务所或经公共法律服务中心(站)指引。",
            "说明需求，签订委托协议后办理。",
        ),
        materials=("本人身份证件", "与事项有关的材料"),
        fees="按收费标准收取，困难群众可减免。",
        law_queries=("合同", "借款"),
    ),
    Service.COMPLAINT: Guide(
        service=Service.COMPLAINT,
        summary="对司法行政系统工作人员和律师、公证员、司法鉴定人、基层法律服务工作者、人民调解员等法律服务人员的投诉、举报。",
        who="任何公民、法人和其他组织；可以匿名。",
        steps=(
            "到公共法律服务中心(站)窗口当面投诉，或拨打平台公布的监督电话、12348热线。",
            "工作人员如实记录您反映的问题，并转交有关部门处理。",
            "有关部门在1个工作日内告知已受理，15个工作日内答复处理结果，您可以对结果提出意见。",
        ),
        materials=("本人身份证件（匿名投诉不需要）", "被投诉人的姓名、单位和有关证据材料"),
        fees="免费。",
        law_queries=("律师执业", "公证员"),
    ),
}

GUIDES[Service.APPOINTMENT] = Guide(
    service=Service.APPOINTMENT,
    summary=(
        "预约到站咨询、律师当面解答；居住偏远、还没有设立公共法律服务站的村(社区)，"
        "可以预约网上视频服务或上门服务（方案七(六)）。"
    ),
    who="所有群众；老、弱、病、残、孕等行动不便的群众可申请上门服务。",
    steps=(
        "拨打服务中心(站)公布的预约电话，或在网上预约页面选择网点和时段。",
        "说明要办的事项，约定时间和方式（到站、律师事务所、视频或上门）。",
        "前一天收到短信提醒，按约定时间办理；不能按时到的，请提前电话改约或取消。",
    ),
    materials=("本人身份证件", "与要办事项有关的材料"),
    fees="免费（律师代理等委托事项另按规定收费）。",
    law_queries=("法律援助",),
)

# The law topics the kiosk offers as a pick-list (no typing): label, search words for /laws/.
LAW_TOPICS: tuple[tuple[str, str], ...] = (
    ("婚姻家庭", "婚姻"),
    ("继承遗嘱", "继承"),
    ("劳动工资", "劳动报酬"),
    ("工伤赔偿", "工伤"),
    ("借款合同", "借款"),
    ("房屋租赁", "租赁"),
    ("交通事故", "道路交通安全"),
    ("消费维权", "消费者权益"),
    ("土地承包", "土地承包"),
    ("物业纠纷", "物业服务"),
    ("法律援助", "法律援助"),
    ("老年人权益", "老年人权益"),
)


def platform_services(institution_kinds: set[str], *, takes_appointments: bool = False) -> list[str]:
    """A platform's services: its own, those of the institutions serving it, and appointments when it publishes
    an appointment phone (七(六)), in the catalogue's order."""
    offered = set(PLATFORM_SERVICES) | {
        INSTITUTION_SERVICE[k] for k in institution_kinds if k in INSTITUTION_SERVICE
    }
    if takes_appointments:
        offered.add(Service.APPOINTMENT)
    return [s for s in Service.values if s in offered]


def institution_services(kind: str) -> list[str]:
    service = INSTITUTION_SERVICE.get(kind)
    return [service] if service else []


def service_label(service: str) -> str:
    return str(Service(service).label)
