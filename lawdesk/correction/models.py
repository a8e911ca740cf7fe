"""Community correction (社区矫正) and resettlement of released persons (安置帮教), kept by the judicial office.

The most sensitive records lawdesk holds: only ``Role.CORRECTION_OFFICER`` reaches them (``selectors``), every
page that shows one writes an audit row, the identity number, phone and addresses are encrypted at rest and shown
masked unless an audited reveal asks for one in full. ``__str__`` never carries a name, so audit rows and logs
name a record only by its number.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from lawdesk.core import crypto


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class CorrectionType(models.TextChoices):
    """社区矫正法 第二条: the four kinds of offender under community correction."""

    CONTROL = "control", "管制"
    PROBATION = "probation", "缓刑"
    PAROLE = "parole", "假释"
    OUTSIDE = "outside", "暂予监外执行"


class SuperviseeStatus(models.TextChoices):
    PENDING = "pending", "待报到"
    ACTIVE = "active", "在册"
    RELEASED = "released", "解除"  # 第四十四条: term served or pardoned
    TERMINATED = "terminated", "终止"  # 第四十五条: revoked, sent to prison or dead
    IMPRISONED = "imprisoned", "收监"  # 第四十九条: an outside-prison execution ended by imprisonment


OPEN_STATUSES = (SuperviseeStatus.PENDING, SuperviseeStatus.ACTIVE)
END_STATUSES = (SuperviseeStatus.RELEASED, SuperviseeStatus.TERMINATED, SuperviseeStatus.IMPRISONED)


class SupervisionLevel(models.TextChoices):
    """分类管理 (第二十四条)."""

    STRICT = "strict", "严格管理"
    ORDINARY = "ordinary", "普通管理"
    LENIENT = "lenient", "宽松管理"


def _id_bidx(number: str) -> str:
    return crypto.blind_index("correction_id_number", crypto.normalise_id_number(number))


class IdentityQuerySet(models.QuerySet[Any]):
    def by_id_number(self, number: str) -> IdentityQuerySet:
        return self.filter(id_number_bidx=_id_bidx(number))


class Identity(models.Model):
    """The encrypted identity shared by a supervisee and a released person."""

    name = models.CharField("姓名", max_length=50)
    id_number = crypto.EncryptedTextField("身份证号", max_length=18)
    id_number_bidx = models.CharField("身份证号索引", max_length=64, editable=False, db_index=True)
    phone = crypto.EncryptedTextField("联系电话", max_length=30, blank=True)
    address = crypto.EncryptedTextField("居住地址", max_length=200, blank=True)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    office = models.ForeignKey(
        "orgs.OrgNode", verbose_name="负责司法所", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+", null=True
    )
    # Set when the retention job removed the identity (lawdesk.correction.retention).
    anonymised_at = models.DateTimeField("个人信息清除时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = IdentityQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number_bidx = _id_bidx(self.id_number) if self.id_number else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = set(update_fields) | {"id_number_bidx"}
        super().save(*args, **kwargs)


class Supervisee(Identity):
    """A person under community correction (社区矫正对象) registered at the judicial office supervising them."""

    workplace = crypto.EncryptedTextField("工作单位(就读学校)", max_length=200, blank=True)
    correction_type = models.CharField("矫正类别", max_length=20, choices=CorrectionType.choices)
    court = models.CharField("决定机关", max_length=100)
    crime = models.CharField("罪名", max_length=100)
    decision_date = models.DateField("判决(裁定、决定)生效日期")
    report_due = models.DateField("应报到日期", editable=False)
    term_start = models.DateField("矫正期起")
    term_end = models.DateField("矫正期止")
    received_on = models.DateField("报到日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=SuperviseeStatus.choices, default=SuperviseeStatus.PENDING
    )
    level = models.CharField(
        "管理等级", max_length=20, choices=SupervisionLevel.choices, default=SupervisionLevel.ORDINARY
    )
    ended_on = models.DateField("解除(终止)日期", null=True, blank=True)

    class Meta:
        verbose_name = "社区矫正对象"
        verbose_name_plural = "社区矫正对象"
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "id_number_bidx", "decision_date"],
                condition=~models.Q(id_number_bidx=""),
                name="supervisee_unique_decision",
                violation_error_message="该对象的这份生效判决已登记。",
            )
        ]

    def __str__(self) -> str:
        return f"社区矫正对象 #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TeamRole(models.TextChoices):
    """社区矫正法 第二十五条: who may sit on the correction team."""

    OFFICE = "office", "司法所工作人员"
    COMMITTEE = "committee", "村(居)民委员会人员"
    FAMILY = "family", "监护人、家庭成员"
    EMPLOYER = "employer", "所在单位或就读学校人员"
    SOCIAL_WORKER = "social_worker", "社会工作者"
    VOLUNTEER = "volunteer", "志愿者"


class TeamMember(models.Model):
    """A member of a supervisee's correction team (矫正小组)."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="team"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=20, choices=TeamRole.choices)
    is_female = models.BooleanField("女性成员", default=False)
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "矫正小组成员"
        verbose_name_plural = "矫正小组成员"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"矫正小组成员 #{self.pk}"


