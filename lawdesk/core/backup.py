"""Backup and restore of the whole database, verified table by table.

SQLite: the online backup API (a consistent copy while the site runs). PostgreSQL: ``pg_dump -Fc`` and
``pg_restore``. Next to every backup lies a manifest (``<backup>.manifest.json``): for every table its row count
and a SHA-256 over its rows in key order. A restore is accepted only when the restored database gives the same
count and checksum for every table.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connections

from lawdesk.core import clock

# Rows are hashed in batches of this size (server-side cursor on PostgreSQL).
BATCH = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def _row_text(row: Iterable[Any]) -> bytes:
    parts = []
    for value in row:
        if isinstance(value, memoryview):
            value = bytes(value)
        if isinstance(value, bytes):
            parts.append(value.hex())
        elif isinstance(value, datetime.datetime):
            parts.append(value.isoformat())
        elif isinstance(value, float):
            parts.append(repr(value))
        elif isinstance(value, (dict, list)):
            parts.append(json.dumps(value, sort_keys=True, ensure_ascii=False))
        else:
            parts.append("\\N" if value is None else str(value))
    return ("\t".join(parts) + "\n").encode()


def _pg_connect(settings_dict: Mapping[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=str(settings_dict["NAME"]),
        host=str(settings_dict.get("HOST") or "") or None,
        port=str(settings_dict.get("PORT") or "") or None,
        user=str(settings_dict.get("USER") or "") or None,
        password=str(settings_dict.get("PASSWORD") or "") or None,
    )


def _pg_sums(pg: Any) -> dict[str, TableSum]:
    """Row count and checksum of every table in the public schema, in primary-key order."""
    tables = [
        r[0]
        for r in pg.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    result: dict[str, TableSum] = {}
    for table in tables:
        columns = [
            r[0]
            for r in pg.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        key = [
            r[0]
            for r in pg.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [f'public."{table}"'],
            ).fetchall()
        ] or columns
        select = ", ".join(f'"{c}"' for c in columns)
        order = ", ".join(f'"{c}"' for c in key)
        digest = hashlib.sha256()
        rows = 0
        with pg.cursor(name=f"sum_{len(result)}") as cursor:
            cursor.itersize = BATCH
            cursor.execute(f'SELECT {select} FROM public."{table}" ORDER BY {order}')
            for row in cursor:
                digest.update(_row_text(row))
                rows += 1
        result[table] = TableSum(rows, digest.hexdigest())
    return result


def table_sums(alias: str = "default") -> dict[str, TableSum]:
    """Row count and checksum of every table of the live database behind ``alias``."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        return _sqlite_file_sums(Path(str(connection.settings_dict["NAME"])))
    with _pg_connect(connection.settings_dict) as pg:
        return _pg_sums(pg)


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def _write_manifest(backup: Path, vendor: str, sums: dict[str, TableSum]) -> None:
    manifest = {
        "vendor": vendor,
        "created_at": clock.now().isoformat(),
        "file_sha256": _file_sha256(backup),
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()},
    }
    manifest_path(backup).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))


def read_manifest(backup: Path) -> dict[str, Any]:
    path = manifest_path(backup)
    if not path.exists():
        raise BackupError(f"找不到备份清单 {path}，无法校验。")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("file_sha256") != _file_sha256(backup):
        raise BackupError(f"备份文件 {backup} 与清单中的校验值不符，文件可能已损坏或被改动。")
    return manifest


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _pg_args(settings_dict: Mapping[str, Any]) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    return args


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端（apt-get install postgresql-client）。")
    return path


def backup(*, output: Path, alias: str = "default") -> dict[str, TableSum]:
    """Write a consistent copy of the database to ``output`` and its manifest beside it."""
    connection = connections[alias]
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        raise BackupError(f"{output} 已存在，请换一个文件名。")
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        sums = _sqlite_file_sums(output)
    elif vendor == "postgresql":
        settings_dict = connection.settings_dict
        with _pg_connect(settings_dict) as pg:
            # One snapshot for the dump and the checksums: export it and hand it to pg_dump.
            pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
            subprocess.run(
                [
                    _require_tool("pg_dump"),
                    *_pg_args(settings_dict),
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(output),
                    str(settings_dict["NAME"]),
                ],
                check=True,
                env=_pg_env(settings_dict),
                capture_output=True,
            )
            sums = _pg_sums(pg)
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    _write_manifest(output, vendor, sums)
    return sums


def _sqlite_file_sums(path: Path) -> dict[str, TableSum]:
    """Checksums of a SQLite file, computed the same way as ``table_sums`` (the file is opened read-only)."""
    db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            if not r[0].startswith("sqlite_")
        ]
        result: dict[str, TableSum] = {}
        for table in names:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            order = ", ".join(f'"{c}"' for c in columns)
            digest = hashlib.sha256()
            rows = 0
            cursor = db.execute(f'SELECT {order} FROM "{table}" ORDER BY {order}')
            while batch := cursor.fetchmany(BATCH):
                for row in batch:
                    digest.update(_row_text(row))
                rows += len(batch)
            result[table] = TableSum(rows, digest.hexdigest())
        return result
    finally:
        db.close()


def restore(*, backup_file: Path, target: str) -> dict[str, TableSum]:
    """Restore ``backup_file`` into ``target`` (a SQLite file path, or a PostgreSQL database URL whose
    database exists and is empty), then verify every table against the manifest. Returns the sums."""
    manifest = read_manifest(backup_file)
    vendor = manifest["vendor"]
    if vendor == "sqlite":
        target_path = Path(target.removeprefix("sqlite:///"))
        if target_path.exists() and target_path.stat().st_size > 0:
            raise BackupError(f"目标数据库 {target_path} 已存在，不会覆盖；请指定一个新文件。")
        source = sqlite3.connect(f"file:{quote(str(backup_file))}?mode=ro", uri=True)
        dest = sqlite3.connect(target_path)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        sums = _sqlite_file_sums(target_path)
    elif vendor == "postgresql":
        import dj_database_url

        settings_dict = dj_database_url.parse(target)
        subprocess.run(
            [
                _require_tool("pg_restore"),
                *_pg_args(settings_dict),
                "--no-owner",
                "--exit-on-error",
                "-d",
                str(settings_dict["NAME"]),
                str(backup_file),
            ],
            check=True,
            env=_pg_env(settings_dict),
            capture_output=True,
        )
        sums = _postgres_sums(settings_dict)
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    verify(manifest, sums)
    return sums


def _postgres_sums(settings_dict: Mapping[str, Any]) -> dict[str, TableSum]:
    with _pg_connect(settings_dict) as pg:
        return _pg_sums(pg)


def verify(manifest: dict[str, Any], sums: dict[str, TableSum]) -> None:
    expected = manifest["tables"]
    problems = []
    for table in sorted(set(expected) | set(sums)):
        want, got = expected.get(table), sums.get(table)
        if want is None:
            problems.append(f"{table}：备份中没有此表")
        elif got is None:
            problems.append(f"{table}：恢复后缺少此表")
        elif want["rows"] != got.rows:
            problems.append(f"{table}：行数 {got.rows}，应为 {want['rows']}")
        elif want["sha256"] != got.sha256:
            problems.append(f"{table}：校验值不符")
    if problems:
        raise BackupError("恢复后校验未通过：\n" + "\n".join(problems))
