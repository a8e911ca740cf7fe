"""Scanned materials (document camera, uploads) attached to a matter.

The file lives in Django's default storage (local files by default, S3-compatible in production) under
``attachments/<yyyy>/<mm>/<uuid>.<ext>``; it is only ever served through a view that checks the matter's scope,
never from a public media URL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Attachment(models.Model):
    matter = models.ForeignKey(
        "matters.Matter", verbose_name="事项", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", max_length=255, unique=True)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
