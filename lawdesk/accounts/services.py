"""State changes of accounts: roles (with the separation of duties), disabling an account, the TOTP device,
and the security admin's unlocks and resets. Each runs in one transaction and writes its audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import security
from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.core.audit import audit


def _holds(actor: Any, *roles: str) -> bool:
    return bool(actor.roles.filter(role__in=roles).exists())


def _require(actor: Any, *roles: str, what: str) -> None:
    """``actor=None`` is the system itself (demo loader, management commands)."""
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False) or not _holds(actor, *roles):
        labels = "、".join(str(Role(r).label) for r in roles)
        raise PermissionDenied(f"只有{labels}可以{what}。")


def role_assign(
    *, actor: Any, user: User, role: str, node: Any = None, institution: Any = None
) -> RoleAssignment:
    """Give ``user`` a role at a node (or, for a handler, an institution). Refuses a second one of the
    system, audit and security administrator roles (三员分立)."""
    _require(actor, Role.SYSTEM_ADMIN, what="分配角色")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        assignment = RoleAssignment(user=user, role=role, node=node, institution=institution)
        assignment.full_clean()
        assignment.save()
        audit(actor=actor, action="role_assign", obj=assignment, node=node, data={"role": role})
    return assignment


def role_ensure(
    *, actor: Any, user: User, role: str, node: Any = None, institution: Any = None
) -> tuple[RoleAssignment, bool]:
    """The role if the user holds it already, else ``role_assign``'s new one; (assignment, created)."""
    existing = RoleAssignment.objects.filter(user=user, role=role, node=node, institution=institution).first()
    if existing is not None:
        return existing, False
    return role_assign(actor=actor, user=user, role=role, node=node, institution=institution), True


def user_deactivate(*, actor: Any, user: User) -> int:
    """Disable an account; every session it is logged in with ends at once. Returns how many ended."""
    _require(actor, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, what="停用账号")
    with transaction.atomic():
        ended = security.end_user_sessions(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit(actor=actor, action="user_deactivate", obj=user, data={"sessions_ended": ended})
    return ended


def account_unlock(*, actor: Any, user: User) -> int:
    """Lift a login lockout of the account (failed attempts by its username). Returns the attempts cleared."""
    from axes.utils import reset

    _require(actor, Role.SECURITY_ADMIN, what="解除登录锁定")
    with transaction.atomic():
        cleared = reset(username=user.username)
        audit(actor=actor, action="account_unlock", obj=user, data={"attempts_cleared": cleared})
    return cleared


def otp_reset(*, actor: Any, user: User) -> int:
    """Remove the user's TOTP devices (a lost phone): the next login sets up a new one. Ends their sessions."""
    _require(actor, Role.SECURITY_ADMIN, what="重置动态口令")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        security.end_user_sessions(user)
        audit(actor=actor, action="otp_reset", obj=user, data={"devices_removed": removed})
    return removed


def otp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a new TOTP device with a code from the authenticator app. False if the code is wrong."""
    if device.user_id != actor.pk:
        raise PermissionDenied("只能确认自己的动态口令设备。")
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(pk=device.pk).delete()
        audit(actor=actor, action="otp_device_confirm", obj=actor, data={"device": device.persistent_id})
    return True
