"""Crash test: the real server (``manage.py serve``, waitress) is killed with SIGKILL while 100 clerks' intakes
are in flight; after a restart every visit the server acknowledged is there, the unacknowledged ones can be
sent again with the same form token without doubling, and the platform's visit numbers run 1..100 without a
gap. Runs on whichever database the suite uses (SQLite file or PostgreSQL)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from django.test import Client

from lawdesk.matters.models import LedgerCounter, Visit
from tests.conftest import Personas, Tree
from tests.servers import free_port, server_env, start_server

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
INTAKES = 100
KILL_AFTER = 25  # acknowledged intakes before the kill


class Server:
    """The production server in a subprocess: its own var dir (collected static files), the suite's database,
    secret key (so the clerk's session is valid there) and field keys (so each reads what the other wrote)."""

    def __init__(self, port: int, var_dir: Path) -> None:
        self.port = port
        self.env = server_env(var_dir)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process, _ = start_server(self.env, threads=8, port=self.port)

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _form(token: str, index: int) -> dict[str, str]:
    return {
        "client_token": token,
        "name": f"崩溃测试{index:03d}",
        "phone": f"139{index:08d}",
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


def _post_intake(server: Server, cookies: dict[str, str], token: str, index: int) -> int | None:
    """The visit's id when the server acknowledged the intake (a redirect to the visit's page), else None."""
    try:
        response = requests.post(
            f"{server.url}/desk/intake/",
            data={**_form(token, index), "csrfmiddlewaretoken": cookies["csrftoken"]},
            cookies=cookies,
            headers={"Referer": f"{server.url}/desk/intake/"},
            allow_redirects=False,
            timeout=30,
        )
    except requests.RequestException:
        return None
    match = re.search(r"/desk/visits/(\d+)/", response.headers.get("Location", ""))
    return int(match.group(1)) if response.status_code == 302 and match else None


def test_killed_server_loses_no_acknowledged_visit_and_leaves_no_gap(
    tree: Tree, personas: Personas, tmp_path: Path
) -> None:
    client = Client()
    client.force_login(personas.clerk_a)
    server = Server(free_port(), tmp_path)
    server.start()
    try:
        cookies = {"sessionid": client.cookies["sessionid"].value}
        page = requests.get(f"{server.url}/desk/intake/", cookies=cookies, timeout=30)
        assert page.status_code == 200, page.status_code
        cookies["csrftoken"] = page.cookies.get("csrftoken") or ""
        assert cookies["csrftoken"]

        tokens = [str(uuid.uuid4()) for _ in range(INTAKES)]
        acknowledged: dict[int, int] = {}  # index -> visit id
        lock = threading.Lock()

        def run(index: int) -> None:
            visit_id = _post_intake(server, cookies, tokens[index], index)
            if visit_id is not None:
                with lock:
                    acknowledged[index] = visit_id

        threads = [threading.Thread(target=run, args=(i,)) for i in range(INTAKES)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()
        for thread in threads:
            thread.join(timeout=60)
        before_restart = dict(acknowledged)
        assert KILL_AFTER <= len(before_restart) < INTAKES, len(before_restart)

        # Every acknowledged visit survived the kill.
        for index, visit_id in before_restart.items():
            visit = Visit.objects.get(pk=visit_id)
            assert visit.client_token == uuid.UUID(tokens[index])

        # After a restart, the clerks send what was not acknowledged again, with the same form tokens; a few
        # acknowledged ones are sent again too, and must not register twice.
        server.start()
        resend = [i for i in range(INTAKES) if i not in before_restart] + sorted(before_restart)[:5]
        threads = [threading.Thread(target=run, args=(i,)) for i in resend]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert sorted(acknowledged) == list(range(INTAKES)), "an intake was refused after the restart"
        for index, visit_id in before_restart.items():
            assert acknowledged[index] == visit_id
    finally:
        server.stop()

    visits = Visit.objects.filter(node=tree.station_a)
    assert visits.count() == INTAKES
    numbers = sorted(visits.values_list("seq", flat=True))
    assert numbers == list(range(1, INTAKES + 1))
    counter: Any = LedgerCounter.objects.get(node=tree.station_a, ledger="visit")
    assert counter.last == INTAKES
