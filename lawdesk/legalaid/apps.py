from django.apps import AppConfig


class LegalAidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawdesk.legalaid"
    verbose_name = "法律援助"

    def ready(self) -> None:
        from lawdesk.legalaid import extension

        extension.register()
