"""The hand-written part of the demo: platform details, institutions and users built around the real names.

The division names and codes come from ``data/xian.json`` (see ``scripts/build_demo_data.py``). Everything
here is made up for the demo and deterministic: addresses, phones, hours, areas, coordinates and facilities
are derived from a stable hash of the node's name, so every load gives the same data. Every phone number and
street number is fictitious. An institution whose proper name is invented (law firms, forensic offices) carries
``demo=True`` and says so in its business scope; public bodies use the generic official form of their name.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lawdesk.accounts.models import Role, StaffCategory
from lawdesk.institutions.models import DepartmentKind, InstitutionKind, MediationScope, MediationTrade
from lawdesk.orgs.models import FacilityItem, LocationKind
from lawdesk.orgs.rules import NodeKind

DEMO_PASSWORD = "lawdesk2026"
SPECIAL_CENTRE_NAME = "中国（陕西）自由贸易试验区西安区域公共法律服务中心"
DEMO_NOTE = "本条为演示数据：机构名称为虚构，请勿据此联系。"

# Districts that get institutions (those whose streets xian.json carries).
INSTITUTION_DISTRICTS = ("610113", "610102", "610122")

# Rough centre of each district or county (longitude, latitude), for plausible map positions.
DISTRICT_CENTRES: dict[str, tuple[float, float]] = {
    "610102": (108.960, 34.268),
    "610103": (108.940, 34.250),
    "610104": (108.920, 34.270),
    "610111": (109.060, 34.275),
    "610112": (108.945, 34.310),
    "610113": (108.950, 34.215),
    "610114": (109.230, 34.660),
    "610115": (109.215, 34.370),
    "610116": (108.910, 34.160),
    "610117": (109.090, 34.535),
    "610118": (108.605, 34.110),
    "610122": (109.320, 34.150),
    "610124": (108.220, 34.165),
}
# How far (degrees) a platform may lie from its district's centre: towns of a county spread wider.
_SPREAD: dict[str, float] = {"610114": 0.06, "610115": 0.08, "610116": 0.08, "610117": 0.06,
                             "610118": 0.08, "610122": 0.12, "610124": 0.12}  # fmt: skip
_URBAN_SPREAD = 0.025

# Real roads of each institution district (taken from its community names in the registry) for addresses.
ROADS: dict[str, tuple[str, ...]] = {
    "610113": ("小寨东路", "长安南路", "电子二路", "雁塔路", "翠华南路", "含光南路"),
    "610102": ("西一路", "长乐西路", "长乐中路", "自强路", "太华路"),
    "610122": ("向阳路", "县门街", "长坪路", "新民街"),
}

# Invented law firm and forensic office names per district (demo=True).
LAW_FIRMS: dict[str, tuple[str, str]] = {
    "610113": ("陕西雁塔明理律师事务所", "陕西曲江正衡律师事务所"),
    "610102": ("陕西新城正道律师事务所", "陕西长乐弘法律师事务所"),
    "610122": ("陕西蓝关信达律师事务所", "陕西玉山明德律师事务所"),
}
FORENSIC_OFFICES: dict[str, str] = {
    "610113": "陕西雁塔明鉴司法鉴定所",
    "610102": "陕西新城华正司法鉴定所",
    "610122": "陕西蓝田公正司法鉴定所",
}

TOWN_HOURS = (datetime.time(8, 30), datetime.time(12, 0), datetime.time(14, 0), datetime.time(17, 30))
CENTRE_HOURS = (datetime.time(9, 0), datetime.time(12, 0), datetime.time(13, 30), datetime.time(17, 30))
VILLAGE_HOURS = (datetime.time(9, 0), datetime.time(11, 30), datetime.time(14, 30), datetime.time(17, 0))
OFFICE_HOURS_TEXT = "工作日 09:00—12:00，13:30—17:30"


def stable_hash(*parts: str) -> int:
    """A hash that is the same on every run and machine (unlike ``hash()``)."""
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def landline(*parts: str) -> str:
    """A fictitious eight-digit Xi'an number, 029-8xxxxxxx."""
    return f"029-8{stable_hash('phone', *parts) % 10**7:07d}"


def house_number(*parts: str) -> int:
    return 1 + stable_hash("no", *parts) % 299


