from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "lawdesk.staff"
    verbose_name = "队伍建设"
