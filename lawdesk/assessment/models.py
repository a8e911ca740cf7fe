"""Star rating (星级评定, 八(四)), assessment rounds (考核评比, 七(九); 巡回检查, 八(三)) and rectification.

A ``Standard`` is a versioned tree of indicators with weights (points out of 100) and star bands. An active
standard is never edited: a change is a new draft version. A ``Round`` copies the indicator rows and bands of
its standard into its own rows when it starts collecting, so a published round never changes afterwards.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "启用"
    RETIRED = "retired", "停用"


class Method(models.TextChoices):
    AUTO = "auto", "系统自动评分"
    MANUAL = "manual", "现场检查评分"


class UnitKind(models.TextChoices):
    """What a standard (and a round by it) assesses: platforms (星级评定, 八(四)), judicial offices (五(二)4: the
    district inspects and assesses its 司法所) or district bureaus (七(九): the city's 年度责任考核)."""

    PLATFORM = "platform", "公共法律服务平台"
    OFFICE = "office", "司法所"
    DISTRICT = "district", "区(县)司法局"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Standard(models.Model):
    name = models.CharField("标准名称", max_length=100)
    unit_kind = models.CharField(
        "考核对象", max_length=10, choices=UnitKind.choices, default=UnitKind.PLATFORM
    )
    # Grades of offices and districts (the plan names no thresholds: the city sets them with the standard).
    excellent_score = models.DecimalField("优秀最低得分", max_digits=5, decimal_places=2, default=Decimal(90))
    pass_score = models.DecimalField("合格最低得分", max_digits=5, decimal_places=2, default=Decimal(60))
    version = models.PositiveIntegerField("版本", default=1)
    status = models.CharField(
        "状态", max_length=10, choices=StandardStatus.choices, default=StandardStatus.DRAFT
    )
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "星级评定标准"
        verbose_name_plural = "星级评定标准"
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="assessment_standard_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class Indicator(models.Model):
    """A node of the indicator tree. A group (``parent`` empty) carries the sum of its items' weights; an item
    is scored automatically (``metric`` names a function of the registry) or by an inspector on site."""

    standard = models.ForeignKey(
        Standard, verbose_name="标准", on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField("编号", max_length=10)
    name = models.CharField("指标名称", max_length=100)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=2, default=Decimal(0))
    method = models.CharField("评分方式", max_length=10, choices=Method.choices, blank=True)
    metric = models.CharField("自动指标", max_length=40, blank=True)
    target = models.DecimalField("目标值", max_digits=8, decimal_places=2, null=True, blank=True)
    guidance = models.CharField("评分说明", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["standard", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="assessment_indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StarBand(models.Model):
    standard = models.ForeignKey(
        Standard, verbose_name="标准", on_delete=models.CASCADE, related_name="bands"
    )
    min_score = models.DecimalField("最低得分", max_digits=5, decimal_places=2)
    stars = models.PositiveSmallIntegerField("星级")

    class Meta:
        verbose_name = "星级分档"
        verbose_name_plural = "星级分档"
        ordering = ["standard", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "stars"], name="assessment_band_unique_stars"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="assessment_band_stars_1_5"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_score}分 {self.stars}星"


class PlatformPopulation(models.Model):
    """Residents served by a platform, entered by the district (for services per thousand residents)."""

    node = models.OneToOneField(
        "orgs.OrgNode", verbose_name="平台", on_delete=models.CASCADE, related_name="assessment_population"
    )
    population = models.PositiveIntegerField("常住人口")
    as_of = models.DateField("统计日期")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "服务人口"
        verbose_name_plural = "服务人口"

    def __str__(self) -> str:
        return f"{self.node}：{self.population}人"


class RoundKind(models.TextChoices):
    QUARTER = "quarter", "季度考核（区县）"
    HALF_YEAR = "half_year", "半年考核（市局）"
    ANNUAL = "annual", "年度责任考核（市局对区县）"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COLLECTING = "collecting", "评分中"
    PUBLISHED = "published", "已发布"


class Round(models.Model):
    organiser = models.ForeignKey(
        "orgs.OrgNode", verbose_name="组织单位", on_delete=models.PROTECT, related_name="assessment_rounds"
    )
    title = models.CharField("考核名称", max_length=100)
    kind = models.CharField("考核类型", max_length=10, choices=RoundKind.choices)
    period_start = models.DateField("考核期起")
    cut_off = models.DateField("截止日期")
    standard = models.ForeignKey(
        Standard, verbose_name="评定标准", on_delete=models.PROTECT, related_name="rounds"
    )
    unit_kind = models.CharField(
        "考核对象", max_length=10, choices=UnitKind.choices, default=UnitKind.PLATFORM
    )
    # The grade thresholds copied from the standard when collecting starts.
    excellent_score = models.DecimalField(
        "优秀最低得分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    pass_score = models.DecimalField("合格最低得分", max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    # The star bands copied from the standard when collecting starts: [[min_score, stars], ...] high first.
    bands = models.JSONField("星级分档", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    collected_at = models.DateTimeField("自动评分时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核轮次"
        verbose_name_plural = "考核轮次"
        ordering = ["-cut_off", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("cut_off")), name="assessment_round_period"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def for_platforms(self) -> bool:
        return self.unit_kind == UnitKind.PLATFORM


class RoundIndicator(models.Model):
    """The round's own copy of one indicator of its standard (frozen when collecting starts)."""

    round = models.ForeignKey(
        Round, verbose_name="考核轮次", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField("编号", max_length=10)
    name = models.CharField("指标名称", max_length=100)
    group_code = models.CharField("所属类别编号", max_length=10, blank=True)
    group_name = models.CharField("所属类别", max_length=100, blank=True)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=2)
    method = models.CharField("评分方式", max_length=10, choices=Method.choices)
    metric = models.CharField("自动指标", max_length=40, blank=True)
    target = models.DecimalField("目标值", max_digits=8, decimal_places=2, null=True, blank=True)
    guidance = models.CharField("评分说明", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核轮次指标"
        verbose_name_plural = "考核轮次指标"
        ordering = ["round", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RoundEntry(models.Model):
    round = models.ForeignKey(
        Round, verbose_name="考核轮次", on_delete=models.CASCADE, related_name="entries"
    )
    platform = models.ForeignKey(
        "orgs.OrgNode", verbose_name="平台", on_delete=models.PROTECT, related_name="assessment_entries"
    )
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    stars = models.PositiveSmallIntegerField("星级", null=True, blank=True)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, blank=True)
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    previous_total = models.DecimalField("上轮总分", max_digits=6, decimal_places=2, null=True, blank=True)
    previous_stars = models.PositiveSmallIntegerField("上轮星级", null=True, blank=True)
    previous_rank = models.PositiveIntegerField("上轮排名", null=True, blank=True)

    class Meta:
        verbose_name = "参评平台"
        verbose_name_plural = "参评平台"
        ordering = ["round", "rank", "platform__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "platform"], name="assessment_entry_unique_platform")
        ]

    def __str__(self) -> str:
        return f"{self.round}：{self.platform}"

    @property
    def change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


class Score(models.Model):
    """One indicator's score for one platform: ``fraction`` (0..1) of the weight. Auto scores carry the evidence
    found at the cut-off; manual ones the inspector's notes and photos."""

    entry = models.ForeignKey(
        RoundEntry, verbose_name="参评平台", on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        RoundIndicator, verbose_name="指标", on_delete=models.CASCADE, related_name="scores"
    )
    fraction = models.DecimalField("得分率", max_digits=5, decimal_places=4, null=True, blank=True)
    points = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    summary = models.CharField("依据摘要", max_length=300, blank=True)
    evidence = models.JSONField("依据", default=list, blank=True)  # [{"text": ..., "url": ...}]
    drill_url = models.CharField("查看记录", max_length=300, blank=True)
    notes = models.TextField("检查记录", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评分人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["entry", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "indicator"], name="assessment_score_unique"),
            models.CheckConstraint(
                condition=Q(fraction__isnull=True) | Q(fraction__gte=0, fraction__lte=1),
                name="assessment_score_fraction_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.platform} {self.indicator.code}"

    @property
    def is_full(self) -> bool:
        return self.fraction is not None and self.fraction >= 1


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待验收"
    CLOSED = "closed", "已验收"


class Rectification(models.Model):
    score = models.ForeignKey(
        Score, verbose_name="问题指标", on_delete=models.PROTECT, related_name="rectifications"
    )
    platform = models.ForeignKey(
        "orgs.OrgNode", verbose_name="平台", on_delete=models.PROTECT, related_name="rectifications"
    )
    description = models.TextField("整改要求")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改责任人",
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    deadline = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    evidence_note = models.TextField("整改情况", blank=True)
    reopen_reason = models.CharField("退回原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("下达时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    closed_at = models.DateTimeField("验收时间", null=True, blank=True)
    escalated_at = models.DateTimeField("逾期督办时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["status", "deadline", "id"]

    def __str__(self) -> str:
        return f"{self.platform}：{self.score.indicator.name}"


class AssessmentFile(models.Model):
    """A photo taken on site (of a score) or an evidence file of a rectification (exactly one of them)."""

    score = models.ForeignKey(Score, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", max_length=255, unique=True)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核附件"
        verbose_name_plural = "考核附件"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(score__isnull=False) & Q(rectification__isnull=True))
                | (Q(score__isnull=True) & Q(rectification__isnull=False)),
                name="assessment_file_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Measure(models.TextChoices):
    """九(三): 通报表扬 the units that work well (and spread their practice); 通报批评 the ones that shirk (and urge
    rectification). 七(九): the result is an important basis of 评先创优."""

    COMMEND = "commend", "通报表扬"
    CRITICISE = "criticise", "通报批评"


class RewardRule(models.Model):
    """One quantified reward/penalty standard (奖惩标准, 七(九)) set by the city: a grade or score condition over a
    published round's units of a kind, and the measure it brings, with points added to or taken off the
    district's 年度责任考核 where the city sets them."""

    name = models.CharField("标准名称", max_length=100)
    unit_kind = models.CharField("适用对象", max_length=10, choices=UnitKind.choices)
    measure = models.CharField("奖惩措施", max_length=10, choices=Measure.choices)
    grade = models.CharField("等次条件", max_length=10, choices=Grade.choices, blank=True)
    min_total = models.DecimalField("得分不低于", max_digits=5, decimal_places=2, null=True, blank=True)
    max_total = models.DecimalField("得分低于", max_digits=5, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(
        "年度考核加减分", max_digits=5, decimal_places=2, default=Decimal(0),
        help_text="正数加分，负数扣分；0表示不加减分",
    )  # fmt: skip
    wording = models.CharField("通报事由", max_length=300)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = "奖惩标准"
        verbose_name_plural = "奖惩标准"
        ordering = ["unit_kind", "measure", "id"]

    def __str__(self) -> str:
        return self.name

    def condition_text(self) -> str:
        parts = []
        if self.grade:
            parts.append(f"等次为“{self.get_grade_display()}”")
        if self.min_total is not None:
            parts.append(f"得分≥{self.min_total.normalize():f}")
        if self.max_total is not None:
            parts.append(f"得分<{self.max_total.normalize():f}")
        return "且".join(parts) or "全部参评单位"

    def matches(self, total: Decimal | None, grade: str) -> bool:
        if total is None:
            return False
        if self.grade and grade != self.grade:
            return False
        if self.min_total is not None and total < self.min_total:
            return False
        return not (self.max_total is not None and total >= self.max_total)


class Notice(models.Model):
    """A 通报 (commendation or criticism) of one unit, produced by applying the reward/penalty standards to a
    published round, and published with it. Visible to the unit concerned and above."""

    round = models.ForeignKey(
        Round, verbose_name="考核轮次", on_delete=models.PROTECT, related_name="notices"
    )
    entry = models.ForeignKey(
        RoundEntry, verbose_name="参评单位", on_delete=models.PROTECT, related_name="notices"
    )
    unit = models.ForeignKey(
        "orgs.OrgNode", verbose_name="被通报单位", on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        RewardRule, verbose_name="奖惩标准", on_delete=models.PROTECT, related_name="notices"
    )
    measure = models.CharField("奖惩措施", max_length=10, choices=Measure.choices)
    number = models.CharField("通报编号", max_length=40)
    text = models.TextField("通报内容")
    points = models.DecimalField("年度考核加减分", max_digits=5, decimal_places=2, default=Decimal(0))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = "考核通报"
        verbose_name_plural = "考核通报"
        ordering = ["-published_at", "measure", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "rule"], name="assessment_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}：{self.unit}"
