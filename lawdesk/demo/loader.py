"""Load the Xi'an demo: the organisation tree with real division names, platforms with their details and
facilities, institutions of every kind, and one demo user per role.

Idempotent: everything is looked up before it is created, and nothing that exists is changed, so a second run
writes no row at all (no new records, no updates, no audit rows). Runs in one transaction, and only when
``settings.DEMO_MODE`` is on, because the demo users share a published password.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from lawdesk.accounts.demo import demo_otp_devices
from lawdesk.accounts.models import Role, User
from lawdesk.accounts.services import role_ensure
from lawdesk.advisers.demo import load_advisers_demo
from lawdesk.api.demo import load_api_demo
from lawdesk.assessment.demo import load_assessment_demo, load_unit_assessment_demo
from lawdesk.bureau.demo import load_bureau_demo
from lawdesk.correction.demo import load_correction_demo
from lawdesk.coverage.demo import load_coverage_demo
from lawdesk.demo import around, content, desk
from lawdesk.demo.content import InstitutionSpec, NodeRef, UserSpec
from lawdesk.demo.publicity import load_publicity_demo
from lawdesk.institutions.models import Institution
from lawdesk.institutions.services import institution_create
from lawdesk.online.demo import load_online_demo
from lawdesk.orgs.models import Facility, OrgNode, Village, VillageKind
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.services import facility_set, org_node_create, village_create
from lawdesk.quality.demo import load_quality_demo
from lawdesk.screening.demo import load_screening_demo
from lawdesk.staff.demo import load_staff_demo
from lawdesk.stats.demo import load_stats_demo

DATA_FILE = Path(__file__).resolve().parent / "data" / "xian.json"

# Labels of what the report counts, in the order the summary prints them.
COUNT_LABELS = {
    "nodes": ("组织节点", "个"),
    "villages": ("村(社区)名录", "个"),
    "facilities": ("平台设施", "项"),
    "institutions": ("后台机构", "个"),
    "users": ("演示用户", "个"),
    "roles": ("角色", "个"),
    "visits": ("来访登记", "条"),
    "settings": ("标准与预约时段", "项"),
    "advisers": ("法律顾问合同与服务记录", "条"),
    "correction": ("社区矫正与安置帮教对象", "人"),
    "coverage": ("村(社区)名录与灯箱点(全覆盖)", "个"),
    "governance": ("法治宣传与基层治理记录", "条"),
    "staff": ("工作人员档案与培训记录", "条"),
}


class Writer(Protocol):
    """Where progress goes: a text stream, or a management command's ``self.stdout``."""

    def write(self, msg: str, /) -> Any: ...


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    full_name: str
    role: str  # the role's Chinese label
    place: str  # the node or institution the role is held at


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)
    source: str = ""

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


def read_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def _require_demo_mode() -> None:
    if not getattr(settings, "DEMO_MODE", False):
        raise CommandError(
            "未开启演示模式，拒绝载入演示数据。演示用户使用公开的密码，不能出现在生产环境；"
            "如确需演示，请设置环境变量 LAWDESK_DEMO=1 后重试。"
        )


