"""Accounts and sessions (issue 9): password rules and expiry, login lockout, the TOTP second factor, idle and
absolute session limits, a new session key at login, disabled accounts' sessions, separation of duties."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import security, services
from lawdesk.accounts.admin import RoleAssignmentFormSet
from lawdesk.accounts.models import Role, RoleAssignment, User, UserSession
from tests.conftest import PASSWORD, Personas, Tree, client_for, make_user, otp_code, otp_device_for

LOGIN = "/accounts/login/"
GOOD_PASSWORD = "Yanta-Window-2031"


def post_login(client: Client, username: str, password: str, ip: str = "10.1.1.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- password rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!x", "至少 8 个字符"),  # short
        ("abcdefgh2026", "至少 3 类"),  # two classes
        ("ABCDEFGH!!", "至少 3 类"),  # two classes
        ("Password1", "常见"),  # three classes, but a common password
    ],
)
def test_weak_passwords_are_refused_in_chinese(db: Any, password: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert any(message in m for m in info.value.messages), info.value.messages


@pytest.mark.parametrize("password", [GOOD_PASSWORD, "xianlegal2026!", "Xian Legal Desk"])
def test_passwords_of_three_classes_are_accepted(db: Any, password: str) -> None:
    validate_password(password)


def test_password_change_applies_the_rules_and_records_the_date(tree: Tree, personas: Personas) -> None:
    user = personas.clerk_a
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=10))
    client = client_for(user)
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert "不能与原密码相同" in response.content.decode()
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert client.get("/").status_code == 200  # still logged in after the change


def test_staff_with_an_old_password_must_change_it_first(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    user = personas.clerk_a
    client = client_for(user)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = client.get("/desk/matters/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and "已超过 90 天未更换" in page.content.decode()
    # Configurable.
    settings.LAWDESK_PASSWORD_MAX_AGE_DAYS = 120
    assert client.get("/").status_code == 200
    settings.LAWDESK_PASSWORD_MAX_AGE_DAYS = 90
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert client.get("/").status_code == 200


def test_demo_users_in_demo_mode_are_not_asked_to_change_the_shared_password(
    tree: Tree, settings: Any
) -> None:
    user = make_user("demo_clerk", Role.WINDOW_CLERK, tree.station_a, is_demo=True)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    settings.DEMO_MODE = True
    assert client_for(user).get("/").status_code == 200


# --- lockout -------------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_from_every_address(tree: Tree, personas: Personas) -> None:
    client = Client()
    for i in range(4):
        post_login(client, "clerk_a", "wrong", ip=f"10.0.0.{i + 1}")
    # Four failures: the right password still works.
    assert post_login(client, "clerk_a", PASSWORD, ip="10.0.0.50").status_code == 302
    client = Client()
    post_login(client, "clerk_a", "wrong", ip="10.0.0.5")  # the fifth
    response = post_login(client, "clerk_a", PASSWORD, ip="10.9.9.9")  # another address, right password
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert not is_logged_in(client)
    # Another account from that address is not affected.
    assert post_login(Client(), "clerk_b", PASSWORD, ip="10.9.9.9").status_code == 302


def test_five_failures_lock_the_address_for_every_account(tree: Tree, personas: Personas) -> None:
    for name in ["nobody1", "nobody2", "nobody3", "nobody4", "nobody5"]:
        post_login(Client(), name, "wrong", ip="10.2.2.2")
    client = Client()
    assert post_login(client, "clerk_b", PASSWORD, ip="10.2.2.2").status_code == 429
    assert not is_logged_in(client)
    assert post_login(Client(), "clerk_b", PASSWORD, ip="10.2.2.3").status_code == 302


def test_a_lockout_ends_after_five_minutes(tree: Tree, personas: Personas) -> None:
    for _ in range(5):
        post_login(Client(), "clerk_a", "wrong")
    assert post_login(Client(), "clerk_a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=4))
    assert post_login(Client(), "clerk_a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=5, seconds=5))
    client = Client()
    assert post_login(client, "clerk_a", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_security_admin_lifts_a_lockout(tree: Tree, personas: Personas) -> None:
    security_admin = make_user("security_admin", Role.SECURITY_ADMIN, tree.city)
    for _ in range(5):
        post_login(Client(), "clerk_a", "wrong", ip="10.3.3.3")
    with pytest.raises(PermissionDenied):
        services.account_unlock(actor=personas.system_admin, user=personas.clerk_a)
    services.account_unlock(actor=security_admin, user=personas.clerk_a)
    assert post_login(Client(), "clerk_a", PASSWORD, ip="10.3.3.4").status_code == 302


# --- the TOTP second factor ----------------------------------------------------------------------------


OTP_PERSONAS = ["district_admin", "other_district_admin", "city_admin", "leader", "auditor", "system_admin"]
NO_OTP_PERSONAS = ["clerk_a", "office_staff", "handler", "mediator"]


@pytest.mark.parametrize("name", OTP_PERSONAS)
def test_admins_auditors_and_district_and_city_roles_need_a_second_factor(
    tree: Tree, personas: Personas, name: str
) -> None:
    user = getattr(personas, name)
    client = client_for(user, otp=False)
    response = client.get("/desk/matters/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    otp_device_for(user)
    response = client.get("/desk/matters/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    # htmx requests are sent to the same page instead of swapping it in.
    response = client.get("/desk/matters/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("accounts:otp_verify"))


def test_a_role_at_a_closed_bureau_still_asks_for_the_second_factor(tree: Tree) -> None:
    """The middleware reads the roles from the request's scope, which leaves out closed nodes' grants; the
    second-factor rule still counts them."""
    user = make_user("closed_bureau_clerk", Role.WINDOW_CLERK, tree.district)
    tree.district.is_active = False
    tree.district.save(update_fields=["is_active"])
    assert security.needs_otp(user)
    response = client_for(user, otp=False).get("/")
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_a_security_admin_and_a_district_office_role_need_a_second_factor(tree: Tree) -> None:
    security_admin = make_user("security_admin", Role.SECURITY_ADMIN, tree.city)
    district_auditor = make_user("district_auditor", Role.AUDITOR, tree.district)
    office_auditor = make_user("office_auditor", Role.AUDITOR, tree.office)
    for user in [security_admin, district_auditor, office_auditor]:
        assert security.needs_otp(user), user
        response = client_for(user, otp=False).get("/")
        assert response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.parametrize("name", NO_OTP_PERSONAS)
def test_window_office_and_institution_roles_log_in_with_the_password_alone(
    tree: Tree, personas: Personas, name: str
) -> None:
    assert client_for(getattr(personas, name), otp=False).get("/").status_code == 200


def test_setup_shows_a_qr_code_and_the_secret_and_confirms_a_code(tree: Tree, personas: Personas) -> None:
    user = personas.district_admin
    client = client_for(user, otp=False)
    url = reverse("accounts:otp_setup")
    page = client.get(url).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get(url).status_code == 200  # a reload keeps the same device (the QR code stays valid)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert device.config_url.split("secret=")[1].split("&")[0] in page.replace(" ", "")
    response = client.post(url, {"token": "000000" if otp_code(device) != "000000" else "111111"})
    assert "验证码不正确" in response.content.decode()
    assert client.get("/").status_code == 302
    response = client.post(url, {"token": otp_code(device)})
    assert "稍候" in response.content.decode()  # throttled right after a wrong code
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    response = client.post(url, {"token": otp_code(device), "next": "/desk/matters/"})
    assert response.status_code == 302 and response["Location"] == "/desk/matters/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_verify_accepts_the_current_code_only(tree: Tree, personas: Personas) -> None:
    user = personas.city_admin
    device = otp_device_for(user)
    client = client_for(user, otp=False)
    url = reverse("accounts:otp_verify")
    wrong = "123456" if otp_code(device) != "123456" else "654321"
    response = client.post(url, {"token": wrong})
    assert "验证码不正确" in response.content.decode()
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(url, {"token": otp_code(device), "next": "/org/"})
    assert response.status_code == 302 and response["Location"] == "/org/"
    assert client.get("/").status_code == 200


def test_an_offsite_next_is_not_followed_after_verification(tree: Tree, personas: Personas) -> None:
    user = personas.city_admin
    device = otp_device_for(user)
    client = client_for(user, otp=False)
    response = client.post(
        reverse("accounts:otp_verify"), {"token": otp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_demo_mode_shows_demo_users_the_current_code(tree: Tree, settings: Any) -> None:
    demo = make_user("demo_district", Role.DISTRICT_ADMIN, tree.district, is_demo=True)
    real = make_user("real_district", Role.DISTRICT_ADMIN, tree.district)
    otp_device_for(demo)
    otp_device_for(real)
    url = reverse("accounts:otp_verify")
    settings.DEMO_MODE = True
    assert "演示模式：当前验证码" in client_for(demo, otp=False).get(url).content.decode()
    assert "演示模式：当前验证码" not in client_for(real, otp=False).get(url).content.decode()
    settings.DEMO_MODE = False
    demo_page = Client()
    demo_page.force_login(demo)  # the backend check happens at login; the page itself must not show the code
    assert "演示模式：当前验证码" not in demo_page.get(url).content.decode()


def test_the_demo_loader_gives_demo_admins_the_demo_secret(tree: Tree) -> None:
    from lawdesk.accounts.demo import DEMO_TOTP_KEY, demo_otp_devices

    demo = make_user("demo_city", Role.CITY_ADMIN, tree.city, is_demo=True)
    demo_clerk = make_user("demo_clerk", Role.WINDOW_CLERK, tree.station_a, is_demo=True)
    assert demo_otp_devices() == 1
    assert demo_otp_devices() == 0  # idempotent
    assert TOTPDevice.objects.get(user=demo).key == DEMO_TOTP_KEY
    assert not TOTPDevice.objects.filter(user=demo_clerk).exists()


def test_the_security_admin_resets_a_lost_device(tree: Tree, personas: Personas) -> None:
    security_admin = make_user("security_admin", Role.SECURITY_ADMIN, tree.city)
    client = client_for(personas.city_admin)
    assert client.get("/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.otp_reset(actor=personas.city_admin, user=personas.city_admin)
    services.otp_reset(actor=security_admin, user=personas.city_admin)
    assert not TOTPDevice.objects.filter(user=personas.city_admin).exists()
    assert client.get("/")["Location"].startswith(LOGIN)  # the session ended
    assert (
        client_for(personas.city_admin, otp=False)
        .get("/")["Location"]
        .startswith(reverse("accounts:otp_setup"))
    )


# --- sessions ------------------------------------------------------------------------------------------


def _age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    if "seen" in seconds_ago:
        session[security.SEEN_AT] = now - seconds_ago["seen"]
    if "login" in seconds_ago:
        session[security.LOGIN_AT] = now - seconds_ago["login"]
    session.save()


def test_thirty_idle_minutes_end_the_session(tree: Tree, personas: Personas, settings: Any) -> None:
    client = client_for(personas.clerk_a)
    _age_session(client, seen=29 * 60)
    assert client.get("/").status_code == 200
    _age_session(client, seen=31 * 60)
    response = client.get("/desk/matters/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not is_logged_in(client)
    assert client.get("/")["Location"].startswith(LOGIN)
    # Configurable.
    settings.LAWDESK_SESSION_IDLE_MINUTES = 5
    client = client_for(personas.clerk_a)
    _age_session(client, seen=6 * 60)
    assert client.get("/")["Location"].startswith(LOGIN)


def test_a_session_ends_twelve_hours_after_login_however_active(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    client = client_for(personas.clerk_a)
    _age_session(client, seen=10, login=11 * 3600 + 59 * 60)
    assert client.get("/").status_code == 200
    _age_session(client, seen=10, login=12 * 3600 + 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not is_logged_in(client)
    settings.LAWDESK_SESSION_MAX_HOURS = 2
    client = client_for(personas.clerk_a)
    _age_session(client, seen=10, login=2 * 3600 + 60)
    assert client.get("/")["Location"].startswith(LOGIN)


def test_login_starts_a_new_session(tree: Tree, personas: Personas) -> None:
    client = Client()
    session = client.session
    session["before_login"] = "x"
    session.save()
    before = session.session_key
    assert before is not None
    client.cookies["sessionid"] = before
    assert post_login(client, "clerk_a", PASSWORD).status_code == 302
    after = client.session.session_key
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert UserSession.objects.filter(user=personas.clerk_a, session_key=after).exists()


def test_disabling_an_account_ends_all_its_sessions_at_once(tree: Tree, personas: Personas) -> None:
    user = personas.clerk_a
    first = Client()
    post_login(first, "clerk_a", PASSWORD)
    second = client_for(user)
    keys = [first.session.session_key, second.session.session_key]
    assert Session.objects.filter(session_key__in=keys).count() == 2
    other = client_for(personas.clerk_b)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=personas.clerk_b, user=user)
    assert services.user_deactivate(actor=personas.system_admin, user=user) == 2
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert first.get("/")["Location"].startswith(LOGIN)
    assert second.get("/")["Location"].startswith(LOGIN)
    assert other.get("/").status_code == 200
    assert post_login(Client(), "clerk_a", PASSWORD).status_code == 200  # refused


def test_an_account_disabled_by_a_plain_save_loses_its_sessions_too(tree: Tree, personas: Personas) -> None:
    """The admin's change form saves the user; the same signal ends the sessions there."""
    client = client_for(personas.office_staff)
    key = client.session.session_key
    personas.office_staff.is_active = False
    personas.office_staff.save()
    assert not Session.objects.filter(session_key=key).exists()


