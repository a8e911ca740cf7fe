"""Pages of the complaints register under /desk/complaints/: the list, the record form, the complaint page and
its moves. Every read goes through ``scoping.get_matter_for`` (a complaint out of reach — or against the
actor — answers 404); every change through ``lawdesk.complaints.services``."""

from __future__ import annotations

from collections.abc import Callable
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
from lawdesk.complaints.forms import ComplaintForm, ResponseForm, intake_nodes
from lawdesk.complaints.ledger import complainant_label
from lawdesk.complaints.panel import allowed_moves, build_form, panel_context
from lawdesk.complaints.rules import can_see_complainant
from lawdesk.matters.models import Matter, MatterKind


def _complaint_for(actor: Any, pk: Any) -> Matter:
    matter = scoping.get_matter_for(actor, pk)
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
        scoping.visible_matters(request.user)
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
    if not intake_nodes(request.user):
        raise PermissionDenied("只有窗口接待人员或司法所工作人员可以登记投诉。")
    form = ComplaintForm(request.POST or None, actor=request.user)
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
                messages.success(request, done + "。")
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
class Action:
    run: Callable[[Any, Matter, forms.Form], Any]
    done: str


def _response(actor: Any, matter: Matter, form: forms.Form) -> Any:
    assert isinstance(form, ResponseForm)
    d = form.cleaned_data
    return services.complaint_response(
        actor=actor, matter=matter, satisfied=form.satisfied_value(), response=d["response"], via=d["via"]
    )


ACTIONS: dict[str, Action] = {
    "pass_on": Action(
        lambda a, m, f: services.complaint_pass_on(
            actor=a, matter=m, department=f.cleaned_data["department"], note=f.cleaned_data["note"]
        ),
        "已转交处理部门。",
    ),
    "acknowledge": Action(
        lambda a, m, f: services.complaint_acknowledge(actor=a, matter=m, note=f.cleaned_data["note"]),
        "已确认收到该投诉，请在期限内答复。",
    ),
    "answer": Action(
        lambda a, m, f: services.complaint_answer(actor=a, matter=m, answer=f.cleaned_data["answer"]),
        "已登记处理结果，已返回登记平台答复投诉人。",
    ),
    "response": Action(_response, "已登记答复投诉人及投诉人意见。"),
    "note": Action(
        lambda a, m, f: services.complaint_add_note(actor=a, matter=m, text=f.cleaned_data["text"]),
        "已追加补充记录。",
    ),
}


@login_required
@require_POST
def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    matter = _complaint_for(request.user, pk)
    form = build_form(action, request.user, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].run(request.user, matter, form)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "illegal_move":
                messages.error(request, exc.messages[0])
                return redirect("complaints:detail", pk=matter.pk)
            _add_errors(form, exc)
        else:
            messages.success(request, ACTIONS[action].done)
            if scoping.visible_matters(request.user).filter(pk=matter.pk).exists():
                return redirect("complaints:detail", pk=matter.pk)
            return redirect("complaints:list")
    elif action not in allowed_moves(request.user, matter):
        raise PermissionDenied("您不能对该投诉进行此操作。")
    if action not in allowed_moves(request.user, matter):
        # The step does not fit the complaint's state, so its form is not on the page: say why up top.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return _render_detail(request, matter, bound={action: form}, status=400)
