from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lawdesk.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from lawdesk.accounts import signals  # noqa: F401
