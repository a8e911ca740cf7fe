from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit row through the application."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("操作日志只能追加，不能修改或删除。")


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    """Reads and inserts only: update, delete and their bulk forms are refused (and the database's triggers
    refuse them too, see migration 0002)."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse()

    def delete(self) -> NoReturn:
        _refuse()

    def bulk_update(self, objs: Any, fields: Any, batch_size: Any = None) -> NoReturn:
        _refuse()

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def _raw_delete(self, using: Any) -> NoReturn:
        _refuse()

    def _update(self, values: Any) -> NoReturn:
        _refuse()


class AuditLog(models.Model):
    """One row per event that matters for accountability: every state change made through a service, every
    login and failed login, every permission denial, every export, every full read of personal data.

    Append-only: the model refuses to save an existing row or delete one, the manager refuses updates and
    deletes, and database triggers refuse UPDATE and DELETE on the table (both databases). Rows are kept at
    least ``LAWDESK_AUDIT_MIN_RETENTION_DAYS`` (185); the application itself never removes any.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    object_repr = models.CharField("对象", max_length=200)
    node = models.ForeignKey(
        "orgs.OrgNode", verbose_name="所属节点", null=True, blank=True, on_delete=models.PROTECT
    )
    data = models.JSONField("详情", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class AuditShipMark(models.Model):
    """How far the audit log has been shipped to a JSON-lines destination (one row per destination): the
    highest AuditLog id written, so that nothing is shipped twice."""

    destination = models.CharField("目的地", max_length=500, unique=True)
    last_id = models.BigIntegerField("已发送的最大日志编号", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "操作日志发送进度"
        verbose_name_plural = "操作日志发送进度"

    def __str__(self) -> str:
        return f"{self.destination}: {self.last_id}"
