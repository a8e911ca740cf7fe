"""What a served process prepares before its first visitor: apps register the slow first steps of their pages
(the law search's dictionary and index, the PDF engine), and ``manage.py serve`` runs them on a background
thread as it starts, so the first citizen's search or the first report PDF does not pay for them.

A warmer that fails is logged and skipped: the page then pays on first use, as it would without warming.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger("lawdesk.warmup")

_WARMERS: list[tuple[str, Callable[[], object]]] = []


def register(name: str, warm: Callable[[], object]) -> None:
    """A slow first step to take at start (call from an ``AppConfig.ready``)."""
    _WARMERS.append((name, warm))


def warmers() -> list[str]:
    return [name for name, _ in _WARMERS]


def run_all() -> None:
    from django.db import close_old_connections

    for name, warm in list(_WARMERS):
        try:
            warm()
        except Exception:
            logger.exception("预热失败：%s", name)
        finally:
            close_old_connections()


def start() -> threading.Thread:
    """Run every registered warmer on a daemon thread; the server does not wait for it."""
    thread = threading.Thread(target=run_all, name="lawdesk-warmup", daemon=True)
    thread.start()
    return thread
