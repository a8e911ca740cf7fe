"""A menu never offers what the role cannot open: for every persona, every link of the main menu, and every link
of the tab bars and link rows (``<nav>``) on the pages those lead to, answers — no 403, no 404."""

from __future__ import annotations

import re

import pytest

from tests.builders import build_world
from tests.conftest import Personas, Tree, client_for

NAV = re.compile(r"<nav\b[^>]*>(.*?)</nav>", re.S)
MAINNAV = re.compile(r'<ul class="mainnav">(.*?)</ul>\s*{?%?', re.S)
HREF = re.compile(r'<a\b[^>]*href="(/[^"#]*)"')
PERSONAS = [
    "clerk_a", "office_staff", "district_admin", "city_admin", "leader", "auditor", "handler", "mediator",
    "system_admin", "centre_handler", "correction_officer",
]  # fmt: skip


def _links(html: str, region: re.Pattern[str]) -> set[str]:
    found: set[str] = set()
    for block in region.findall(html):
        found.update(h.replace("&amp;", "&") for h in HREF.findall(block))
    return {h for h in found if not h.startswith(("/admin/", "/static/", "/accounts/logout"))}


@pytest.mark.parametrize("name", PERSONAS)
def test_no_menu_or_tab_offers_a_page_the_role_cannot_open(name: str, tree: Tree, personas: Personas) -> None:
    world = build_world(tree, personas)
    client = client_for(world.user(name))
    home = client.get("/").content.decode()
    header = home[
        home.index('<ul class="mainnav">') : home.index("</nav>", home.index('<ul class="mainnav">'))
    ]
    first = {h.replace("&amp;", "&") for h in HREF.findall(header)} - {"/accounts/logout/"}
    first = {h for h in first if not h.startswith("/admin/")}
    broken: list[str] = []
    seen: set[str] = set()
    for href in sorted(first):
        response = client.get(href)
        seen.add(href)
        if response.status_code in (403, 404):
            broken.append(f"menu {href}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for tab in sorted(_links(response.content.decode(), NAV) - seen):
            seen.add(tab)
            status = client.get(tab).status_code
            if status in (403, 404):
                broken.append(f"{href} → {tab}: {status}")
    assert broken == [], broken
