from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lawdesk.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # The audit log's receivers of login, failed login and logout; the system check of LAWDESK_JOBS.
        from lawdesk.core import audit, deployment  # noqa: F401
