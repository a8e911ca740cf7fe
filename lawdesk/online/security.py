"""Tracking codes, keyed digests, the lookup throttle and the submission limits of the online side.

Settings (read when used, with these defaults):
``LAWDESK_ONLINE_DAILY_PER_PHONE`` (5) and ``LAWDESK_ONLINE_DAILY_PER_ADDRESS`` (20): online requests a day per
phone and per client address; ``LAWDESK_ONLINE_MIN_FILL_SECONDS`` (3): a form sent faster is a robot;
``LAWDESK_ONLINE_TRACK_WINDOW`` (600 s), ``LAWDESK_ONLINE_TRACK_PER_ADDRESS`` (10) and
``LAWDESK_ONLINE_TRACK_PER_CODE`` (5): progress lookups per window.

Every typed phone and code is read through ``lawdesk.core.normalise`` before a limit or lookup (full-width digits
are the same number), and the signed form-start stamp is single use (``form_stamp_claim``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from lawdesk.core import clock, crypto, limits, normalise

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud over the phone is not misheard.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 10
FORM_SALT = "lawdesk.online.form-started"


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """A typed tracking code as stored (``lawdesk.core.normalise.code``: full-width, spaces and hyphens)."""
    return normalise.code(code)


def normalise_phone(phone: str) -> str:
    return crypto.normalise_phone(phone)


def digest(kind: str, value: str) -> str:
    """The keyed blind index (``lawdesk.core.crypto``, ``LAWDESK_BLIND_INDEX_KEY``) of ``value`` for ``kind``."""
    return crypto.blind_index(f"online_{kind}", value or "-")


def phone_digest(phone: str) -> str:
    return digest("phone", normalise_phone(phone))


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the login lockout sees it (``lawdesk.accounts.security``):
    REMOTE_ADDR, which behind the trusted proxy is the forwarded client's (``manage.py serve``)."""
    from lawdesk.accounts.security import client_ip

    return str(client_ip(request) or "unknown")


def address_digest(request: HttpRequest) -> str:
    return digest("address", client_address(request))


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- forms: the time a form was shown, signed; each stamp used once ------------------------------------------

FORM_MAX_AGE = 24 * 3600
STAMP_REUSED = "该表单已经提交过，不能再次提交。如需再提一个申请，请刷新页面重新填写。"


def form_started_stamp() -> str:
    """The signed moment the form was shown, with a random nonce: each form shown gets its own stamp."""
    return signing.dumps({"t": clock.timestamp(), "n": secrets.token_urlsafe(9)}, salt=FORM_SALT)


def _stamp_started(stamp: str) -> float | None:
    try:
        value = signing.loads(stamp or "", salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if isinstance(value, dict):
        value = value.get("t")
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def form_too_fast(stamp: str) -> bool:
    """True when the form came back faster than a person fills it (or with a forged or missing stamp)."""
    started = _stamp_started(stamp)
    if started is None:
        return True
    return clock.timestamp() - started < setting("LAWDESK_ONLINE_MIN_FILL_SECONDS", 3)


def _stamp_key(stamp: str) -> str:
    return "online:stamp-used:" + hashlib.sha256((stamp or "").encode()).hexdigest()


def form_stamp_claim(stamp: str) -> bool:
    """Mark a valid stamp used (Django's cache, so every server sees it, until the stamp itself expires); False
    when it is invalid or was used before — a second submission of the same form is refused."""
    started = _stamp_started(stamp)
    if started is None:
        return False
    remaining = int(FORM_MAX_AGE - (clock.timestamp() - started)) + 60
    return limits.claim(_stamp_key(stamp), max(remaining, 60))


def form_stamp_release(stamp: str) -> None:
    """The submission the stamp was claimed for failed (the form comes back to be corrected): free it again."""
    limits.release(_stamp_key(stamp))


# --- the progress lookup throttle (Django cache) -----------------------------------------------------------


def _hit(key: str, window: int) -> int:
    """One lookup counted atomically in the shared cache (lawdesk.core.limits): holds across servers."""
    return limits.hit(key, window)


def track_throttled(request: HttpRequest, code: str) -> bool:
    """Count one lookup for the address and for the code; True when either is over its limit."""
    window = setting("LAWDESK_ONLINE_TRACK_WINDOW", 600)
    by_address = _hit(f"online:track:addr:{address_digest(request)}", window)
    by_code = _hit(f"online:track:code:{digest('code', normalise_code(code))}", window)
    return by_address > setting("LAWDESK_ONLINE_TRACK_PER_ADDRESS", 10) or by_code > setting(
        "LAWDESK_ONLINE_TRACK_PER_CODE", 5
    )


# --- submission limits (counted on the stored requests, so they hold across servers) -----------------------


def submission_refusal(*, phone: str, request: HttpRequest) -> str:
    """A Chinese reason when this phone or address has sent too many requests today ('' when it may send)."""
    from lawdesk.online.models import OnlineRequest

    start = clock.localnow().replace(hour=0, minute=0, second=0, microsecond=0)
    today = OnlineRequest.objects.filter(created_at__gte=start)
    per_phone = setting("LAWDESK_ONLINE_DAILY_PER_PHONE", 5)
    per_address = setting("LAWDESK_ONLINE_DAILY_PER_ADDRESS", 20)
    if phone and today.filter(phone_digest=phone_digest(phone)).count() >= per_phone:
        return f"该手机号今天已提交{per_phone}次网上申请，请明天再试，或拨打12348热线。"
    if today.filter(address_digest=address_digest(request)).count() >= per_address:
        return "您所在的网络今天提交的网上申请过多，请明天再试，或拨打12348热线。"
    return ""


def robot_refusal(data: Any) -> str:
    """The honeypot field filled, or the form sent too fast: refuse without saying which."""
    if (data.get("website") or "").strip() or form_too_fast(data.get("started", "")):
        return "提交太快了，请核对所填内容后再点一次“提交”。"
    return ""
