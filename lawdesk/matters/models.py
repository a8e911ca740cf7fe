from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lawdesk.core.crypto import EncryptedTextField
from lawdesk.people.identity import parse_id_number
from lawdesk.people.models import Person, group_labels


class Channel(models.TextChoices):
    ON_SITE = "on_site", "现场"
    PHONE = "phone", "电话(12348)"
    ONLINE = "online", "网上"
    APPOINTMENT = "appointment", "预约"
    HOME_VISIT = "home_visit", "上门"
    VIDEO = "video", "视频"
    SCREENING = "screening", "排查"  # found by a mediation committee's dispute screening (lawdesk.screening)


class MatterKind(models.TextChoices):
    CONSULTATION = "consultation", "法律咨询"
    LEGAL_AID = "legal_aid", "法律援助申请"
    DISPUTE = "dispute", "矛盾纠纷"
    COMPLAINT = "complaint", "投诉举报"
    SERVICE_TRANSFER = "service_transfer", "业务移交"
    APPOINTMENT = "appointment", "预约"


class ServiceType(models.TextChoices):
    """What a service transfer asks for (ledger 5 业务类别)."""

    LAWYER = "lawyer", "律师"
    NOTARY = "notary", "公证"
    FORENSIC = "forensic", "司法鉴定"
    GRASSROOTS_LEGAL = "grassroots_legal", "基层法律服务"
    JUDICIAL_OFFICE = "judicial_office", "司法所"
    OTHER = "other", "其他"


class LegalField(models.TextChoices):
    """Field of a consultation (monthly report 法律咨询 by field)."""

    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭"
    LABOUR = "labour", "劳动"
    LAND_PROPERTY = "land_property", "土地房产"
    LOAN_CONTRACT = "loan_contract", "借贷合同"
    TORT = "tort", "侵权赔偿"
    CONSUMER = "consumer", "消费"
    ADMINISTRATIVE = "administrative", "行政"
    CRIMINAL = "criminal", "刑事"
    OTHER = "other", "其他"


class MatterState(models.TextChoices):
    RECEIVED = "received", "已受理"
    ANSWERED = "answered", "当场办结"
    REDIRECTED = "redirected", "已指引"
    TRANSFERRED = "transferred", "已移交"
    ACCEPTED = "accepted", "已承接"
    OUTCOME_RECORDED = "outcome_recorded", "已办结"
    CITIZEN_TOLD = "citizen_told", "已反馈"
    CLOSED = "closed", "已归档"


class OneTripMode(models.TextChoices):
    PROXY = "proxy", "代办"
    HOME_VISIT = "home_visit", "上门服务"


class ToldVia(models.TextChoices):
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    ON_SITE = "on_site", "现场"
    LETTER = "letter", "信函"


class Adoption(models.TextChoices):
    """Whether the citizen accepted the advice or outcome (意见采纳, recorded at feedback; plan 七(七))."""

    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class Visit(models.Model):
    """One contact at a platform (来访登记): ledger 1 numbers it per platform and year."""

    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="接待平台", on_delete=models.PROTECT, related_name="visits"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="来访人", on_delete=models.PROTECT, related_name="visits"
    )
    channel = models.CharField("来访方式", max_length=20, choices=Channel.choices, default=Channel.ON_SITE)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接待人", on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField("来访时间", db_index=True)
    summary = models.TextField("来访事由", blank=True)
    # The citizen's vulnerable groups as recorded at this visit (",elderly,disabled,"): a month's figures and
    # ledger 1 keep them when the person's groups change later.
    vulnerable_groups = models.CharField("特殊群体", max_length=300, blank=True, default="", editable=False)
    # What the citizen said at this visit (name, numbers, address, gender; the groups are above), kept as said:
    # the record of the visit stays true whatever the shared person record holds, and a visit registered
    # against a person outside the clerk's reach shows only this (``person_as_told``).
    said_name = models.CharField("所报姓名", max_length=50, blank=True, default="", editable=False)
    said_phone = EncryptedTextField("所报联系电话", max_length=30, blank=True, default="", editable=False)
    said_id_number = EncryptedTextField("所报身份证号", max_length=18, blank=True, default="", editable=False)
    said_address = models.CharField("所报住址或单位", max_length=200, blank=True, default="", editable=False)
    said_gender = models.CharField("所报性别", max_length=10, blank=True, default="", editable=False)
    # The person was outside the receiving clerk's reach and was matched by a full phone or ID number: the
    # visit refers to the shared record without reading or changing it, and does not bring the person into
    # the reach of those who see this visit (``lawdesk.matters.people_search``).
    by_reference = models.BooleanField("凭完整号码关联", default=False, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    # The form's one-time token: a double click on "save" finds the first visit instead of making a second.
    client_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "来访登记"
        verbose_name_plural = "来访登记"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year", "seq"], name="visit_unique_number"),
        ]
        # A platform's ledger 1 for a period: one range scan (bench/: 24 ms → 3 ms at 10 million matters).
        indexes = [models.Index(fields=["node", "received_at"], name="visit_node_received")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.node.name}〔{self.year}〕来访第{self.seq:04d}号"

    @property
    def group_labels(self) -> list[str]:
        return group_labels(self.vulnerable_groups)

    @property
    def name_as_told(self) -> str:
        """The citizen's name as this visit shows it (``person_as_told.name``) without building the stand-in:
        for lists that show the name only and do not load the encrypted numbers."""
        return self.said_name if self.by_reference else self.person.name

    @property
    def person_as_told(self) -> Person:
        """The citizen as this visit shows them: the shared person record, or — for a visit registered
        against a person outside the clerk's reach — an unsaved stand-in holding only what was said at this
        visit, with the shared record's id as the reference."""
        if not self.by_reference:
            return self.person
        birth_date = None
        if self.said_id_number:
            try:
                birth_date = parse_id_number(self.said_id_number).birth_date
            except ValidationError:  # what was said is shown even if it does not parse
                birth_date = None
        return Person(
            pk=self.person_id,
            name=self.said_name,
            phone=self.said_phone,
            id_number=self.said_id_number,
            address=self.said_address,
            gender=self.said_gender,
            birth_date=birth_date,
            vulnerable_groups=self.vulnerable_groups,
            first_node_id=self.node_id,
        )


