"""The reverse proxy's forwarding headers for WSGI servers that do not read them (gunicorn behind nginx).

waitress (``manage.py serve``) rewrites REMOTE_ADDR itself (``serve.proxy_options``); gunicorn only sets the
scheme, so production's gunicorn serves ``lawdesk.wsgi:proxied_application``, which does what waitress does:
behind the proxy (``LAWDESK_BEHIND_PROXY``), a request from exactly ``LAWDESK_TRUSTED_PROXY`` gets the client's
address from the last X-Forwarded-For entry (the one nginx appended, ``$proxy_add_x_forwarded_for``), so the
login lockout (django-axes) and the audit log see the client, not the proxy. Anyone else's forwarding headers
are dropped before Django sees them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_FORWARDED",
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def behind_proxy(app: WSGIApp, *, enabled: bool, trusted: str) -> WSGIApp:
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if enabled and environ.get("REMOTE_ADDR") == trusted:
            forwarded = (environ.get("HTTP_X_FORWARDED_FOR") or "").split(",")[-1].strip()
            if forwarded:
                environ["REMOTE_ADDR"] = forwarded
        else:
            for header in FORWARDING_HEADERS:
                environ.pop(header, None)
        return app(environ, start_response)

    return wrapped
