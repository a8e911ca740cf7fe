"""Limits shared by every app server: two real servers (``manage.py serve``) on one database and one Redis; a
client driven past its API rate, alternating between them, gets exactly its limit in total, and a tracking code
looked up with a wrong phone is locked after exactly the allowed tries, whichever server answers.

Also: the counters themselves (``lawdesk.core.limits``) are atomic in Redis under concurrent hits, and a client's
own rate (set in the admin) replaces the default.

Redis: 127.0.0.1:6379 (``LAWDESK_TEST_REDIS_URL`` to change it), one free database number claimed per run and
flushed afterwards. Without Redis these tests skip, unless ``LAWDESK_REQUIRE_REDIS=1`` (CI) makes them fail.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from lawdesk.accounts.models import Role
from lawdesk.api.services import api_client_create
from lawdesk.core import limits
from lawdesk.core.models import AuditLog
from tests.conftest import Personas, Tree, client_for, make_user
from tests.servers import server_env, start_server

ROOT = Path(__file__).resolve().parent.parent
REDIS_BASE = os.environ.get("LAWDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
CLAIM_KEY = "lawdesk-test-claim"


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A Redis database of its own for this run (claimed when empty), flushed afterwards."""
    import redis

    try:
        redis.Redis.from_url(f"{REDIS_BASE}/0", socket_connect_timeout=2).ping()
    except Exception as exc:
        if os.environ.get("LAWDESK_REQUIRE_REDIS") or os.environ.get("CI"):
            pytest.fail(f"Redis is required here (LAWDESK_REQUIRE_REDIS) but not reachable: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_BASE}: {exc}")
    numbers = list(range(2, 16))
    random.shuffle(numbers)
    for number in numbers:
        client = redis.Redis.from_url(f"{REDIS_BASE}/{number}")
        if client.set(CLAIM_KEY, str(os.getpid()), nx=True, ex=3600) and client.dbsize() == 1:
            try:
                yield f"{REDIS_BASE}/{number}"
            finally:
                client.flushdb()
            return
        if client.get(CLAIM_KEY) == str(os.getpid()).encode():
            client.delete(CLAIM_KEY)
    pytest.fail("no free Redis database (2..15) for this test run")


def _redis_caches(url: str) -> dict[str, Any]:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
        "reports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


# --- the counters ------------------------------------------------------------------------------------------------


def test_redis_counters_lose_no_hit_under_concurrent_threads_and_expire(redis_url: str) -> None:
    with override_settings(CACHES=_redis_caches(redis_url)):
        results: list[int] = []
        lock = threading.Lock()

        def worker() -> None:
            for _ in range(25):
                n = limits.hit("concurrent", 60)
                with lock:
                    results.append(n)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == list(range(1, 201))  # every hit got its own number: none lost, none doubled
        assert limits.count("concurrent") == 200
        count, ttl = limits.hit_with_ttl("concurrent", 60)
        assert (
            count == 201 and 0 < ttl <= 60
        )  # the window started at the first hit; later hits do not extend it
        limits.hit("short", 1)
        deadline = time.monotonic() + 5
        while limits.count("short") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert limits.count("short") == 0  # the counter expired with its window


def test_the_memory_counters_count_and_report_the_window() -> None:
    cache.clear()
    assert [limits.hit("local", 60) for _ in range(3)] == [1, 2, 3]
    assert limits.count("local") == 3 and limits.count("never") == 0


