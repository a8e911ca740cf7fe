"""What several app servers must share, checked as a server starts (``manage.py serve`` refuses to start
otherwise) and, for the jobs setting, by Django's system checks.

* The uploaded files (``MEDIA_ROOT``, from ``LAWDESK_MEDIA_ROOT``): writable, and the same directory on every
  server. The first server to start writes a random id into ``.lawdesk-media-id`` there and publishes it in the
  shared cache; a server whose directory holds another id (or none it can write) is looking at a different
  directory and refuses to start.
* Who runs the periodic jobs (``LAWDESK_JOBS``): ``celery`` (worker + one beat), ``inprocess`` (threads of
  ``manage.py serve``; one server only) or ``off``. ``inprocess`` with a broker configured
  (``LAWDESK_CELERY_EAGER=0``) is refused: the jobs would run twice.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

JOBS_CHOICES = ("inprocess", "celery", "off")
MEDIA_ID_FILE = ".lawdesk-media-id"
MEDIA_ID_KEY = "deploy:media-root-id"


def jobs_problem() -> str:
    jobs = getattr(settings, "LAWDESK_JOBS", "off")
    if jobs not in JOBS_CHOICES:
        return f"LAWDESK_JOBS 的值“{jobs}”无效，应为 inprocess、celery 或 off。"
    if jobs == "inprocess" and not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        return (
            "LAWDESK_JOBS=inprocess 与已配置的 Celery 消息队列（LAWDESK_CELERY_EAGER=0）冲突："
            "定时任务会被执行两次。生产环境请设 LAWDESK_JOBS=celery，并运行一个 Celery worker 和一个 beat。"
        )
    return ""


def media_problem() -> str:
    """'' when MEDIA_ROOT is writable and the directory every other server uses; else a Chinese reason."""
    from django.core.cache import cache

    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return f"上传文件目录 {root} 不可写（{exc.strerror or exc}）：请检查 LAWDESK_MEDIA_ROOT 及其权限。"
    marker = root / MEDIA_ID_FILE
    try:
        with open(marker, "x", encoding="ascii") as handle:
            handle.write(uuid.uuid4().hex)
    except FileExistsError:
        pass
    except OSError as exc:
        return f"无法在上传文件目录 {root} 写入标记文件（{exc.strerror or exc}）。"
    mine = marker.read_text(encoding="ascii").strip()
    try:
        cache.add(MEDIA_ID_KEY, mine, timeout=None)
        shared = cache.get(MEDIA_ID_KEY)
    except Exception as exc:  # the shared cache is down: that is its own problem, reported here
        return f"无法连接共享缓存（LAWDESK_REDIS_URL）以核对上传文件目录：{exc}"
    if shared is not None and shared != mine:
        return (
            f"上传文件目录 {root} 与其他服务器使用的不是同一目录（标记不一致）："
            "各台应用服务器的 LAWDESK_MEDIA_ROOT 必须指向同一共享存储。"
        )
    return ""


@checks.register(checks.Tags.compatibility)
def check_jobs(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = jobs_problem()
    return [checks.Error(problem, id="lawdesk.E001")] if problem else []
