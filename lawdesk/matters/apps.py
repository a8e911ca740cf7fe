from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "lawdesk.matters"
    verbose_name = "来访与事项"
