"""The video pages: the staff member's side from the matter page (start, call, consent, end) and the citizen's
side through their one-time link (the call page and their consent)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.accounts.middleware import SecurityHeadersMiddleware
from lawdesk.matters import access as matter_access
from lawdesk.video import janus, services
from lawdesk.video.models import VideoInvite, VideoRoom, VideoTerminal

SESSION_KEY = "lawdesk_video_invite"
CALL_PERMISSIONS = SecurityHeadersMiddleware.PERMISSIONS_POLICY.replace("camera=()", "camera=(self)").replace(
    "microphone=()", "microphone=(self)"
)


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _consent_message(room: VideoRoom) -> str:
    if room.recording:
        return "双方均已同意，正在录制。"
    return "您已同意录制；对方也同意后才会开始录制。"


def appointment_q(actor: Any) -> Q:
    """Rooms of appointments in the slots of the actor's institutions (the lawyer of a video appointment)."""
    ids = scoping.scope_for(actor).institution_ids
    return Q(matter__appointment__slot__institution_id__in=ids) if ids else Q(pk__in=[])


def _room_for(actor: Any, pk: int) -> VideoRoom:
    """A room of a matter the actor sees and works; 404 for every other (missing and forbidden alike)."""
    room = (
        VideoRoom.objects.filter(matter_access.matters_q(actor, "matter__") | appointment_q(actor))
        .select_related("matter", "matter__node", "node", "started_by")
        .filter(pk=pk)
        .first()
    )
    if room is None or not services.can_work(actor, room.matter):
        raise Http404("没有找到该视频咨询，或您无权查看。")
    return room


