"""Every change made through the Django admin writes an audit row.

``AuditedAdminMixin`` hooks the admin's own bookkeeping (``log_addition``, ``log_change``, ``log_deletions``:
Django calls them for every add, change and delete made in the admin — forms, inlines, list edits and the bulk
delete action) and writes one ``AuditLog`` row per object, in the same transaction as the change: action
``admin.add`` / ``admin.change`` / ``admin.delete``, the model, the object, and which fields and inline rows
changed (their names, never their values: a secret or personal data stays out of the log). The admin site
(``lawdesk.accounts.admin_site``) puts the mixin under every ModelAdmin registered with it, Django's and the
packages' too, so no registration can forget it.

Services the admins call write their own rows as well; this row records the door (the admin) and the fields.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models, router, transaction
from django.http import HttpRequest

from lawdesk.core.audit import audit_event


def _changes(message: Any) -> list[Any]:
    """The admin's change message (a list, or its JSON text) as a list of change entries."""
    if isinstance(message, list):
        return message
    if isinstance(message, str) and message:
        try:
            parsed = json.loads(message)
        except ValueError:
            return [message[:200]]
        return parsed if isinstance(parsed, list) else [parsed]
    return []


def admin_audit(request: HttpRequest, obj: models.Model, *, what: str, message: Any = None) -> None:
    audit_event(
        actor=request.user,
        action=f"admin.{what}",
        request=request,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data={"via": "admin", "model": obj._meta.label, "changes": _changes(message)},
    )


class AuditedAdminMixin:
    """Put first in a ModelAdmin's bases (the admin site does it for every registration)."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        admin_audit(request, obj, what="add", message=message)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        admin_audit(request, obj, what="change", message=message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        objects = list(queryset)
        entries = super().log_deletions(request, objects)  # type: ignore[misc]
        for obj in objects:
            admin_audit(request, obj, what="delete")
        return entries

    def response_action(self, request: HttpRequest, queryset: Any) -> Any:
        """An admin action (the bulk delete among them) runs in one transaction with its audit rows."""
        model = self.model  # type: ignore[attr-defined]
        with transaction.atomic(using=router.db_for_write(model)):
            return super().response_action(request, queryset)  # type: ignore[misc]
