"""The TOTP second factor (setup with a QR code, verification) and the password change page."""

from __future__ import annotations

import functools
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import services
from lawdesk.accounts.forms import PasswordChangeForm, TokenForm
from lawdesk.accounts.models import User
from lawdesk.accounts.security import password_expired, password_max_age

THROTTLED = "验证码输错后须稍候几秒（连续输错等待时间加倍）再试，请稍候再输入身份验证器上当前的验证码。"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


@functools.lru_cache(maxsize=256)
def _qr_data_uri(config_url: str) -> str:
    """The setup page's QR code of one device's otpauth URL, drawn once per secret in this process (segno's
    choice of mask alone costs ~7 ms, more than the rest of the page): the page is shown again while the user
    scans and types a code. Only unconfirmed devices' URLs pass through here, and a data URI holds no more than
    the page itself shows."""
    return str(segno.make(config_url, error="m").svg_data_uri(scale=5, border=2))


def _secret_text(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First TOTP device: scan the QR code (or type the secret) into an authenticator app, confirm a code."""
    user: User = request.user  # type: ignore[assignment]
    if user_has_device(user):
        return _to("accounts:otp_verify", request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", THROTTLED)
        elif services.otp_device_confirm(actor=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, "动态口令已启用。以后每次登录都需要输入身份验证器上的 6 位验证码。")
            return redirect(_next_url(request))
        else:
            form.add_error(
                "token", "验证码不正确：请确认手机时间准确，并输入身份验证器上当前显示的 6 位数字。"
            )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_data_uri": _qr_data_uri(device.config_url),
            "secret": _secret_text(device),
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("token")
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of every login for the roles that need it."""
    user: User = request.user  # type: ignore[assignment]
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return _to("accounts:otp_setup", request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", THROTTLED)
                break
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        else:
            form.add_error("token", "验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。")
    demo_code = None
    if getattr(settings, "DEMO_MODE", False) and user.is_demo:
        demo_code = _current_code(devices[0])
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "demo_code": demo_code, "next": _next_url(request)},
    )


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, "密码已修改。")
        return redirect(_next_url(request))
    max_age = password_max_age()
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "expired": password_expired(user),
            "max_age_days": max_age.days if max_age else None,
            "next": _next_url(request),
        },
    )


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``): a Chinese page, status 429."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "accounts/locked.html", context, status=429)
