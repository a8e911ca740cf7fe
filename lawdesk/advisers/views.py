"""The advisers' pages: the board of villages by contract state, contracts, the adviser's own phone page and
record form, the office's check, the town WeChat group, the month's Excel. Reads go through
``lawdesk.advisers.selectors`` (out of reach: 404); every change through ``lawdesk.advisers.services``."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.advisers import selectors, services
from lawdesk.advisers.forms import CheckForm, ContractForm, GroupForm, MemberForm, RecordForm
from lawdesk.advisers.models import MemberCategory, RecordStatus
from lawdesk.core import clock
from lawdesk.core.http import stored_photo_response
from lawdesk.core.urls_cache import path_of
from lawdesk.people.identity import mask_phone

PHOTO_ACCEPT = ".jpg,.jpeg,.png"
RECENT_DAYS = 62


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _month(request: HttpRequest) -> tuple[int, int]:
    today = clock.today()
    raw = request.GET.get("month") or f"{today:%Y-%m}"
    try:
        year, month = (int(p) for p in raw.split("-", 1))
    except ValueError as exc:
        raise Http404("月份无效。") from exc
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404("月份无效。")
    return year, month


def _office_filter(request: HttpRequest, offices: Any) -> Any:
    if not request.GET.get("office"):
        return None
    try:
        return offices.get(pk=int(request.GET["office"]))
    except (ValueError, offices.model.DoesNotExist) as exc:
        raise Http404(selectors.NOT_FOUND) from exc


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    if not selectors.can_oversee(request.user) and selectors.is_adviser(request.user):
        return redirect("advisers:mine")
    selectors.require_oversee(request.user)
    offices = selectors.offices_for(request.user)
    chosen = _office_filter(request, offices)
    villages = selectors.villages_for(request.user)
    if chosen is not None:
        villages = villages.filter(office=chosen)
    result = selectors.board(villages, clock.today())
    with_group = selectors.offices_with_group(offices)
    return render(
        request,
        "advisers/board.html",
        {
            "board": result,
            "offices": offices,
            "chosen": chosen,
            "groups_missing": [o for o in offices if o.pk not in with_group],
            "can_check": selectors.check_offices_for(request.user).exists(),
            "contracts_url": path_of("advisers:contracts"),  # once, not on every village's row
        },
    )


def _contract_rows(contracts: Any) -> list[dict[str, Any]]:
    """The list's columns as plain values from one query, not a contract with its village, office, adviser and
    institution built for every row (issue 21). ``adviser`` as ``User.__str__``."""
    rows = list(
        contracts.values(
            "village__office__name", "village__name", "adviser__full_name", "adviser__username",
            "institution__name", "start", "end", "signed",
        )
    )  # fmt: skip
    for row in rows:
        row["adviser"] = row["adviser__full_name"] or row["adviser__username"]
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def contracts(request: HttpRequest) -> HttpResponse:
    selectors.require_oversee(request.user)
    check_offices = selectors.check_offices_for(request.user)
    villages = selectors.villages_for(request.user).filter(office__in=check_offices)
    initial: dict[str, Any] = {"signed": clock.today(), "start": clock.today()}
    if request.GET.get("village"):
        initial["village"] = request.GET["village"]
    form = ContractForm(request.POST or None, villages=villages, offices=check_offices, initial=initial)
    if request.method == "POST":
        if not check_offices.exists():
            raise PermissionDenied("只有司法所工作人员或区(县)司法局管理员可以登记顾问合同。")
        if form.is_valid():
            try:
                contract = services.contract_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记{contract.village.name}的法律顾问合同。")
                return redirect("advisers:contracts")
    return render(
        request,
        "advisers/contracts.html",
        {
            "contracts": _contract_rows(
                selectors.contracts_for(request.user).order_by(
                    "village__office__path", "village__region_code", "-end"
                )[:500]
            ),
            "form": form,
            "can_manage": check_offices.exists(),
            "today": clock.today(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    selectors.require_adviser(request.user)
    today = clock.today()
    start, end = selectors.month_bounds(today.year, today.month)
    records = selectors.own_records(request.user)
    this_month = records.filter(date__gte=start, date__lte=end)
    return render(
        request,
        "advisers/mine.html",
        {
            "contracts": selectors.own_contracts(request.user)
            .filter(end__gte=today)
            .order_by("village__name"),
            "active": selectors.own_active_contracts(request.user, today).exists(),
            "records": this_month,
            "returned": records.filter(status=RecordStatus.RETURNED)[:20],
            "figures": selectors.month_figures(this_month, "adviser"),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    selectors.require_adviser(request.user)
    today = clock.today()
    # contracts in force today or in the last two months (a service is recorded soon after it is given)
    contracts = selectors.own_contracts(request.user).filter(
        start__lte=today, end__gte=today - datetime.timedelta(days=RECENT_DAYS)
    )
    form = RecordForm(
        request.POST or None, contracts=contracts, initial={"date": today, "hours": 2, "people_served": 1}
    )
    form.fields["date"].widget.attrs["max"] = today.isoformat()
    if request.method == "POST":
        photos = request.FILES.getlist("photos")
        if form.is_valid():
            d = form.cleaned_data
            try:
                record = services.record_create(
                    actor=request.user, contract=d["contract"], date=d["date"], kind=d["kind"], hours=d["hours"],
                    people_served=d["people_served"], description=d["description"], photos=photos, today=today,
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记{record.village.name}的服务，等待司法所审核。")
                return redirect("advisers:mine")
    return render(
        request,
        "advisers/record_form.html",
        {"form": form, "accept": PHOTO_ACCEPT},
        status=400 if form.errors else 200,
    )


def _month_records(request: HttpRequest) -> tuple[int, int, Any, Any, Any]:
    """The month's service records the overseer asked for (``?month=``, ``?office=``): the records page and its
    workbook read the same rows."""
    selectors.require_oversee(request.user)
    year, month = _month(request)
    start, end = selectors.month_bounds(year, month)
    offices = selectors.offices_for(request.user)
    chosen = _office_filter(request, offices)
    qs = selectors.records_for(request.user).filter(date__gte=start, date__lte=end)
    if chosen is not None:
        qs = qs.filter(village__office=chosen)
    return year, month, offices, chosen, qs


@login_required
@require_GET
def records(request: HttpRequest) -> HttpResponse:
    year, month, offices, chosen, qs = _month_records(request)
    status = request.GET.get("status", "")
    listed = qs.filter(status=status) if status in RecordStatus.values else qs
    return render(
        request,
        "advisers/records.html",
        {
            "records": listed.prefetch_related("photos")[:500],
            "month": f"{year:04d}-{month:02d}",
            "offices": offices,
            "chosen": chosen,
            "status": status,
            "statuses": RecordStatus.choices,
            "by_adviser": selectors.month_figures(qs, "adviser"),
            "by_village": selectors.month_figures(qs, "village"),
            "kinds": selectors.kinds_of(qs),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def records_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.advisers import exports

    year, month, _offices, chosen, qs = _month_records(request)
    content = exports.records_workbook(
        qs.order_by("village__office__path", "date", "id"), month=f"{year}年{month}月",
        title_node=chosen.name if chosen else "本辖区",
    )  # fmt: skip
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="advisers-{year:04d}-{month:02d}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record_for(request.user, pk)
    may_check = selectors.can_check_at(request.user, record.village.office)
    form = CheckForm(request.POST or None)
    if request.method == "POST":
        if not may_check:
            raise PermissionDenied("只有本司法所工作人员或上级管理员可以审核。")
        if form.is_valid():
            approve = request.POST.get("decision") == "approve"
            try:
                services.record_check(
                    actor=request.user, record=record, approve=approve, comment=form.cleaned_data["comment"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "已审核通过。" if approve else "已退回。")
                return redirect("advisers:record", pk=record.pk)
    return render(
        request,
        "advisers/record_detail.html",
        {
            "record": record,
            "photos": record.photos.all(),
            "form": form,
            "may_check": may_check and record.status == RecordStatus.PENDING,
            "back": (
                reverse("advisers:records") + f"?month={record.date:%Y-%m}"
                if selectors.can_oversee(request.user)
                else reverse("advisers:mine")
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record_for(request.user, pk)
    if record.adviser_id != request.user.pk:
        raise Http404(selectors.NOT_FOUND)  # only the adviser who recorded it corrects it
    today = clock.today()
    form = RecordForm(
        request.POST or None,
        contracts=selectors.own_contracts(request.user).filter(pk=record.contract_id),
        initial={
            "contract": record.contract_id, "date": record.date, "kind": record.kind, "hours": record.hours,
            "people_served": record.people_served, "description": record.description,
        },
    )  # fmt: skip
    form.fields["date"].widget.attrs["max"] = today.isoformat()
    if request.method == "POST":
        if record.status != RecordStatus.RETURNED:
            raise PermissionDenied("只有被退回的记录可以更正后重新提交。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_resubmit(
                    actor=request.user, record=record, date=d["date"], kind=d["kind"], hours=d["hours"],
                    people_served=d["people_served"], description=d["description"],
                    photos=request.FILES.getlist("photos"), today=today,
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已更正{record.village.name}的服务记录，重新等待司法所审核。")
                return redirect("advisers:mine")
    return render(
        request,
        "advisers/record_form.html",
        {"form": form, "accept": PHOTO_ACCEPT, "record": record},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return stored_photo_response(selectors.get_photo_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest) -> HttpResponse:
    selectors.require_oversee(request.user)
    check_offices = selectors.check_offices_for(request.user)
    form = GroupForm(request.POST or None, offices=check_offices, initial={"created": clock.today()})
    if request.method == "POST":
        if not check_offices.exists():
            raise PermissionDenied("只有司法所工作人员或上级管理员可以登记微信群。")
        if form.is_valid():
            try:
                group = services.town_group_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已登记微信群：{group.name}。")
                return redirect("advisers:group", pk=group.pk)
    offices = selectors.offices_for(request.user)
    groups_qs = selectors.groups_for(request.user).prefetch_related("members")
    with_group = {g.office_id for g in groups_qs}
    return render(
        request,
        "advisers/groups.html",
        {
            "groups": groups_qs,
            "missing": [o for o in offices if o.pk not in with_group],
            "form": form,
            "can_manage": check_offices.exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group_for(request.user, pk)
    may_manage = selectors.can_check_at(request.user, group.office)
    villages = selectors.villages_for(request.user).filter(office=group.office)
    form = MemberForm(request.POST or None, villages=villages)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("只有本司法所工作人员或上级管理员可以维护群成员。")
        if form.is_valid():
            try:
                member = services.town_group_member_add(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已添加群成员：{member.name}。")
                return redirect("advisers:group", pk=group.pk)
    member_list = list(group.members.select_related("village"))
    members = [{"member": m, "phone": mask_phone(m.phone) if m.phone else ""} for m in member_list]
    counts = {str(label): 0 for _value, label in MemberCategory.choices}
    for member in member_list:
        counts[str(member.get_category_display())] += 1
    return render(
        request,
        "advisers/group_detail.html",
        {"group": group, "members": members, "counts": counts, "form": form, "may_manage": may_manage},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member_for(request.user, pk)
    group = services.town_group_member_remove(actor=request.user, member=member)
    messages.success(request, f"已将{member.name}移出微信群。")
    return redirect("advisers:group", pk=group.pk)