def position(district_code: str, name: str) -> tuple[Decimal, Decimal]:
    lon, lat = DISTRICT_CENTRES[district_code]
    spread = _SPREAD.get(district_code, _URBAN_SPREAD)
    h = stable_hash("pos", name)
    dx = ((h % 10_001) / 10_000 * 2 - 1) * spread
    dy = (((h // 10_001) % 10_001) / 10_000 * 2 - 1) * spread * 0.7
    return Decimal(f"{lon + dx:.6f}"), Decimal(f"{lat + dy:.6f}")


def _area(name: str, low: int, high: int) -> Decimal:
    return Decimal(low + stable_hash("area", name) % (high - low + 1))


def _hours(hours: tuple[datetime.time, ...]) -> dict[str, datetime.time]:
    return dict(
        zip(("morning_open", "morning_close", "afternoon_open", "afternoon_close"), hours, strict=True)
    )


def bureau_details(name: str) -> dict[str, Any]:
    return {"office_phone": landline(name)}


def office_details(street: str, district_code: str) -> dict[str, Any]:
    name = f"{street}司法所"
    lon, lat = position(district_code, street)
    return {"address": f"{street}办事处", "office_phone": landline(name), "longitude": lon, "latitude": lat}


def centre_details(district: str, district_code: str, supervision: str) -> dict[str, Any]:
    name = f"{district}公共法律服务中心"
    lon, lat = position(district_code, name)
    return {
        "address": f"{district}政务服务中心一楼",
        "location_kind": LocationKind.GOVERNMENT_HALL,
        **_hours(CENTRE_HOURS),
        "office_phone": landline(name),
        "appointment_phone": landline(name, "appointment"),
        "supervision_phone": supervision,
        "longitude": lon,
        "latitude": lat,
        "floor_area": _area(name, 180, 380),
    }


def town_station_details(street: str, district_code: str, supervision: str) -> dict[str, Any]:
    lon, lat = position(district_code, street)
    name = f"{street}公共法律服务站"
    return {
        "address": f"{street}便民服务中心一楼",
        "location_kind": LocationKind.CONVENIENCE_CENTRE,
        **_hours(TOWN_HOURS),
        "office_phone": landline(name),
        "appointment_phone": landline(name, "appointment"),
        "supervision_phone": supervision,
        "longitude": lon,
        "latitude": lat,
        "floor_area": _area(name, 60, 150),
    }


def village_station_details(place: str, street: str, district_code: str, supervision: str) -> dict[str, Any]:
    # A village lies near its street's seat: offset from the street's position, not the district's.
    street_lon, street_lat = position(district_code, street)
    h = stable_hash("village", place)
    spread = 0.01 if district_code in _SPREAD else 0.004
    name = f"{place}公共法律服务站"
    return {
        "address": f"{place}党群服务中心一楼",
        "location_kind": LocationKind.OTHER,
        **_hours(VILLAGE_HOURS),
        "office_phone": landline(name),
        "supervision_phone": supervision,
        "longitude": street_lon + Decimal(f"{((h % 1001) / 1000 * 2 - 1) * spread:.6f}"),
        "latitude": street_lat + Decimal(f"{(((h // 1001) % 1001) / 1000 * 2 - 1) * spread:.6f}"),
        "floor_area": _area(name, 20, 60),
    }


def special_centre_details() -> dict[str, Any]:
    name = SPECIAL_CENTRE_NAME
    return {
        "address": "中国（陕西）自由贸易试验区西安区域政务服务大厅一楼",
        "location_kind": LocationKind.GOVERNMENT_HALL,
        **_hours(CENTRE_HOURS),
        "office_phone": landline(name),
        "appointment_phone": landline(name, "appointment"),
        "supervision_phone": landline("西安市司法局", "supervision"),
        "longitude": Decimal("108.884000"),
        "latitude": Decimal("34.192000"),
        "floor_area": Decimal(260),
    }


def facility_presence(platform_name: str, platform_kind: str) -> dict[str, bool]:
    """Most items present, a stable few absent. The robot (optional) stands only in the larger centres."""
    presence: dict[str, bool] = {}
    for item in FacilityItem.values:
        if item == FacilityItem.SERVICE_ROBOT:
            present = platform_kind in (NodeKind.SERVICE_CENTRE, NodeKind.SPECIAL_CENTRE)
        else:
            present = stable_hash("facility", platform_name, item) % 7 != 0
        presence[item] = present
    return presence


# --- institutions --------------------------------------------------------------------------------------

# A node is named by its kind and region code (every node an institution or user needs has a code).
NodeRef = tuple[str, str]


@dataclass(frozen=True)
class InstitutionSpec:
    kind: str
    name: str
    home: NodeRef
    served: tuple[NodeRef, ...]
    business_scope: str
    materials: tuple[str, ...]
    address: str
    phone: str
    hours: str = OFFICE_HOURS_TEXT
    mediation_scope: str = ""
    mediation_trade: str = ""
    department_kind: str = ""
    demo: bool = False  # the proper name is invented for the demo

    def fields(self) -> dict[str, Any]:
        scope = self.business_scope + ("\n" + DEMO_NOTE if self.demo else "")
        return {
            "kind": self.kind,
            "name": self.name,
            "business_scope": scope,
            "materials": "\n".join(self.materials),
            "address": self.address,
            "phone": self.phone,
            "hours": self.hours,
            "mediation_scope": self.mediation_scope,
            "mediation_trade": self.mediation_trade,
            "department_kind": self.department_kind,
        }


ID = "本人居民身份证（或户口簿、护照等身份证件）"

_TRADES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        MediationTrade.MEDICAL,
        "医疗纠纷人民调解委员会",
        "调解辖区内医疗机构与患者之间的医疗纠纷，免费受理，调解不成的引导通过鉴定、诉讼途径解决。",
        (ID, "病历、检查报告等诊疗资料", "医疗费用票据", "纠纷经过的书面说明"),
    ),
    (
        MediationTrade.TRAFFIC,
        "道路交通事故纠纷人民调解委员会",
        "调解道路交通事故损害赔偿纠纷，与公安交警、保险机构、人民法院衔接，调解协议可申请司法确认。",
        (ID, "道路交通事故认定书", "医疗费、误工费等损失票据及证明", "车辆行驶证、驾驶证、保险单"),
    ),
    (
        MediationTrade.LABOUR,
        "劳动争议人民调解委员会",
        "调解劳动者与用人单位之间因劳动报酬、社会保险、解除劳动合同等发生的劳动争议。",
        (ID, "劳动合同或其他能证明劳动关系的材料", "工资发放记录、考勤记录等证据", "纠纷经过的书面说明"),
    ),
    (
        MediationTrade.PROPERTY,
        "物业纠纷人民调解委员会",
        "调解业主、业主委员会与物业服务企业之间的物业服务、收费、公共部位使用等纠纷。",
        (ID, "房屋产权证明或租赁合同", "物业服务合同", "缴费票据、照片等相关材料"),
    ),
)

_DEPARTMENTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        DepartmentKind.COMPREHENSIVE_GOVERNANCE,
        "{d}社会治安综合治理中心",
        "矛盾纠纷多元化解、社会治安问题的统筹协调；重大、疑难、跨部门矛盾纠纷的分流交办。",
        (ID, "反映事项的书面材料"),
    ),
    (
        DepartmentKind.CIVIL_AFFAIRS,
        "{d}民政局",
        "最低生活保障、特困人员供养、临时救助、婚姻登记、殡葬管理、养老服务等民政事务。",
        (ID, "户口簿", "家庭收入及财产状况证明", "其他与申请事项有关的证明材料"),
    ),
    (
        DepartmentKind.HUMAN_RESOURCES,
        "{d}人力资源和社会保障局",
        "劳动保障监察、劳动人事争议仲裁、社会保险、就业创业服务；拖欠工资投诉。",
        (ID, "劳动合同或能证明劳动关系的材料", "工资条、考勤记录等证据"),
    ),
    (
        DepartmentKind.PETITIONS,
        "{d}信访局",
        "受理群众来信来访，依法分类处理信访事项，督办信访事项的办理。",
        (ID, "信访事项的书面材料", "与信访事项有关的证据材料"),
    ),
)


