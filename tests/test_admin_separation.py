"""三员分立 at the Django admin's door (issue 16, case 3): the system admin can neither read a second factor's
secret nor set another user's password, nor change, delete or give roles to an auditor's or a security admin's
account; resetting passwords and second factors is the security admin's act; every change made through the
admin — users, roles, devices, configuration — writes an audit row. Driven through the admin pages with the
test client, as the system admin and as the security admin."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.core.models import AuditLog
from lawdesk.workcal.models import DeadlineRule, Stage
from tests.conftest import PASSWORD, Personas, Tree, client_for, make_user, otp_device_for

NEW_PASSWORD = "Qujiang-Reset-2031"


@pytest.fixture
def security_admin(tree: Tree) -> User:
    return make_user("security_admin", Role.SECURITY_ADMIN, tree.city)


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def password_url(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def form_data(client: Client, user: User, *, extra_roles: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """What the admin's change form of ``user`` posts back unchanged, plus ``extra_roles`` as new role rows."""
    page = client.get(change_url(user))
    assert page.status_code == 200, page.status_code
    form = page.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or name in {"password", "password_changed_at"}:
            continue
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), local.strftime("%H:%M:%S")
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    rows = list(RoleAssignment.objects.filter(user=user).order_by("pk"))
    for index, row in enumerate(rows):
        data.update(
            {
                f"roles-{index}-id": str(row.pk),
                f"roles-{index}-user": str(user.pk),
                f"roles-{index}-role": row.role,
                f"roles-{index}-node": str(row.node_id or ""),
                f"roles-{index}-institution": str(row.institution_id or ""),
            }
        )
    for offset, new in enumerate(extra_roles):
        index = len(rows) + offset
        data.update(
            {
                f"roles-{index}-user": str(user.pk),
                f"roles-{index}-role": new["role"],
                f"roles-{index}-node": str(new["node"].pk),
            }
        )
    data.update(
        {
            "roles-TOTAL_FORMS": str(len(rows) + len(extra_roles)),
            "roles-INITIAL_FORMS": str(len(rows)),
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        }
    )
    return data


def rows(action: str, **filters: Any) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action, **filters))


# --- second factors ------------------------------------------------------------------------------------------


