"""``manage.py serve``: run the site with waitress (a pure-Python production WSGI server).

Static files are served by whitenoise from STATIC_ROOT, so run ``collectstatic`` first (``make run`` does).
It refuses to start when the uploaded-files directory is not writable or not the one the other servers share, or
when ``LAWDESK_JOBS`` contradicts the Celery setting (``lawdesk.core.deployment``); with ``LAWDESK_JOBS=inprocess``
it runs the periodic jobs from its own threads (one server without Celery only).
Behind a reverse proxy (``LAWDESK_BEHIND_PROXY=1``) waitress trusts the forwarding headers of exactly
``LAWDESK_TRUSTED_PROXY`` (``proxy_options``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def proxy_options() -> dict[str, Any]:
    """waitress' reverse-proxy settings. Behind the proxy (``LAWDESK_BEHIND_PROXY``): trust X-Forwarded-For and
    X-Forwarded-Proto from exactly ``LAWDESK_TRUSTED_PROXY``, one hop (waitress then sets REMOTE_ADDR to the
    client and wsgi.url_scheme to the forwarded scheme). Always: forwarding headers from anyone not trusted are
    dropped before Django sees them."""
    from django.conf import settings

    options: dict[str, Any] = {"clear_untrusted_proxy_headers": True}
    if getattr(settings, "LAWDESK_BEHIND_PROXY", False):
        options.update(
            trusted_proxy=settings.LAWDESK_TRUSTED_PROXY,
            trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
            trusted_proxy_count=1,
        )
    return options


class Command(BaseCommand):
    help = "用 waitress 运行本站（先执行 collectstatic；静态文件由 whitenoise 提供）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from lawdesk.wsgi import application

        host: str = options["host"]
        port: int = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"端口无效：{port}")
        from django.conf import settings

        from lawdesk.core.deployment import jobs_problem, media_problem

        problem = jobs_problem() or media_problem()
        if problem:
            raise CommandError(problem)
        if settings.LAWDESK_JOBS == "inprocess":
            # Development and the demo: the reminders and counts (督办, appointment reminders, the leader-at-window
            # draw, poverty-area reminders, statistics, assessment escalations) run from threads of this process;
            # production uses Celery (LAWDESK_JOBS=celery: a worker and exactly one beat), never these threads.
            # Apps without an in-process runner (the retention purge, audit
            # shipping) are left to beat or cron.
            import importlib

            from django.apps import apps

            from lawdesk.celery import PERIODIC_APPS

            started = []
            for module in PERIODIC_APPS:
                runner = getattr(importlib.import_module(f"{module}.tasks"), "start_in_process", None)
                if runner is not None:
                    runner()
                    config = apps.get_containing_app_config(module)
                    started.append(str(config.verbose_name) if config else module)
            self.stdout.write(f"定时任务已在本进程内启动：{'、'.join(started)}。")
        from lawdesk.core import warmup

        warmup.start()  # the law search's index, the PDF engine: ready before the first visitor needs them
        shown_host = f"[{host}]" if ":" in host else host
        proxy = proxy_options()
        if proxy.get("trusted_proxy"):
            self.stdout.write(f"反向代理：只信任 {proxy['trusted_proxy']} 转发的客户端地址和协议。")
        self.stdout.write(
            self.style.SUCCESS(f"法律服务平台已启动：http://{shown_host}:{port}/ （按 Ctrl+C 停止）")
        )
        self.stdout.flush()
        serve(application, host=host, port=port, threads=options["threads"], ident="lawdesk", **proxy)
