"""Backup and restore round trip on the database the suite runs on (SQLite or PostgreSQL).

The restore is checked table by table (row count and checksum) against the manifest written at backup time;
a restored copy that lost a row, or a backup file changed afterwards, is refused.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lawdesk.core import backup as backup_module
from lawdesk.core.backup import BackupError, read_manifest, table_sums
from lawdesk.matters import services
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(tree: Tree, personas: Personas) -> None:
    services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="备份测试", phone="13800000001"),
        matters=[services.MatterInput(kind="consultation", summary="备份恢复")],
    )


@pytest.fixture
def target(tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_gives_every_table_back_row_for_row(
    data: None, tmp_path: Path, target: str
) -> None:
    backup_file = tmp_path / "lawdesk.backup"
    call_command("backup_db", output=str(backup_file))
    manifest = read_manifest(backup_file)
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["matters_visit"]["rows"] == 1
    assert manifest["tables"]["orgs_orgnode"]["rows"] == 12  # the test tree

    sums = backup_module.restore(backup_file=backup_file, target=target)
    assert {t: (s.rows, s.sha256) for t, s in sums.items()} == {
        t: (v["rows"], v["sha256"]) for t, v in manifest["tables"].items()
    }
    if connection.vendor == "postgresql":
        # On PostgreSQL the manifest was taken from the live database in the dump's snapshot.
        live = table_sums()
        assert sums["matters_visit"] == live["matters_visit"]


def test_a_restored_copy_missing_a_row_fails_the_check(data: None, tmp_path: Path, target: str) -> None:
    backup_file = tmp_path / "lawdesk.backup"
    call_command("backup_db", output=str(backup_file))
    manifest = read_manifest(backup_file)
    backup_module.restore(backup_file=backup_file, target=target)

    if connection.vendor == "sqlite":
        db = sqlite3.connect(target)
        db.execute("DELETE FROM matters_matterevent WHERE id = (SELECT MAX(id) FROM matters_matterevent)")
        db.commit()
        db.close()
        sums = backup_module._sqlite_file_sums(Path(target))
    else:
        import dj_database_url
        import psycopg

        settings_dict = dj_database_url.parse(target)
        with psycopg.connect(target.replace("postgres://", "postgresql://")) as pg:
            pg.execute("DELETE FROM matters_matterevent WHERE id = (SELECT MAX(id) FROM matters_matterevent)")
        sums = backup_module._postgres_sums(settings_dict)
    with pytest.raises(BackupError, match="matters_matterevent"):
        backup_module.verify(manifest, sums)


def test_a_changed_backup_file_is_refused(data: None, tmp_path: Path, target: str) -> None:
    backup_file = tmp_path / "lawdesk.backup"
    call_command("backup_db", output=str(backup_file))
    with backup_file.open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(CommandError, match="校验值不符"):
        call_command("restore_db", input=str(backup_file), target=target)


def test_backup_never_overwrites_a_file(data: None, tmp_path: Path) -> None:
    backup_file = tmp_path / "lawdesk.backup"
    backup_file.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup_db", output=str(backup_file))
    assert backup_file.read_bytes() == b"keep me"