@pytest.mark.django_db
def test_a_client_with_its_own_rate_is_limited_at_that_rate_not_the_default(
    tree: Tree, settings: Any
) -> None:
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "100/min", "api_user": "100/min", "api_anon": "100/min"},
    }
    user = make_user("svc_rate", Role.WINDOW_CLERK, tree.station_a)
    client, token = api_client_create(actor=None, user=user, name="限速调用方")
    client.rate_per_minute = 2
    client.save(update_fields=["rate_per_minute"])
    web = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    statuses = [web.get("/api/v1/institutions/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    default_user = make_user("svc_default", Role.WINDOW_CLERK, tree.station_a)
    _, other = api_client_create(actor=None, user=default_user, name="默认调用方")
    other_web = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert [other_web.get("/api/v1/institutions/").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.django_db
def test_the_system_admin_sets_a_clients_rate_in_the_admin_and_it_is_audited(
    tree: Tree, personas: Personas
) -> None:
    user = make_user("svc_admin_rate", Role.WINDOW_CLERK, tree.station_a)
    client, _ = api_client_create(actor=None, user=user, name="微信公众号")
    admin = client_for(personas.system_admin)
    url = reverse("admin:api_apiclient_change", args=[client.pk])
    page = admin.get(url).content.decode()
    assert "每分钟调用上限" in page and "LAWDESK_API_RATE_CLIENT" in page
    assert admin.post(url, {"rate_per_minute": "0"}).status_code == 200  # refused: at least 1
    assert admin.post(url, {"rate_per_minute": "300"}).status_code == 302
    client.refresh_from_db()
    assert client.rate_per_minute == 300 and client.name == "微信公众号"  # only the rate is editable
    assert AuditLog.objects.filter(action="admin.change", object_id=str(client.pk)).exists()
    assert admin.post(url, {"rate_per_minute": ""}).status_code == 302  # empty: the default again
    client.refresh_from_db()
    assert client.rate_per_minute is None


# --- two real servers --------------------------------------------------------------------------------------------


class Servers:
    """Two ``manage.py serve`` processes on the suite's database and one Redis database."""

    def __init__(self, var_dir: Path, redis_url: str, **extra: str) -> None:
        self.env = server_env(
            var_dir,
            LAWDESK_REDIS_URL=redis_url,
            LAWDESK_CACHE_PREFIX=f"test-{uuid.uuid4().hex[:8]}",
            LAWDESK_JOBS="off",
            **extra,
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        for _ in range(2):
            process, port = start_server(self.env, threads=4)
            self.processes.append(process)
            self.ports.append(port)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]


@pytest.fixture
def servers(redis_url: str, tmp_path: Path) -> Iterator[Servers]:
    both = Servers(
        tmp_path / "var",
        redis_url,
        LAWDESK_API_RATE_CLIENT="12/min",
        LAWDESK_ONLINE_TRACK_PER_CODE="5",
        LAWDESK_ONLINE_TRACK_PER_ADDRESS="100",
    )
    both.start()
    try:
        yield both
    finally:
        both.stop()


@pytest.mark.django_db(transaction=True)
def test_an_api_rate_and_a_tracking_code_lockout_hold_across_two_servers(
    servers: Servers, tree: Tree
) -> None:
    user = make_user("svc_shared", Role.WINDOW_CLERK, tree.station_a)
    _, token = api_client_create(actor=None, user=user, name="两台服务器")
    headers = {"Authorization": f"Bearer {token}"}
    answers = [
        requests.get(f"{servers.urls[i % 2]}/api/v1/institutions/", headers=headers, timeout=30).status_code
        for i in range(30)
    ]
    assert answers.count(200) == 12, answers  # the limit (12/min), not 12 per server
    assert set(answers[12:]) == {429}
    # Each server alone would have accepted 12: both answered some of the accepted calls.
    assert 200 in answers[0::2] and 200 in answers[1::2]

    # Wrong-phone lookups of one tracking code, alternating: locked after exactly 5 in total.
    statuses = []
    for i in range(12):
        session = requests.Session()
        base = servers.urls[i % 2]
        session.get(f"{base}/online/track/", timeout=30)
        token_value = session.cookies.get("csrftoken")
        assert token_value
        answer = session.post(
            f"{base}/online/track/",
            data={"code": "ABCD2345", "phone": "13900000000", "csrfmiddlewaretoken": token_value},
            headers={"Referer": f"{base}/online/track/"},
            timeout=30,
        )
        statuses.append(answer.status_code)
    assert statuses.count(404) == 5, (
        statuses
    )  # not found (the same answer as a wrong phone), 5 times in total
    assert set(statuses[5:]) == {429}
