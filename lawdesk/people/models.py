from __future__ import annotations

from django.db import models

from lawdesk.core.validators import validate_personal_phone


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class VulnerableGroup(models.TextChoices):
    """特殊群体 (plan 五(四)4, 七(四)). Any of them qualifies a matter for at-most-one-trip handling."""

    ELDERLY = "elderly", "老年人"
    INFIRM = "infirm", "体弱"
    SICK = "sick", "患病"
    DISABLED = "disabled", "残疾人"
    PREGNANT = "pregnant", "孕妇"
    LEFT_BEHIND_ELDERLY = "left_behind_elderly", "留守老人"
    LEFT_BEHIND_WOMEN = "left_behind_women", "留守妇女"
    LEFT_BEHIND_CHILDREN = "left_behind_children", "留守儿童"
    POOR = "poor", "贫困人口"
    MIGRANT_WORKER = "migrant_worker", "农民工"


class Person(models.Model):
    """A citizen who came to a platform. Found again by phone, ID number, name or pinyin initials."""

    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("姓名拼音首字母", max_length=50, db_index=True, editable=False)
    id_number = models.CharField("身份证号", max_length=18, blank=True, db_index=True)
    phone = models.CharField(
        "联系电话", max_length=30, blank=True, db_index=True, validators=[validate_personal_phone]
    )
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    address = models.CharField("住址或单位", max_length=200, blank=True)
    # Stored as ",elderly,disabled," so that one group is found with a portable `contains` on both databases.
    vulnerable_groups = models.CharField("特殊群体", max_length=300, blank=True, default="")
    first_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="首次登记平台", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "来访群众"
        verbose_name_plural = "来访群众"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="person_unique_id_number",
                violation_error_message="已登记过该身份证号的群众，请直接选用。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def groups(self) -> list[str]:
        return [g for g in self.vulnerable_groups.split(",") if g]

    @groups.setter
    def groups(self, values: list[str]) -> None:
        ordered = [g for g in VulnerableGroup.values if g in set(values)]
        self.vulnerable_groups = "," + ",".join(ordered) + "," if ordered else ""

    @property
    def group_labels(self) -> list[str]:
        labels = dict(VulnerableGroup.choices)
        return [str(labels[g]) for g in self.groups if g in labels]

    @property
    def is_vulnerable(self) -> bool:
        return bool(self.groups)