def test_the_admin_never_shows_or_changes_a_second_factor_secret(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    device = otp_device_for(personas.auditor)
    key = device.key
    for actor in (personas.system_admin, security_admin):
        client = client_for(actor)
        page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
        assert page.status_code == 200  # listed and viewable, read-only
        html = page.content.decode()
        assert key not in html and 'name="key"' not in html
        assert "qrcode" not in html.lower()
        listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
        assert key not in listing and "qrcode" not in listing.lower()
        for suffix in ("config/", "qrcode/"):
            assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{suffix}").status_code in (302, 404)
        posted = client.post(
            reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
            {"user": personas.auditor.pk, "name": "x", "key": "00" * 20, "step": 30, "t0": 0, "digits": 6},
        )
        assert posted.status_code == 403
        assert client.post(reverse("admin:otp_totp_totpdevice_add"), {}).status_code == 403
    device.refresh_from_db()
    assert device.key == key


# --- passwords -----------------------------------------------------------------------------------------------


def test_the_system_admin_cannot_set_another_users_password(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    client = client_for(personas.system_admin)
    for victim in (personas.auditor, security_admin, personas.clerk_a):
        assert client.get(password_url(victim)).status_code == 403
        response = client.post(
            password_url(victim),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        )
        assert response.status_code == 403
        victim.refresh_from_db()
        assert victim.check_password(PASSWORD) and not victim.check_password(NEW_PASSWORD)
    # The refusals are recorded as denials; nothing was reset.
    assert not rows("password_reset")
    assert AuditLog.objects.filter(action="access.denied", actor=personas.system_admin).count() >= 6
    # So the system admin cannot log in as the auditor and search the audit log as them.
    attempt = Client()
    attempt.post("/accounts/login/", {"username": "auditor", "password": NEW_PASSWORD})
    assert "_auth_user_id" not in attempt.session


def test_the_security_admin_resets_a_password_through_the_admin_and_it_is_audited(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    victim = personas.auditor
    victim_session = client_for(victim)
    client = client_for(security_admin)
    page = client.get(password_url(victim))
    assert page.status_code == 200 and "重置密码" in page.content.decode()
    response = client.post(
        password_url(victim),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    victim.refresh_from_db()
    assert victim.check_password(NEW_PASSWORD)
    from lawdesk.accounts.services import MUST_CHANGE_AT_LOGIN

    assert victim.password_changed_at == MUST_CHANGE_AT_LOGIN  # to be changed at the next login
    assert victim_session.get("/").status_code == 302  # the victim's sessions ended
    [row] = rows("password_reset")
    assert row.actor == security_admin and row.object_id == str(victim.pk)
    assert NEW_PASSWORD not in str(row.data)
    assert rows("admin.change", actor=security_admin, object_id=str(victim.pk))
    # A weak password is refused in Chinese, and nothing changes.
    weak = client.post(
        password_url(victim), {"password1": "abc", "password2": "abc", "usable_password": "true"}
    )
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    victim.refresh_from_db()
    assert victim.check_password(NEW_PASSWORD)
    # Nor does the security admin set their own password here.
    assert client.get(password_url(security_admin)).status_code == 403


def test_the_security_admins_account_page_hides_the_hash_and_is_read_only(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    client = client_for(security_admin)
    victim = personas.clerk_a
    html = client.get(change_url(victim)).content.decode()
    assert victim.password not in html and "md5$" not in html
    assert password_url(victim) in html
    data = form_data(client, victim)
    data["full_name"] = "被安全管理员改名"
    assert client.post(change_url(victim), data).status_code == 302
    victim.refresh_from_db()
    assert victim.full_name == "clerk_a"  # the security admin changes no profile field
    system_html = client_for(personas.system_admin).get(change_url(victim)).content.decode()
    assert victim.password not in system_html and password_url(victim) not in system_html


# --- second factor reset -------------------------------------------------------------------------------------


def test_resetting_a_second_factor_is_the_security_admins_act_and_audited(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    otp_device_for(personas.city_admin)
    changelist = reverse("admin:accounts_user_changelist")
    refused = client_for(personas.system_admin).post(
        changelist, {"action": "reset_otp", "_selected_action": [personas.city_admin.pk]}
    )
    assert refused.status_code in (200, 302)
    assert TOTPDevice.objects.filter(user=personas.city_admin).exists()
    assert not rows("otp_reset")
    done = client_for(security_admin).post(
        changelist, {"action": "reset_otp", "_selected_action": [personas.city_admin.pk]}
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.city_admin).exists()
    [row] = rows("otp_reset")
    assert row.actor == security_admin and row.object_id == str(personas.city_admin.pk)


# --- protected accounts --------------------------------------------------------------------------------------


def test_the_system_admin_cannot_change_delete_or_give_roles_to_an_auditor_or_security_admin(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    client = client_for(personas.system_admin)
    for victim in (personas.auditor, security_admin):
        before = sorted(victim.roles.values_list("role", flat=True))
        data = form_data(client, victim, extra_roles=[{"role": Role.LEADER, "node": tree.city}])
        data["full_name"] = "系统管理员改的"
        data.pop("is_active", None)
        assert client.post(change_url(victim), data).status_code == 403
        assert (
            client.post(reverse("admin:accounts_user_delete", args=[victim.pk]), {"post": "yes"}).status_code
            == 403
        )
        client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "delete_selected", "_selected_action": [victim.pk], "post": "yes"},
        )
        client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "deactivate", "_selected_action": [victim.pk]},
        )
        victim.refresh_from_db()
        assert victim.full_name != "系统管理员改的" and victim.is_active
        assert sorted(victim.roles.values_list("role", flat=True)) == before
    assert not rows("role_assign") and not rows("user_deactivate") and not rows("admin.delete")


def test_the_system_admin_cannot_make_an_account_an_auditor_or_security_admin(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.system_admin)
    victim = personas.clerk_a
    for role in (Role.AUDITOR, Role.SECURITY_ADMIN):
        response = client.post(
            change_url(victim), form_data(client, victim, extra_roles=[{"role": role, "node": tree.city}])
        )
        assert response.status_code == 200
        assert "三员分立" in response.content.decode()
        assert not victim.roles.filter(role=role).exists()
    assert not rows("role_assign")


def test_the_security_admin_grants_the_auditor_role_in_the_admin_and_it_is_audited(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    client = client_for(security_admin)
    fresh = User.objects.create_user(username="new_auditor", password=PASSWORD, full_name="新审计员")
    response = client.post(
        change_url(fresh), form_data(client, fresh, extra_roles=[{"role": Role.AUDITOR, "node": tree.city}])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert fresh.roles.filter(role=Role.AUDITOR).exists()
    [row] = rows("role_assign")
    assert row.actor == security_admin and row.data["role"] == Role.AUDITOR


def test_a_role_granted_on_the_admins_user_page_writes_audit_rows(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.system_admin)
    victim = personas.clerk_a
    response = client.post(
        change_url(victim),
        form_data(client, victim, extra_roles=[{"role": Role.LEADER, "node": tree.district}]),
    )
    assert response.status_code == 302
    assert victim.roles.filter(role=Role.LEADER, node=tree.district).exists()
    [granted] = rows("role_assign")
    assert granted.actor == personas.system_admin and granted.data["role"] == Role.LEADER
    [changed] = rows("admin.change", object_id=str(victim.pk))
    assert changed.data["model"] == "accounts.User" and changed.ip_address == "127.0.0.1"
    assert any("added" in entry for entry in changed.data["changes"])
    # Withdrawing it in the admin is audited too.
    data = form_data(client, victim)
    index = next(k for k, v in data.items() if k.endswith("-role") and v == Role.LEADER).split("-")[1]
    data[f"roles-{index}-DELETE"] = "on"
    assert client.post(change_url(victim), data).status_code == 302
    assert not victim.roles.filter(role=Role.LEADER).exists()
    assert rows("role_revoke", actor=personas.system_admin)


def test_every_change_through_the_admin_writes_an_audit_row(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.system_admin)
    # A user's profile.
    victim = personas.clerk_b
    data = form_data(client, victim)
    data["full_name"] = "李新名"
    assert client.post(change_url(victim), data).status_code == 302
    [row] = rows("admin.change", object_type="accounts.User", object_id=str(victim.pk))
    assert row.actor == personas.system_admin and "李新名" not in str(row.data)  # field names, not values
    # A new account.
    added = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "new_clerk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
         "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000"},
    )  # fmt: skip
    assert added.status_code == 302, added.content.decode()[:3000]
    new = User.objects.get(username="new_clerk")
    assert rows("admin.add", object_type="accounts.User", object_id=str(new.pk))
    # Configuration (a setting of the deadlines), and a group deleted with the bulk action.
    assert client.post(
        reverse("admin:workcal_deadlinerule_add"),
        {"stage": Stage.values[0], "node": tree.district.pk, "kind": "",
         "working_days": 4},
    ).status_code == 302  # fmt: skip
    rule = DeadlineRule.objects.get(node=tree.district)
    assert rows("admin.add", object_type="workcal.DeadlineRule", object_id=str(rule.pk))
    group = Group.objects.create(name="临时组")
    assert (
        client.post(
            reverse("admin:auth_group_changelist"),
            {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"},
        ).status_code
        == 302
    )
    assert not Group.objects.filter(pk=group.pk).exists()
    assert rows("admin.delete", object_type="auth.Group", object_id=str(group.pk))


def test_every_model_admin_is_audited() -> None:
    from lawdesk.core.admin_audit import AuditedAdminMixin

    registry = django_admin.site._registry
    assert TOTPDevice in registry and User in registry
    unaudited = [
        model._meta.label
        for model, model_admin in registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert not unaudited


def test_an_auditor_never_enters_the_admin_and_the_security_admin_does(
    tree: Tree, personas: Personas, security_admin: User
) -> None:
    personas.auditor.is_staff = True
    personas.auditor.save()
    assert client_for(personas.auditor).get("/admin/").status_code == 302  # to the admin's login
    page = client_for(security_admin).get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("admin:accounts_user_changelist") in html
    assert reverse("admin:workcal_deadlinerule_changelist") not in html  # configuration is the system admin's
    assert client_for(security_admin).get(reverse("admin:workcal_deadlinerule_changelist")).status_code == 403
