from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    from lawdesk.accounts import scoping

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scoping.scope_for(user)
    return {"actor_scope": scope}


def site_clock(request: HttpRequest) -> dict[str, Any]:
    """Today's date for every page: ``<html data-today>`` is what the pages' scripts take "today" from."""
    from lawdesk.core import clock

    return {"site_today": clock.today()}
