"""Demo API client: the 12348 hotline as a window clerk's service account at the demo station, with a published
token (like the demo passwords: a demo account, refused whenever LAWDESK_DEMO is off). Idempotent.

Hook (for lawdesk/demo/loader.py, after the desk is loaded): ``load_api_demo(station=station)``."""

from __future__ import annotations

from django.db import transaction

from lawdesk.accounts.models import Role, User
from lawdesk.accounts.services import role_ensure
from lawdesk.api.models import ApiClient
from lawdesk.api.tokens import hash_token, visible_prefix
from lawdesk.core.audit import audit
from lawdesk.orgs.models import OrgNode

DEMO_USERNAME = "hotline"
DEMO_CLIENT_NAME = "12348热线（演示）"
# Published on purpose, like the demo password: only works for a demo account in demo mode.
DEMO_TOKEN = "ld_demo-12348-hotline-lawdesk2026"


def load_api_demo(*, station: OrgNode) -> int:
    """The demo hotline client; returns how many rows were created (0 on a second run)."""
    created = 0
    with transaction.atomic():
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            user = User(username=DEMO_USERNAME, full_name="12348热线接口（演示）", is_demo=True)
            user.set_unusable_password()  # reached only through the API token, never the login page
            user.save()
            created += 1
        elif not user.is_demo:
            return 0  # a real account of that name: the demo leaves it alone
        _, made = role_ensure(actor=None, user=user, role=Role.WINDOW_CLERK, node=station)
        created += made
        if not ApiClient.objects.filter(token_hash=hash_token(DEMO_TOKEN)).exists():
            client = ApiClient.objects.create(
                name=DEMO_CLIENT_NAME,
                user=user,
                token_prefix=visible_prefix(DEMO_TOKEN),
                token_hash=hash_token(DEMO_TOKEN),
            )
            audit(actor=None, action="api_client_created", obj=client, node=station, data={"demo": True})
            created += 1
    return created
