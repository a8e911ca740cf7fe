from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "lawdesk.duty"
    verbose_name = "值班安排"
