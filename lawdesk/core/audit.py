from typing import Any

from django.db import models

from lawdesk.core.models import AuditLog


def audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    node: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """Write the audit row of a state change. Call inside the service's transaction."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        node=node,
        data=data or {},
    )