def _call_response(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context)
    server = janus.browser_url()
    if server:
        parts = urlsplit(server)
        response._csp_update = {"connect-src": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    # The site denies camera and microphone everywhere (lawdesk.accounts.middleware); the call page needs them.
    response["Permissions-Policy"] = CALL_PERMISSIONS
    return response


@login_required
@require_POST
def start(request: HttpRequest, matter_pk: int) -> HttpResponse:
    matter = matter_access.get_matter_for(request.user, matter_pk)
    if not services.can_work(request.user, matter):
        raise Http404("没有找到该事项，或您无权查看。")
    try:
        opened = services.room_open(
            actor=request.user,
            matter=matter,
            phone=request.POST.get("phone", ""),
            send_sms=request.POST.get("sms") == "1",
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("desk:matter", pk=matter.pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("desk:matter", pk=matter.pk)
    room = opened.room
    # The citizen's link is shown once, on this answer to the POST (for the station terminal or reading out);
    # it is never stored, and the staff member's room page does not show it again.
    return _call_response(
        request,
        "video/call.html",
        _staff_context(request, room)
        | {"citizen_link": services.join_url(opened.token), "sms_sent": opened.sms_sent},
    )


def _staff_context(request: HttpRequest, room: VideoRoom) -> dict[str, Any]:
    live = services.room_is_live(room)
    return {
        "room": room,
        "party": "staff",
        "live": live,
        "config": services.call_config(room, party="staff", janus_token=room.staff_token) if live else None,
        "consent_url": reverse("video_desk:consent", args=[room.pk]),
        "end_url": reverse("video_desk:end", args=[room.pk]),
        "matter_url": reverse("desk:matter", args=[room.matter_id]),
        "my_consent": room.staff_consent_at is not None,
    }


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room_for(request.user, pk)
    return _call_response(request, "video/call.html", _staff_context(request, found))


@login_required
@require_POST
def staff_consent(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room_for(request.user, pk)
    try:
        found = services.recording_consent(actor=request.user, room=found, party="staff")
        message, ok = _consent_message(found), True
    except (ValidationError, PermissionDenied) as exc:
        message, ok = (_errors(exc) if isinstance(exc, ValidationError) else str(exc)), False
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message, "recording": found.recording})
    (messages.success if ok else messages.error)(request, message)
    return redirect("video_desk:room", pk=found.pk)


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room_for(request.user, pk)
    try:
        services.room_end(actor=request.user, room=found)
        messages.success(request, "视频咨询已结束。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("desk:matter", pk=found.matter_id)


# --- the citizen -----------------------------------------------------------------------------------------


def _refused(request: HttpRequest, message: str = services.REFUSED) -> HttpResponse:
    response = render(request, "video/refused.html", {"message": message}, status=403)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _citizen_context(invite: VideoInvite) -> dict[str, Any]:
    room = invite.room
    live = services.room_is_live(room)
    return {
        "room": room,
        "party": "citizen",
        "live": live,
        "config": services.call_config(room, party="citizen", janus_token=invite.janus_token)
        if live
        else None,
        "consent_url": reverse("video:consent"),
        "my_consent": room.citizen_consent_at is not None,
    }


@never_cache
@require_GET
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's one-time link: used up on opening; the call continues on this page (its consent form
    posts back through the session the link opened)."""
    try:
        invite = services.invite_use(token=token)
    except ValidationError as exc:
        early = getattr(exc, "code", None) == "early"
        return _refused(request, _errors(exc) if early else services.REFUSED)
    request.session.cycle_key()
    request.session[SESSION_KEY] = invite.pk
    return _call_response(request, "video/call.html", _citizen_context(invite))


def _session_invite(request: HttpRequest) -> VideoInvite | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return VideoInvite.objects.select_related("room", "room__matter", "room__node").filter(pk=pk).first()


@never_cache
@require_POST
def citizen_consent(request: HttpRequest) -> HttpResponse:
    invite = _session_invite(request)
    if invite is None or not services.room_is_live(invite.room):
        return _refused(request)
    try:
        room = services.recording_consent(actor=None, room=invite.room, party="citizen")
    except ValidationError:
        return _refused(request)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": _consent_message(room), "recording": room.recording})
    invite.room = room
    return _call_response(request, "video/call.html", _citizen_context(invite))


# --- station terminals -------------------------------------------------------------------------------------

TERMINAL_COOKIE = "lawdesk_video_terminal"
TERMINAL_COOKIE_SALT = "lawdesk.video.terminal"
TERMINAL_COOKIE_AGE = 5 * 365 * 24 * 3600


@login_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    """视频终端呼叫: the live calls from the terminals of the actor's platforms (join = the staff room page), and
    the platforms' registered terminals."""
    platforms = services.terminal_platforms(request.user)
    terminals = VideoTerminal.objects.filter(node__in=platforms).select_related("node")
    return render(
        request,
        "video/waiting.html",
        {
            "calls": services.waiting_calls(request.user),
            "platforms": platforms,
            "terminals": terminals,
            "configured": janus.configured(),
        },
    )


@login_required
@never_cache
@require_POST
def terminal_new(request: HttpRequest) -> HttpResponse:
    platforms = {str(n.pk): n for n in services.terminal_platforms(request.user)}
    node = platforms.get(request.POST.get("node", ""))
    if node is None:
        raise Http404("没有找到该服务平台，或您无权登记终端。")
    try:
        registered = services.terminal_register(
            actor=request.user, node=node, name=request.POST.get("name", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("video_desk:waiting")
    # The pairing link is shown this once: the clerk opens it on the terminal itself.
    response = render(
        request,
        "video/terminal_registered.html",
        {"terminal": registered.terminal, "pair_url": reverse("video:terminal_pair", args=[registered.key])},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_POST
def terminal_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    platforms = services.terminal_platforms(request.user)
    terminal = VideoTerminal.objects.filter(pk=pk, node__in=platforms).first()
    if terminal is None:
        raise Http404("没有找到该终端，或您无权停用。")
    services.terminal_revoke(actor=request.user, terminal=terminal)
    messages.success(request, f"已停用终端“{terminal.name}”。")
    return redirect("video_desk:waiting")


@never_cache
@require_GET
def terminal_pair(request: HttpRequest, key: str) -> HttpResponse:
    """Opened once on the terminal: it is paired and keeps its key in a signed cookie."""
    try:
        services.terminal_pair(key=key)
    except ValidationError:
        return _refused(request, services.TERMINAL_REFUSED)
    response = redirect("video:terminal")
    response.set_signed_cookie(
        TERMINAL_COOKIE,
        key,
        salt=TERMINAL_COOKIE_SALT,
        max_age=TERMINAL_COOKIE_AGE,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )
    return response


def _terminal(request: HttpRequest) -> VideoTerminal | None:
    key = request.get_signed_cookie(TERMINAL_COOKIE, default="", salt=TERMINAL_COOKIE_SALT)
    return services.terminal_for_key(key or "")


@never_cache
@require_http_methods(["GET", "POST"])
def terminal(request: HttpRequest) -> HttpResponse:
    """The terminal's 视频咨询 page: pressing the button registers the visit, opens the room and joins its citizen
    side right here (the one-time token is used at once and never shown); the platform's clerks see the call."""
    found = _terminal(request)
    if found is None:
        return _refused(request, services.TERMINAL_REFUSED)
    if request.method == "GET":
        return render(request, "video/terminal.html", {"terminal": found, "configured": janus.configured()})
    try:
        opened = services.terminal_call(terminal=found)
        invite = services.invite_use(token=opened.token)
    except ValidationError as exc:
        return render(
            request,
            "video/terminal.html",
            {"terminal": found, "configured": janus.configured(), "error": _errors(exc)},
            status=400,
        )
    request.session.cycle_key()
    request.session[SESSION_KEY] = invite.pk
    return _call_response(request, "video/call.html", _citizen_context(invite))
