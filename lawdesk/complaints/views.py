"""Pages of the complaints register under /desk/complaints/: the list, the record form, the complaint page and
its moves. Every read goes through ``matter_access.get_matter_for`` (a complaint out of reach — or against the
actor — answers 404); every change through ``lawdesk.complaints.services``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.complaints import services
from lawdesk.complaints.forms import ComplaintForm, intake_nodes
from lawdesk.complaints.ledger import complainant_label
from lawdesk.complaints.panel import allowed_moves, build_form, panel_context
from lawdesk.complaints.rules import can_see_complainant
from lawdesk.matters import access as matter_access
from lawdesk.matters import commands
from lawdesk.matters.models import Matter, MatterKind


def _complaint_for(actor: Any, pk: Any) -> Matter:
    matter = matter_access.get_matter_for(actor, pk)
    if matter.kind != MatterKind.COMPLAINT or panel_context(actor=actor, matter=matter) is None:
        raise Http404("没有找到该投诉，或您无权查看。")
    return matter


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    if scoping.scope_for(request.user).is_empty:
        raise PermissionDenied("您的账号没有可查看投诉的角色。")
    matters = (
        matter_access.visible_matters(request.user)
        .filter(kind=MatterKind.COMPLAINT, complaint__isnull=False)
        .select_related("node", "visit", "institution", "complaint", "owner", "complaint__recorded_by")
        .order_by("-visit__received_at", "-id")
    )
    page = Paginator(matters, 30).get_page(request.GET.get("page"))
    rows = [
        {
            "matter": m,
            "detail": m.complaint,
            "complainant": complainant_label(m.complaint, can_see_complainant(request.user, m)),
        }
        for m in page
    ]
    return render(
        request,
        "complaints/list.html",
        {"page": page, "rows": rows, "can_record": bool(intake_nodes(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    nodes = intake_nodes(request.user)
    if not nodes:
        raise PermissionDenied("只有窗口接待人员或司法所工作人员可以登记投诉。")
    form = ComplaintForm(request.POST or None, actor=request.user, nodes=nodes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                detail = services.complaint_record(
                    actor=request.user,
                    node=data["node"],
                    statement=data["statement"],
                    channel=data["channel"],
                    anonymous=data["anonymous"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    subject_user=data["subject_user"],
                    subject_name=data["subject_name"],
                    subject_unit=data["subject_unit"],
                    received_at=data["received_at"],
                    department=data["department"],
                    client_token=data["client_token"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                matter = detail.matter
                done = f"已登记投诉（群众投诉登记本〔{matter.ledger_year}〕第{matter.ledger_seq:04d}号）"
                if matter.institution_id:
                    done += f"，已转交“{matter.institution}”，确认收到期限 {matter.accept_due:%Y-%m-%d}"
                if detail.received_node_id is not None:
                    done += f"。被投诉人在本平台工作，该投诉由“{matter.node.name}”登记办理"
                messages.success(request, done + "。")
                if not matter_access.visible_matters(request.user).filter(pk=matter.pk).exists():
                    return redirect("complaints:list")
                return redirect("complaints:detail", pk=matter.pk)
        status = 400
    return render(request, "complaints/record.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest, matter: Matter, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    context = {"matter": matter, "complaint": panel_context(actor=request.user, matter=matter, bound=bound)}
    return render(request, "complaints/detail.html", context, status=status)


@login_required
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _complaint_for(request.user, pk))


@dataclass(frozen=True)
class Step:
    """A move of the register page: its form's fields carried over to the complaint table's command."""

    command: str  # the key in lawdesk.complaints.commands
    fields: dict[str, str]  # this page's field → the command form's field

    def data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for mine, theirs in self.fields.items():
            value = cleaned.get(mine)
            out[theirs] = "" if value is None else getattr(value, "pk", value)
        return out

    def back(self, field: str) -> str:
        return {theirs: mine for mine, theirs in self.fields.items()}.get(field, field)


STEPS: dict[str, Step] = {
    "pass_on": Step("transfer", {"department": "institution", "note": "note"}),
    "acknowledge": Step("accept", {"note": "note"}),
    "answer": Step("outcome", {"answer": "outcome"}),
    "response": Step("tell", {"via": "told_via", "satisfied": "satisfied", "response": "note"}),
    "note": Step("complaint_note", {"text": "text"}),
}


@login_required
@require_POST
def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One move of the register page, issued as the complaint table's command (``commands.issue``): the same
    rules and messages as the matter page and the API."""
    matter = _complaint_for(request.user, pk)
    step = STEPS[action]
    form = build_form(action, request.user, request.POST)
    allowed = action in allowed_moves(request.user, matter)
    if not form.is_valid():
        if not allowed:
            raise PermissionDenied("您不能对该投诉进行此操作。")
        return _render_detail(request, matter, bound={action: form}, status=400)
    try:
        issued = commands.issue(
            actor=request.user, matter=matter, key=step.command, data=step.data(form.cleaned_data)
        )
    except ValidationError as exc:
        if not allowed:
            # The step does not fit the complaint's state, so its form is not on the page: say why up top.
            for message in exc.messages:
                messages.error(request, message)
            return _render_detail(request, matter, status=400)
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for field, messages_ in errors.items():
            name = step.back(field)
            form.add_error(name if name in form.fields else None, messages_)
        return _render_detail(request, matter, bound={action: form}, status=400)
    messages.success(request, issued.message)
    if matter_access.visible_matters(request.user).filter(pk=matter.pk).exists():
        return redirect("complaints:detail", pk=matter.pk)
    return redirect("complaints:list")
