"""The real server (``manage.py serve``) in a subprocess, for the tests that must go through it (crash, proxy):
a free port, and the environment that points it at the suite's test database with the suite's secret key and
field keys, so that sessions made here are valid there and each side reads what the other encrypted."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from django.conf import settings
from django.db import connection


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
