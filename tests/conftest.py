"""Named personas on a small tree, shared by every test file.

西安市司法局 (city)
├── 雁塔区司法局 (district)
│   ├── 雁塔区公共法律服务中心 (centre)
│   ├── 小寨路街道司法所 (office)
│   │   ├── 小寨路街道公共法律服务站 (station A)
│   │   └── 长延堡社区公共法律服务站 (station B, A's sibling)
│   └── 电子城街道司法所 (office 2)
│       └── 电子城街道公共法律服务站 (station C, a cousin)
└── 新城区司法局 (other district)
    ├── 新城区公共法律服务中心
    └── 西一路街道司法所 → 西一路街道公共法律服务站 (station D)
"""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client

from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.services import org_node_create

PASSWORD = "Lawdesk-test-2026"


@dataclass
class Tree:
    city: OrgNode
    district: OrgNode
    centre: OrgNode
    office: OrgNode
    station_a: OrgNode
    station_b: OrgNode
    office2: OrgNode
    station_c: OrgNode
    other_district: OrgNode
    other_centre: OrgNode
    other_office: OrgNode
    station_d: OrgNode
    law_firm: Institution
    other_law_firm: Institution
    mediation: Institution  # 小寨路街道人民调解委员会, serving the office and its stations


def build_tree() -> Tree:
    def node(parent: OrgNode | None, kind: str, name: str, code: str, **attrs: Any) -> OrgNode:
        return org_node_create(actor=None, parent=parent, kind=kind, name=name, region_code=code, **attrs)

    city = node(None, NodeKind.CITY_BUREAU, "西安市司法局", "610100")
    district = node(city, NodeKind.DISTRICT_BUREAU, "雁塔区司法局", "610113")
    centre = node(
        district, NodeKind.SERVICE_CENTRE, "雁塔区公共法律服务中心", "610113", address="雁塔区政务大厅"
    )
    office = node(district, NodeKind.JUDICIAL_OFFICE, "小寨路街道司法所", "610113001000")
    station_a = node(office, NodeKind.TOWN_STATION, "小寨路街道公共法律服务站", "610113001000")
    station_b = node(office, NodeKind.VILLAGE_STATION, "长延堡社区公共法律服务站", "610113001001")
    office2 = node(district, NodeKind.JUDICIAL_OFFICE, "电子城街道司法所", "610113002000")
    station_c = node(office2, NodeKind.TOWN_STATION, "电子城街道公共法律服务站", "610113002000")
    other_district = node(city, NodeKind.DISTRICT_BUREAU, "新城区司法局", "610102")
    other_centre = node(other_district, NodeKind.SERVICE_CENTRE, "新城区公共法律服务中心", "610102")
    other_office = node(other_district, NodeKind.JUDICIAL_OFFICE, "西一路街道司法所", "610102001000")
    station_d = node(other_office, NodeKind.TOWN_STATION, "西一路街道公共法律服务站", "610102001000")
    law_firm = Institution.objects.create(
        kind=InstitutionKind.LAW_FIRM, name="陕西雁塔测试律师事务所", home_node=district, phone="029-88880001"
    )
    law_firm.served_nodes.add(district)
    other_law_firm = Institution.objects.create(
        kind=InstitutionKind.LAW_FIRM, name="陕西新城测试律师事务所", home_node=other_district
    )
    other_law_firm.served_nodes.add(other_district)
    mediation = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE,
        name="小寨路街道人民调解委员会",
        home_node=office,
        mediation_scope="place",
        phone="029-85550002",
    )
    mediation.served_nodes.add(office)
    return Tree(
        city, district, centre, office, station_a, station_b, office2, station_c,
        other_district, other_centre, other_office, station_d, law_firm, other_law_firm, mediation,
    )  # fmt: skip


@pytest.fixture
def tree(db: Any) -> Tree:
    return build_tree()


def make_user(username: str, role: str, node: OrgNode | None = None, institution: Institution | None = None,
              **extra: Any) -> User:  # fmt: skip
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username, **extra)
    RoleAssignment.objects.create(user=user, role=role, node=node, institution=institution)
    return user


