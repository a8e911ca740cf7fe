"""When Redis (the shared cache) does not answer, the limits still hold, in this process, and the requests that
count against them are answered as usual (no server error); the law index and the printed reports carry on.

The "down" Redis is a port on the loopback where nothing listens, so every connection is refused at once.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.test import Client, override_settings

from lawdesk.accounts.models import Role
from lawdesk.api.services import api_client_create
from lawdesk.core import limits
from lawdesk.laws import search
from tests.conftest import Tree, make_user
from tests.servers import free_port


def _down_caches() -> dict[str, Any]:
    url = f"redis://127.0.0.1:{free_port()}/1"
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": options,
        },
        "reports": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": options,
        },
    }


@pytest.fixture
def redis_down() -> Any:
    limits._local.clear()
    with override_settings(CACHES=_down_caches()):
        yield
        for alias in ("default", "reports"):
            caches[alias].close()
    limits._local.clear()


def test_the_counters_fall_back_to_this_process_and_still_count(redis_down: None, caplog: Any) -> None:
    with pytest.raises(redis.exceptions.ConnectionError):  # the cache itself is really unreachable
        caches["default"].get("anything")
    assert [limits.hit("down:a", 60) for _ in range(3)] == [1, 2, 3]
    assert limits.count("down:a") == 3 and limits.count("down:b") == 0
    count, seconds_left = limits.hit_with_ttl("down:a", 60)
    assert (count, seconds_left) == (4, 60)
    assert limits.claim("down:stamp", 60) is True
    assert limits.claim("down:stamp", 60) is False  # a second claim of the same key is refused
    limits.release("down:stamp")
    assert limits.claim("down:stamp", 60) is True
    assert "共享缓存不可用" in caplog.text


@pytest.mark.django_db
def test_an_api_client_is_limited_at_its_rate_while_redis_is_down(
    tree: Tree, settings: Any, redis_down: None
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "100/min", "api_user": "100/min", "api_anon": "100/min"},
    }
    user = make_user("svc_down", Role.WINDOW_CLERK, tree.station_a)
    client, token = api_client_create(actor=None, user=user, name="缓存故障时的调用方")
    client.rate_per_minute = 2
    client.save(update_fields=["rate_per_minute"])
    web = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [web.get("/api/v1/institutions/").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_publishing_a_new_law_index_version_does_not_fail_while_redis_is_down(redis_down: None) -> None:
    search.publish_version()  # logged, not raised: the import has already committed
