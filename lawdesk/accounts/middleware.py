"""Per-request account controls: session idle timeout and absolute age, the TOTP second factor, password
expiry, and the security headers Django does not set itself."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from lawdesk.accounts import scoping, security
from lawdesk.core import clock
from lawdesk.core.urls_cache import path_of

GetResponse = Callable[[HttpRequest], HttpResponse]

# How often the last-activity time is written back (seconds): no session write on every request.
SEEN_RESOLUTION = 30


def _exempt(request: HttpRequest, *names: str) -> bool:
    path = request.path_info
    static = "/" + str(getattr(settings, "STATIC_URL", "static/")).lstrip("/")
    if path.startswith(static) or path == "/healthz":
        return True
    return any(path == path_of(name) for name in names)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (which would otherwise swap the target page in)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(request: HttpRequest, url: str) -> str:
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionTimeoutMiddleware:
    """Logs out after ``LAWDESK_SESSION_IDLE_MINUTES`` without a request, and ``LAWDESK_SESSION_MAX_HOURS``
    after login whatever the activity."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _exempt(request):
            session = request.session
            now = clock.timestamp()
            login_at = session.get(security.LOGIN_AT)
            seen_at = session.get(security.SEEN_AT)
            reason = None
            if login_at is None:
                session[security.LOGIN_AT] = now
            elif now - login_at > security.absolute_age().total_seconds():
                hours = int(security.absolute_age().total_seconds() // 3600)
                reason = f"登录已超过 {hours} 小时，请重新登录。"
            if (
                reason is None
                and seen_at is not None
                and now - seen_at > security.idle_timeout().total_seconds()
            ):
                minutes = int(security.idle_timeout().total_seconds() // 60)
                reason = f"已有 {minutes} 分钟没有操作，为保护数据已自动退出，请重新登录。"
            if reason is not None:
                logout(request)
                messages.info(request, reason)
                return _redirect(request, _with_next(request, reverse("login")))
            if seen_at is None or now - seen_at >= SEEN_RESOLUTION:
                session[security.SEEN_AT] = now
            if session.session_key and session.get(security.RECORDED_KEY) != session.session_key:
                security.record_session(request, user)
        return self.get_response(request)


class OTPRequiredMiddleware:
    """Users who need a second factor reach nothing but the TOTP pages and logout until they have entered a
    code in this session (after django_otp's OTPMiddleware, which gives ``request.user.is_verified``)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _exempt(request, "accounts:otp_setup", "accounts:otp_verify", "logout", "login")
            # The request's scope (one query, reused by the menus) rather than a query of its own.
            and security.needs_otp(user, held=scoping.scope_for(user).held)
        ):
            from django_otp import user_has_device

            name = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
            return _redirect(request, _with_next(request, reverse(name)))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Staff whose password is older than ``LAWDESK_PASSWORD_MAX_AGE_DAYS`` change it before anything else."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and security.password_expired(user)
            and not _exempt(
                request, "accounts:password_change", "accounts:otp_setup", "accounts:otp_verify", "logout"
            )
        ):
            return _redirect(request, _with_next(request, reverse("accounts:password_change")))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware leaves out: Permissions-Policy and Cross-Origin-Resource-Policy."""

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=()"
    )

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
