from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lawdesk.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # The audit log's receivers of login, failed login and logout.
        from lawdesk.core import audit  # noqa: F401
