from __future__ import annotations

import functools
from typing import Any

from django.db import models

from lawdesk.core import crypto
from lawdesk.core.validators import validate_credit_code, validate_personal_phone


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
    # 三(一): 流动人口、农民工等弱势群体的权益维护
    FLOATING_POPULATION = "floating_population", "流动人口"


class ClientKind(models.TextChoices):
    """Who came: a natural person, or an enterprise, public institution or social organisation (三(一)
    "积极为企事业单位、社会组织等提供法律服务"), registered by its name, unified social credit code and contact."""

    PERSON = "person", "个人"
    ENTERPRISE = "enterprise", "企业"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"
    SOCIAL_ORGANISATION = "social_organisation", "社会组织"


class PersonQuerySet(models.QuerySet["Person"]):
    def by_id_number(self, id_number: str) -> PersonQuerySet:
        """People with this full ID number, found through its blind index."""
        return self.filter(
            id_number_bidx=crypto.blind_index("id_number", crypto.normalise_id_number(id_number))
        )

    def by_phone(self, phone: str) -> PersonQuerySet:
        """People with this full phone number, found through its blind index."""
        return self.filter(phone_bidx=crypto.blind_index("phone", crypto.normalise_phone(phone)))


class Person(models.Model):
    """A citizen who came to a platform. Found again by phone, ID number, name or pinyin initials."""

    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("姓名拼音首字母", max_length=50, db_index=True, editable=False)
    # Encrypted at rest (lawdesk.core.crypto); found again only through the keyed blind indexes below.
    id_number = crypto.EncryptedTextField("身份证号", max_length=18, blank=True)
    phone = crypto.EncryptedTextField(
        "联系电话", max_length=30, blank=True, validators=[validate_personal_phone]
    )
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    address = models.CharField("住址或单位", max_length=200, blank=True)
    client_kind = models.CharField(
        "来访对象", max_length=20, choices=ClientKind.choices, default=ClientKind.PERSON, db_index=True
    )
    # An organisation's unified social credit code (统一社会信用代码, GB 32100) and the person who came for it.
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    # Stored as ",elderly,disabled," so that one group is found with a portable `contains` on both databases.
    vulnerable_groups = models.CharField("特殊群体", max_length=300, blank=True, default="")
    first_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="首次登记平台", on_delete=models.PROTECT, related_name="+"
    )
    # Blind indexes (HMAC-SHA256, lawdesk.core.crypto.blind_index) kept in step by save(): the whole number and
    # its last four characters (the window finds a person by the tail the citizen reads out).
    id_number_bidx = models.CharField(
        "身份证号索引", max_length=64, blank=True, editable=False, db_index=True
    )
    id_tail_bidx = models.CharField(
        "身份证号后4位索引", max_length=64, blank=True, editable=False, db_index=True
    )
    phone_bidx = models.CharField("联系电话索引", max_length=64, blank=True, editable=False, db_index=True)
    phone_tail_bidx = models.CharField(
        "联系电话后4位索引", max_length=64, blank=True, editable=False, db_index=True
    )
    # Set when the retention job removed the personal data (lawdesk.people.retention).
    anonymised_at = models.DateTimeField("个人信息清除时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "来访群众"
        verbose_name_plural = "来访群众"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_bidx"],
                condition=~models.Q(id_number_bidx=""),
                name="person_unique_id_number_bidx",
                violation_error_message="已登记过该身份证号的群众，请直接选用。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sync_blind_indexes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"id_number", "phone"} & set(update_fields)):
            kwargs["update_fields"] = set(update_fields) | set(BLIND_INDEX_FIELDS)
        super().save(*args, **kwargs)

    def sync_blind_indexes(self) -> None:
        """Recompute the blind indexes from the plaintext attributes."""
        for attr, value in person_blind_indexes(
            id_number=self.id_number or "", phone=self.phone or ""
        ).items():
            setattr(self, attr, value)

    def validate_constraints(self, exclude: Any = None) -> None:
        self.sync_blind_indexes()
        if not self.id_number_bidx:
            # The one constraint holds only for a filled-in ID number: without one there is nothing to look up
            # (Django would still build and run its condition query, a third of the intake POST's Python).
            exclude = {*(exclude or ()), "id_number_bidx"}
        super().validate_constraints(exclude=exclude)

    @property
    def groups(self) -> list[str]:
        return [g for g in self.vulnerable_groups.split(",") if g]

    @groups.setter
    def groups(self, values: list[str]) -> None:
        self.vulnerable_groups = stored_groups(values)

    @property
    def group_labels(self) -> list[str]:
        return group_labels(self.vulnerable_groups)

    @property
    def is_vulnerable(self) -> bool:
        return bool(self.groups)


def stored_groups(values: list[str]) -> str:
    """Groups as stored: ",elderly,disabled," in the order of ``VulnerableGroup``, each once."""
    ordered = [g for g in VulnerableGroup.values if g in set(values)]
    return "," + ",".join(ordered) + "," if ordered else ""


def group_labels(stored: str) -> list[str]:
    """The Chinese labels of groups stored as ",elderly,disabled,"."""
    labels = _group_label_map()
    return [labels[g] for g in stored.split(",") if g in labels]


@functools.cache
def _group_label_map() -> dict[str, str]:
    """Each group's Chinese label, built once per process (a ledger page asks for a hundred rows' labels)."""
    return {value: str(label) for value, label in VulnerableGroup.choices}


BLIND_INDEX_FIELDS = ("id_number_bidx", "id_tail_bidx", "phone_bidx", "phone_tail_bidx")


def person_blind_indexes(*, id_number: str, phone: str) -> dict[str, str]:
    """The blind-index columns of a person with these numbers (also used by the data migration)."""
    number = crypto.normalise_id_number(id_number)
    digits = crypto.normalise_phone(phone)
    return {
        "id_number_bidx": crypto.blind_index("id_number", number),
        "id_tail_bidx": crypto.blind_index("id_tail", number[-4:]) if len(number) >= 4 else "",
        "phone_bidx": crypto.blind_index("phone", digits),
        "phone_tail_bidx": crypto.blind_index("phone_tail", digits[-4:]) if len(digits) >= 4 else "",
    }
