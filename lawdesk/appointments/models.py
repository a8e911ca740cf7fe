"""Appointments (预约, plan 七(六)): bookable slots at a platform or an institution, and the appointments in them.

An appointment is a matter: a new one of kind ``appointment`` registered through the intake service (ledger 4
numbers it), or an existing consultation booked straight into a law firm's slot. Its moves are kept in
``AppointmentMove``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lawdesk.core.crypto import EncryptedTextField


class SlotKind(models.TextChoices):
    STATION = "station", "到站"
    LAW_FIRM = "law_firm", "律所面谈"
    HOME_VISIT = "home_visit", "上门"
    VIDEO = "video", "视频"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    RESCHEDULED = "rescheduled", "已改约"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到(爽约)"
    SERVED = "served", "已履约"


# Appointments that take a place in their slot (a cancelled one frees it).
TAKING_PLACE = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.RESCHEDULED,
    AppointmentStatus.SERVED,
    AppointmentStatus.NO_SHOW,
)
# Appointments still to happen: they get the reminder and may be moved, cancelled, served or marked no-show.
PENDING = (AppointmentStatus.BOOKED, AppointmentStatus.RESCHEDULED)


class Slot(models.Model):
    """A bookable period at a platform (``node``) or at an institution (a law firm's consultation hours)."""

    node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name="服务平台",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name="服务机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    kind = models.CharField("服务方式", max_length=20, choices=SlotKind.choices)
    start = models.DateTimeField("开始时间", db_index=True)
    end = models.DateTimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可预约人数", default=1)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="slot_capacity_gte_1"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="slot_end_after_start"
            ),
            models.CheckConstraint(
                condition=(models.Q(node__isnull=False) & models.Q(institution__isnull=True))
                | (models.Q(node__isnull=True) & models.Q(institution__isnull=False)),
                name="slot_node_xor_institution",
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.start)
        return f"{self.place_name} {start:%Y-%m-%d %H:%M}–{timezone.localtime(self.end):%H:%M}"

    @property
    def place_name(self) -> str:
        if self.institution is not None:
            return self.institution.name
        return self.node.name if self.node is not None else ""


class Appointment(models.Model):
    slot = models.ForeignKey(
        Slot, verbose_name="预约时段", on_delete=models.PROTECT, related_name="appointments"
    )
    matter = models.OneToOneField(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="appointment"
    )
    status = models.CharField(
        "履约情况", max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    phone = EncryptedTextField("提醒电话", max_length=30, blank=True)  # encrypted at rest
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约登记人", on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField("预约登记时间")
    reminder_sent_at = models.DateTimeField("提醒短信时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    no_show_at = models.DateTimeField("爽约登记时间", null=True, blank=True)
    served_at = models.DateTimeField("履约时间", null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接待人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.TextField("服务结果", blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["slot__start", "id"]

    def __str__(self) -> str:
        return f"预约（事项{self.matter_id}）{self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING


class AppointmentMove(models.Model):
    """One move of an appointment (booked, rescheduled, cancelled, no-show, served, reminded): the history."""

    appointment = models.ForeignKey(
        Appointment, verbose_name="预约", on_delete=models.CASCADE, related_name="moves"
    )
    code = models.CharField("操作", max_length=20)
    from_slot = models.ForeignKey(
        Slot, verbose_name="原时段", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_slot = models.ForeignKey(
        Slot, verbose_name="新时段", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "预约记录"
        verbose_name_plural = "预约记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.code}"
