from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "lawdesk.appointments"
    verbose_name = "预约"
