from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """The model backend, except that demo users (known passwords) are refused unless ``settings.DEMO_MODE``
    is on. Read at call time, so turning demo mode off also ends the demo users' existing sessions."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not getattr(settings, "DEMO_MODE", False):
            return False
        return super().user_can_authenticate(user)