class _Loader:
    def __init__(self, stdout: Writer | None) -> None:
        self.stdout = stdout
        self.report = LoadReport()
        nodes = list(OrgNode.objects.all())
        self.by_code: dict[tuple[str, str], OrgNode] = {
            (n.kind, n.region_code): n for n in nodes if n.region_code
        }
        self.by_name: dict[tuple[int | None, str], OrgNode] = {(n.parent_id, n.name): n for n in nodes}
        self.facilities: set[tuple[int, str]] = set(Facility.objects.values_list("node_id", "item"))

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    # --- the tree ---------------------------------------------------------------------------------------

    def node(self, parent: OrgNode | None, kind: str, name: str, code: str = "", **attrs: Any) -> OrgNode:
        """The existing node of this kind and code (or, without a code, this name under this parent), else a
        new one; a new platform gets its facility list. An existing node is left exactly as it is."""
        existing = self.by_code.get((kind, code)) if code else None
        if existing is None:
            existing = self.by_name.get((parent.pk if parent else None, name))
        if existing is not None:
            return existing
        node = org_node_create(actor=None, parent=parent, kind=kind, name=name, region_code=code, **attrs)
        self.report.created["nodes"] += 1
        if code:
            self.by_code[(kind, code)] = node
        self.by_name[(node.parent_id, node.name)] = node
        if node.is_platform:
            self.equip(node)
        return node

    def village(self, office: OrgNode, village: dict[str, Any], station: OrgNode | None) -> None:
        """The village in the office's register (村/社区 名录), with its station when it has one."""
        if Village.objects.filter(region_code=village["code"]).exists():
            return
        village_create(
            actor=None, office=office, name=village["name"], region_code=village["code"],
            kind=village.get("kind", VillageKind.VILLAGE), station=station,
        )  # fmt: skip
        self.report.created["villages"] += 1

    def equip(self, platform: OrgNode) -> None:
        for item, present in content.facility_presence(platform.name, platform.kind).items():
            if (platform.pk, item) in self.facilities:
                continue
            facility_set(
                actor=None, node=platform, item=item, present=present, note="" if present else "尚未配备"
            )
            self.facilities.add((platform.pk, item))
            self.report.created["facilities"] += 1

    def tree(self, data: dict[str, Any]) -> None:
        city_code = data["city"]["code"]
        city_name = data["city"]["name"]
        city = self.node(
            None,
            NodeKind.CITY_BUREAU,
            f"{city_name}司法局",
            city_code,
            **content.bureau_details(f"{city_name}司法局"),
        )
        self.node(
            city, NodeKind.SPECIAL_CENTRE, content.SPECIAL_CENTRE_NAME, **content.special_centre_details()
        )
        for district in data["districts"]:
            code, name = district["code"], district["name"]
            bureau = self.node(
                city,
                NodeKind.DISTRICT_BUREAU,
                f"{name}司法局",
                code,
                **content.bureau_details(f"{name}司法局"),
            )
            supervision = content.landline(name, "supervision")
            self.node(
                bureau,
                NodeKind.SERVICE_CENTRE,
                f"{name}公共法律服务中心",
                code,
                **content.centre_details(name, code, supervision),
            )
            for street in district.get("streets", []):
                s_code, s_name = street["code"], street["name"]
                office = self.node(
                    bureau,
                    NodeKind.JUDICIAL_OFFICE,
                    f"{s_name}司法所",
                    s_code,
                    **content.office_details(s_name, code),
                )
                self.node(
                    office,
                    NodeKind.TOWN_STATION,
                    f"{s_name}公共法律服务站",
                    s_code,
                    **content.town_station_details(s_name, code, supervision),
                )
                for village in street.get("villages", []):
                    v_name = village["name"]
                    station = self.node(
                        office,
                        NodeKind.VILLAGE_STATION,
                        f"{v_name}公共法律服务站",
                        village["code"],
                        **content.village_station_details(v_name, s_name, code, supervision),
                    )
                    self.village(office, village, station)

    def ref(self, ref: NodeRef) -> OrgNode:
        kind, key = ref
        node = self.by_code.get((kind, key))
        if node is None:
            raise CommandError(f"演示数据有误：找不到节点（类型 {kind}，区划代码 {key}）。")
        return node

    # --- institutions -----------------------------------------------------------------------------------

    def institutions(self, data: dict[str, Any]) -> None:
        specs = content.city_institutions(data["city"]["code"])
        for district in data["districts"]:
            if district["code"] in content.INSTITUTION_DISTRICTS:
                streets = [(s["code"], s["name"]) for s in district.get("streets", [])]
                specs += content.district_institutions(district["name"], district["code"], streets)
        existing = set(
            Institution.objects.filter(name__in=[s.name for s in specs]).values_list("name", flat=True)
        )
        for spec in specs:
            if spec.name not in existing:
                self.institution(spec)

    def institution(self, spec: InstitutionSpec) -> Institution:
        fields = spec.fields()
        institution = institution_create(
            actor=None,
            kind=fields.pop("kind"),
            name=fields.pop("name"),
            home_node=self.ref(spec.home),
            served_nodes=[self.ref(r) for r in spec.served],
            **fields,
        )
        self.report.created["institutions"] += 1
        return institution

    # --- users ------------------------------------------------------------------------------------------

    def users(self, data: dict[str, Any]) -> None:
        for spec in content.demo_users(data["city"]["code"]):
            user = self.user(spec)
            node = self.ref(spec.node) if spec.node else None
            institution = Institution.objects.get(name=spec.institution) if spec.institution else None
            _, created = role_ensure(
                actor=None, user=user, role=spec.role, node=node, institution=institution
            )
            if created:
                self.report.created["roles"] += 1
            self.report.logins.append(
                DemoLogin(
                    username=user.username,
                    password=content.DEMO_PASSWORD,
                    full_name=user.full_name,
                    role=str(Role(spec.role).label),
                    place=str(institution or node),
                )
            )

    def user(self, spec: UserSpec) -> User:
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            if not user.is_demo:
                raise CommandError(
                    f"用户名“{spec.username}”已被非演示用户占用，演示数据不会改动它。请先更改该用户名后重试。"
                )
            return user
        user = User(
            username=spec.username,
            full_name=spec.full_name,
            staff_category=spec.staff_category,
            is_demo=True,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        user.set_password(content.DEMO_PASSWORD)
        user.full_clean()
        user.save()
        self.report.created["users"] += 1
        return user


def load_demo(*, stdout: Writer | None = None) -> LoadReport:
    """Load the demo data; refuses (``CommandError``) unless ``settings.DEMO_MODE`` is on."""
    _require_demo_mode()
    data = read_data()
    with transaction.atomic():
        loader = _Loader(stdout)
        loader.say("正在载入组织机构与服务平台……")
        loader.tree(data)
        loader.say("正在载入后台机构……")
        loader.institutions(data)
        loader.say("正在载入演示用户……")
        loader.users(data)
        demo_otp_devices()  # the demo secret for the accounts that need a second factor (lawdesk.accounts.demo)
        loader.say("正在载入演示来访与事项……")
        station = loader.by_code[(NodeKind.TOWN_STATION, desk.STATION_CODE)]
        district = loader.by_code[(NodeKind.DISTRICT_BUREAU, "610113")]
        # The hardship standard first: the demo's legal-aid application is assessed against it.
        loader.report.created["settings"] += around.load_around(district=district, station=station)
        loader.report.created["visits"] += desk.load_desk(station=station)
        loader.report.created["visits"] += load_online_demo(station=station)  # two online requests
        # screening rounds of 小寨路's committee, a planted cluster and repeat visitor, the warnings computed
        loader.report.created["visits"] += load_screening_demo(station=station)
        load_api_demo(station=station)  # the 12348 hotline's API client (demo token, demo mode only)
        # the village legal advisers of 小寨路街道司法所: contracts, service records, the town's WeChat group
        office = loader.by_code[(NodeKind.JUDICIAL_OFFICE, "610113001000")]
        loader.report.created["advisers"] += load_advisers_demo(office=office)
        # community correction at 小寨路街道司法所, by the demo officer 高峰 (lawdesk.correction.demo)
        loader.report.created["correction"] += load_correction_demo(office=office)
        # 雁塔区 registered in full: every town's villages, lightbox points, a few served by nothing
        loader.report.created["coverage"] += load_coverage_demo(district=district)
        # publicity events, the responsibility list, model villages, legal opinions (lawdesk.demo.publicity)
        loader.report.created["governance"] += load_publicity_demo(
            district=district, station=station, office=office
        )
        # the district's staff and their training this year, one worker below the hours (lawdesk.staff.demo)
        loader.report.created["staff"] += load_staff_demo(
            district=district, station=station, password=content.DEMO_PASSWORD
        )
    loader.say("正在生成统计演示数据并计算统计数字……")
    loader.report.created["visits"] += load_stats_demo()  # lawdesk.stats.demo: six months of history
    # citizens' ratings at the kiosk (after the stats history, so a second load finds them all given)
    loader.report.created["visits"] += load_quality_demo(station=station)
    loader.say("正在载入考核评比演示数据……")
    # last quarter's published round of 雁塔区, population figures, one open rectification
    loader.report.created["settings"] += load_assessment_demo(district=district, station=station)
    # 雁塔区's office round and the city's annual responsibility assessment with one 通报表扬 and one 通报批评
    if district.parent is not None:
        loader.report.created["settings"] += load_unit_assessment_demo(
            city=district.parent, district=district
        )
    # the city bureau's divisions (对口负责) and every district's construction timetable (雁塔区 lagging)
    loader.report.created["settings"] += load_bureau_demo()
    source = data["source"]
    loader.report.source = f"{source['package']} {source['version']}（{source['data']}）"
    return loader.report
