from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lawdesk.core import clock, tree
from lawdesk.core.tree import PATH_END as PATH_END
from lawdesk.core.tree import subtree_q as subtree_q
from lawdesk.core.validators import validate_phone
from lawdesk.orgs import rules
from lawdesk.orgs.rules import NodeKind


class PathField(models.CharField):
    """A materialised path compared byte by byte: C collation on PostgreSQL (SQLite compares bytes already),
    so that a subtree is one range scan on the index."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class OrgNodeQuerySet(models.QuerySet["OrgNode"]):
    def subtree(self, node: OrgNode) -> OrgNodeQuerySet:
        return self.filter(subtree_q(node.path))

    def platforms(self) -> OrgNodeQuerySet:
        return self.filter(kind__in=rules.PLATFORM_KINDS)


class LocationKind(models.TextChoices):
    GOVERNMENT_HALL = "government_hall", "政务大厅"
    CONVENIENCE_CENTRE = "convenience_centre", "便民服务中心"
    OTHER = "other", "其他场所"


class OrgNode(models.Model):
    """One node of the organisation tree: a bureau, a judicial office or a platform (centre or station)."""

    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField("类型", max_length=20, choices=NodeKind.choices)
    name = models.CharField("名称", max_length=100)
    region_code = models.CharField("区划代码", max_length=12, blank=True, db_index=True)
    path = PathField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    is_active = models.BooleanField("启用", default=True)

    # What the plan asks a platform to have (四(二), 四(三), 四(四)); bureaus and offices may fill them too.
    address = models.CharField("地址", max_length=200, blank=True)
    location_kind = models.CharField("所在场所", max_length=20, choices=LocationKind.choices, blank=True)
    morning_open = models.TimeField("上午开门", null=True, blank=True)
    morning_close = models.TimeField("上午关门", null=True, blank=True)
    afternoon_open = models.TimeField("下午开门", null=True, blank=True)
    afternoon_close = models.TimeField("下午关门", null=True, blank=True)
    office_phone = models.CharField("办公电话", max_length=30, blank=True, validators=[validate_phone])
    appointment_phone = models.CharField("预约电话", max_length=30, blank=True, validators=[validate_phone])
    supervision_phone = models.CharField("监督电话", max_length=30, blank=True, validators=[validate_phone])
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    floor_area = models.DecimalField("面积(平方米)", max_digits=8, decimal_places=2, null=True, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrgNodeQuerySet.as_manager()

    class Meta:
        verbose_name = "组织节点"
        verbose_name_plural = "组织节点"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="orgnode_unique_name_in_parent",
                violation_error_message="同一上级下已有同名节点，名称不能重复。",
            ),
            models.UniqueConstraint(
                fields=["kind", "region_code"],
                condition=~Q(region_code=""),
                name="orgnode_unique_code_per_kind",
                violation_error_message="已有同类型、同区划代码的节点，区划代码不能重复。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        kind_error = rules.check_kind(self.kind)
        if kind_error:
            raise ValidationError({"kind": kind_error})
        parent = self.parent
        for field, message in (
            ("name", rules.check_name(self.kind, self.name)),
            ("parent", rules.check_parent(self.kind, parent.kind if parent else None)),
            (
                "region_code",
                rules.check_region_code(
                    self.kind,
                    self.region_code,
                    parent.kind if parent else None,
                    parent.region_code if parent else None,
                ),
            ),
        ):
            if message:
                errors.setdefault(field, []).append(message)
        if parent is not None and self.pk and parent.path.startswith(self.path):
            errors.setdefault("parent", []).append("上级不能是本节点或其下级节点（会形成循环）。")
        if self.longitude is not None and not (73 <= self.longitude <= 136):
            errors.setdefault("longitude", []).append("经度应在73到136之间（中国境内）。")
        if self.latitude is not None and not (3 <= self.latitude <= 54):
            errors.setdefault("latitude", []).append("纬度应在3到54之间（中国境内）。")
        if self.floor_area is not None and self.floor_area <= 0:
            errors.setdefault("floor_area", []).append("面积应大于0。")
        for open_field, close_field, label in (
            ("morning_open", "morning_close", "上午"),
            ("afternoon_open", "afternoon_close", "下午"),
        ):
            opens, closes = getattr(self, open_field), getattr(self, close_field)
            if (opens is None) != (closes is None):
                errors.setdefault(close_field, []).append(f"{label}开门和关门时间须同时填写。")
            elif opens is not None and closes is not None and opens >= closes:
                errors.setdefault(close_field, []).append(f"{label}关门时间应晚于开门时间。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_platform(self) -> bool:
        return self.kind in rules.PLATFORM_KINDS

    @property
    def hours_text(self) -> str:
        parts = []
        for opens, closes in (
            (self.morning_open, self.morning_close),
            (self.afternoon_open, self.afternoon_close),
        ):
            if opens and closes:
                parts.append(f"{opens:%H:%M}—{closes:%H:%M}")
        return "工作日 " + "，".join(parts) if parts else ""

    def ancestor_paths(self) -> list[str]:
        """Paths of this node and every node above it, root first."""
        return tree.ancestor_paths(self.path)


class FacilityItem(models.TextChoices):
    # 四(四)1: reception area and waiting area equipment
    COMPUTER = "computer", "电脑"
    TELEPHONE = "telephone", "电话"
    COPIER = "copier", "复印机"
    PRINTER = "printer", "打印机"
    DOCUMENT_CAMERA = "document_camera", "高拍仪"
    FILING_CABINET = "filing_cabinet", "资料柜"
    PUBLICITY_RACK = "publicity_rack", "法制宣传资料柜"
    TOUCH_KIOSK = "touch_kiosk", "触摸查询一体机"
    SERVICE_ROBOT = "service_robot", "智慧小司(法律服务机器人)"
    # 四(四)2: 12348 terminals
    TERMINAL_12348_WEB = "terminal_12348_web", "12348中国法网终端"
    TERMINAL_12348_HOTLINE = "terminal_12348_hotline", "12348热线服务终端"
    # 四(三): signage
    LIGHTBOX_A = "lightbox_a", "标识灯箱A面"
    LIGHTBOX_B = "lightbox_b", "标识灯箱B面"
    WINDOW_BACKDROP = "window_backdrop", "窗口背景标识"
    # 四(四)3: no longer a per-platform yes/no (kept for the rows already recorded): the town's WeChat group is one
    # per 镇(街道), led by the judicial office, kept in lawdesk.advisers (TownGroup) and read from there.
    WECHAT_GROUP = "wechat_group", "公共法律服务微信群"


FACILITY_GROUPS: list[tuple[str, list[str]]] = [
    (
        "办公设备",
        [
            FacilityItem.COMPUTER,
            FacilityItem.TELEPHONE,
            FacilityItem.COPIER,
            FacilityItem.PRINTER,
            FacilityItem.DOCUMENT_CAMERA,
            FacilityItem.FILING_CABINET,
        ],
    ),
    ("等候区", [FacilityItem.PUBLICITY_RACK, FacilityItem.TOUCH_KIOSK, FacilityItem.SERVICE_ROBOT]),
    ("12348终端", [FacilityItem.TERMINAL_12348_WEB, FacilityItem.TERMINAL_12348_HOTLINE]),
    ("标识", [FacilityItem.LIGHTBOX_A, FacilityItem.LIGHTBOX_B, FacilityItem.WINDOW_BACKDROP]),
]
# 四(四)2: the 12348 terminals are asked of the judicial offices (and the mediation committees, lawdesk.institutions)
# too, not only of the platforms; an office records those two items and nothing else.
TERMINAL_ITEMS = (FacilityItem.TERMINAL_12348_WEB, FacilityItem.TERMINAL_12348_HOTLINE)


def facility_items_for(kind: str) -> list[str]:
    """The facility items a node of ``kind`` records."""
    if kind in rules.PLATFORM_KINDS:
        return list(FacilityItem.values)
    if kind == NodeKind.JUDICIAL_OFFICE:
        return [str(i) for i in TERMINAL_ITEMS]
    return []


# The robot is asked for only "where conditions allow" (有条件的地方), so its absence is not a shortfall.
OPTIONAL_FACILITIES = frozenset({FacilityItem.SERVICE_ROBOT})


class Facility(models.Model):
    """Whether a platform has one item the plan asks for, and since (or as of) when."""

    node = models.ForeignKey(
        OrgNode, verbose_name="平台", on_delete=models.CASCADE, related_name="facilities"
    )
    item = models.CharField("项目", max_length=30, choices=FacilityItem.choices)
    present = models.BooleanField("已具备", default=False)
    as_of = models.DateField("日期", default=clock.today)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "平台设施"
        verbose_name_plural = "平台设施"
        ordering = ["node", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "item"],
                name="facility_unique_item",
                violation_error_message="该平台已登记此设施项目。",
            )
        ]

    def __str__(self) -> str:
        state = "有" if self.present else "无"
        return f"{self.node}：{self.get_item_display()}（{state}）"


class VillageKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


class Village(models.Model):
    """A village or community (村/社区) of a town, by its 12-digit statistical code, registered at the judicial
    office of its town whether or not it has a station: the legal advisers, dispute screening and coverage hang
    on it. ``station`` is its village station when it has one."""

    office = models.ForeignKey(
        OrgNode,
        verbose_name="所属司法所",
        on_delete=models.PROTECT,
        related_name="villages",
        limit_choices_to={"kind": NodeKind.JUDICIAL_OFFICE},
    )
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类别", max_length=10, choices=VillageKind.choices, default=VillageKind.VILLAGE)
    region_code = models.CharField("区划代码", max_length=12, unique=True)
    station = models.OneToOneField(
        OrgNode,
        verbose_name="村(社区)公共法律服务站",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="village",
        limit_choices_to={"kind": NodeKind.VILLAGE_STATION},
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "村(社区)"
        verbose_name_plural = "村(社区)"
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        code = self.region_code or ""
        if not (len(code) == 12 and code.isdigit() and code.isascii()) or code.endswith("000"):
            errors["region_code"] = f"区划代码“{code}”不是村(社区)级代码：应为12位数字，且后三位不为000。"
        office = self.office if self.office_id else None
        if office is not None:
            if office.kind != NodeKind.JUDICIAL_OFFICE:
                errors["office"] = "所属单位须为司法所。"
            elif office.region_code and "region_code" not in errors and code[:9] != office.region_code[:9]:
                errors["region_code"] = (
                    f"区划代码“{code}”不在{office.name}的辖区内：前9位应为{office.region_code[:9]}。"
                )
        station = self.station if self.station_id else None
        if station is not None and (
            station.kind != NodeKind.VILLAGE_STATION
            or (office is not None and not station.path.startswith(office.path))
        ):
            errors["station"] = "服务站须为本司法所下的村(社区)公共法律服务站。"
        if errors:
            raise ValidationError(errors)
