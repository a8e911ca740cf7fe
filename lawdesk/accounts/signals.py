"""Keep the per-user session list in step with logins, logouts and disabled accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from lawdesk.accounts import security
from lawdesk.accounts.models import User
from lawdesk.core import clock


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = clock.timestamp()
    request.session[security.LOGIN_AT] = now
    request.session[security.SEEN_AT] = now
    security.record_session(request, user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        security.forget_session(request.session.session_key)


@receiver(post_save, sender=User)
def _on_user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    # A disabled account's sessions end at once, whichever way it was disabled (service, admin, shell).
    if not instance.is_active:
        security.end_user_sessions(instance)
