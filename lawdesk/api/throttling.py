"""Rate limits: one bucket per system client, per logged-in user, and per address for anonymous calls.

The rates are read from ``settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request time (``api_client``,
``api_user``, ``api_anon``), so they can be changed per environment and in tests; a client with its own rate
(``ApiClient.rate_per_minute``, set in the admin) uses that instead of ``api_client``.

Each bucket is one counter in the shared cache (``lawdesk.core.limits``: an atomic increment with its expiry), so
the limit holds across every app server and restart when the cache is Redis. The window is fixed: it starts at
the bucket's first call and lasts the rate's period; inside it exactly the allowed number of calls pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from lawdesk.core import limits

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def _client(request: Request) -> Any:
    """The calling ApiClient (None for a session or anonymous call). Imported late: DRF loads this class
    from its settings before the apps are ready."""
    from lawdesk.api.models import ApiClient

    return request.auth if isinstance(request.auth, ApiClient) else None


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self) -> None:  # the rate is chosen per request (allow_request), not at construction
        self._wait: float | None = None

    def get_rate(self) -> str | None:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope)

    def allow_request(self, request: Request, view: APIView) -> bool:
        # The scope depends on who calls; choose it before the bucket is looked up.
        client = _client(request)
        if client is not None:
            self.scope = "api_client"
        elif request.user is not None and request.user.is_authenticated:
            self.scope = "api_user"
        else:
            self.scope = "api_anon"
        own = getattr(client, "rate_per_minute", None) if client is not None else None
        self.rate = f"{own}/min" if own else self.get_rate()
        if self.rate is None:
            return True
        allowed, period = self.parse_rate(self.rate)
        if allowed is None or period is None:
            return True
        self.num_requests, self.duration = allowed, period
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        hits, seconds_left = limits.hit_with_ttl(key, period)
        if hits <= allowed:
            return True
        self._wait = float(max(seconds_left, 1))
        return False

    def wait(self) -> float | None:
        return self._wait

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        client = _client(request)
        if client is not None:
            ident = f"client-{client.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
