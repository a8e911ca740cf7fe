"""The citizens' pages (no login) and the clerks' list of online requests to claim.

No personal data ever goes into a URL: every form is a POST, the tracking code is shown once after a redirect
(kept in the session, not in the address), and the progress lookup answers a POST of code and phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.appointments.models import Slot
from lawdesk.core import kiosk as kiosk_frame
from lawdesk.legalaid.rules import Assessment
from lawdesk.legalaid.services import ApplicationInput
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Matter
from lawdesk.online import assistant, rating, services
from lawdesk.online.forms import (
    AppointmentForm,
    AskForm,
    ComplaintForm,
    ConsultationForm,
    LegalAidForm,
    RatingForm,
    TrackForm,
)
from lawdesk.online.models import OnlineRequest
from lawdesk.online.progress import progress_of
from lawdesk.online.security import (
    STAMP_REUSED,
    address_digest,
    form_stamp_claim,
    form_stamp_release,
    robot_refusal,
    submission_refusal,
    track_throttled,
)
from lawdesk.orgs.models import OrgNode

DONE_KEY = "online_done"
NOT_FOUND = "没有找到与该查询码和手机号相符的申请，请核对后再试。"
THROTTLED = "查询次数过多，请稍后再试（约10分钟后），或拨打12348热线。"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    kiosk = kiosk_frame.is_kiosk(request)
    context = {
        "layout": "online/kiosk_base.html" if kiosk else "online/site_base.html",
        "kiosk": kiosk,
        "kq": "?kiosk=1" if kiosk else "",
        **(kiosk_frame.idle_context(request) if kiosk else {}),
        **context,
    }
    return render(request, template, context, status=status)


def _apply_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _gate(request: HttpRequest, form: Form) -> bool:
    """Robot, daily-limit and used-stamp checks; False (with the reason on the form) when the request must be
    refused. True claims the form's stamp: call ``_ungate`` when the submission then fails."""
    refusal = robot_refusal(request.POST) or submission_refusal(
        phone=form.cleaned_data.get("phone") or "", request=request
    )
    if not refusal and not form_stamp_claim(request.POST.get("started", "")):
        refusal = STAMP_REUSED
    if refusal:
        form.add_error(None, refusal)
        return False
    return True


def _ungate(request: HttpRequest) -> None:
    """The submission failed and the form comes back to be corrected: its stamp may be sent once more."""
    form_stamp_release(request.POST.get("started", ""))


def _place(form: Form) -> OrgNode:
    return services.landing_platform(
        district_id=form.cleaned_data.get("district"), station_id=form.cleaned_data.get("station")
    )


def _citizen(form: Form) -> services.Citizen:
    return services.Citizen(
        name=form.cleaned_data.get("name") or "",
        phone=form.cleaned_data.get("phone") or "",
        groups=list(form.cleaned_data.get("groups") or []),
    )


def _done(request: HttpRequest, tracked: OnlineRequest) -> HttpResponse:
    request.session[DONE_KEY] = tracked.pk
    return redirect(reverse("online:done") + ("?kiosk=1" if kiosk_frame.is_kiosk(request) else ""))


