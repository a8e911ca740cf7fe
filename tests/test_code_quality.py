"""ruff, mypy and import-linter run as part of the suite, so `make test` (and CI) fail on a lint or type error or
on an import that crosses the layers (pyproject.toml, [tool.importlinter])."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "format", "--check", "."],
        ["ruff", "check", "."],
        ["mypy", "lawdesk", "tests"],
        ["lint-imports"],
    ],
    ids=["ruff-format", "ruff-check", "mypy", "import-layers"],
)
def test_code_passes(command: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # lint-imports imports the package from here
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Authorization in one layer: who holds which role, where, is read only in lawdesk/accounts (scoping.py: Scope,
# holds_at, users_holding…). Everywhere else asks that module, per role at its node.
ROLE_READS = re.compile(r"\.roles\b|\broles__|\bRoleAssignment\.objects\b|\bRoleAssignment\(")


def test_roles_are_read_only_in_the_accounts_layer() -> None:
    stray = []
    for path in (ROOT / "lawdesk").rglob("*.py"):
        relative = path.relative_to(ROOT / "lawdesk")
        if relative.parts[0] == "accounts" or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_READS.search(line):
                stray.append(f"lawdesk/{relative}:{number}: {line.strip()}")
    assert stray == []
