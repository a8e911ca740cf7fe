"""Production settings pass `manage.py check --deploy` with no warning; the development defaults do not (so
the check really looks at what LAWDESK_PRODUCTION switches on)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
        if not k.startswith(("LAWDESK_", "DJANGO_"))
    }
    environment.update({"LAWDESK_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_with_no_warning(tmp_path: Path) -> None:
    result = run_check(
        tmp_path,
        LAWDESK_PRODUCTION="1",
        LAWDESK_SECRET_KEY=secrets.token_urlsafe(60),
        LAWDESK_ALLOWED_HOSTS="lawdesk.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_settings_are_not_deployable(tmp_path: Path) -> None:
    result = run_check(tmp_path, LAWDESK_SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in output


def test_a_short_secret_key_fails_the_deploy_check_even_in_production(tmp_path: Path) -> None:
    result = run_check(tmp_path, LAWDESK_PRODUCTION="1", LAWDESK_SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
