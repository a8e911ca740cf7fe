from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "lawdesk.mediation"
    verbose_name = "人民调解"
