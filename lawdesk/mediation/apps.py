from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "lawdesk.mediation"
    verbose_name = "人民调解"

    def ready(self) -> None:
        from lawdesk.mediation import extension

        extension.register()
