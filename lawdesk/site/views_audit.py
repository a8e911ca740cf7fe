"""The auditors' search of the audit log (/audit/): by user, action, date range and object; paginated; its
JSON-lines export is itself audited (by ``AuditMiddleware``, as every export is).

Who: auditors (their subtree: rows made at a node in it or by a user holding a role in it; at the city bureau,
everything), city admins and system admins (everything). Everyone else gets 403.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.models import AuditLog
from lawdesk.core.shipping import row_line
from lawdesk.orgs.models import NodeKind, OrgNode

AUDIT_ROLES = frozenset({Role.AUDITOR, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
EXPORT_LIMIT = 50_000

ACTION_LABELS = {a.value: str(a.label) for a in AuditAction}  # the audit log's one vocabulary


# The words the audit page uses for what a row's data records (the keys stay as stored, for the export).
DATA_LABELS = {
    "path": "地址", "format": "格式", "personal_data": "个人信息", "field": "查看项", "events": "办理记录",
    "also": "同时", "role": "角色", "reason": "原因", "username": "用户名", "rows": "记录数",
    "matter": "事项", "institution": "机构", "department": "部门", "rating": "评分", "via": "方式",
    "opinion": "意见", "decision": "决定", "week": "周次", "days": "日期", "sessions_ended": "结束会话",
    "node": "节点", "changed": "修改项", "status": "状态",
}  # fmt: skip
PERSONAL_DATA_WORDS = {"full": "完整", "masked": "已隐去部分", "none": "不含", "unknown": "未标明"}


def data_items(data: dict[str, Any]) -> list[tuple[str, str]]:
    items = []
    for key, value in data.items():
        if key == "personal_data":
            value = PERSONAL_DATA_WORDS.get(str(value), value)
        elif key == "events" and isinstance(value, list):
            value = "、".join(ACTION_LABELS.get(f"matter.{e.get('code')}", str(e.get("code"))) for e in value)
        elif key == "also" and isinstance(value, list):
            value = "、".join(ACTION_LABELS.get(str(a), str(a)) for a in value)
        items.append((DATA_LABELS.get(key, key), str(value)))
    return items


def visible_audit_rows(actor: Any) -> QuerySet[AuditLog]:
    """The audit rows the actor may search; PermissionDenied for roles that may not search the log."""
    grants = scoping.scope_for(actor).grants_of(*AUDIT_ROLES)
    if not grants:
        raise PermissionDenied("只有审计人员、市局管理员和系统管理员可以查询操作日志。")
    if any(g.role != Role.AUDITOR or g.node_kind == NodeKind.CITY_BUREAU for g in grants):
        return AuditLog.objects.all()
    paths = [g.path for g in grants if g.path]
    in_subtree = _subtree_q(paths)
    actors = Q(pk__in=[])
    for path in paths:  # people who work in the auditor's subtree (their actions anywhere)
        actors |= Q(pk__in=scoping.users_holding(within=OrgNode(path=path)).values("pk"))
    return AuditLog.objects.filter(in_subtree | Q(actor__in=User.objects.filter(actors)))


def _subtree_q(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(node__path__startswith=path)
    return q


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def search_audit(actor: Any, params: dict[str, str]) -> tuple[QuerySet[AuditLog], list[str]]:
    """Filter the actor's rows by ``user`` (username contains), ``action`` (prefix), ``date_from``/``date_to``
    (local dates, inclusive) and ``object`` (type, number or name contains). Returns the rows and the errors."""
    rows = visible_audit_rows(actor).select_related("actor", "node")
    errors: list[str] = []
    if user := params.get("user", "").strip():
        rows = rows.filter(Q(actor__username__icontains=user) | Q(data__username=user))
    if action := params.get("action", "").strip():
        rows = rows.filter(action__startswith=action)
    tz = timezone.get_current_timezone()
    for key, label in (("date_from", "起始日期"), ("date_to", "截止日期")):
        raw = params.get(key, "").strip()
        if not raw:
            continue
        day = _date(raw)
        if day is None:
            errors.append(f"{label}“{raw}”格式不正确，应为 YYYY-MM-DD。")
            continue
        if key == "date_from":
            rows = rows.filter(created_at__gte=datetime.datetime.combine(day, datetime.time.min, tzinfo=tz))
        else:
            end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
            rows = rows.filter(created_at__lt=end)
    if obj := params.get("object", "").strip():
        rows = rows.filter(Q(object_type__icontains=obj) | Q(object_id=obj) | Q(object_repr__icontains=obj))
    return rows.order_by("-created_at", "-id"), errors


@login_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in ("user", "action", "date_from", "date_to", "object")}
    rows, errors = search_audit(request.user, params)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page:
        row.action_label = ACTION_LABELS.get(row.action, row.action)  # type: ignore[attr-defined]
        row.data_items = data_items(row.data or {})  # type: ignore[attr-defined]
    actions = sorted(set(AuditLog.objects.values_list("action", flat=True).distinct()[:200]))
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "core/audit_search.html",
        {
            "page": page,
            "params": params,
            "errors": errors,
            "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
            "query": query,
        },
    )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The search's rows as JSON lines (at most 50,000); the download is audited like every export."""
    params = {k: request.GET.get(k, "") for k in ("user", "action", "date_from", "date_to", "object")}
    rows, _errors = search_audit(request.user, params)
    body = "".join(row_line(r) for r in rows[:EXPORT_LIMIT])
    response = HttpResponse(body.encode(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=audit-{clock.today():%Y%m%d}.jsonl"
    return mark_export(response, personal_data="none")
