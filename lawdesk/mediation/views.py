"""The mediation pages of one dispute: details and parties, routing to a committee, the committee's result.

Every read goes through ``matter_access.get_matter_for`` (out of reach or not a dispute: 404); every change through
``lawdesk.mediation.services``, whose Chinese messages come back under their fields."""

from __future__ import annotations

from typing import Any, Literal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.mediation import routing, services
from lawdesk.mediation.forms import DisputeForm, PartyFormSet, ResultForm, RouteForm
from lawdesk.mediation.models import DisputeDetail, PartyRole, PartyType
from lawdesk.mediation.panel import panel_context, read_detail


def _dispute_for(actor: Any, pk: int) -> Matter:
    matter = matter_access.get_matter_for(actor, pk)
    if matter.kind != MatterKind.DISPUTE:
        raise Http404("没有找到该纠纷，或您无权查看。")
    return matter


def _add_errors(form: forms.Form, exc: ValidationError) -> list[str]:
    """Put the service's messages under the form's fields; return those that belong to no field."""
    rest: list[str] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
            else:
                rest += [m for e in errors for m in e.messages]
    else:
        rest += exc.messages
    return rest


def _illegal(request: HttpRequest, matter: Matter, exc: ValidationError) -> HttpResponse | None:
    if getattr(exc, "code", None) == "illegal_move":
        messages.error(request, exc.messages[0])
        return redirect("desk:matter", pk=matter.pk)
    return None


def _render(
    request: HttpRequest,
    template: str,
    matter: Matter,
    status: int = 200,
    panel_detail: DisputeDetail | Literal[False] | None = False,
    **extra: Any,
) -> HttpResponse:
    panel = panel_context(actor=request.user, matter=matter, detail=panel_detail)
    context = {"matter": matter, "panel": panel, **extra}
    return render(request, template, context, status=status)


# --- details and parties ----------------------------------------------------------------------------------


