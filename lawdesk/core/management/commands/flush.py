"""Django's ``flush`` (empty every table: a database administrator's operation, used by the test runner between
transactional tests), with the audit log's append-only triggers lifted for the moment it runs.

The application never deletes audit rows; emptying the whole database is the one administrative path that
does, and it is the same as dropping the database.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from lawdesk.core.audit import set_append_only_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        set_append_only_triggers(connection, enabled=False)
        try:
            super().handle(**options)
        finally:
            set_append_only_triggers(connection, enabled=True)
