"""Making, disabling and re-enabling API clients. Keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.api.models import ApiClient
from lawdesk.api.tokens import hash_token, new_token, visible_prefix
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service


def _home_node(user: User) -> Any:
    return scoping.home_node(user)


@service(AuditAction.API_CLIENT_CREATED)
def api_client_create(
    *, actor: Any, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiClient, str]:
    """A new client acting as ``user``; returns it with its token, which is not stored and cannot be shown
    again."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "请填写调用方名称。"
    elif len(name) > 100:
        errors["name"] = "调用方名称不能超过100个字。"
    if not user.is_active:
        errors["user"] = f"服务账号“{user.username}”已停用，不能用于接口。"
    elif not scoping.has_any_role(user):
        errors["user"] = f"服务账号“{user.username}”没有任何角色，请先在所在节点为其分配角色。"
    if expires_at is not None and expires_at <= clock.now():
        errors["expires_at"] = "有效期应晚于现在。"
    if errors:
        raise ValidationError(errors)
    token = new_token()
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            user=user,
            token_prefix=visible_prefix(token),
            token_hash=hash_token(token),
            expires_at=expires_at,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="api_client_created",
            obj=client,
            node=_home_node(user),
            data={"user": user.pk, "expires_at": expires_at.isoformat() if expires_at else None},
        )
    return client, token


@service(None)
def api_client_set_active(*, actor: Any, client: ApiClient, active: bool) -> ApiClient:
    """Disable a client (its token is refused at once) or enable it again. Asked for a state it is already in (an
    admin action over a selection), it changes nothing and its row says so."""
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        changed = client.is_active != active
        if changed:
            client.is_active = active
            client.save(update_fields=["is_active"])
        audit(
            actor=actor,
            action="api_client_enabled" if active else "api_client_disabled",
            obj=client,
            node=_home_node(client.user),
            data={} if changed else {"unchanged": True},
        )
    return client
