"""Behind a TLS-terminating reverse proxy (issue 16, case 9), against the real server process: ``manage.py serve``
(waitress) with ``LAWDESK_BEHIND_PROXY=1`` and ``LAWDESK_PRODUCTION=1``, requests sent as the proxy sends them
(X-Forwarded-For, X-Forwarded-Proto) over plain HTTP from the proxy's address. Django's test client cannot show
this: waitress strips the forwarding headers of anyone it does not trust before Django sees the request.

- a request the proxy received over HTTPS is served, not redirected to HTTPS again (no endless loop), while one
  it received over HTTP is redirected;
- failed logins are recorded (audit log, django-axes) with the forwarded client's address, and five of them
  lock out that client only;
- a client that reaches the server directly, not through the trusted proxy, has its forwarding headers
  dropped."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt

from lawdesk.accounts.models import Role
from lawdesk.core.models import AuditLog
from tests.conftest import PASSWORD, Tree, make_user
from tests.servers import server_env, start_server

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
CLIENT_A, CLIENT_B = "203.0.113.10", "198.51.100.20"


class Proxied:
    """Talks to the server as the reverse proxy does: from 127.0.0.1, with the client's address and scheme in
    X-Forwarded-For and X-Forwarded-Proto; keeps each client's cookies."""

    def __init__(self, port: int, client: str, *, scheme: str = "https", source: str = "127.0.0.1") -> None:
        self.port, self.client, self.scheme, self.source = port, client, scheme, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> http.client.HTTPResponse:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-For": self.client,
            "X-Forwarded-Proto": self.scheme,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{self.scheme}://127.0.0.1:{self.port}{path}"
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def login(self, username: str, password: str) -> http.client.HTTPResponse:
        page = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-For": self.client,
            "X-Forwarded-Proto": self.scheme,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        page.request("GET", "/accounts/login/", headers=headers)
        response = page.getresponse()
        html = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        page.close()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, html[:500]
        return self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password},
        )


@pytest.fixture(scope="module")
def server(django_db_setup: Any, tmp_path_factory: Any) -> Any:
    """One server for the module, on the suite's test database (each test's rows are committed: transaction=True)."""
    tmp_path = tmp_path_factory.mktemp("proxy-var")
    env = server_env(
        tmp_path,
        LAWDESK_BEHIND_PROXY="1",
        LAWDESK_PRODUCTION="1",
        LAWDESK_TRUSTED_PROXY="127.0.0.1",
        LAWDESK_DEMO="0",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    process, port = start_server(
        env, threads=4, ready=lambda port: Proxied(port, CLIENT_A).request("GET", "/healthz").status == 200
    )
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_behind_the_proxy_https_is_not_redirected_again_and_logins_are_locked_per_client(
    server: int, tree: Tree, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # as the server hashes
    clerk = make_user("proxy_clerk", Role.WINDOW_CLERK, tree.station_a)

    # 1. HTTPS at the proxy: served, not redirected to HTTPS again. HTTP at the proxy: redirected once.
    secure = Proxied(server, CLIENT_A).request("GET", "/accounts/login/")
    assert secure.status == 200
    plain = Proxied(server, CLIENT_A, scheme="http").request("GET", "/accounts/login/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")

    # 2. Five failures from client A, each with another name: A is locked out, for every account…
    a = Proxied(server, CLIENT_A)
    for n in range(5):
        assert a.login(f"nobody{n}", "wrong-password").status == (429 if n == 4 else 200)
    failed = AuditLog.objects.filter(action="auth.login_failed")
    assert failed.count() == 5
    assert set(failed.values_list("ip_address", flat=True)) == {CLIENT_A}
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    assert a.login("proxy_clerk", PASSWORD).status == 429
    # …and client B, behind the same proxy, logs in.
    b = Proxied(server, CLIENT_B)
    logged_in = b.login("proxy_clerk", PASSWORD)
    assert logged_in.status == 302, logged_in.status
    assert "sessionid" in b.cookies
    assert AuditLog.objects.filter(action="auth.login", actor=clerk, ip_address=CLIENT_B).exists()


def test_only_the_configured_proxy_is_trusted(server: int, tree: Tree) -> None:
    """A client reaching the server directly (from 127.0.0.2, not LAWDESK_TRUSTED_PROXY) with forged forwarding
    headers: waitress drops them, so its "https" is plain HTTP to Django and is redirected."""
    try:
        direct = Proxied(server, "192.0.2.99", source="127.0.0.2").request("GET", "/accounts/login/")
    except OSError as exc:  # pragma: no cover - a machine without the whole 127/8 on loopback
        pytest.skip(f"cannot connect from 127.0.0.2: {exc}")
    assert direct.status == 301
    assert Proxied(server, "192.0.2.99").request("GET", "/accounts/login/").status == 200


def test_serve_hands_waitress_exactly_the_configured_proxy(settings: Any) -> None:
    from lawdesk.core.management.commands.serve import proxy_options

    settings.LAWDESK_BEHIND_PROXY = True
    settings.LAWDESK_TRUSTED_PROXY = "10.0.0.5"
    assert proxy_options() == {
        "trusted_proxy": "10.0.0.5",
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "trusted_proxy_count": 1,
        "clear_untrusted_proxy_headers": True,
    }
    settings.LAWDESK_BEHIND_PROXY = False
    assert proxy_options() == {
        "clear_untrusted_proxy_headers": True
    }  # nobody's forwarding headers reach Django
