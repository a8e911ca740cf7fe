from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "lawdesk.appointments"
    verbose_name = "预约"

    def ready(self) -> None:
        from lawdesk.appointments import extension

        extension.register()
