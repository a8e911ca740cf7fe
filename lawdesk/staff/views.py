"""The bureaus' staff pages (五(二)1–2): the staff list and a worker's page (profile, roles, disabling the
account, training), the courses and their attendance, the board of staff below the year's hours and its Excel.
Reads go through ``lawdesk.staff.selectors`` (out of reach: 404); every change through a service
(``lawdesk.staff.services``; roles and disabling: ``lawdesk.accounts.services``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.accounts import services as accounts
from lawdesk.accounts.models import Role, StaffCategory
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.forms import add_service_errors
from lawdesk.core.http import xlsx_response
from lawdesk.people.identity import mask_phone
from lawdesk.staff import selectors, services
from lawdesk.staff.forms import (
    AttendanceForm,
    CourseForm,
    RequirementForm,
    RoleGrantForm,
    StaffCreateForm,
    StaffUpdateForm,
    UnitChoice,
)
from lawdesk.staff.models import CourseKind


def _unit_filter(request: HttpRequest, units: Any) -> Any:
    raw = request.GET.get("unit")
    if not raw:
        return None
    try:
        return units.get(pk=int(raw))
    except (ValueError, units.model.DoesNotExist) as exc:
        raise Http404(selectors.NOT_FOUND) from exc


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or str(clock.today().year)
    try:
        year = int(raw)
    except ValueError as exc:
        raise Http404("年份无效。") from exc
    if not 2000 <= year <= 2100:
        raise Http404("年份无效。")
    return year


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    selectors.require_admin(request.user)
    units = selectors.units_for(request.user)
    unit = _unit_filter(request, units)
    people = selectors.staff_for(request.user)
    if unit is not None:
        people = people.filter(
            pk__in=people.model.objects.filter(selectors.staff_q((unit.path,))).values("pk")
        )
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    category = request.GET.get("category", "")
    if category in StaffCategory.values:
        people = people.filter(staff_category=category)
    role = request.GET.get("role", "")
    if role in Role.values:
        people = people.filter(pk__in=scoping.user_ids_holding(role))
    active = request.GET.get("active", "1")
    if active in ("0", "1"):
        people = people.filter(is_active=active == "1")
    shown = list(people[:300])
    roles = scoping.assignments_by_user([u.pk for u in shown])  # one query, not one per row (issue 21)
    rows = [
        {"user": u, "phone": mask_phone(u.phone) if u.phone else "", "roles": roles.get(u.pk, [])}
        for u in shown
    ]
    return render(
        request,
        "staff/list.html",
        {
            "rows": rows, "unit_options": units.values_list("pk", "name"), "unit": unit, "q": q, "category": category, "role": role,
            "active": active, "categories": StaffCategory.choices, "roles": Role.choices,
        },
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    selectors.require_admin(request.user)
    units = selectors.units_for(request.user)
    form = StaffCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建{user.get_full_name()}的账号，请为其分配角色。")
            return redirect("staff:detail", pk=user.pk)
    return render(request, "staff/new.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest, user: Any, *, form: Any = None, grant: Any = None, status: int = 200
) -> HttpResponse:
    units = selectors.units_for(request.user)
    may_manage = (
        not accounts.bureau_account_refusal(actor=request.user, user=user) and request.user.pk != user.pk
    )
    # the forms' options (both forms', shown only to who may manage), read once
    unit_rows = UnitChoice.unit_rows(units) if may_manage else None
    profile = selectors.profile_of(user)
    if form is None:
        initial = {
            "full_name": user.full_name,
            "staff_category": user.staff_category,
        }  # the phone never in full
        if profile is not None:
            initial.update({"node": profile.node_id, "post": profile.post, "duty": profile.duty})
        form = StaffUpdateForm(initial=initial, units=units, unit_rows=unit_rows)
    trainings = user.trainings.select_related("course", "node").order_by("-date")
    year = clock.today().year
    return render(
        request,
        "staff/detail.html",
        {
            "worker": user,
            "profile": profile,
            "phone": mask_phone(user.phone) if user.phone else "",
            "roles": scoping.assignments_of(user),
            "form": form,
            "grant": grant or RoleGrantForm(units=units, unit_rows=unit_rows),
            "trainings": trainings,
            "year": year,
            "year_hours": trainings.filter(date__year=year).aggregate(s=Sum("hours"))["s"] or 0,
            "required": selectors.required_hours(),
            "may_manage": may_manage,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_staff_for(request.user, pk)
    if request.method == "GET":
        return _detail(request, user)
    form = StaffUpdateForm(request.POST, units=selectors.units_for(request.user))
    if form.is_valid():
        try:
            data = {**form.cleaned_data, "phone": form.cleaned_data["phone"] or user.phone}
            services.staff_update(actor=request.user, user=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存档案。")
            return redirect("staff:detail", pk=user.pk)
    return _detail(request, user, form=form, status=400)


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_staff_for(request.user, pk)
    grant = RoleGrantForm(request.POST, units=selectors.units_for(request.user))
    if grant.is_valid():
        try:
            accounts.role_assign(actor=request.user, user=user, **grant.cleaned_data)
        except ValidationError as exc:
            add_service_errors(grant, exc)
        except PermissionDenied as exc:
            grant.add_error(None, str(exc))
        else:
            messages.success(request, "已分配角色。")
            return redirect("staff:detail", pk=user.pk)
    return _detail(request, user, grant=grant, status=400)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_admin(request.user)
    assignment = scoping.assignment_of(pk, selectors.staff_for(request.user))
    if assignment is None:
        raise Http404(selectors.NOT_FOUND)
    user = assignment.user
    try:
        accounts.role_revoke(actor=request.user, assignment=assignment)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤销{user.get_full_name()}的{assignment.get_role_display()}角色。")
    return redirect("staff:detail", pk=user.pk)


@login_required
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_staff_for(request.user, pk)
    try:
        ended = accounts.user_deactivate(actor=request.user, user=user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已停用{user.get_full_name()}的账号（结束登录会话{ended}个）。")
    return redirect("staff:detail", pk=user.pk)


# --- training -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def courses(request: HttpRequest) -> HttpResponse:
    selectors.require_admin(request.user)
    units = selectors.units_for(request.user)
    today = clock.today()
    form = CourseForm(request.POST or None, units=units, initial={"start": today, "end": today})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记培训“{course.title}”，请登记参训人员。")
            return redirect("staff:course", pk=course.pk)
    listed = selectors.courses_for(request.user)
    kind = request.GET.get("kind", "")
    if kind in CourseKind.values:
        listed = listed.filter(kind=kind)
    mine = selectors.attendances_for(request.user)
    counts = {
        r["course"]: (r["n"], r["h"])
        for r in mine.values("course").annotate(n=Count("pk"), h=Sum("hours")).order_by()
    }
    rows = [{"course": c, "people": counts.get(c.pk, (0, 0))[0], "hours": counts.get(c.pk, (0, 0))[1]}
            for c in listed[:300]]  # fmt: skip
    return render(
        request,
        "staff/courses.html",
        {"rows": rows, "form": form, "kinds": CourseKind.choices, "kind": kind},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for(request.user, pk)
    workers = selectors.staff_for(request.user).filter(is_active=True).exclude(trainings__course=course)
    form = AttendanceForm(
        request.POST or None, workers=workers, initial={"hours": course.hours, "passed": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记{form.cleaned_data['user'].get_full_name()}的参训记录。")
            return redirect("staff:course", pk=course.pk)
    return render(
        request,
        "staff/course.html",
        {
            "course": course,
            "attendances": selectors.attendances_for(request.user)
            .filter(course=course)
            .order_by("node__path"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _board(request: HttpRequest) -> tuple[int, Any, Any, list[selectors.BoardRow]]:
    selectors.require_admin(request.user)
    year = _year(request)
    units = selectors.units_for(request.user)
    unit = _unit_filter(request, units)
    return year, units, unit, selectors.hours_board(request.user, year, unit=unit)


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    year, units, unit, rows = _board(request)
    return render(
        request,
        "staff/board.html",
        {
            "year": year, "units": units, "unit": unit, "rows": rows, "required": selectors.required_hours(),
            "may_set": selectors.is_city_admin(request.user),
            "requirement": RequirementForm(initial={"annual_hours": selectors.required_hours()}),
            "query": request.GET.urlencode(),
        },
    )  # fmt: skip


@login_required
@require_GET
def board_export(request: HttpRequest) -> HttpResponse:
    from lawdesk.staff import exports

    year, _units, unit, rows = _board(request)
    content = exports.board_workbook(rows, year=year, title_node=unit.name if unit else "本辖区")
    response = xlsx_response(content, f"{year}年培训学时未达标人员")
    # staff names and units only: no phone, no ID number
    return mark_export(response, personal_data="none", rows=[r.user.username for r in rows], node=unit)


@login_required
@require_POST
def requirement(request: HttpRequest) -> HttpResponse:
    selectors.require_admin(request.user)
    if not selectors.is_city_admin(request.user):
        raise PermissionDenied("只有市局管理员可以设置年度培训学时要求。")
    form = RequirementForm(request.POST)
    if form.is_valid():
        try:
            services.training_requirement_set(
                actor=request.user, annual_hours=form.cleaned_data["annual_hours"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已将每年应完成学时设为{form.cleaned_data['annual_hours']}。")
    else:
        messages.error(request, "每年应完成学时须为数字。")
    return redirect("staff:board")
