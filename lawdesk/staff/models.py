"""The bureaus' staff and their training (五(二)1–2 “负责服务人员的遴选、配备、培训、教育及管理工作”; 四(五)).

A worker's account is ``accounts.User`` (its 人员类别 ``staff_category`` from 四(五)1); ``StaffProfile`` adds the
unit they work at, their post (岗位) and duty (职责), so that a district admin finds the staff they made before
any role is granted. Training: a ``Course`` organised by a node, the ``Attendance`` of each worker (hours earned,
passed, certificate), counted at the worker's unit on the course's last day (the 队伍建设 figures); the hours a
worker must earn a year are one city-wide ``TrainingRequirement``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_ANNUAL_HOURS = Decimal("40")


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="staff_profile"
    )
    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="所在单位", on_delete=models.PROTECT, related_name="staff_profiles"
    )
    post = models.CharField("岗位", max_length=50)
    duty = models.CharField("职责", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="建档人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "工作人员档案"
        verbose_name_plural = "工作人员档案"
        ordering = ["node__path", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.post}"


class CourseKind(models.TextChoices):
    BUSINESS = "business", "业务培训"
    POLITICAL = "political", "政治理论"
    ETHICS = "ethics", "职业道德"
    LAW = "law", "法律法规"
    SERVICE = "service", "窗口服务礼仪"
    OTHER = "other", "其他"


class Course(models.Model):
    """A training or education course organised by a node (a bureau, a centre, an office)."""

    title = models.CharField("培训名称", max_length=100)
    organiser = models.ForeignKey(
        "orgs.OrgNode", verbose_name="组织单位", on_delete=models.PROTECT, related_name="training_courses"
    )
    kind = models.CharField("培训类型", max_length=20, choices=CourseKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", db_index=True)
    hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    place = models.CharField("地点", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="course_end_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.start:%Y-%m-%d}）"


class Attendance(models.Model):
    """A worker's attendance of a course: the hours earned, whether they passed, the certificate. Counted at the
    worker's unit (``node``, kept as it was when recorded) on the course's last day (``date``)."""

    course = models.ForeignKey(
        Course, verbose_name="培训", on_delete=models.PROTECT, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="参训人员", on_delete=models.PROTECT, related_name="trainings"
    )
    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="所在单位", on_delete=models.PROTECT, related_name="training_attendances"
    )
    date = models.DateField("计入日期", db_index=True)
    hours = models.DecimalField("获得学时", max_digits=5, decimal_places=1)
    passed = models.BooleanField("考核合格", default=True)
    certificate_number = models.CharField("证书编号", max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"
        ordering = ["course", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="attendance_once_per_course"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course.title}"


class TrainingRequirement(models.Model):
    """The hours of training every worker must earn a year, one for the whole city (the plan names no other)."""

    annual_hours = models.DecimalField(
        "每年应完成学时",
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_ANNUAL_HOURS,
        validators=[MinValueValidator(Decimal("0"))],
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度培训学时要求"
        verbose_name_plural = "年度培训学时要求"

    def __str__(self) -> str:
        return f"每年{self.annual_hours}学时"
