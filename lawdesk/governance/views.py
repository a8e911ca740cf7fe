"""The governance pages: the 民主法治示范村(社区) creation (applications, inspections, naming, review), the legal
opinions given to the town, the 平安创建 activities, and their Excel lists. Reads through the selectors (out of
reach: 404); every change through the services, whose Chinese messages come back under their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.forms import add_service_errors
from lawdesk.governance import selectors, services
from lawdesk.governance.criteria import CRITERIA
from lawdesk.governance.forms import (
    AdoptionForm,
    ApplyForm,
    DecideForm,
    InspectForm,
    OpinionForm,
    ReviewForm,
    SafetyForm,
)
from lawdesk.governance.models import CaseState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str, rows: list[Any]) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # offices, villages, towns and what was done: no citizen's personal data
    return mark_export(response, personal_data="none", rows=[r.pk for r in rows])


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user)
    today = clock.today()
    form = ApplyForm(
        request.POST or None, villages=selectors.villages_for(request.user), initial={"applied_on": today}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_apply(actor=request.user, today=today, **d)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记申报：{case}。")
            return redirect("governance:case", pk=case.pk)
    return render(
        request,
        "governance/index.html",
        {"cases": selectors.cases_for(request.user)[:300], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def cases_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.governance import exports

    selectors.require(request.user)
    cases = list(selectors.cases_for(request.user)[:5000])
    return _xlsx(exports.cases_workbook(cases), "model-villages.xlsx", cases)


@login_required
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_case_for(request.user, pk)
    today = clock.today()
    action = request.POST.get("action") if request.method == "POST" else None
    inspect = InspectForm(request.POST if action == "inspect" else None, initial={"date": today})
    decide = DecideForm(request.POST if action == "decide" else None, initial={"date": today})
    review = ReviewForm(request.POST if action == "review" else None, initial={"date": today})
    forms_by_action: dict[str, forms.Form] = {"inspect": inspect, "decide": decide, "review": review}
    form = forms_by_action.get(action or "")
    if form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "inspect":
                services.case_inspect(actor=request.user, case=record, today=today, **d)
                done = "已登记检查验收。"
            elif action == "decide":
                services.case_decide(actor=request.user, case=record, today=today, **d)
                done = "已审定：" + record.get_state_display() + "。"
            else:
                services.case_review(actor=request.user, case=record, today=today, **d)
                done = "已登记复核。"
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("governance:case", pk=record.pk)
    return render(
        request,
        "governance/case.html",
        {
            "case": record,
            "inspections": record.inspections.all(),
            "reviews": record.reviews.all(),
            "criteria": CRITERIA,
            "inspect": inspect,
            "decide": decide,
            "review": review,
            "applying": record.state == CaseState.APPLYING,
            "named": record.state == CaseState.NAMED,
            "can_decide": selectors.can_decide(request.user, record),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinions(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user)
    today = clock.today()
    form = OpinionForm(
        request.POST or None,
        offices=selectors.offices_for(request.user),
        initial={"requested_on": today, "opinion_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_record(actor=request.user, today=today, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记法律意见建议：{opinion.subject}。")
            return redirect("governance:opinion", pk=opinion.pk)
    return render(
        request,
        "governance/opinions.html",
        {"opinions": selectors.opinions_for(request.user)[:300], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def opinions_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.governance import exports

    selectors.require(request.user)
    rows = list(selectors.opinions_for(request.user)[:5000])
    return _xlsx(exports.opinions_workbook(rows), "legal-opinions.xlsx", rows)


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_opinion_for(request.user, pk)
    today = clock.today()
    form = AdoptionForm(request.POST or None, initial={"date": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_adoption(actor=request.user, opinion=record, today=today, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记采纳情况：{record.get_adoption_display()}。")
            return redirect("governance:opinion", pk=record.pk)
    return render(
        request,
        "governance/opinion.html",
        {"opinion": record, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def safety(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user)
    today = clock.today()
    form = SafetyForm(
        request.POST or None, offices=selectors.offices_for(request.user), initial={"date": today}
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.safety_record(actor=request.user, today=today, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记平安创建活动：{activity}。")
            return redirect("governance:safety")
    return render(
        request,
        "governance/safety.html",
        {"activities": selectors.safety_for(request.user)[:300], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def safety_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.governance import exports

    selectors.require(request.user)
    rows = list(selectors.safety_for(request.user)[:5000])
    return _xlsx(exports.safety_workbook(rows), "safety-activities.xlsx", rows)
