"""Security headers and the content security policy: scripts only from this site's static files, no inline
code anywhere in the templates (the policy would block it), framing refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Personas, Tree, client_for

TEMPLATES = Path(__file__).resolve().parent.parent / "lawdesk" / "templates"


def directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/institutions/", "/desk/matters/", "/healthz"])
def test_every_page_carries_the_policy_and_the_security_headers(
    tree: Tree, personas: Personas, path: str
) -> None:
    client = Client() if path == "/accounts/login/" else client_for(personas.district_admin)
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'self'" in csp["img-src"] and "data:" in csp["img-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_htmx_is_told_not_to_evaluate_code(tree: Tree, personas: Personas) -> None:
    page = client_for(personas.clerk_a).get("/").content.decode()
    assert '<meta name="htmx-config"' in page and '"allowEval": false' in page


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
HTMX_EVAL = re.compile(r"\shx-on[:-]|\shx-vals=['\"]js:|\shx-vars=|javascript:", re.IGNORECASE)


def test_no_template_has_inline_script_or_handlers() -> None:
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, HTMX_EVAL):
            for match in pattern.finditer(text):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert offenders == []


def test_the_patterns_catch_what_they_look_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert INLINE_HANDLER.search('<button onclick="x()">')
    assert HTMX_EVAL.search('<b hx-on::after-request="this.remove()">')
    assert HTMX_EVAL.search('<a href="javascript:history.back()">')
