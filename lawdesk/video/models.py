"""Remote video consultations (远程视频系统, plan 四(二)2 and 七(六)): a Janus VideoRoom opened for one matter,
which only its two parties can join — the staff member from their desk, the citizen through a one-time link
(``VideoInvite``) sent by SMS or opened at the station terminal.

The room id, secret and pin are random and kept encrypted; the citizen's link carries a random token of which only
the SHA-256 is stored. Recording is switched on only when both parties have ticked their consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lawdesk.core.crypto import EncryptedTextField


class EndReason(models.TextChoices):
    ENDED = "ended", "工作人员结束"
    EXPIRED = "expired", "超时自动结束"


class VideoTerminal(models.Model):
    """A station's 12348 terminal (a browser in kiosk mode) registered for video calls: the platform's clerk
    registers it and pairs the terminal's browser, which then keeps the terminal's random key in a signed cookie
    (only its SHA-256 is stored here). A call from the terminal registers a visit at ``node`` on behalf of
    ``registered_by`` (who must still receive at that platform)."""

    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="所在平台", on_delete=models.PROTECT, related_name="video_terminals"
    )
    name = models.CharField("终端名称", max_length=60)
    key_digest = models.CharField("终端密钥摘要", max_length=64, unique=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("登记时间")
    paired_at = models.DateTimeField("终端配对时间", null=True, blank=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "视频咨询终端"
        verbose_name_plural = "视频咨询终端"
        ordering = ["node", "name", "id"]

    def __str__(self) -> str:
        return self.name


class VideoRoom(models.Model):
    matter = models.ForeignKey(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="video_rooms"
    )
    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="发起平台", on_delete=models.PROTECT, related_name="video_rooms"
    )
    terminal = models.ForeignKey(
        VideoTerminal,
        verbose_name="发起终端",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rooms",
    )
    janus_room = models.BigIntegerField("媒体服务器房间号", unique=True)
    secret = EncryptedTextField("房间管理密钥", max_length=100)
    pin = EncryptedTextField("房间口令", max_length=100)
    staff_token = EncryptedTextField("工作人员入会令牌", max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", db_index=True)
    expires_at = models.DateTimeField("失效时间")
    citizen_joined_at = models.DateTimeField("群众进入时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束方式", max_length=20, choices=EndReason.choices, blank=True)
    staff_consent_at = models.DateTimeField("工作人员同意录制时间", null=True, blank=True)
    citizen_consent_at = models.DateTimeField("群众同意录制时间", null=True, blank=True)
    recording_at = models.DateTimeField("开始录制时间", null=True, blank=True)

    class Meta:
        verbose_name = "视频咨询"
        verbose_name_plural = "视频咨询"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"视频咨询（事项{self.matter_id}）"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def recording(self) -> bool:
        return self.recording_at is not None


class VideoInvite(models.Model):
    """The citizen's one-time link into a room: only the SHA-256 of its token is kept."""

    room = models.ForeignKey(
        VideoRoom, verbose_name="视频咨询", on_delete=models.CASCADE, related_name="invites"
    )
    token_digest = models.CharField("令牌摘要", max_length=64, unique=True)
    janus_token = EncryptedTextField("入会令牌", max_length=100)
    sent_by_sms = models.BooleanField("已短信发送", default=False)
    created_at = models.DateTimeField("生成时间")
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "视频咨询邀请"
        verbose_name_plural = "视频咨询邀请"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"视频咨询邀请（{self.room_id}）"