def _party_initial(detail: DisputeDetail | None) -> list[dict[str, Any]]:
    if detail is None:
        return []
    return [
        {"role": p.role, "party_type": p.party_type, "name": p.name, "phone": p.phone, "address": p.address}
        for p in detail.parties.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _dispute_for(request.user, pk)
    detail = read_detail(matter)  # the form's initial values and the panel's details, read once
    can_edit = services.can_edit_dispute(request.user, matter)
    if request.method == "GET" or not can_edit:
        if request.method == "POST":
            raise PermissionDenied("只有首问负责人或其上级可以在移交前登记纠纷详情。")
        initial = (
            {
                "dispute_type": detail.dispute_type,
                "amount": detail.amount,
                "people_involved": detail.people_involved,
                "escalation_risk": detail.escalation_risk,
            }
            if detail
            else {"people_involved": 1}
        )
        return _render(
            request,
            "mediation/dispute_detail.html",
            matter,
            form=DisputeForm(initial=initial),
            parties=PartyFormSet(prefix="parties", initial=_party_initial(detail)),
            party_errors=[],
            can_edit=can_edit,
            panel_detail=detail,
        )
    data = request.POST.copy()
    adding = "add_party" in data
    if adding:
        total = int(data.get("parties-TOTAL_FORMS", "0") or 0)
        data["parties-TOTAL_FORMS"] = str(total + 1)
    form = DisputeForm(data)
    parties = PartyFormSet(data, prefix="parties")
    party_errors: list[str] = []
    if not adding and form.is_valid() and parties.is_valid():
        rows = [
            services.PartyInput(
                name=row.get("name", ""),
                role=row.get("role") or PartyRole.RESPONDENT,
                party_type=row.get("party_type") or PartyType.PERSON,
                phone=row.get("phone", ""),
                address=row.get("address", ""),
            )
            for row in parties.cleaned_data
            if row and not row.get("DELETE")
        ]
        people = form.cleaned_data["people_involved"]
        try:
            services.dispute_record(
                actor=request.user,
                matter=matter,
                dispute_type=form.cleaned_data["dispute_type"],
                parties=rows,
                people_involved=people if people is not None else 0,
                amount=form.cleaned_data["amount"],
                escalation_risk=form.cleaned_data["escalation_risk"],
            )
        except ValidationError as exc:
            if (response := _illegal(request, matter, exc)) is not None:
                return response
            party_errors = _add_errors(form, exc)
        else:
            text = "已保存纠纷详情。"
            if form.cleaned_data["escalation_risk"]:
                text += "已标记易激化，司法所和区司法局已收到预警。"
            messages.success(request, text + "请选择调解组织并移交。")
            return redirect("mediation:route", pk=matter.pk)
    return _render(
        request,
        "mediation/dispute_detail.html",
        matter,
        status=200 if adding else 400,
        form=form,
        parties=parties,
        party_errors=party_errors,
        can_edit=True,
    )


# --- routing ----------------------------------------------------------------------------------------------


def _committees(actor: Any) -> Any:
    return institution_access.visible_institutions(actor).filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE, is_active=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute_route(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _dispute_for(request.user, pk)
    detail = read_detail(matter)  # what the panel shows too, read once
    can_route = services.can_edit_dispute(request.user, matter) and detail is not None
    if request.method == "POST" and not can_route:
        if detail is None and services.can_edit_dispute(request.user, matter):
            messages.error(request, "请先登记纠纷详情，再移交调解组织。")
            return redirect("mediation:detail", pk=matter.pk)
        raise PermissionDenied("只有首问负责人或其上级可以在移交前选择调解组织。")
    proposal = (
        routing.propose(matter=matter, dispute_type=detail.dispute_type, place=detail.place)
        if detail
        else None
    )
    committees = _committees(request.user)
    others: list[Institution] = []
    if proposal is not None and can_route:  # listed in the form only
        listed = {c.pk for c in proposal.alternatives} | (
            {proposal.committee.pk} if proposal.committee else set()
        )
        others = [c for c in committees.order_by("name") if c.pk not in listed]
    status = 200
    if request.method == "POST":
        form = RouteForm(request.POST, committees=committees)
        if form.is_valid():
            committee = form.cleaned_data["committee"]
            if committee is None:
                form.add_error("committee", "请选择调解组织。")
            else:
                try:
                    services.dispute_route(
                        actor=request.user,
                        matter=matter,
                        committee=committee,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    if (response := _illegal(request, matter, exc)) is not None:
                        return response
                    for message in _add_errors(form, exc):
                        form.add_error(None, message)
                else:
                    matter.refresh_from_db()
                    messages.success(
                        request, f"已移交“{committee.name}”，承接期限 {matter.accept_due:%Y-%m-%d}。"
                    )
                    return redirect("desk:matter", pk=matter.pk)
        status = 400
    else:
        initial = {"committee": proposal.committee} if proposal and proposal.committee else {}
        form = RouteForm(initial=initial, committees=committees)
    return _render(
        request,
        "mediation/dispute_route.html",
        matter,
        status=status,
        form=form,
        proposal=proposal,
        others=others,
        can_route=can_route,
        detail=detail,
        panel_detail=detail,
    )


# --- the result -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mediation_result(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _dispute_for(request.user, pk)
    can_record = services.can_record_result(request.user, matter)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("只有已承接该纠纷的调解组织可以登记调解结果。")
        form = ResultForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.mediation_result_record(
                    actor=request.user,
                    matter=matter,
                    result=data["result"],
                    agreement_form=data["agreement_form"],
                    agreed_amount=data["agreed_amount"],
                    guidance=data["guidance"],
                    guidance_text=data["guidance_text"],
                    judicial_confirmation_advised=data["judicial_confirmation_advised"],
                    note=data["note"],
                )
            except ValidationError as exc:
                if (response := _illegal(request, matter, exc)) is not None:
                    return response
                for message in _add_errors(form, exc):
                    form.add_error(None, message)
            else:
                messages.success(request, "已登记调解结果，结果已返回受理平台和司法所。")
                return redirect("desk:matter", pk=matter.pk)
        status = 400
    else:
        form = ResultForm()
    return _render(
        request, "mediation/mediation_result.html", matter, status=status, form=form, can_record=can_record
    )
