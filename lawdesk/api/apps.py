from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lawdesk.api"
    verbose_name = "对外接口"

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular.
        from lawdesk.api import schema  # noqa: F401
