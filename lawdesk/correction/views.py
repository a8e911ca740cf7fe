"""The correction pages under /desk/correction/: the register, a supervisee's page (timeline and forms), the
released persons and their pages, the deadline board, the ledger and the national-system export. Only holders
of ``Role.CORRECTION_OFFICER`` open them (404 for everyone else); every page that shows a person writes a
``correction.read`` audit row; full identity numbers only through the audited reveal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.correction import deadlines, selectors, services
from lawdesk.correction.forms import (
    CloseForm,
    EndForm,
    HandoverForm,
    RecordForm,
    ReleasedForm,
    ReleasedRecordForm,
    ReturnForm,
    SuperviseeForm,
    TeamForm,
    UpdateForm,
)
from lawdesk.correction.models import (
    OPEN_STATUSES,
    CorrectionType,
    RecordKind,
    SuperviseeStatus,
)

# The monthly report's 社区矫正 figures whose records the officer lists (lawdesk.stats.indicators; the stats
# drill-down lists them for this role only).
FIGURES = [
    ("correction_received", "新接收"), ("correction_released", "解除"), ("correction_education", "教育学习人次"),
    ("correction_public_benefit_hours", "公益活动时长"), ("correction_help", "帮扶人次"),
    ("released_handed_over", "刑满释放人员衔接"),
]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVEAL_FIELDS = {"id_number": "身份证号", "phone": "联系电话", "address": "居住地址"}


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _keepable_offices(request: HttpRequest) -> Any:
    offices = selectors.offices_for(request.user)
    return offices.filter(pk__in=[o.pk for o in offices if selectors.can_keep(request.user, o)])


def _filtered(request: HttpRequest) -> Any:
    people = selectors.supervisees_for(request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        people = people.filter(status__in=OPEN_STATUSES)
    elif status in SuperviseeStatus.values:
        people = people.filter(status=status)
    if request.GET.get("type") in CorrectionType.values:
        people = people.filter(correction_type=request.GET["type"])
    if request.GET.get("office"):
        try:
            people = people.filter(office_id=int(request.GET["office"]))
        except ValueError as exc:
            raise Http404(selectors.NOT_FOUND) from exc
    name = request.GET.get("name", "").strip()
    if name:
        people = people.filter(name__contains=name)
    return people, status


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    selectors.require_officer(request.user)
    people, status = _filtered(request)
    rows = list(people[:500])
    selectors.log_read(actor=request.user, request=request, what="社区矫正对象名册", objects=rows)
    return render(
        request,
        "correction/index.html",
        {
            "rows": [(p, selectors.masked_id(p)) for p in rows],
            "offices": selectors.offices_for(request.user),
            "status": status,
            "statuses": SuperviseeStatus.choices,
            "types": CorrectionType.choices,
            "query": request.GET.urlencode(),
            "month": clock.today().strftime("%Y-%m"),
            "figures": FIGURES,
            "on_register": selectors.supervisees_for(request.user)
            .filter(status=SuperviseeStatus.ACTIVE)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisee_new(request: HttpRequest) -> HttpResponse:
    selectors.require_officer(request.user)
    offices = _keepable_offices(request)
    form = SuperviseeForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.supervisee_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已登记社区矫正对象。")
            return redirect("correction:supervisee", pk=person.pk)
    return render(request, "correction/supervisee_form.html", {"form": form})


def _post_supervisee(request: HttpRequest, person: Any, forms_: dict[str, forms.Form]) -> Any:
    """Run the act the form names; returns a redirect on success, or the revealed value for ``reveal``."""
    act = request.POST.get("act", "")
    actor = request.user
    if act == "reveal":
        field = request.POST.get("field", "")
        if field not in REVEAL_FIELDS:
            raise Http404(selectors.NOT_FOUND)
        return (field, services.identity_reveal(actor=actor, person=person, field=field))
    form = forms_.get(act)
    if form is None:
        raise Http404(selectors.NOT_FOUND)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if act == "record":
            services.record_add(actor=actor, supervisee=person, **data)
        elif act == "team":
            services.team_add(actor=actor, supervisee=person, **data)
        elif act == "end":
            services.supervisee_end(actor=actor, supervisee=person, **data)
        elif act == "update":
            changes = {k: v for k, v in data.items() if k == "level" or v}  # empty: keep what is stored
            services.supervisee_update(actor=actor, supervisee=person, **changes)
        elif act == "return":
            try:
                record = person.records.get(pk=data["record"], kind=RecordKind.LEAVE)
            except person.records.model.DoesNotExist as exc:
                raise Http404(selectors.NOT_FOUND) from exc
            services.leave_return(actor=actor, record=record, returned_on=data["returned_on"])
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    messages.success(request, "已保存。")
    return redirect("correction:supervisee", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def supervisee(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_supervisee_for(request.user, pk)
    posted = request.method == "POST"
    act = request.POST.get("act", "") if posted else ""
    today = clock.today()
    forms_: dict[str, forms.Form] = {
        "record": RecordForm(request.POST if act == "record" else None, initial={"date": today}),
        "team": TeamForm(request.POST if act == "team" else None),
        "end": EndForm(request.POST if act == "end" else None, initial={"date": today}),
        "return": ReturnForm(request.POST if act == "return" else None, initial={"returned_on": today}),
        "update": UpdateForm(request.POST if act == "update" else None, initial={"level": person.level}),
    }
    revealed: dict[str, str] = {}
    if posted:
        if not selectors.can_keep(request.user, person.office):
            raise PermissionDenied(services.REFUSED)
        result = _post_supervisee(request, person, forms_)
        if isinstance(result, tuple):
            revealed[result[0]] = result[1]
        elif result is not None:
            return result
    selectors.log_read(actor=request.user, request=request, what="社区矫正对象档案", objects=[person])
    records = list(person.records.select_related("recorded_by"))
    items = deadlines.person_deadlines(
        person, records
    )  # open_deadlines of this person, from the records read
    team = list(person.team.all())
    return render(
        request,
        "correction/supervisee.html",
        {
            "person": person,
            "masked_id": selectors.masked_id(person),
            "masked_phone": selectors.masked_phone(person),
            "revealed": revealed,
            "reveal_fields": REVEAL_FIELDS,
            "records": records,
            "open_leaves": [r for r in records if r.kind == RecordKind.LEAVE and r.returned_on is None],
            "team": team,
            "team_has_female": any(member.is_female for member in team),
            "deadlines": items,
            "forms": forms_,
            "today": today,
        },
    )


@login_required
@require_GET
def deadline_board(request: HttpRequest) -> HttpResponse:
    selectors.require_officer(request.user)
    today = clock.today()
    overdue, upcoming = deadlines.overdue_and_upcoming(
        selectors.supervisees_for(request.user), selectors.released_for(request.user), today
    )
    people = {d.supervisee.pk: d.supervisee for d in overdue + upcoming if d.supervisee is not None}
    released = {d.released.pk: d.released for d in overdue + upcoming if d.released is not None}
    selectors.log_read(
        actor=request.user, request=request, what="期限督办", objects=[*people.values(), *released.values()]
    )
    return render(
        request,
        "correction/deadlines.html",
        {
            "overdue": overdue,
            "upcoming": upcoming,
            "today": today,
            "remind_days": deadlines.REMIND_WORKING_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def released_list(request: HttpRequest) -> HttpResponse:
    selectors.require_officer(request.user)
    offices = _keepable_offices(request)
    form = ReleasedForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.released_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已登记刑满释放人员。")
            return redirect("correction:released_person", pk=person.pk)
    people = selectors.released_for(request.user)
    if request.GET.get("state") != "all":
        people = people.filter(closed_on__isnull=True)
    if request.GET.get("key") == "1":
        people = people.filter(key_person=True)
    rows = list(people[:500])
    selectors.log_read(actor=request.user, request=request, what="刑满释放人员名册", objects=rows)
    return render(
        request,
        "correction/released_list.html",
        {"rows": [(p, selectors.masked_id(p)) for p in rows], "form": form, "can_add": offices.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def released_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_released_for(request.user, pk)
    act = request.POST.get("act", "") if request.method == "POST" else ""
    today = clock.today()
    forms_: dict[str, forms.Form] = {
        "handover": HandoverForm(request.POST if act == "handover" else None, initial={"date": today}),
        "record": ReleasedRecordForm(request.POST if act == "record" else None, initial={"date": today}),
        "close": CloseForm(request.POST if act == "close" else None, initial={"date": today}),
    }
    revealed: dict[str, str] = {}
    if request.method == "POST":
        if not selectors.can_keep(request.user, person.office):
            raise PermissionDenied(services.REFUSED)
        if act == "reveal":
            field = request.POST.get("field", "")
            if field not in REVEAL_FIELDS:
                raise Http404(selectors.NOT_FOUND)
            revealed[field] = services.identity_reveal(actor=request.user, person=person, field=field)
        else:
            form = forms_.get(act)
            if form is None:
                raise Http404(selectors.NOT_FOUND)
            if form.is_valid():
                try:
                    if act == "handover":
                        services.released_handover(actor=request.user, person=person, **form.cleaned_data)
                    elif act == "record":
                        services.released_record_add(actor=request.user, person=person, **form.cleaned_data)
                    else:
                        services.released_close(actor=request.user, person=person, **form.cleaned_data)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, "已保存。")
                    return redirect("correction:released_person", pk=person.pk)
    selectors.log_read(actor=request.user, request=request, what="刑满释放人员档案", objects=[person])
    return render(
        request,
        "correction/released_person.html",
        {
            "person": person,
            "masked_id": selectors.masked_id(person),
            "masked_phone": selectors.masked_phone(person),
            "revealed": revealed,
            "reveal_fields": REVEAL_FIELDS,
            "records": list(person.records.select_related("recorded_by")),
            "forms": forms_,
            "on_time": person.handover_on is not None and person.handover_on <= person.handover_due,
        },
    )


def _export_node(request: HttpRequest) -> Any:
    """The unit an export is of (for the audit): the office filtered on, or the actor's one office."""
    offices = selectors.offices_for(request.user)
    if request.GET.get("office", "").isdigit():
        return offices.filter(pk=int(request.GET["office"])).first()
    return offices.first() if offices.count() == 1 else None


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.correction import exports

    selectors.require_officer(request.user)
    people, _status = _filtered(request)
    rows = list(people.prefetch_related("records"))
    response = HttpResponse(exports.ledger_workbook(rows, today=clock.today()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="correction-ledger-{clock.today():%Y%m%d}.xlsx"'
    return mark_export(
        response, personal_data="masked", rows=[f"correction.Supervisee#{p.pk}" for p in rows],
        node=_export_node(request),
    )  # fmt: skip


@login_required
@require_GET
def national_export(request: HttpRequest) -> HttpResponse:
    """The fixed-layout sheet for the national correction information system (``exports.NATIONAL_COLUMNS``): full
    identity numbers, so the export row says so (``personal_data="full"``)."""
    from lawdesk.correction import exports

    selectors.require_officer(request.user)
    people, _status = _filtered(request)
    rows = list(people)
    response = HttpResponse(exports.national_workbook(rows), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="correction-national-{clock.today():%Y%m%d}.xlsx"'
    )
    return mark_export(
        response, personal_data="full", rows=[f"correction.Supervisee#{p.pk}" for p in rows],
        node=_export_node(request),
    )  # fmt: skip