@dataclass
class Personas:
    clerk_a: User  # window clerk of station A
    clerk_b: User  # window clerk of station B (A's sibling under the same office)
    office_staff: User  # their judicial office
    district_admin: User  # 雁塔区
    other_district_admin: User  # 新城区
    city_admin: User
    leader: User  # district leader (局领导) of 雁塔区
    auditor: User  # at the city bureau
    handler: User  # handler at the 雁塔 law firm
    mediator: User  # handler at 小寨路街道人民调解委员会
    system_admin: User
    correction_officer: (
        User  # 社区矫正工作人员 at the judicial office (a narrow role: only correction records)
    )
    adviser: User  # 村(社区)法律顾问 guided by the judicial office (a narrow role: only their villages)


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return Personas(
        clerk_a=make_user("clerk_a", Role.WINDOW_CLERK, tree.station_a),
        clerk_b=make_user("clerk_b", Role.WINDOW_CLERK, tree.station_b),
        office_staff=make_user("office_staff", Role.OFFICE_STAFF, tree.office),
        district_admin=make_user("district_admin", Role.DISTRICT_ADMIN, tree.district),
        other_district_admin=make_user("other_district_admin", Role.DISTRICT_ADMIN, tree.other_district),
        city_admin=make_user("city_admin", Role.CITY_ADMIN, tree.city),
        leader=make_user("leader", Role.LEADER, tree.district),
        auditor=make_user("auditor", Role.AUDITOR, tree.city),
        handler=make_user("handler", Role.HANDLER, institution=tree.law_firm),
        mediator=make_user("mediator", Role.HANDLER, institution=tree.mediation),
        system_admin=make_user(
            "system_admin", Role.SYSTEM_ADMIN, tree.city, is_staff=True, is_superuser=True
        ),
        correction_officer=make_user("correction_officer", Role.CORRECTION_OFFICER, tree.office),
        adviser=make_user("adviser", Role.LEGAL_ADVISER, tree.office),
    )


def otp_device_for(user: User) -> Any:
    """The user's confirmed TOTP device (made if missing), its replay guard reset so a code works again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    elif device.last_t != -1:
        device.last_t = -1
        device.save(update_fields=["last_t"])
    return device


def otp_code(device: Any) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def client_for(user: User, *, otp: bool = True) -> Client:
    """A client logged in as ``user``; for the roles that need a second factor, with the TOTP step done
    (``otp=False`` leaves it undone)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from lawdesk.accounts.security import needs_otp

    client = Client()
    client.force_login(user)
    if otp and needs_otp(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = otp_device_for(user).persistent_id
        session.save()
    return client


# --- the clock ------------------------------------------------------------------------------------------
#
# Every test runs on a pinned clock: by default a working Tuesday morning in Xi'an, so no test depends on the day
# the suite happens to run. ``LAWDESK_TEST_NOW`` runs the whole suite at another instant (ISO 8601, with its
# offset); tests about a particular day move the clock themselves (``pinned_clock.move_to(...)`` or a nested
# ``time_machine.travel``). The clock ticks from the pinned instant, so elapsed-time rules (minimum fill time,
# lockouts, session idle) still see time pass.

DEFAULT_TEST_NOW = "2026-12-08T10:00:00+08:00"


def pinned_instant() -> datetime.datetime:
    return datetime.datetime.fromisoformat(os.environ.get("LAWDESK_TEST_NOW") or DEFAULT_TEST_NOW)


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[Any]:
    """The test's clock (a time-machine traveller): ``pinned_clock.move_to(instant)`` moves every layer."""
    with time_machine.travel(pinned_instant(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    """Fast password hashing (personas log in often), and static files served without the manifest
    (tests run without collectstatic)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with empty rate-limit buckets (API throttles, online limits): the cache is per process.
    from django.core.cache import cache, caches

    cache.clear()
    # Printed reports are kept by content in memory here, empty at each test (files under the var dir in use).
    settings.CACHES = {
        **settings.CACHES,
        "reports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reports-test"},
    }
    caches["reports"].clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- the browser ---------------------------------------------------------------------------------------

BROWSER_TIMEOUT_MS = int(os.environ.get("LAWDESK_BROWSER_TIMEOUT_MS", "30000"))
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Missing Chromium skips locally and fails in CI."""
    path = os.environ.get("LAWDESK_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        message = f"Chromium not found at {path} (apt-get install chromium)"
        if os.environ.get("CI") or os.environ.get("LAWDESK_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any, transactional_db: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    # An upper bound for each wait on a state, never a pause: generous, so a loaded CI machine still passes.
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def ready(page: Any) -> None:
    """Wait until every deferred script of the current page has run (``<html data-ready>``, set by the site's
    scripts on DOMContentLoaded): keys and clicks sent earlier could reach no handler."""
    page.wait_for_selector("html[data-ready]", state="attached")


def login(page: Any, live_server: Any, user: User) -> None:
    from lawdesk.accounts.security import needs_otp

    device = otp_device_for(user) if needs_otp(user) else None
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    if device is not None:  # the second step: the code from the user's authenticator
        page.wait_for_selector("[data-testid=otp-verify]")
        page.fill("#id_token", otp_code(device))
        page.click("[data-testid=otp-submit]")
    page.wait_for_selector("[data-testid=current-user]")


def logout(page: Any) -> None:
    page.click("button:text('退出')")
    page.wait_for_selector("#id_username")


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def workbook(headers: list[str], rows: list[dict[str, Any]]) -> io.BytesIO:
    """An in-memory .xlsx: the header row, then one row per dict (header → cell value)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
