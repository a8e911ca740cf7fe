from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "lawdesk.complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from lawdesk.complaints import extension

        extension.register()