class RecordKind(models.TextChoices):
    REPORT = "report", "当面报告"
    PHONE = "phone", "电话报告"
    HOME_VISIT = "home_visit", "家庭走访"
    WORK_VISIT = "work_visit", "工作单位走访"
    EDUCATION = "education", "教育学习"
    PUBLIC_BENEFIT = "public_benefit", "公益活动"
    HELP = "help", "帮扶"
    LEAVE = "leave", "请假外出"
    WARNING = "warning", "警告"
    END = "end", "解除(终止)"


VISIT_KINDS = (RecordKind.HOME_VISIT, RecordKind.WORK_VISIT)
HOUR_KINDS = (RecordKind.EDUCATION, RecordKind.PUBLIC_BENEFIT)
# What an officer records by hand; END is written by ``supervisee_end``.
MANUAL_KINDS = [c for c in RecordKind.choices if c[0] != RecordKind.END]


class HelpKind(models.TextChoices):
    EMPLOYMENT = "employment", "就业"
    HOUSING = "housing", "住房"
    SUBSISTENCE = "subsistence", "低保"
    SCHOOLING = "schooling", "就学"
    OTHER = "other", "其他"


class SuperviseeRecord(models.Model):
    """One entry of a supervisee's daily record (the timeline)."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="records"
    )
    kind = models.CharField("类别", max_length=20, choices=RecordKind.choices)
    date = models.DateField("日期")
    hours = models.DecimalField("时长(小时)", max_digits=5, decimal_places=1, null=True, blank=True)
    help_kind = models.CharField("帮扶类别", max_length=20, choices=HelpKind.choices, blank=True)
    leave_from = models.DateField("外出起", null=True, blank=True)
    leave_to = models.DateField("外出止(应返回日期)", null=True, blank=True)
    destination = models.CharField("外出目的地", max_length=100, blank=True)
    returned_on = models.DateField("销假日期", null=True, blank=True)
    note = models.TextField("情况记录", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "矫正记录"
        verbose_name_plural = "矫正记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"矫正记录 #{self.pk}"


class ReleasedPerson(Identity):
    """A person released from prison (刑满释放人员) on the prison's notice, helped by the judicial office."""

    prison = models.CharField("释放单位(监狱)", max_length=100)
    notice_date = models.DateField("收到释放通知日期")
    release_date = models.DateField("释放日期")
    crime = models.CharField("原罪名", max_length=100, blank=True)
    handover_due = models.DateField("衔接期限", editable=False)
    handover_on = models.DateField("衔接日期", null=True, blank=True)
    assessment = models.TextField("衔接评估", blank=True)
    help_plan = models.TextField("帮教方案", blank=True)
    key_person = models.BooleanField("重点帮教对象", default=False)
    help_until = models.DateField("帮教期满日期")
    closed_on = models.DateField("解除帮教日期", null=True, blank=True)

    class Meta:
        verbose_name = "刑满释放人员"
        verbose_name_plural = "刑满释放人员"
        ordering = ["-release_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "id_number_bidx", "release_date"],
                condition=~models.Q(id_number_bidx=""),
                name="released_unique_release",
                violation_error_message="该人员的这次释放已登记。",
            )
        ]

    def __str__(self) -> str:
        return f"刑满释放人员 #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ReleasedRecordKind(models.TextChoices):
    VISIT = "visit", "走访"
    HELP = "help", "帮扶"
    TALK = "talk", "谈话教育"


class ReleasedRecord(models.Model):
    person = models.ForeignKey(
        ReleasedPerson, verbose_name="刑满释放人员", on_delete=models.CASCADE, related_name="records"
    )
    kind = models.CharField("类别", max_length=20, choices=ReleasedRecordKind.choices)
    help_kind = models.CharField("帮扶类别", max_length=20, choices=HelpKind.choices, blank=True)
    date = models.DateField("日期")
    note = models.TextField("情况记录", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮教记录"
        verbose_name_plural = "帮教记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"帮教记录 #{self.pk}"


class DeadlineNotice(models.Model):
    """One reminder or 督办 sent for one deadline, so that each is sent once."""

    key = models.CharField("期限", max_length=80)  # "<kind>:<object id>:<due date>"
    stage = models.CharField("阶段", max_length=10)  # "remind" | "escalate"
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        constraints = [models.UniqueConstraint(fields=["key", "stage"], name="correction_notice_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.stage}"
