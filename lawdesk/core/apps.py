from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lawdesk.core"
    verbose_name = "基础"
