"""The audit log: writing rows, the events around the services, and the database's append-only triggers.

``audit()`` writes the row of a state change (call it inside the service's transaction); ``audit_event()``
writes the row of anything else worth accounting for. Besides the services' rows, this module records:

- logins, failed logins and logouts (Django's auth signals, connected in ``CoreConfig.ready``);
- permission denials: a ``PermissionDenied`` or a scoping ``Http404`` raised in a view for a logged-in user,
  or any 403 answer (``AuditMiddleware``); a URL that matches no route is not a denial and is not recorded;
- every export: any response that is a download (Excel, PDF, CSV) or a printable page for a logged-in user
  (``AuditMiddleware``; the view may say whether it holds personal data in full with ``mark_export``);
- every streamed download of a stored file (a ``FileResponse``: scans, photos, inspection files), once, as
  ``download``;
- full reads of personal data (``lawdesk.matters.personal_data.person_reveal``, ``contact_reveal``: from the pages'
  and the API's reveal);
- every API response carrying personal data, masked or not: one ``personal_data.bulk_read`` row naming its rows
  (``lawdesk.people.policy.record_bulk_read``);
- every move of a matter (each ``MatterEvent`` the matter services write becomes an audit row too).

Only the path is recorded, never the query string or the body: personal data stays out of the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404

from lawdesk.core import service
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.models import AuditLog

logger = logging.getLogger(__name__)

EXPORT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/pdf": "pdf",
    "text/csv": "csv",
}


def audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    node: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """The audit row of a state change. Inside a public service (``lawdesk.core.service``) it is gathered into
    the service's one row; outside (a job, the admin) it is written at once."""
    return _record(
        actor=actor, action=action, object_type=obj._meta.label, object_id=str(obj.pk),
        object_repr=str(obj)[:200], node=node, data=data,
    )  # fmt: skip


def _record(
    *, actor: Any, action: str, object_type: str = "", object_id: str = "", object_repr: str = "",
    node: Any = None, data: dict[str, Any] | None = None, ip_address: str | None = None, event: bool = False,
) -> AuditLog:  # fmt: skip
    AuditAction(action)  # one vocabulary: any other name is a programming error
    actor_id = (
        actor
        if isinstance(actor, int) or actor is None
        else (actor.pk if getattr(actor, "pk", None) else None)
    )
    node_id = node if isinstance(node, int) or node is None else node.pk
    call = service.current()
    if call is not None:
        call.rows.append(
            service.Row(
                actor_id=actor_id, action=action, object_type=object_type[:60], object_id=str(object_id)[:40],
                object_repr=object_repr[:200], node_id=node_id, data=data or {}, ip_address=ip_address,
                event=event,
            )
        )  # fmt: skip
        return AuditLog(actor_id=actor_id, action=action, object_type=object_type, object_id=object_id)
    return AuditLog.objects.create(
        actor_id=actor_id, action=action, object_type=object_type[:60], object_id=str(object_id)[:40],
        object_repr=object_repr[:200], node_id=node_id, data=data or {}, ip_address=ip_address,
    )  # fmt: skip


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_event(
    *,
    actor: Any,
    action: str,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    node: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """The audit row of an event that is not a state change (login, denial, export, full read)."""
    return _record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        node=node,
        data=data,
        ip_address=client_ip(request),
    )


# --- logins ------------------------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="lawdesk.audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_event(
        actor=user, action="auth.login", request=request, object_type="accounts.User", object_id=str(user.pk),
        object_repr=user.get_username(),
    )  # fmt: skip


@receiver(user_login_failed, dispatch_uid="lawdesk.audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_event(
        actor=None, action="auth.login_failed", request=request, object_type="accounts.User",
        object_repr=username, data={"username": username},
    )  # fmt: skip


@receiver(user_logged_out, dispatch_uid="lawdesk.audit.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    audit_event(
        actor=user, action="auth.logout", request=request, object_type="accounts.User", object_id=str(user.pk),
        object_repr=user.get_username(),
    )  # fmt: skip


# --- matter moves -----------------------------------------------------------------------------------------


@receiver(post_save, sender="matters.MatterEvent", dispatch_uid="lawdesk.audit.matter_event")
def _matter_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """The matter services record each move as a MatterEvent (the timeline); every one is also an audit row,
    written in the same transaction. The event's free-text note stays on the timeline only."""
    if not created:
        return
    _record(
        actor=instance.actor_id, action=f"matter.{instance.code}", object_type="matters.Matter",
        object_id=str(instance.matter_id), object_repr=f"事项 #{instance.matter_id}", node=instance.node_id,
        data={"event_id": instance.pk, "from_state": instance.from_state, "to_state": instance.to_state},
        event=True,
    )  # fmt: skip


# --- denials and exports -----------------------------------------------------------------------------------


# An export's row names at most this many of the rows it held (and always how many).
EXPORT_ROWS_NAMED = 5000


def mark_export(
    response: HttpResponse, *, personal_data: str, rows: list[Any] | None = None, node: Any = None
) -> HttpResponse:
    """Tell the audit what an export holds: ``"full"`` (unmasked personal data), ``"masked"`` or ``"none"``,
    which rows (their numbers or ids) and whose (``node``: the unit exported, so that an auditor of that part of
    the tree sees the row), so that its ``export`` row names them."""
    response.lawdesk_personal_data = personal_data  # type: ignore[attr-defined]
    if node is not None:
        response.lawdesk_node = node  # type: ignore[attr-defined]
    if rows is not None:
        response.lawdesk_rows = [str(r) for r in rows]  # type: ignore[attr-defined]
    return response


