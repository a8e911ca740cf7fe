"""Counters for rate limits, lookup throttles and lockouts, in Django's default cache.

With ``LAWDESK_REDIS_URL`` the cache is Redis, shared by every app server and kept across restarts; the count
and its expiry are then one atomic step (a server-side script: INCR, and EXPIRE when the key is new), so two
servers counting at once never lose a hit and a counter never outlives its window. Without Redis (development,
tests) the cache is this process's memory and ``add`` + ``incr`` is atomic within it.

A window starts at its first hit and lasts ``window`` seconds (a fixed window: the limit holds exactly inside it).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

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
    if redis is not None:
        client, full_key = redis
        count, ttl = client.eval(_HIT_SCRIPT, 1, full_key, window)
        return int(count), int(ttl)
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key)), window
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1, window


def hit(key: str, window: int) -> int:
    """Count one hit on ``key``; returns the hits in the current window including this one."""
    return hit_with_ttl(key, window)[0]


def count(key: str) -> int:
    """The hits counted on ``key`` in its current window (0 when none)."""
    try:
        return int(cache.get(key) or 0)
    except (TypeError, ValueError):
        return 0
