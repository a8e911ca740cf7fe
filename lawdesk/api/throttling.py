"""Rate limits: one bucket per system client, per logged-in user, and per address for anonymous calls.

The rates are read from ``settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request time (``api_client``,
``api_user``, ``api_anon``), so they can be changed per environment and in tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def _client_id(request: Request) -> Any:
    """The calling ApiClient's id (None for a session or anonymous call). Imported late: DRF loads this class
    from its settings before the apps are ready."""
    from lawdesk.api.models import ApiClient

    return request.auth.pk if isinstance(request.auth, ApiClient) else None


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope)

    def allow_request(self, request: Request, view: APIView) -> bool:
        # The scope depends on who calls; choose it before the bucket is looked up.
        if _client_id(request) is not None:
            self.scope = "api_client"
        elif request.user is not None and request.user.is_authenticated:
            self.scope = "api_user"
        else:
            self.scope = "api_anon"
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        client_id = _client_id(request)
        if client_id is not None:
            ident = f"client-{client_id}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
