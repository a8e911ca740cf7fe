from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    from lawdesk.accounts import scoping

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scoping.scope_for(user)
    return {"actor_scope": scope}
