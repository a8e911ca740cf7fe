"""Demo accounts that need a second factor get a TOTP device with one fixed, published secret, so that
`make run` stays usable: in demo mode the verify page also shows the current code to demo users."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts.models import User
from lawdesk.accounts.security import needs_otp

# b"lawdesk-demo-totp-26"; in an authenticator app: NRQX OZDF ONVS 2ZDF NVXS 25DP ORYC 2MRW (30 s, 6 digits).
DEMO_TOTP_KEY = "6c61776465736b2d64656d6f2d746f74702d3236"
DEMO_TOTP_SECRET_BASE32 = "NRQXOZDFONVS2ZDFNVXS25DPORYC2MRW"


def demo_otp_devices() -> int:
    """Give every demo user who needs a second factor a confirmed device with the demo secret, once.
    Returns how many devices were made (0 on a second run)."""
    made = 0
    for user in User.objects.filter(is_demo=True).order_by("pk"):
        if not needs_otp(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        TOTPDevice.objects.create(user=user, name="演示身份验证器", key=DEMO_TOTP_KEY, confirmed=True)
        made += 1
    return made


def demo_otp_usernames() -> list[str]:
    """The demo users who log in with a TOTP code as well (for the printed login table)."""
    return [u.username for u in User.objects.filter(is_demo=True).order_by("pk") if needs_otp(u)]
