"""The legal-aid pages of a matter: the application form with its verdict, the preliminary review, the transfer
to a legal aid centre, the centre's decision, and the two printed PDFs.

Every read goes through ``matter_access.get_matter_for`` (out of reach: 404); every change through
``lawdesk.legalaid.services`` (which refuses what the actor may not do: 403).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.institutions.models import InstitutionKind
from lawdesk.legalaid import pdf, services
from lawdesk.legalaid.forms import ApplicationForm, CentreTransferForm, DecisionForm, ReviewForm
from lawdesk.legalaid.models import Decision, LegalAidApplication
from lawdesk.legalaid.panel import panel_context
from lawdesk.matters import access as matter_access
from lawdesk.matters import selectors
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.orgs import places
from lawdesk.people.policy import Door, disclose


def _matter(request: HttpRequest, pk: int) -> Matter:
    matter = matter_access.get_matter_for(request.user, pk)
    if matter.kind != MatterKind.LEGAL_AID:
        raise Http404("该事项不是法律援助申请。")
    return matter


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _centres(actor: Any, matter: Matter) -> Any:
    return selectors.transfer_targets(actor=actor, matter=matter, kind=InstitutionKind.LEGAL_AID_CENTRE)


def _page(
    request: HttpRequest, matter: Matter, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.user
    bound = bound or {}
    panel = panel_context(actor=actor, matter=matter)
    assert panel is not None
    application: LegalAidApplication | None = panel["application"]
    context: dict[str, Any] = {**panel, "panel": panel, "open": next(iter(bound), "")}
    if panel["can_edit"]:
        initial = (
            ApplicationForm.initial_from(application)
            if application
            else {
                "applied_on": timezone.localdate(matter.visit.received_at),
                "case_facts": matter.summary,
                "poverty_area": places.own_poverty_area(matter.node),
            }
        )
        context["application_form"] = bound.get("application") or ApplicationForm(
            initial=initial, matter=matter
        )
    if panel["can_review"]:
        context["review_form"] = bound.get("review") or ReviewForm()
    if panel["can_transfer"]:
        context["transfer_form"] = bound.get("transfer") or CentreTransferForm(
            institutions=_centres(actor, matter)
        )
    if panel["can_decide"]:
        context["decision_form"] = bound.get("decision") or DecisionForm(
            initial={"decided_on": clock.today(), "decision": Decision.GRANT}
        )
    context["person"] = matter.visit.person_as_told
    # A visit registered by reference (issue 16) shows what was said at it: nothing of the shared record to
    # reveal.
    context["full"] = disclose(actor, matter.node, Door.PAGE).may_reveal and not matter.visit.by_reference
    return render(request, "legalaid/application.html", context, status=status)


def _run(
    request: HttpRequest, matter: Matter, key: str, form: forms.Form, run: Any, done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            run(form)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            if matter_access.visible_matters(request.user).filter(pk=matter.pk).exists():
                return redirect("legalaid:application", matter_id=matter.pk)
            return redirect("desk:matters")
    return _page(request, matter, bound={key: form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = _matter(request, matter_id)
    if request.method == "GET":
        return _page(request, matter)
    if not services.can_edit_application(request.user, matter):
        raise PermissionDenied("您无权修改该申请表。")
    form = ApplicationForm(request.POST, matter=matter)
    return _run(
        request,
        matter,
        "application",
        form,
        lambda f: services.application_record(actor=request.user, matter=matter, data=f.to_input()),
        "已保存法律援助申请表。",
    )


@login_required
@require_POST
def review(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = _matter(request, matter_id)
    form = ReviewForm(request.POST)
    return _run(
        request,
        matter,
        "review",
        form,
        lambda f: services.preliminary_review(
            actor=request.user, matter=matter, opinion=f.cleaned_data["opinion"], note=f.cleaned_data["note"]
        ),
        "已登记初审意见。",
    )


@login_required
@require_POST
def transfer(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = _matter(request, matter_id)
    form = CentreTransferForm(request.POST, institutions=_centres(request.user, matter))
    return _run(
        request,
        matter,
        "transfer",
        form,
        lambda f: services.transfer_to_centre(
            actor=request.user,
            matter=matter,
            institution=f.cleaned_data["institution"],
            note=f.cleaned_data["note"],
        ),
        "已移交法律援助中心。",
    )


@login_required
@require_POST
def decision(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = _matter(request, matter_id)
    form = DecisionForm(request.POST)
    return _run(
        request,
        matter,
        "decision",
        form,
        lambda f: services.centre_decision(
            actor=request.user,
            matter=matter,
            decision=f.cleaned_data["decision"],
            decided_on=f.cleaned_data["decided_on"],
            reason=f.cleaned_data["reason"],
            lawyer_name=f.cleaned_data["lawyer_name"],
        ),
        "已登记受理决定。",
    )


def _pdf(request: HttpRequest, matter_id: int, template: str, filename: str) -> HttpResponse:
    matter = _matter(request, matter_id)
    application = services.application_of(matter)
    if application is None:
        raise Http404("该事项尚未填写法律援助申请表。")
    full = disclose(request.user, matter.node, Door.EXPORT).full
    body = pdf.render_pdf(template, pdf.context(application, full=full))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename={filename}"
    return mark_export(
        response, personal_data="full" if full else "masked", rows=[matter.pk], node=matter.node
    )


@login_required
@require_GET
def application_pdf(request: HttpRequest, matter_id: int) -> HttpResponse:
    return _pdf(request, matter_id, "legalaid/print_application.html", "application.pdf")


@login_required
@require_GET
def receipt_pdf(request: HttpRequest, matter_id: int) -> HttpResponse:
    return _pdf(request, matter_id, "legalaid/print_receipt.html", "receipt.pdf")
