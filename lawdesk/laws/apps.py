from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "lawdesk.laws"
    verbose_name = "法律法规"