def district_institutions(
    district: str, district_code: str, streets: list[tuple[str, str]]
) -> list[InstitutionSpec]:
    """The institutions of one district; ``streets`` are (twelve-digit code, name) of its towns and streets."""
    bureau: NodeRef = (NodeKind.DISTRICT_BUREAU, district_code)
    centre: NodeRef = (NodeKind.SERVICE_CENTRE, district_code)
    roads = ROADS[district_code]

    def address(name: str) -> str:
        road = roads[stable_hash("road", name) % len(roads)]
        return f"西安市{district}{road}{house_number(name)}号"

    first_code, first_street = streets[0]
    first_office: NodeRef = (NodeKind.JUDICIAL_OFFICE, first_code)
    short = first_street.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    specs = [
        InstitutionSpec(
            kind=InstitutionKind.LEGAL_AID_CENTRE,
            name=f"西安市{district}法律援助中心",
            home=bureau,
            served=(bureau,),
            business_scope=(
                "受理、审查本区域法律援助申请，指派律师、基层法律服务工作者提供法律援助；"
                "解答法律咨询；值班律师工作站管理。"
            ),
            materials=(
                ID,
                "法律援助申请表",
                "经济困难状况说明表（属于免予核查经济困难情形的，提交相应证明材料）",
                "与所申请法律援助事项有关的材料（如起诉状、判决书、合同、欠条等）",
                "代理人代为申请的，提交代理权限证明",
            ),
            address=f"{district}公共法律服务中心一楼",
            phone=landline(district, "legal_aid"),
        ),
        InstitutionSpec(
            kind=InstitutionKind.NOTARY_OFFICE,
            name=f"西安市{district}公证处",
            home=bureau,
            served=(bureau,),
            business_scope="办理继承、委托、声明、赠与、遗嘱、合同、学历、亲属关系等公证事项；提存、保全证据。",
            materials=(
                ID,
                "公证申请表",
                "与公证事项有关的证明材料（如不动产权证书、亲属关系证明、合同文本）",
                "委托他人代办的，提交授权委托书",
            ),
            address=address("notary"),
            phone=landline(district, "notary"),
        ),
        InstitutionSpec(
            kind=InstitutionKind.FORENSIC_OFFICE,
            name=FORENSIC_OFFICES[district_code],
            home=bureau,
            served=(bureau,),
            business_scope="法医临床鉴定、法医病理鉴定、文书鉴定、痕迹鉴定；接受司法机关和当事人委托。",
            materials=(
                "司法鉴定委托书（或人民法院、公安机关的委托函）",
                "鉴定材料（病历、影像资料、检材、样本等）",
                "委托人身份证件",
            ),
            address=address("forensic"),
            phone=landline(district, "forensic"),
            demo=True,
        ),
        InstitutionSpec(
            kind=InstitutionKind.GRASSROOTS_LEGAL_OFFICE,
            name=f"{district}{first_street}法律服务所",
            home=first_office,
            served=(first_office,),
            business_scope="担任民事、行政诉讼代理人，代理非诉讼法律事务，参与调解，解答法律咨询，代写法律文书。",
            materials=(ID, "与法律事务有关的合同、票据、照片等材料"),
            address=f"{first_street}便民服务中心一楼",
            phone=landline(district, "grassroots"),
        ),
    ]
    for i, firm in enumerate(LAW_FIRMS[district_code]):
        specs.append(
            InstitutionSpec(
                kind=InstitutionKind.LAW_FIRM,
                name=firm,
                home=bureau,
                served=(bureau, centre) if i == 0 else (bureau,),
                business_scope=(
                    "民商事、刑事、行政案件代理与辩护；合同审查、法律顾问；承办法律援助案件；"
                    "在公共法律服务中心（站）轮流值班。"
                ),
                materials=(
                    ID,
                    "与案件有关的证据材料（合同、票据、聊天记录等）",
                    "对方当事人的姓名、住址、联系方式",
                ),
                address=address(firm) + f"{3 + stable_hash('floor', firm) % 20}层",
                phone=landline(firm),
                demo=True,
            )
        )
    for code, street in streets:
        office: NodeRef = (NodeKind.JUDICIAL_OFFICE, code)
        specs.append(
            InstitutionSpec(
                kind=InstitutionKind.MEDIATION_COMMITTEE,
                name=f"{street}人民调解委员会",
                home=office,
                served=(office,),
                business_scope="调解辖区内婚姻家庭、邻里、损害赔偿、土地承包、房屋宅基地等民间纠纷，免费服务。",
                materials=(ID, "纠纷情况的书面或口头说明", "相关证据材料（合同、借条、照片等）"),
                address=f"{street}便民服务中心一楼",
                phone=landline(street, "mediation"),
                mediation_scope=MediationScope.PLACE,
            )
        )
    for trade, suffix, scope, materials in _TRADES:
        name = f"{district}{suffix}"
        specs.append(
            InstitutionSpec(
                kind=InstitutionKind.MEDIATION_COMMITTEE,
                name=name,
                home=bureau,
                served=(bureau,),
                business_scope=scope,
                materials=materials,
                address=address(name),
                phone=landline(name),
                mediation_scope=MediationScope.TRADE,
                mediation_trade=trade,
            )
        )
    for kind, template, scope, materials in _DEPARTMENTS:
        name = template.format(d=district)
        specs.append(
            InstitutionSpec(
                kind=InstitutionKind.OTHER_DEPARTMENT,
                name=name,
                home=bureau,
                served=(bureau,),
                business_scope=scope,
                materials=materials,
                address=address(name),
                phone=landline(name),
                department_kind=kind,
            )
        )
    police_prefix = (
        f"西安市公安局{district.removesuffix('区')}分局" if district.endswith("区") else f"{district}公安局"
    )
    specs += [
        InstitutionSpec(
            kind=InstitutionKind.OTHER_DEPARTMENT,
            name=f"{police_prefix}{short}派出所",
            home=bureau,
            served=(first_office,),
            business_scope="治安案件、户籍、身份证办理；涉及人身安全、治安的纠纷及时处置。紧急情况请拨打110。",
            materials=(ID, "与报案、求助事项有关的材料"),
            address=address("police"),
            phone=landline(district, "police"),
            hours="24小时",
            department_kind=DepartmentKind.POLICE_STATION,
        ),
        InstitutionSpec(
            kind=InstitutionKind.OTHER_DEPARTMENT,
            name=f"{district}人民法院{short}人民法庭",
            home=bureau,
            served=(bureau,),
            business_scope="审理辖区内婚姻家庭、民间借贷、相邻关系等民事案件；诉前调解、司法确认。",
            materials=(ID, "起诉状（按被告人数提交副本）", "证据材料及清单"),
            address=address("tribunal"),
            phone=landline(district, "tribunal"),
            department_kind=DepartmentKind.PEOPLES_TRIBUNAL,
        ),
    ]
    return specs


