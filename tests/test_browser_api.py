"""The API documentation page: the vendored Swagger UI draws the schema (operations listed in Chinese) under the
content security policy, with no script from elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas, Tree, login, screenshot

pytestmark = pytest.mark.browser


def test_the_docs_page_shows_every_operation_from_the_local_schema(
    page: Any, live_server: Any, tree: Tree, personas: Personas
) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server, personas.clerk_a)
    page.goto(f"{live_server.url}/api/docs/")
    # The first schema request generates it (seconds on a loaded CI machine).
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=60_000)
    page.wait_for_selector("text=登记来访")
    page.get_by_text("移交", exact=True).first.wait_for()
    assert page.locator(".opblock").count() >= 20
    screenshot(page, "api-docs")
    # Opening an operation shows its parameters and declared error responses.
    page.locator(".opblock-summary", has_text="/api/v1/matters/{id}/transfer/").first.click()
    page.wait_for_selector("text=没有找到，或不在您的查看范围内。")
    screenshot(page, "api-docs-transfer")
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert not errors, errors
