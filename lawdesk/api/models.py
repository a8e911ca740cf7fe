"""System clients of the API (the 12348 hotline, the WeChat service account, other systems).

A client acts as a service account: an ordinary ``User`` with ordinary role assignments at a node, so what a
client sees and may change is decided by ``lawdesk.accounts.scoping`` exactly as for a person. The token is
shown once when it is made and stored only as its SHA-256 hash, with a short prefix kept to recognise it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from lawdesk.core import clock


class ApiClient(models.Model):
    name = models.CharField("名称", max_length=100, help_text="调用方系统，如“12348热线”“微信公众号”。")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="服务账号",
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text="接口以该账号的身份和角色（所在节点）读取和办理，权限与该账号登录页面时相同。",
    )
    token_prefix = models.CharField("令牌前缀", max_length=16, editable=False, db_index=True)
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("启用", default=True)
    rate_per_minute = models.PositiveIntegerField(
        "每分钟调用上限",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="该调用方每分钟最多调用次数；留空则用系统默认值（LAWDESK_API_RATE_CLIENT，默认每分钟120次）。",
    )
    expires_at = models.DateTimeField("有效期至", null=True, blank=True, help_text="留空表示长期有效。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口调用方"
        verbose_name_plural = "接口调用方"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.token_prefix}…）"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= clock.now()
