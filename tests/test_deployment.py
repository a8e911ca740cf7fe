"""Production settings for several app servers: the shared cache, who runs the periodic jobs (LAWDESK_JOBS),
kept database connections checked before reuse, and the uploaded-files directory every server must share —
``manage.py serve`` refuses to start on a directory it cannot write or that is not the other servers' one."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import waitress
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from lawdesk.celery import PERIODIC_APPS
from lawdesk.core import deployment, warmup

ROOT = Path(__file__).resolve().parent.parent


def _settings_in_a_new_process(tmp_path: Path, **env: str) -> dict[str, Any]:
    """Read the settings as a fresh process with this environment computes them."""
    code = (
        "import json,os,django;os.environ.setdefault('DJANGO_SETTINGS_MODULE','lawdesk.settings');django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps({'jobs':s.LAWDESK_JOBS,'eager':s.CELERY_TASK_ALWAYS_EAGER,"
        "'cache':s.CACHES['default']['BACKEND'],'prefix':s.CACHES['default'].get('KEY_PREFIX'),"
        "'reports':s.CACHES['reports']['BACKEND'],'health':s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        "'max_age':s.DATABASES['default']['CONN_MAX_AGE'],'media':str(s.MEDIA_ROOT)}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAWDESK_") and k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "LAWDESK_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_development_defaults_keep_memory_cache_file_reports_and_no_jobs(tmp_path: Path) -> None:
    got = _settings_in_a_new_process(tmp_path)
    assert got["cache"].endswith("LocMemCache") and got["reports"].endswith("FileBasedCache")
    assert got["jobs"] == "off" and got["eager"] is True
    assert got["health"] is True and got["max_age"] == 0
    assert got["media"] == str(tmp_path / "media")
    assert _settings_in_a_new_process(tmp_path, LAWDESK_REMINDERS_IN_PROCESS="1")["jobs"] == "inprocess"


def test_production_uses_redis_celery_kept_connections_and_the_shared_media(tmp_path: Path) -> None:
    got = _settings_in_a_new_process(
        tmp_path,
        LAWDESK_PRODUCTION="1",
        LAWDESK_REDIS_URL="redis://127.0.0.1:6379/1",
        LAWDESK_CONN_MAX_AGE="60",
        LAWDESK_MEDIA_ROOT=str(tmp_path / "shared"),
    )
    assert got["cache"] == "django.core.cache.backends.redis.RedisCache" and got["prefix"] == "lawdesk"
    assert got["reports"] == "django.core.cache.backends.redis.RedisCache"
    assert got["jobs"] == "celery" and got["eager"] is False  # tasks go to the broker: a worker runs them
    assert got["max_age"] == 60 and got["health"] is True
    assert got["media"] == str(tmp_path / "shared")


def test_jobs_in_process_with_a_broker_or_an_unknown_value_fail_the_system_check(settings: Any) -> None:
    settings.LAWDESK_JOBS = "inprocess"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert [m.id for m in deployment.check_jobs()] == ["lawdesk.E001"]
    settings.LAWDESK_JOBS = "threads"
    assert "无效" in deployment.check_jobs()[0].msg
    settings.LAWDESK_JOBS = "celery"
    assert deployment.check_jobs() == []


def _serve(monkeypatch: Any) -> tuple[list[str], list[dict[str, Any]], io.StringIO]:
    started: list[str] = []
    for module in PERIODIC_APPS:
        tasks = __import__(f"{module}.tasks", fromlist=["x"])
        if hasattr(tasks, "start_in_process"):
            monkeypatch.setattr(tasks, "start_in_process", lambda module=module: started.append(module))
    served: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.append(kwargs))
    monkeypatch.setattr(warmup, "start", lambda: None)
    return started, served, io.StringIO()


def test_serve_under_celery_starts_no_threads(monkeypatch: Any, settings: Any, tmp_path: Path) -> None:
    settings.LAWDESK_JOBS = "celery"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    started, served, out = _serve(monkeypatch)
    call_command("serve", "--port", "8124", stdout=out)
    assert served and started == [] and "定时任务" not in out.getvalue()


def test_serve_refuses_a_media_directory_it_cannot_write(
    monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker / "media"  # cannot be made, even by root
    _started, served, out = _serve(monkeypatch)
    with pytest.raises(CommandError, match="不可写"):
        call_command("serve", "--port", "8125", stdout=out)
    assert served == []


def test_serve_refuses_a_media_directory_other_than_the_other_servers_one(
    monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "shared"
    assert deployment.media_problem() == ""  # the first server: its directory becomes the shared one
    assert deployment.media_problem() == ""  # a second server on the same directory
    settings.MEDIA_ROOT = tmp_path / "local-disk"
    _started, served, out = _serve(monkeypatch)
    with pytest.raises(CommandError, match="不是同一目录"):
        call_command("serve", "--port", "8126", stdout=out)
    assert served == []


def test_gunicorn_refuses_to_start_on_a_media_directory_it_cannot_write(
    settings: Any, tmp_path: Path
) -> None:
    """The production app server (deploy/gunicorn.conf.py) checks what ``serve`` checks before any worker starts."""
    import runpy

    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"))
    settings.MEDIA_ROOT = tmp_path / "shared"
    config["on_starting"](object())  # writable: starts
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker / "media"
    with pytest.raises(SystemExit):
        config["on_starting"](object())
