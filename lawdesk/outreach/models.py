"""Poverty-area legal service (七(五)) and publicity events (五(四)5).

Each district lists its poor villages and its service teams; every active poor village is to get at least one
special service each quarter. Services and publicity events carry photos, stored through ``default_storage``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lawdesk.orgs.rules import NodeKind


class TeamKind(models.TextChoices):
    SERVICE_GROUP = "service_group", "脱贫攻坚法律服务团"
    SQUAD = "squad", "基层法律服务小分队"


class MemberCategory(models.TextChoices):
    LAWYER = "lawyer", "律师"
    NOTARY = "notary", "公证员"
    FORENSIC_APPRAISER = "forensic_appraiser", "司法鉴定人员"
    GRASSROOTS_LEGAL_WORKER = "grassroots_legal_worker", "基层法律服务工作者"
    MEDIATOR = "mediator", "人民调解员"
    BUREAU_STAFF = "bureau_staff", "机关干部"


class Activity(models.TextChoices):
    CONSULTATION = "consultation", "法律咨询"
    MEDIATION = "mediation", "矛盾纠纷调解"
    PUBLICITY = "publicity", "法治宣传"
    LEGAL_AID = "legal_aid", "法律援助受理"


def check_village_code(code: str, district_code: str) -> str | None:
    """A village's twelve-digit statistical code inside its district (like the village station rule)."""
    if not code:
        return "区划代码不能为空：贫困村须填写12位区划代码。"
    if not code.isdigit() or not code.isascii():
        return f"区划代码“{code}”只能由数字组成。"
    if len(code) != 12:
        return f"区划代码“{code}”位数不对：贫困村的区划代码应为12位。"
    if code.endswith("000"):
        return f"区划代码“{code}”是镇(街道)级代码，村的代码后三位不为000。"
    if district_code and code[:6] != district_code[:6]:
        return (
            f"区划代码“{code}”不在本区(县)（区划代码{district_code}）的辖区内：前6位应为{district_code[:6]}。"
        )
    return None