def test_the_admin_change_form_disabling_a_user_ends_its_sessions(tree: Tree, personas: Personas) -> None:
    victim = personas.clerk_b
    victim_client = client_for(victim)
    key = victim_client.session.session_key
    admin = client_for(personas.system_admin)
    url = reverse("admin:accounts_user_change", args=[victim.pk])
    form = admin.get(url).context["adminform"].form
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
    data.pop("is_active", None)
    assignment = RoleAssignment.objects.get(user=victim)
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "1",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-id": str(assignment.pk),
            "roles-0-user": str(victim.pk),
            "roles-0-role": assignment.role,
            "roles-0-node": str(assignment.node_id),
        }
    )
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    victim.refresh_from_db()
    assert not victim.is_active
    assert not Session.objects.filter(session_key=key).exists()


# --- separation of duties ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "held, given",
    [
        (Role.SYSTEM_ADMIN, Role.AUDITOR),
        (Role.AUDITOR, Role.SYSTEM_ADMIN),
        (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN),
        (Role.SECURITY_ADMIN, Role.AUDITOR),
    ],
)
def test_no_account_holds_two_of_system_audit_and_security_administration(
    tree: Tree, held: str, given: str
) -> None:
    user = make_user("someone", held, tree.city)
    with pytest.raises(ValidationError) as info:
        services.role_assign(actor=None, user=user, role=given, node=tree.city)
    assert "三员分立" in str(info.value)
    assert list(user.roles.values_list("role", flat=True)) == [held]


