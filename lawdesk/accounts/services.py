"""State changes of accounts: roles (with the separation of duties), disabling an account, the TOTP device,
and the security admin's unlocks and resets. Each runs in one transaction and writes its audit row.

三员分立 (separation of system, audit and security administration): no account holds two of the three roles;
the system admin grants and withdraws the ordinary roles and administers the ordinary accounts; an auditor's or
a security admin's account (``security.is_protected_account``), and the auditor and security admin roles
themselves, are the security admin's to grant, withdraw and change; resetting another user's password or second
factor and lifting a lockout are the security admin's acts. Nobody changes their own roles here.

Bureau admins manage their own staff (五(二)2 “负责服务人员的遴选、配备、培训、教育及管理工作”): a district admin
(or the city admin, over the city) grants and withdraws the ordinary roles at nodes of their own subtree, and
disables accounts whose every role lies there (``bureau_refusal``). They never grant the system, audit or security
administrator roles, nor the city admin's, nor a role at their own level (a district admin does not make another
district admin; the city admin may). An account with a role outside their subtree, or an account of the Django
admin (staff or superuser), is the system admin's."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import scoping, security
from lawdesk.accounts.models import SEPARATED_ROLES, Role, RoleAssignment, User
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.tree import covers

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


# Bureau admins: they manage the staff of their subtree (see the module's docstring).
BUREAU_ADMIN_ROLES: tuple[str, ...] = (Role.DISTRICT_ADMIN, Role.CITY_ADMIN)
# Roles a bureau admin never grants or withdraws: the separated ones (三员分立) and the city admin's.
BUREAU_RESERVED_ROLES: frozenset[str] = SEPARATED_ROLES | {Role.CITY_ADMIN}


def bureau_paths(actor: Any) -> tuple[str, ...]:
    """The subtrees where ``actor`` is a district or city admin (empty for anyone else)."""
    return scoping.scope_for(actor).paths_of(*BUREAU_ADMIN_ROLES)


def _place_of(assignment: RoleAssignment) -> Any:
    """The node a role is held at (a handler's: the institution's home node)."""
    if assignment.node_id is not None:
        return assignment.node
    return assignment.institution.home_node if assignment.institution is not None else None


def bureau_account_refusal(*, actor: Any, user: User) -> str:
    """Why a bureau admin may not manage the account ``user`` ('' when they may): every role it holds lies in
    the admin's subtree, and it is not an account of the Django admin."""
    paths = bureau_paths(actor)
    if not paths:
        return "只有区(县)司法局管理员、市局管理员或系统管理员可以管理工作人员账号。"
    if user.is_staff or user.is_superuser:
        return "该账号是系统配置账号，须由系统管理员管理。"
    if RoleAssignment.objects.filter(user_id=user.pk, role__in=SEPARATED_ROLES).exists():
        return "三员分立：系统管理员、审计人员、安全管理员的账号须由系统管理员或安全管理员管理。"
    for assignment in RoleAssignment.objects.filter(user_id=user.pk).select_related("node", "institution"):
        place = _place_of(assignment)
        if place is None or not any(covers(p, place.path) for p in paths):
            return (
                f"该账号在本辖区以外担任{assignment.get_role_display()}（{place or '未指定节点'}），"
                "须由上级管理员或系统管理员管理。"
            )
    return ""


def bureau_refusal(*, actor: Any, user: User, role: str, node: Any = None, institution: Any = None) -> str:
    """Why a bureau admin may not grant or withdraw ``role`` of ``user`` at ``node`` (or ``institution``): the
    place must lie in the subtree where they are a district or city admin."""
    if role in SEPARATED_ROLES:
        return (
            "三员分立：系统管理员、审计人员、安全管理员的角色须由系统管理员或安全管理员分配，"
            "区(县)、市局管理员不能分配或撤销。"
        )
    if role in BUREAU_RESERVED_ROLES:
        return f"{Role(role).label}的角色须由系统管理员分配或撤销。"
    place = institution.home_node if institution is not None else node
    if place is None:
        return "请指定角色所在的节点。"
    scope = scoping.scope_for(actor)
    if role == Role.DISTRICT_ADMIN and not scope.holds_at(place, Role.CITY_ADMIN):
        return "区(县)司法局管理员的角色须由市局管理员或系统管理员分配或撤销。"
    if not scope.holds_at(place, *BUREAU_ADMIN_ROLES):
        return f"只能在本辖区内的节点分配或撤销角色（{place}不在本辖区）。"
    return bureau_account_refusal(actor=actor, user=user)


def role_refusal(*, actor: Any, user: User, role: str, node: Any = None, institution: Any = None) -> str:
    """Why ``actor`` may not grant or withdraw ``role`` of ``user`` ('' when they may); ``node``/``institution``:
    where it is held (a bureau admin's grant must lie in their subtree)."""
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
    if Role.SYSTEM_ADMIN in held:
        return ""
    if bureau_paths(actor):
        return bureau_refusal(actor=actor, user=user, role=role, node=node, institution=institution)
    return "只有系统管理员可以分配或撤销角色。"


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
    system, audit and security administrator roles, and follows ``role_refusal`` (三员分立; a bureau admin: only
    in their subtree)."""
    refusal = role_refusal(actor=actor, user=user, role=role, node=node, institution=institution)
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
    refusal = role_refusal(
        actor=actor, user=user, role=assignment.role, node=assignment.node, institution=assignment.institution
    )
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
    """Disable an account; every session it is logged in with ends at once. Returns how many ended. The system
    and security admins disable any account (三员分立 aside); a bureau admin those of their own staff."""
    if (
        actor is not None
        and not _holds(actor, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
        and bureau_paths(actor)
    ):
        refusal = bureau_account_refusal(actor=actor, user=user)
        if refusal:
            raise PermissionDenied(refusal)
    else:
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
