"""``manage.py serve`` (what ``make run`` ends with): with LAWDESK_JOBS=inprocess it starts every in-process
runner the periodic apps offer, then hands the site to waitress; with LAWDESK_JOBS=celery it starts none."""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest
import waitress
from django.core.management import call_command
from django.core.management.base import CommandError

from lawdesk.celery import PERIODIC_APPS
from lawdesk.core import warmup


def test_serve_starts_the_in_process_runners_and_skips_apps_without_one(
    monkeypatch: Any, settings: Any
) -> None:
    started: list[str] = []
    offered: list[str] = []
    for module in PERIODIC_APPS:
        tasks = importlib.import_module(f"{module}.tasks")
        if hasattr(tasks, "start_in_process"):
            offered.append(module)
            monkeypatch.setattr(tasks, "start_in_process", lambda module=module: started.append(module))
    served: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.append(kwargs))
    warmed: list[bool] = []
    monkeypatch.setattr(warmup, "start", lambda: warmed.append(True))
    settings.LAWDESK_JOBS = "inprocess"
    out = io.StringIO()
    call_command("serve", "--port", "8123", stdout=out)
    assert started == offered and "lawdesk.stats" in started
    assert set(PERIODIC_APPS) - set(offered)  # the retention purge and audit shipping have none
    assert served and served[0]["port"] == 8123
    assert "定时任务已在本进程内启动" in out.getvalue()
    # the message names what was started, so a new app's jobs are never left out of it
    assert "社区矫正与安置帮教" in out.getvalue() and "矛盾纠纷排查与预警" in out.getvalue()
    assert warmed == [True]  # the slow first steps start warming as the server starts


def test_the_warmers_run_on_a_thread_and_one_that_fails_does_not_stop_the_rest(monkeypatch: Any) -> None:
    assert {"法条检索", "PDF"} <= set(warmup.warmers())
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(warmup, "_WARMERS", [("坏的", broken), ("好的", lambda: ran.append("好的"))])
    thread = warmup.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and ran == ["好的"]


def test_serve_refuses_a_bad_port(monkeypatch: Any) -> None:
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: pytest.fail("served"))
    with pytest.raises(CommandError, match="端口无效"):
        call_command("serve", "--port", "70000", stdout=io.StringIO())
