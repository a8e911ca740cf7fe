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


# --- the suite's way of starting the real server (tests/servers.py) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_test_server_whose_port_was_taken_is_started_again_on_another(
    tmp_path: Any, monkeypatch: Any
) -> None:
    import socket

    from tests import servers

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = int(taken.getsockname()[1])
        offered = iter([busy])
        real_free_port = servers.free_port
        monkeypatch.setattr(servers, "free_port", lambda: next(offered, 0) or real_free_port())
        process, port = servers.start_server(servers.server_env(tmp_path, LAWDESK_JOBS="off"), threads=2)
        try:
            assert port != busy
            assert servers._answers_healthz(port)
        finally:
            process.terminate()
            process.wait(timeout=10)
        assert "Address already in use" in (tmp_path / f"serve-{busy}-0.log").read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_a_test_server_that_cannot_start_fails_with_the_end_of_its_output(tmp_path: Any) -> None:
    import socket

    from tests import servers

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = int(taken.getsockname()[1])
        with pytest.raises(AssertionError, match=f"port {busy} did not start(.|\\n)*Address already in use"):
            servers.start_server(servers.server_env(tmp_path, LAWDESK_JOBS="off"), threads=2, port=busy)
