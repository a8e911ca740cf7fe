"""Account security rules read at request time: who needs a second factor, whose password has expired, and
the sessions a user is logged in with (so that disabling an account ends them at once)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from lawdesk.accounts.models import Role, User, UserSession
from lawdesk.core import clock
from lawdesk.core.tree import NodeKind

# Roles that need a second factor wherever they are held; any role held at a district or city bureau too.
OTP_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN, Role.CITY_ADMIN, Role.DISTRICT_ADMIN}
)
OTP_NODE_KINDS = frozenset({NodeKind.CITY_BUREAU, NodeKind.DISTRICT_BUREAU})

# Session keys kept by the middleware.
LOGIN_AT = "_lawdesk_login_at"
SEEN_AT = "_lawdesk_seen_at"
RECORDED_KEY = "_lawdesk_session_key"


# Separation of duties (三员分立) at the admin's door. The security admin acts on accounts' security (passwords,
# second factors, lockouts) and is the one who grants or withdraws the auditor's and the security admin's roles;
# the system admin administers every other account and the configuration, never an auditor's or a security
# admin's account (an account holding either role is "protected"); auditors never enter the admin.
PROTECTED_ROLES = frozenset({Role.AUDITOR, Role.SECURITY_ADMIN})
SYSTEM = "system"
SECURITY = "security"


def held_roles(user: Any) -> set[str]:
    if getattr(user, "pk", None) is None:
        return set()
    return set(user.roles.values_list("role", flat=True))


def is_protected_account(user: Any) -> bool:
    """An auditor's or a security admin's account: only a security admin changes it."""
    return bool(held_roles(user) & PROTECTED_ROLES)


def admin_role(user: Any) -> str | None:
    """Which administrator ``user`` is in the Django admin: ``"security"`` (holds the security admin role),
    ``"system"`` (staff holding the system admin role, or a staff superuser holding no separated role, as
    ``createsuperuser`` makes one), or None (may not enter; auditors never do)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    roles = held_roles(user)
    if Role.AUDITOR in roles:
        return None
    if Role.SECURITY_ADMIN in roles:
        return SECURITY
    if user.is_staff and (Role.SYSTEM_ADMIN in roles or user.is_superuser):
        return SYSTEM
    return None


def needs_otp(user: Any, *, held: Iterable[tuple[str, str]] | None = None) -> bool:
    """Admins, auditors, security admins and every role held at a district or city bureau log in with a
    TOTP code as well as the password; so does anyone who may open the Django admin. ``held``: the user's
    (role, node kind) pairs when the caller has them already (the request's ``Scope.held``), saving a query."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    pairs = held if held is not None else user.roles.values_list("role", "node__kind")
    return any(role in OTP_ROLES or kind in OTP_NODE_KINDS for role, kind in pairs)


def password_max_age() -> timedelta | None:
    days = int(getattr(settings, "LAWDESK_PASSWORD_MAX_AGE_DAYS", 90))
    return timedelta(days=days) if days > 0 else None


def password_expired(user: Any) -> bool:
    """Staff (anyone holding a role, or admin access) change their password every
    ``LAWDESK_PASSWORD_MAX_AGE_DAYS`` days. Demo users in demo mode share a published password and are exempt."""
    max_age = password_max_age()
    if max_age is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_demo and getattr(settings, "DEMO_MODE", False):
        return False
    if user.password_changed_at is None or user.password_changed_at > clock.now() - max_age:
        return False
    return bool(user.is_staff or user.is_superuser or user.roles.exists())


def idle_timeout() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "LAWDESK_SESSION_IDLE_MINUTES", 30)))


def absolute_age() -> timedelta:
    return timedelta(hours=int(getattr(settings, "LAWDESK_SESSION_MAX_HOURS", 12)))


def record_session(request: HttpRequest, user: User) -> None:
    """Remember the session's key under the user (login, or a key cycled by a password change)."""
    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    if key is None:
        return
    previous = session.get(RECORDED_KEY)
    if previous and previous != key:
        UserSession.objects.filter(session_key=previous).delete()
    UserSession.objects.update_or_create(session_key=key, defaults={"user": user})
    session[RECORDED_KEY] = key


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def end_user_sessions(user: User) -> int:
    """Delete every session the user is logged in with, from the configured session store. Returns how many."""
    engine: Any = import_module(settings.SESSION_ENGINE)
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        engine.SessionStore(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login lockouts (``AXES_CLIENT_IP_CALLABLE``), the audit log and the online limits:
    REMOTE_ADDR as the WSGI server set it. Behind the reverse proxy (``LAWDESK_BEHIND_PROXY``) ``manage.py serve``
    puts there the client address the trusted proxy (``LAWDESK_TRUSTED_PROXY``) forwarded, and drops the
    forwarding headers of anyone else; Django never reads X-Forwarded-For itself, so no client can choose its
    own address."""
    return request.META.get("REMOTE_ADDR") or None
