"""State changes of accounts: roles (with the separation of duties), disabling an account, the TOTP device,
and the security admin's unlocks and resets. Each runs in one transaction and writes its audit row.

三员分立 (separation of system, audit and security administration): no account holds two of the three roles;
the system admin grants and withdraws the ordinary roles and administers the ordinary accounts; an auditor's or
a security admin's account (``security.is_protected_account``), and the auditor and security admin roles
themselves, are the security admin's to grant, withdraw and change; resetting another user's password or second
factor and lifting a lockout are the security admin's acts. Nobody changes their own roles here."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import security
from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service

# A password someone else set must be changed by its owner at the next login (the expiry check sends them).
MUST_CHANGE_AT_LOGIN = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _holds(actor: Any, *roles: str) -> bool:
    return bool(actor.roles.filter(role__in=roles).exists())


def _require(actor: Any, *roles: str, what: str) -> None:
    """``actor=None`` is the system itself (demo loader, management commands)."""
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False) or not _holds(actor, *roles):
        labels = "、".join(str(Role(r).label) for r in roles)
        raise PermissionDenied(f"只有{labels}可以{what}。")


def role_refusal(*, actor: Any, user: User, role: str) -> str:
    """Why ``actor`` may not grant or withdraw ``role`` of ``user`` ('' when they may)."""
    if actor is None:
        return ""
    if not getattr(actor, "is_authenticated", False):
        return "请先登录。"
    if user.pk is not None and actor.pk == user.pk:
        return "不能为自己分配或撤销角色，请由其他管理员办理。"
    held = security.held_roles(actor)
    if role in security.PROTECTED_ROLES or security.is_protected_account(user):
        if Role.SECURITY_ADMIN not in held:
            return (
                "三员分立：审计人员、安全管理员的角色，以及担任这两种角色的账号的角色，"
                "只能由安全管理员分配或撤销。"
            )
        return ""
    if Role.SYSTEM_ADMIN not in held:
        return "只有系统管理员可以分配或撤销角色。"
    return ""


def account_refusal(*, actor: Any, user: User) -> str:
    """Why ``actor`` may not change, disable or delete the account ``user`` ('' when they may): an auditor's or
    a security admin's account is the security admin's (三员分立)."""
    if actor is None:
        return ""
    if security.is_protected_account(user) and Role.SECURITY_ADMIN not in security.held_roles(actor):
        return "三员分立：系统管理员不能更改、停用或删除审计人员、安全管理员的账号，须由安全管理员办理。"
    return ""


@service(AuditAction.ROLE_ASSIGN)
def role_assign(
    *, actor: Any, user: User, role: str, node: Any = None, institution: Any = None
) -> RoleAssignment:
    """Give ``user`` a role at a node (or, for a handler, an institution). Refuses a second one of the
    system, audit and security administrator roles, and follows ``role_refusal`` (三员分立)."""
    refusal = role_refusal(actor=actor, user=user, role=role)
    if refusal:
        raise PermissionDenied(refusal)
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


@service(AuditAction.ROLE_REVOKE)
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Withdraw a role (the same rules as granting it)."""
    user = assignment.user
    refusal = role_refusal(actor=actor, user=user, role=assignment.role)
    if refusal:
        raise PermissionDenied(refusal)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        data = {"role": assignment.role, "assignment": assignment.pk, "held_at": str(assignment)}
        node = assignment.node
        assignment.delete()
        audit(actor=actor, action="role_revoke", obj=user, node=node, data=data)


@service(AuditAction.USER_DEACTIVATE)
def user_deactivate(*, actor: Any, user: User) -> int:
    """Disable an account; every session it is logged in with ends at once. Returns how many ended."""
    _require(actor, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, what="停用账号")
    refusal = account_refusal(actor=actor, user=user)
    if refusal:
        raise PermissionDenied(refusal)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied("不能停用自己的账号。")
    with transaction.atomic():
        ended = security.end_user_sessions(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit(actor=actor, action="user_deactivate", obj=user, data={"sessions_ended": ended})
    return ended


@service(AuditAction.ACCOUNT_UNLOCK)
def account_unlock(*, actor: Any, user: User) -> int:
    """Lift a login lockout of the account (failed attempts by its username). Returns the attempts cleared."""
    from axes.utils import reset

    _require(actor, Role.SECURITY_ADMIN, what="解除登录锁定")
    with transaction.atomic():
        cleared = reset(username=user.username)
        audit(actor=actor, action="account_unlock", obj=user, data={"attempts_cleared": cleared})
    return cleared


@service(AuditAction.OTP_RESET)
def otp_reset(*, actor: Any, user: User) -> int:
    """Remove the user's TOTP devices (a lost phone): the next login sets up a new one. Ends their sessions."""
    _require(actor, Role.SECURITY_ADMIN, what="重置动态口令")
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied("不能重置自己的动态口令，请由其他安全管理员办理。")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        security.end_user_sessions(user)
        audit(actor=actor, action="otp_reset", obj=user, data={"devices_removed": removed})
    return removed


@service(AuditAction.PASSWORD_RESET)
def password_reset(*, actor: Any, user: User, password: str | None) -> None:
    """The security admin sets another user's password (a forgotten one), or makes it unusable (``None``): the
    user's sessions end, and they must change it at their next login. The password is checked by the site's
    rules and never written anywhere but the hash."""
    _require(actor, Role.SECURITY_ADMIN, what="重置其他用户的密码")
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied("请在“修改密码”页面修改自己的密码。")
    if password is not None:
        password_validation.validate_password(password, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if password is None:
            locked.set_unusable_password()
        else:
            locked.set_password(password)
        locked.password_changed_at = MUST_CHANGE_AT_LOGIN
        locked.save(update_fields=["password", "password_changed_at"])
        ended = security.end_user_sessions(locked)
        audit(
            actor=actor,
            action="password_reset",
            obj=locked,
            data={"usable": password is not None, "sessions_ended": ended},
        )
    user.password = locked.password
    user.password_changed_at = locked.password_changed_at


def otp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a new TOTP device with a code from the authenticator app. False if the code is wrong: nothing is
    bound, so nothing is audited (the binding is the public service, ``otp_device_bind``)."""
    if device.user_id != actor.pk:
        raise PermissionDenied("只能确认自己的动态口令设备。")
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        otp_device_bind(actor=actor, device=device)
    return True


@service(AuditAction.OTP_DEVICE_CONFIRM)
def otp_device_bind(*, actor: User, device: TOTPDevice) -> None:
    """Bind a device whose code was just verified (through ``otp_device_confirm``): the user's other unconfirmed
    devices are removed."""
    if device.user_id != actor.pk:
        raise PermissionDenied("只能确认自己的动态口令设备。")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(pk=device.pk).delete()
        audit(actor=actor, action="otp_device_confirm", obj=actor, data={"device": device.persistent_id})