def test_other_roles_combine_freely(tree: Tree, personas: Personas) -> None:
    # An auditor's account takes its other roles from the security admin (三员分立), not the system admin.
    security_admin = make_user("security_admin", Role.SECURITY_ADMIN, tree.city)
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=personas.system_admin, user=personas.auditor, role=Role.LEADER, node=tree.city
        )
    services.role_assign(actor=security_admin, user=personas.auditor, role=Role.LEADER, node=tree.city)
    assert set(personas.auditor.roles.values_list("role", flat=True)) == {Role.AUDITOR, Role.LEADER}
    services.role_assign(actor=personas.system_admin, user=personas.clerk_a, role=Role.LEADER, node=tree.city)
    # The city admin manages the city's staff (lawdesk.staff), but never grants a separated role (三员分立).
    with pytest.raises(PermissionDenied, match="三员分立"):
        services.role_assign(
            actor=personas.city_admin, user=personas.clerk_a, role=Role.SYSTEM_ADMIN, node=tree.city
        )


def test_the_admin_refuses_two_separated_roles_added_together(tree: Tree) -> None:
    user = User.objects.create_user(username="fresh", password=PASSWORD)
    data = {
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-role": Role.SYSTEM_ADMIN,
        "roles-0-node": str(tree.city.pk),
        "roles-1-role": Role.SECURITY_ADMIN,
        "roles-1-node": str(tree.city.pk),
    }
    from django.forms.models import inlineformset_factory

    formset_class: Any = inlineformset_factory(
        User, RoleAssignment, formset=RoleAssignmentFormSet, fields=["role", "node", "institution"]
    )
    formset = formset_class(data, instance=user, prefix="roles")
    assert not formset.is_valid()
    assert "三员分立" in str(formset.non_form_errors())
