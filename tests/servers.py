"""The real server (``manage.py serve``) in a subprocess, for the tests that must go through it (crash, proxy):
a free port, and the environment that points it at the suite's test database with the suite's secret key and
field keys, so that sessions made here are valid there and each side reads what the other encrypted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def server_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The server's environment: its own var dir (collected static files), the suite's database and keys, no
    in-process reminders; ``extra`` settings on top."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LAWDESK_VAR_DIR": str(var_dir),
        "LAWDESK_SECRET_KEY": settings.SECRET_KEY,
        "LAWDESK_FIELD_KEYS": ",".join(settings.LAWDESK_FIELD_KEYS),
        "LAWDESK_BLIND_INDEX_KEY": settings.LAWDESK_BLIND_INDEX_KEY,
        "LAWDESK_REMINDERS_IN_PROCESS": "0",
        **extra,
    }


def _answers_healthz(port: int) -> bool:
    return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200


def start_server(
    env: dict[str, str],
    *,
    threads: int,
    port: int | None = None,
    ready: Callable[[int], bool] = _answers_healthz,
    timeout: float = 120.0,
) -> tuple[subprocess.Popen[bytes], int]:
    """``manage.py serve`` on ``port`` (a free one if None), once ``ready(port)`` holds: the process and its port.
    Its output goes to a log in its var dir. A server that exits before it is ready is started again, on another
    free port when none was asked for: the suite's SQLite and PostgreSQL passes run at once, so another server can
    take a port between ``free_port()`` and the bind. One that neither exits nor gets ready within ``timeout``
    seconds fails the test, with the end of its log."""
    logs = Path(env["LAWDESK_VAR_DIR"])
    logs.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        chosen = port or free_port()
        log = logs / f"serve-{chosen}-{attempt}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--port", str(chosen), "--threads", str(threads)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if ready(chosen):
                    return process, chosen
            except OSError:  # not listening yet (requests' errors are OSErrors too)
                pass
            time.sleep(0.2)
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
            break
    output = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise AssertionError(f"the server on port {chosen} did not start:\n{output}")