def _export_rows(response: HttpResponse) -> dict[str, Any]:
    rows = getattr(response, "lawdesk_rows", None)
    if rows is None:
        return {}
    named: dict[str, Any] = {"count": len(rows), "rows": rows[:EXPORT_ROWS_NAMED]}
    if len(rows) > EXPORT_ROWS_NAMED:
        named["rows_truncated"] = True
    return named


def _export_format(response: HttpResponse) -> str:
    content_type = (response.get("Content-Type") or "").split(";")[0].strip()
    fmt = EXPORT_TYPES.get(content_type, "")
    if not fmt and "attachment" in (response.get("Content-Disposition") or ""):
        fmt = "file"
    return fmt


def _filename(response: HttpResponse) -> str:
    disposition = response.get("Content-Disposition") or ""
    for part in disposition.split(";"):
        part = part.strip()
        if part.lower().startswith("filename*=utf-8''"):
            return unquote(part[len("filename*=utf-8''") :])[:200]
    for part in disposition.split(";"):
        part = part.strip()
        if part.startswith("filename="):
            return part[len("filename=") :].strip('"')[:200]
    return ""


class AuditMiddleware:
    """Records permission denials, exports and streamed downloads of logged-in users (after
    AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        try:
            if response.status_code == 403 and not getattr(request, "_lawdesk_denial_audited", False):
                self._denial(request, status=403, reason="forbidden")
            elif response.status_code == 200 and getattr(response, "streaming", False):
                # A stored file streamed out (an attachment, a photo, an inspection file: any FileResponse): one
                # row, written before the first byte goes out.
                audit_event(
                    actor=user,
                    action="download",
                    request=request,
                    object_type="file",
                    object_repr=_filename(response) or request.path[:200],
                    data={
                        "path": request.path,
                        "content_type": (response.get("Content-Type") or "").split(";")[0].strip(),
                        "personal_data": getattr(response, "lawdesk_personal_data", "unknown"),
                    },
                )
            elif response.status_code == 200:
                fmt = _export_format(response)
                if fmt:
                    audit_event(
                        actor=user,
                        action="export",
                        request=request,
                        object_type="export",
                        object_repr=_filename(response) or request.path[:200],
                        node=getattr(response, "lawdesk_node", None),
                        data={
                            "path": request.path,
                            "format": fmt,
                            "personal_data": getattr(response, "lawdesk_personal_data", "unknown"),
                            **_export_rows(response),
                        },
                    )
        except Exception:  # auditing must not turn an answer into an error page, but it must be seen
            logger.exception("操作日志写入失败：%s", request.path)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if isinstance(exception, PermissionDenied):
            self._denial(request, status=403, reason="permission_denied")
        elif isinstance(exception, Http404) and not isinstance(exception, Resolver404):
            # Scoping answers 404 for a record out of reach exactly like a missing one: both are recorded.
            self._denial(request, status=404, reason="not_found_or_out_of_reach")
        return None

    def _denial(self, request: HttpRequest, *, status: int, reason: str) -> None:
        request._lawdesk_denial_audited = True  # type: ignore[attr-defined]
        try:
            audit_event(
                actor=request.user,
                action="access.denied",
                request=request,
                object_type="url",
                object_repr=request.path[:200],
                data={"path": request.path, "method": request.method, "status": status, "reason": reason},
            )
        except Exception:
            logger.exception("操作日志写入失败：%s", request.path)


# --- database triggers: the table refuses UPDATE and DELETE ------------------------------------------------

_SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS core_auditlog_no_update BEFORE UPDATE ON core_auditlog "
    "BEGIN SELECT RAISE(ABORT, 'core_auditlog is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS core_auditlog_no_delete BEFORE DELETE ON core_auditlog "
    "BEGIN SELECT RAISE(ABORT, 'core_auditlog is append-only'); END",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditlog_no_update",
    "DROP TRIGGER IF EXISTS core_auditlog_no_delete",
]
_PG_CREATE = [
    "CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'core_auditlog is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS core_auditlog_no_change ON core_auditlog",
    "CREATE TRIGGER core_auditlog_no_change BEFORE UPDATE OR DELETE ON core_auditlog "
    "FOR EACH ROW EXECUTE FUNCTION core_auditlog_append_only()",
    "DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON core_auditlog",
    "CREATE TRIGGER core_auditlog_no_truncate BEFORE TRUNCATE ON core_auditlog "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_auditlog_append_only()",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS core_auditlog_no_change ON core_auditlog",
    "DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON core_auditlog",
]


def trigger_sql(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return _SQLITE_CREATE if create else _SQLITE_DROP
    if vendor == "postgresql":
        return _PG_CREATE if create else _PG_DROP
    return []


def set_append_only_triggers(connection: Any, *, enabled: bool) -> None:
    if AuditLog._meta.db_table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for sql in trigger_sql(connection.vendor, create=enabled):
            cursor.execute(sql)