class Matter(models.Model):
    """One request inside a visit (事项). Its state moves only through the services and the event registry."""

    visit = models.ForeignKey(Visit, verbose_name="来访", on_delete=models.PROTECT, related_name="matters")
    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="受理平台", on_delete=models.PROTECT, related_name="matters"
    )
    kind = models.CharField("事项类别", max_length=20, choices=MatterKind.choices)
    legal_field = models.CharField("咨询领域", max_length=20, choices=LegalField.choices, blank=True)
    service_type = models.CharField("业务类别", max_length=20, choices=ServiceType.choices, blank=True)
    summary = models.TextField("事项摘要")
    state = models.CharField(
        "状态", max_length=20, choices=MatterState.choices, default=MatterState.RECEIVED, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首问负责人",
        on_delete=models.PROTECT,
        related_name="owned_matters",
    )
    handover_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="待确认的交接人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name="承接机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    answer = models.TextField("答复意见", blank=True)
    redirect_reason = models.CharField("指引原因", max_length=200, blank=True)
    redirect_to = models.CharField("指引去向", max_length=100, blank=True)
    redirect_address = models.CharField("去向地址", max_length=200, blank=True)
    redirect_phone = models.CharField("去向电话", max_length=30, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField("办理结果", blank=True)
    outcome_by_proxy = models.BooleanField("由司法所代为登记结果", default=False)
    told_via = models.CharField("反馈方式", max_length=10, choices=ToldVia.choices, blank=True)
    adoption = models.CharField("意见采纳", max_length=12, choices=Adoption.choices, blank=True)
    rating = models.PositiveSmallIntegerField("满意度评分", null=True, blank=True)
    rating_comment = models.CharField("群众意见", max_length=300, blank=True)
    one_trip_mode = models.CharField("最多跑一次", max_length=20, choices=OneTripMode.choices, blank=True)
    one_trip_due = models.DateField("代办/上门期限", null=True, blank=True)
    # Working-day deadlines of the current stage (set by the services from the deadline rules).
    accept_due = models.DateField("承接期限", null=True, blank=True)
    outcome_due = models.DateField("办结期限", null=True, blank=True)
    feedback_due = models.DateField("反馈期限", null=True, blank=True)
    transferred_at = models.DateTimeField("移交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("承接时间", null=True, blank=True)
    outcome_at = models.DateTimeField("办结时间", null=True, blank=True)
    told_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("归档时间", null=True, blank=True)
    # The number in the kind's own ledger (2–6); consultations are numbered by their visit only.
    ledger_year = models.PositiveSmallIntegerField("台帐年度", null=True, blank=True)
    ledger_seq = models.PositiveIntegerField("台帐序号", null=True, blank=True)
    created_at = models.DateTimeField("受理时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="matter_rating_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["node", "kind", "ledger_year", "ledger_seq"], name="matter_unique_ledger_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.summary[:30]}"


class MatterEvent(models.Model):
    """An append-only record of one move of a matter: who, when, from which node, why."""

    matter = models.ForeignKey(Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="events")
    code = models.CharField("事件", max_length=40, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="操作节点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name="操作机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "事项事件"
        verbose_name_plural = "事项事件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.code}"


class LedgerCounter(models.Model):
    """The last number given in one ledger, per platform and year. Locked in the numbering transaction so
    concurrent intake gets gapless, unique numbers."""

    node = models.ForeignKey("orgs.OrgNode", on_delete=models.PROTECT, related_name="+")
    ledger = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "台帐编号"
        verbose_name_plural = "台帐编号"
        constraints = [
            models.UniqueConstraint(fields=["node", "ledger", "year"], name="ledger_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.ledger} {self.year}: {self.last}"