# --- pages -------------------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "online/index.html", {})


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """网上咨询: a question for the platform's clerks."""
    form = ConsultationForm(request.POST or None, initial={"question": request.session.pop("online_q", "")})
    if request.method == "POST" and form.is_valid() and _gate(request, form):
        try:
            tracked = services.consultation_submit(
                node=_place(form),
                citizen=_citizen(form),
                question=form.cleaned_data["question"] or "",
                legal_field=form.cleaned_data["legal_field"] or "",
                address=address_digest(request),
            )
        except ValidationError as exc:
            _ungate(request)
            _apply_errors(form, exc)
        else:
            return _done(request, tracked)
    return _render(
        request,
        "online/ask.html",
        {"form": form, "answer_days": services.answer_days()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def legal_aid(request: HttpRequest) -> HttpResponse:
    """法律援助: the eligibility self-check (the same rules as the window), then the pre-application."""
    form = LegalAidForm(request.POST or None)
    verdict: Assessment | None = None
    action = request.POST.get("action", "check")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = _place(form)
            verdict = services.legal_aid_self_check(
                node=node,
                category=data["category"] or "",
                art32_situation=data["art32_situation"] or "",
                exempt_group=data["exempt_group"] or "",
                household_size=data["household_size"] or 1,
                monthly_income=data["monthly_income"],
                groups=list(data["groups"] or []),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ValueError as exc:  # the rules' own Chinese message (income or household size missing)
            field = (
                "monthly_income" if "收入" in str(exc) else "household_size" if "人口" in str(exc) else None
            )
            form.add_error(field, str(exc))
        if verdict is not None and not verdict.eligible_in_scope and action == "submit":
            form.add_error(None, "您的事项不属于法律援助范围，不能提交预申请；请改用网上咨询。")
        elif verdict is not None and action == "submit" and _gate(request, form):
            try:
                tracked = services.legal_aid_submit(
                    node=node,
                    citizen=_citizen(form),
                    application=ApplicationInput(
                        case_facts=data["case_facts"] or "",
                        category=data["category"] or "",
                        art32_situation=data["art32_situation"] or "",
                        exempt_group=data["exempt_group"] or "",
                        opponent_name=data["opponent_name"] or "",
                        household_size=data["household_size"] or 1,
                        monthly_income=data["monthly_income"],
                    ),
                    address=address_digest(request),
                )
            except ValidationError as exc:
                _ungate(request)
                _apply_errors(form, exc)
            else:
                return _done(request, tracked)
    context = {"form": form, "verdict": verdict, "submitting": action == "submit"}
    return _render(request, "online/legal_aid.html", context, status=400 if form.errors else 200)


def appointments(request: HttpRequest) -> HttpResponse:
    """预约 step 1 and 2: a district, then its platforms with free slots."""
    district = None
    platforms: list[OrgNode] = []
    if request.GET.get("district"):
        district = services.districts().filter(pk=_int(request.GET["district"])).first()
        if district is None:
            raise Http404("没有找到该区(县)。")
        platforms = services.bookable_platforms(district)
    context = {"districts": services.districts(), "district": district, "platforms": platforms}
    return _render(request, "online/appointments.html", context)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("参数无效。") from exc


def _platform(node_id: Any) -> OrgNode:
    node = OrgNode.objects.platforms().filter(pk=_int(node_id), is_active=True).first()
    if node is None:
        raise Http404("没有找到该服务平台。")
    return node


def appointment_slots(request: HttpRequest, node_id: int) -> HttpResponse:
    """预约 step 3: the platform's free slots, by day."""
    node = _platform(node_id)
    days: dict[Any, list[Slot]] = {}
    from django.utils import timezone

    for slot in services.free_slots(node):
        days.setdefault(timezone.localdate(slot.start), []).append(slot)
    context = {"node": node, "days": days, "district": services.district_of(node)}
    return _render(request, "online/appointment_slots.html", context)


@require_http_methods(["GET", "POST"])
def appointment_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    """预约 step 4: name, phone and what it is about; booked through the same service as the window."""
    slot = Slot.objects.select_related("node").filter(pk=_int(slot_id), node__isnull=False).first()
    if slot is None or slot.node is None:
        raise Http404("没有找到该时段。")
    if request.method == "GET" and slot not in services.free_slots(slot.node):
        messages.error(request, "该时段已约满或已过期，请重新选择。")
        return redirect(reverse("online:appointment_slots", args=[slot.node.pk]))
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _gate(request, form):
        try:
            tracked = services.appointment_submit(
                slot=slot,
                citizen=_citizen(form),
                summary=form.cleaned_data["summary"] or "",
                address=address_digest(request),
            )
        except ValidationError as exc:
            _ungate(request)
            _apply_errors(form, exc)
        else:
            return _done(request, tracked)
    return _render(
        request,
        "online/appointment_book.html",
        {"form": form, "slot": slot},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _gate(request, form):
        data = form.cleaned_data
        try:
            tracked = services.complaint_submit(
                node=_place(form),
                citizen=_citizen(form),
                anonymous=bool(data["anonymous"]),
                statement=data["statement"] or "",
                subject_name=data["subject_name"] or "",
                subject_unit=data["subject_unit"] or "",
                address=address_digest(request),
            )
        except ValidationError as exc:
            _ungate(request)
            _apply_errors(form, exc)
        else:
            return _done(request, tracked)
    return _render(request, "online/complaint.html", {"form": form}, status=400 if form.errors else 200)


def done(request: HttpRequest) -> HttpResponse:
    """The tracking code, shown after the redirect (it came through the session, never the URL)."""
    pk = request.session.get(DONE_KEY)
    tracked = (
        OnlineRequest.objects.select_related("matter", "matter__node").filter(pk=pk).first() if pk else None
    )
    if tracked is None:
        return redirect(reverse("online:index"))
    return _render(request, "online/done.html", {"tracked": tracked, "progress": progress_of(tracked)})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """进度查询: a POST of code and phone; the same answer for a wrong code and a wrong phone; throttled."""
    form = TrackForm(request.POST or None)
    progress = None
    status = 200
    if request.method == "POST" and form.is_valid():
        code, phone = form.cleaned_data["code"], form.cleaned_data["phone"]
        if track_throttled(request, code):
            form.add_error(None, THROTTLED)
            status = 429
        else:
            found = services.track_find(code=code, phone=phone)
            if found is None:
                form.add_error(None, NOT_FOUND)
                status = 404
            else:
                progress = progress_of(found)
    elif request.method == "POST":
        status = 400
    return _render(request, "online/track.html", {"form": form, "progress": progress}, status=status)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """评价: the one-time link from the SMS."""
    try:
        link = rating.link_for(token)
    except ValidationError:
        return _render(request, "online/rate.html", {"refused": rating.REFUSED}, status=410)
    matter: Matter = link.matter
    if rating.is_staff_of(request.user, matter):
        return _render(
            request, "online/rate.html", {"refused": "工作人员不能为本人或本单位办理的事项评价。"}, status=403
        )
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating.citizen_rate(
                token=token,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"] or "",
                user=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            return _render(request, "online/rate.html", {"refused": str(exc)}, status=403)
        else:
            return _render(request, "online/rate.html", {"thanks": True, "matter": matter})
    return _render(
        request, "online/rate.html", {"form": form, "matter": matter}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def assistant_page(request: HttpRequest) -> HttpResponse:
    """智慧小司: the question is POSTed (it may hold personal details), answered from the FAQ and the laws."""
    form = AskForm(request.POST or None)
    reply = None
    if request.method == "POST" and form.is_valid():
        reply = assistant.ask(form.cleaned_data["q"])
        if not reply.confident:
            request.session["online_q"] = reply.question
    faqs = assistant.Faq.objects.filter(active=True)[:8]
    return _render(request, "online/assistant.html", {"form": form, "reply": reply, "popular": faqs})


@require_POST
def assistant_faq(request: HttpRequest) -> HttpResponse:
    """One FAQ picked from the list (its id is not personal data, but the page stays a POST like the rest)."""
    faq = assistant.Faq.objects.filter(active=True, pk=_int(request.POST.get("faq"))).first()
    if faq is None:
        raise Http404("没有找到该问题。")
    reply = assistant.Reply(question=faq.question, faqs=[assistant.FaqHit(faq=faq, score=99, matched=[])])
    reply.laws, reply.laws_available = assistant.law_hits(faq.question)
    popular = assistant.Faq.objects.filter(active=True)[:8]
    return _render(request, "online/assistant.html", {"form": AskForm(), "reply": reply, "popular": popular})


# --- the clerks' side --------------------------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """网上申请: the requests at the clerk's platforms not yet claimed."""
    if not scoping.has_role(request.user, "window_clerk", "office_staff"):
        raise PermissionDenied("只有窗口接待人员和司法所工作人员处理网上申请。")
    rows = list(services.unclaimed_for(request.user))
    return render(request, "online/desk.html", {"rows": rows})


@login_required
@require_POST
def desk_claim(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = matter_access.get_matter_for(request.user, matter_id)
    if not hasattr(matter, "online_request"):
        raise Http404("没有找到该网上申请。")
    try:
        services.online_claim(actor=request.user, matter=matter)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("online:desk")
    messages.success(request, f"已认领：{matter}。请在事项页办理。")
    return redirect("desk:matter", matter.pk)
