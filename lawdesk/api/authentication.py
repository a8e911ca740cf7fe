"""How the API knows who calls: a system client's bearer token, or a logged-in user's session (CSRF enforced).

A token is refused (401) when it is unknown, disabled, expired, or its service account is disabled — or, for a
demo account, when demo mode is off, exactly like the login page."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from lawdesk.api.tokens import hash_token
from lawdesk.core import clock

if TYPE_CHECKING:
    from lawdesk.api.models import ApiClient

KEYWORD = "Bearer"
# last_used_at is written at most this often per client, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiClient] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("令牌格式无效：应为“Authorization: Bearer <令牌>”。")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed("令牌无效。") from exc
        from lawdesk.api.models import ApiClient  # late: DRF loads this class before the apps are ready

        client = ApiClient.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if client is None:
            raise AuthenticationFailed("令牌无效。")
        if not client.is_active:
            raise AuthenticationFailed("该接口调用方已停用。")
        if client.is_expired:
            raise AuthenticationFailed("令牌已过期，请联系系统管理员重新签发。")
        user = client.user
        if not user.is_active:
            raise AuthenticationFailed("该调用方的服务账号已停用。")
        if getattr(user, "is_demo", False) and not getattr(settings, "DEMO_MODE", False):
            raise AuthenticationFailed("演示账号只能在演示模式下使用。")
        now = clock.now()
        if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return user, client

    def authenticate_header(self, request: Request) -> str:
        # Present, so that a missing or refused credential answers 401 rather than 403.
        return f'{KEYWORD} realm="api"'