def city_institutions(city_code: str) -> list[InstitutionSpec]:
    city: NodeRef = (NodeKind.CITY_BUREAU, city_code)
    return [
        InstitutionSpec(
            kind=InstitutionKind.LEGAL_AID_CENTRE,
            name="西安市法律援助中心",
            home=city,
            served=(city,),
            business_scope="受理市级法律援助申请，指导全市法律援助工作；12348公共法律服务热线法律援助咨询。",
            materials=(
                ID,
                "法律援助申请表",
                "经济困难状况说明表（属于免予核查经济困难情形的，提交相应证明材料）",
                "与所申请法律援助事项有关的材料",
            ),
            address="西安市公共法律服务中心一楼",
            phone="12348",
        )
    ]


# --- users ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    role: str
    node: NodeRef | None = None
    institution: str = ""
    staff_category: str = ""
    is_staff: bool = False
    is_superuser: bool = False


def demo_users(city_code: str) -> list[UserSpec]:
    city: NodeRef = (NodeKind.CITY_BUREAU, city_code)
    yanta: NodeRef = (NodeKind.DISTRICT_BUREAU, "610113")
    return [
        UserSpec("clerk", "王晓燕", Role.WINDOW_CLERK, (NodeKind.TOWN_STATION, "610113001000"),
                 staff_category=StaffCategory.GRASSROOTS_LEGAL_WORKER),
        UserSpec("clerk2", "李静", Role.WINDOW_CLERK, (NodeKind.VILLAGE_STATION, "610113001001"),
                 staff_category=StaffCategory.CONTRACTED),
        UserSpec("office", "张建国", Role.OFFICE_STAFF, (NodeKind.JUDICIAL_OFFICE, "610113001000"),
                 staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("district", "刘洋", Role.DISTRICT_ADMIN, yanta, staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("city", "陈明", Role.CITY_ADMIN, city, staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("leader", "赵志刚", Role.LEADER, yanta, staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("handler", "孙丽", Role.HANDLER, institution="西安市雁塔区法律援助中心",
                 staff_category=StaffCategory.LAWYER),
        UserSpec("mediator", "马红梅", Role.HANDLER, institution="小寨路街道人民调解委员会",
                 staff_category=StaffCategory.GRASSROOTS_LEGAL_WORKER),
        UserSpec("auditor", "周敏", Role.AUDITOR, city, staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("admin", "吴海", Role.SYSTEM_ADMIN, city, is_staff=True, is_superuser=True),
        UserSpec("security", "郑安", Role.SECURITY_ADMIN, city, staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("correction", "高峰", Role.CORRECTION_OFFICER, (NodeKind.JUDICIAL_OFFICE, "610113001000"),
                 staff_category=StaffCategory.CIVIL_SERVANT),
        UserSpec("adviser", "田律", Role.LEGAL_ADVISER, (NodeKind.JUDICIAL_OFFICE, "610113001000"),
                 staff_category=StaffCategory.LAWYER),
    ]  # fmt: skip
