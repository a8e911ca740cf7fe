"""Counters for rate limits, lookup throttles and lockouts, in Django's default cache.

With ``LAWDESK_REDIS_URL`` the cache is Redis, shared by every app server and kept across restarts; the count
and its expiry are then one atomic step (a server-side script: INCR, and EXPIRE when the key is new), so two
servers counting at once never lose a hit and a counter never outlives its window. Without Redis (development,
tests) the cache is this process's memory and ``add`` + ``incr`` is atomic within it.

A window starts at its first hit and lasts ``window`` seconds (a fixed window: the limit holds exactly inside it).

When the shared cache cannot be reached (Redis down or restarting), a counter falls back to this process's memory
and a warning is logged (at most once a minute, without the key): every limit still holds, per app server, instead
of the request failing with a server error. Counting returns to Redis on its own when it answers again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# This process's own counters, used only while the shared cache is unreachable.
_local = LocMemCache("lawdesk-limits-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})
_last_warning = 0.0


def _shared_cache_down(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 60:
        _last_warning = now
        logger.warning("共享缓存不可用，限流计数暂用本进程内存：%s", type(exc).__name__)


# KEYS[1] the counter, ARGV[1] the window in seconds. Returns {count, seconds left}.
_HIT_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""


def _redis_client(key: str) -> tuple[Any, str] | None:
    """The raw redis-py client and the full key, when the default cache is Django's Redis backend."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    full_key = backend.make_and_validate_key(key)
    return backend._cache.get_client(full_key, write=True), full_key  # type: ignore[attr-defined]


def hit_with_ttl(key: str, window: int) -> tuple[int, int]:
    """Count one hit on ``key``; returns (hits in the current window including this one, seconds left)."""
    window = max(int(window), 1)
    redis = _redis_client(key)
    if redis is None:
        return _hit_in(cache, key, window)
    client, full_key = redis
    try:
        count, ttl = client.eval(_HIT_SCRIPT, 1, full_key, window)
    except Exception as exc:  # redis-py's ConnectionError / TimeoutError, or the socket's OSError
        _shared_cache_down(exc)
        return _hit_in(_local, key, window)
    return int(count), int(ttl)


def _hit_in(backend: Any, key: str, window: int) -> tuple[int, int]:
    backend.add(key, 0, timeout=window)
    try:
        return int(backend.incr(key)), window
    except ValueError:  # expired between add and incr
        backend.set(key, 1, timeout=window)
        return 1, window


def hit(key: str, window: int) -> int:
    """Count one hit on ``key``; returns the hits in the current window including this one."""
    return hit_with_ttl(key, window)[0]


def count(key: str) -> int:
    """The hits counted on ``key`` in its current window (0 when none)."""
    try:
        value = cache.get(key)
    except Exception as exc:  # the shared cache unreachable: this process's own count
        _shared_cache_down(exc)
        value = _local.get(key)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def claim(key: str, timeout: int) -> bool:
    """Claim ``key`` once (for ``timeout`` seconds): True for the first claim, False while it is held."""
    try:
        return bool(cache.add(key, 1, timeout=timeout))
    except Exception as exc:  # the shared cache unreachable: claimed in this process
        _shared_cache_down(exc)
        return bool(_local.add(key, 1, timeout=timeout))


def release(key: str) -> None:
    """Free a claimed key again."""
    try:
        cache.delete(key)
    except Exception as exc:
        _shared_cache_down(exc)
    _local.delete(key)
