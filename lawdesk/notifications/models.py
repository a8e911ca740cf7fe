from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app notice to one user (督办 reminders and the like). Read when ``read_at`` is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
