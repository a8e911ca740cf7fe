"""Two app servers behind nginx, one killed mid-stream (issue 21): the production layout (bench/load/layout.py:
nginx with deploy/nginx/lawdesk.conf, two gunicorn servers with deploy/gunicorn.conf.py) on the suite's
PostgreSQL test database. A clerk sends a stream of intakes through nginx; one app server is killed with SIGKILL
(master and workers) in the middle. Every intake nginx acknowledged (a redirect to the visit's page) is in the
database exactly once with its number, the requests after the kill are served by the survivor, and one sent
again with the same form token after a failure is not registered twice.

Skipped without nginx, gunicorn or PostgreSQL (the SQLite pass of the suite); ``LAWDESK_REQUIRE_SCALEOUT=1``
(set by .ci/run) turns a missing nginx or gunicorn into a failure."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import Client

from bench.load.layout import Layout, gunicorn_available, nginx_binary
from lawdesk.core.proxy import behind_proxy
from lawdesk.matters.models import Visit
from tests.conftest import Personas, Tree
from tests.servers import server_env

BEFORE_KILL = 12  # acknowledged intakes before one server is killed
AFTER_KILL = 24  # intakes sent after the kill


def _require_layout() -> None:
    missing = [name for name, ok in (("nginx", nginx_binary()), ("gunicorn", gunicorn_available())) if not ok]
    if missing:
        message = f"the production layout needs {' and '.join(missing)}"
        if os.environ.get("LAWDESK_REQUIRE_SCALEOUT") == "1":
            pytest.fail(message + " (LAWDESK_REQUIRE_SCALEOUT=1)")
        pytest.skip(message)


def _form(token: str, index: int) -> dict[str, str]:
    return {
        "client_token": token,
        "name": f"扩容测试{index:03d}",
        "phone": f"137{index:08d}",
        "id_number": "",
        "address": "",
        "channel": "on_site",
        "m0-kind": "consultation",
        "m0-legal_field": "labour",
        "m0-service_type": "",
        "m0-summary": "公司拖欠工资如何维权",
        "m0-answer": "",
        "m0-one_trip_mode": "",
    }


@pytest.mark.django_db(transaction=True)
def test_killing_one_app_server_loses_no_acknowledged_intake_and_the_proxy_keeps_serving(
    tree: Tree, personas: Personas, tmp_path: Path
) -> None:
    _require_layout()
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share a PostgreSQL database (this runs in the suite's PostgreSQL pass)")
    import subprocess
    import sys

    env = server_env(tmp_path / "var", LAWDESK_DEMO="0", LAWDESK_WARMUP="0")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        check=True,
    )
    layout = Layout(tmp_path, env, workers=1, threads=2)
    try:
        doomed, survivor = layout.start_apps(2)
        url = layout.start_nginx([doomed, survivor])
        client = Client()
        client.force_login(personas.clerk_a)
        session = requests.Session()
        session.cookies.set("sessionid", client.cookies["sessionid"].value)
        page = session.get(f"{url}/desk/intake/", timeout=30)
        assert page.status_code == 200, page.status_code
        csrf = session.cookies.get("csrftoken")
        assert csrf
        # Static files come from nginx, not the app servers.
        css = re.search(r'href="(/static/[^"]+\.css)"', page.text)
        assert css and session.get(f"{url}{css.group(1)}", timeout=10).status_code == 200

        acknowledged: dict[str, int] = {}  # form token -> visit id
        failed: list[tuple[int, str]] = []  # index and form token of the intakes not acknowledged

        def send(index: int, token: str) -> int | None:
            try:
                response = session.post(
                    f"{url}/desk/intake/",
                    data={**_form(token, index), "csrfmiddlewaretoken": csrf},
                    headers={"Referer": f"{url}/desk/intake/"},
                    allow_redirects=False,
                    timeout=30,
                )
            except requests.RequestException:
                return None
            match = re.search(r"/desk/visits/(\d+)/", response.headers.get("Location", ""))
            return int(match.group(1)) if response.status_code == 302 and match else None

        for index in range(BEFORE_KILL + AFTER_KILL):
            if index == BEFORE_KILL:
                layout.kill_app(doomed)
            token = str(uuid.uuid4())
            visit_id = send(index, token)
            if visit_id is None:
                failed.append((index, token))
            else:
                acknowledged[token] = visit_id

        # Before the kill everything went through; after it the survivor took every request (nginx retries a
        # request that could not reach the dead server on the other one).
        assert len(failed) <= 1, failed
        assert all(index >= BEFORE_KILL for index, _ in failed)
        assert session.get(f"{url}/desk/matters/", timeout=30).status_code == 200
        # An intake that failed is sent again with the same form token: registered once.
        for index, token in failed:
            visit_id = send(index, token)
            assert visit_id is not None
            acknowledged[token] = visit_id
        assert send(0, next(iter(acknowledged))) == next(iter(acknowledged.values()))  # a resend: same visit
    finally:
        layout.stop()

    visits = Visit.objects.filter(node=tree.station_a)
    assert visits.count() == BEFORE_KILL + AFTER_KILL == len(acknowledged)
    for token, visit_id in acknowledged.items():
        visit = Visit.objects.get(client_token=uuid.UUID(token))
        assert visit.pk == visit_id and visit.number
    assert sorted(visits.values_list("seq", flat=True)) == list(range(1, BEFORE_KILL + AFTER_KILL + 1))


# --- the forwarding headers (lawdesk/core/proxy.py), without servers --------------------------------------


def _seen(environ: dict[str, Any], *, enabled: bool = True) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(env)
        return []

    behind_proxy(app, enabled=enabled, trusted="127.0.0.1")(environ, lambda *a: None)
    return seen


def test_behind_the_proxy_the_client_address_is_the_one_nginx_appended() -> None:
    seen = _seen(
        {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.10",
            "HTTP_X_FORWARDED_PROTO": "https",
        }
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.10"  # not the forged first entry
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


def test_forwarding_headers_from_anyone_but_the_proxy_are_dropped() -> None:
    forged = {
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_X_FORWARDED_FOR": "203.0.113.10",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    seen = _seen(dict(forged))
    assert seen["REMOTE_ADDR"] == "192.0.2.7"
    assert "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_X_FORWARDED_PROTO" not in seen
    # Not behind a proxy at all: nobody's forwarding headers count.
    seen = _seen({**forged, "REMOTE_ADDR": "127.0.0.1"}, enabled=False)
    assert seen["REMOTE_ADDR"] == "127.0.0.1" and "HTTP_X_FORWARDED_FOR" not in seen


def test_the_nginx_site_config_is_valid() -> None:
    binary = nginx_binary()
    if binary is None:
        _require_layout()
    import subprocess
    import tempfile

    from bench.load.layout import nginx_config

    with tempfile.TemporaryDirectory() as work:
        conf = Path(work) / "nginx.conf"
        conf.write_text(nginx_config(Path(work), [8001, 8002], 18080, Path(work)))
        result = subprocess.run(
            [str(binary), "-t", "-p", work, "-c", str(conf), "-e", str(Path(work) / "error.log")],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
