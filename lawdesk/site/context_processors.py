from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    from lawdesk.accounts import scoping

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scoping.scope_for(user)
    return {"actor_scope": scope, "online_unclaimed": _online_unclaimed(user)}


def _online_unclaimed(user: Any) -> int:
    """How many online requests wait for the clerk or judicial office staff to claim them (the menu's badge)."""
    from lawdesk.accounts import scoping
    from lawdesk.accounts.models import Role
    from lawdesk.online.services import unclaimed_count_for

    if not scoping.has_role(user, Role.WINDOW_CLERK, Role.OFFICE_STAFF):
        return 0
    return unclaimed_count_for(user)