class PoorVillage(models.Model):
    district = models.ForeignKey(
        "orgs.OrgNode", verbose_name="区(县)司法局", on_delete=models.PROTECT, related_name="poor_villages"
    )
    office = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="所属司法所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="村公共法律服务站",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("村名", max_length=100)
    region_code = models.CharField("区划代码", max_length=12)
    active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "贫困村"
        verbose_name_plural = "贫困村"
        ordering = ["district__path", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code"],
                name="poorvillage_unique_code",
                violation_error_message="已有同一区划代码的贫困村。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.district_id and self.district.kind != NodeKind.DISTRICT_BUREAU:
            errors["district"] = "贫困村须登记在区(县)司法局下。"
        elif self.district_id:
            message = check_village_code(self.region_code, self.district.region_code)
            if message:
                errors["region_code"] = message
        office, station = self.office, self.station
        if office is not None and (
            office.kind != NodeKind.JUDICIAL_OFFICE or office.parent_id != self.district_id
        ):
            errors["office"] = "所属司法所须是本区(县)的司法所。"
        if station is not None and (
            station.kind != NodeKind.VILLAGE_STATION
            or not self.district_id
            or not station.path.startswith(self.district.path)
        ):
            errors["station"] = "服务站须是本区(县)的村(社区)公共法律服务站。"
        if errors:
            raise ValidationError(errors)


class ServiceTeam(models.Model):
    district = models.ForeignKey(
        "orgs.OrgNode", verbose_name="区(县)司法局", on_delete=models.PROTECT, related_name="service_teams"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=TeamKind.choices)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        on_delete=models.PROTECT,
        related_name="led_outreach_teams",
    )
    active = models.BooleanField("在册", default=True)

    class Meta:
        verbose_name = "服务团(队)"
        verbose_name_plural = "服务团(队)"
        ordering = ["district__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="serviceteam_unique_name",
                violation_error_message="本区(县)已有同名服务团(队)。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(
        ServiceTeam, verbose_name="服务团(队)", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField("姓名", max_length=50)
    category = models.CharField("人员类别", max_length=30, choices=MemberCategory.choices)

    class Meta:
        verbose_name = "服务团(队)成员"
        verbose_name_plural = "服务团(队)成员"
        ordering = ["team", "category", "name"]

    def __str__(self) -> str:
        return self.name


class PovertyService(models.Model):
    village = models.ForeignKey(
        PoorVillage, verbose_name="贫困村", on_delete=models.PROTECT, related_name="services"
    )
    team = models.ForeignKey(
        ServiceTeam, verbose_name="服务团(队)", on_delete=models.PROTECT, related_name="services"
    )
    date = models.DateField("服务日期", db_index=True)
    activities = models.JSONField("服务内容", default=list)
    description = models.TextField("服务情况")
    people_served = models.PositiveIntegerField("服务人数")
    matters = models.ManyToManyField("matters.Matter", verbose_name="受理事项", blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "脱贫攻坚专项法律服务"
        verbose_name_plural = "脱贫攻坚专项法律服务"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.village} {self.date:%Y-%m-%d}"

    @property
    def activities_display(self) -> str:
        labels = dict(Activity.choices)
        return "、".join(str(labels.get(a, a)) for a in self.activities)


class PublicityKind(models.TextChoices):
    """What kind of publicity (三(四)): general publicity and the rule-of-law culture activities."""

    PUBLICITY = "publicity", "法治宣传活动"
    CONSTITUTION = "constitution", "宪法宣传"
    LECTURE = "lecture", "法治讲座"
    PERFORMANCE = "performance", "法治文艺演出"
    CULTURE_SITE = "culture_site", "法治文化阵地建设"
    CULTURE_ACTIVITY = "culture_activity", "群众性法治文化活动"
    LAW_TO_VILLAGE = "law_to_village", "送法下乡(进社区)"
    OTHER = "other", "其他"


# The rule-of-law culture kinds (法治文化), counted apart in the figures.
CULTURE_KINDS = frozenset(
    {PublicityKind.PERFORMANCE, PublicityKind.CULTURE_SITE, PublicityKind.CULTURE_ACTIVITY}
)


class Channel(models.TextChoices):
    """The media and channels of a publicity (九(四)); an event may use several."""

    PRESS = "press", "报刊"
    BROADCAST = "broadcast", "广播电视"
    WEBSITE = "website", "网站"
    WECHAT_WEIBO = "wechat_weibo", "微信微博"
    OUTDOOR_LED = "outdoor_led", "户外LED"
    BOARD = "board", "宣传栏"
    ON_SITE = "on_site", "现场活动"
    OTHER = "other", "其他"


class PublicityDuty(models.Model):
    """One department's place in the 谁执法谁普法、谁服务谁普法 responsibility list of a city or district."""

    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="所属司法局", on_delete=models.PROTECT, related_name="publicity_duties"
    )
    year = models.PositiveSmallIntegerField("年度")
    department = models.CharField("责任部门", max_length=100)
    laws = models.TextField("负责普及的法律法规")
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "普法责任清单"
        verbose_name_plural = "普法责任清单"
        ordering = ["node__path", "-year", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "year", "department"],
                name="publicityduty_unique_department",
                violation_error_message="本年度清单中已有该部门。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department}（{self.year}年）"

    def clean(self) -> None:
        if self.node_id and self.node.kind not in (NodeKind.CITY_BUREAU, NodeKind.DISTRICT_BUREAU):
            raise ValidationError({"node": "普法责任清单须登记在市或区(县)司法局。"})
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": "年度无效。"})


class PublicityEvent(models.Model):
    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="登记单位",
        on_delete=models.PROTECT,
        related_name="recorded_publicity_events",
    )
    # the district bureau above the node (itself for a district; empty for the city bureau)
    district = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="区(县)司法局",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publicity_events",
    )
    kind = models.CharField(
        "活动类型", max_length=20, choices=PublicityKind.choices, default=PublicityKind.PUBLICITY
    )
    channels = models.JSONField("宣传媒介和渠道", default=list, blank=True)
    date = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=200)
    theme = models.CharField("主题", max_length=200)
    organiser = models.CharField("组织单位", max_length=100)
    department = models.CharField("责任部门", max_length=100, blank=True)
    duty = models.ForeignKey(
        PublicityDuty,
        verbose_name="履行的普法责任",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    audience_count = models.PositiveIntegerField("受众人数")
    materials_count = models.PositiveIntegerField("发放资料(份)", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法治宣传活动"
        verbose_name_plural = "法治宣传活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.theme}（{self.date:%Y-%m-%d}）"

    @property
    def channels_display(self) -> str:
        labels = dict(Channel.choices)
        return "、".join(str(labels.get(c, c)) for c in self.channels)


class OutreachPhoto(models.Model):
    """A photo of a service or of a publicity event (exactly one of them)."""

    service = models.ForeignKey(
        PovertyService, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        PublicityEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField("文件", max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, event__isnull=True)
                | Q(service__isnull=True, event__isnull=False),
                name="outreachphoto_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class OutreachReminder(models.Model):
    """One reminder sent to a team lead in one ISO week (so a rerun in the same week sends nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "脱贫攻坚服务提醒"
        verbose_name_plural = "脱贫攻坚服务提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "iso_year", "iso_week"], name="outreachreminder_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.iso_year}-W{self.iso_week:02d}"
