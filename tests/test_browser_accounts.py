"""A district admin's first login sets up the TOTP second factor from the QR page; five wrong passwords lock
the login; the demo verify page shows the current code; pages raise no content-security-policy violation."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts.models import Role
from tests.conftest import PASSWORD, Personas, Tree, login, make_user, otp_code, screenshot

pytestmark = pytest.mark.browser


def csp_violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found


def test_first_login_sets_up_the_second_factor(page: Any, live_server: Any, tree: Tree) -> None:
    user = make_user("new_district", Role.DISTRICT_ADMIN, tree.district)
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=otp-setup]")
    assert page.locator("[data-testid=otp-qr]").evaluate("img => img.naturalWidth") > 0
    secret = page.inner_text("[data-testid=otp-secret]")
    assert len(secret.replace(" ", "")) == 32
    screenshot(page, "accounts-otp-setup")
    # Other pages are refused until the code is confirmed.
    page.goto(f"{live_server.url}/desk/matters/")
    page.wait_for_selector("[data-testid=otp-setup]")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_token", otp_code(device))
    page.click("[data-testid=otp-submit]")
    page.wait_for_selector("[data-testid=current-user]")
    assert "/desk/matters/" in page.url
    assert page.locator("text=动态口令已启用").count() == 1
    screenshot(page, "accounts-otp-done")
    assert TOTPDevice.objects.get(user=user).confirmed
    assert violations == []


def test_five_wrong_passwords_lock_the_login(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "clerk_a")
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=login-locked]")
    assert page.locator("text=5 分钟").count() >= 1
    screenshot(page, "accounts-locked")


def test_demo_mode_verify_page_shows_the_code(page: Any, live_server: Any, tree: Tree, settings: Any) -> None:
    settings.DEMO_MODE = True
    user = make_user("demo_city", Role.CITY_ADMIN, tree.city, is_demo=True)
    from lawdesk.accounts.demo import demo_otp_devices

    demo_otp_devices()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=otp-demo-code]")
    screenshot(page, "accounts-otp-verify-demo")
    code = page.inner_text("[data-testid=otp-demo-code] strong")
    page.fill("#id_token", code)
    page.click("[data-testid=otp-submit]")
    page.wait_for_selector("[data-testid=current-user]")


def test_pages_raise_no_policy_violation(page: Any, live_server: Any, tree: Tree, personas: Personas) -> None:
    violations = csp_violations(page)
    login(page, live_server, personas.district_admin)
    for path in ["/", "/org/", "/institutions/", "/desk/matters/", "/desk/ledgers/", "/desk/duty/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/org/")
    page.wait_for_selector(".tree-panel .expander")
    page.click(".tree-panel .expander >> nth=0")
    page.wait_for_load_state("networkidle")
    screenshot(page, "accounts-csp-tree")
    page.context.clear_cookies()
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/desk/intake/")
    page.wait_for_load_state("networkidle")
    assert violations == []
