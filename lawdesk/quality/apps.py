from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "lawdesk.quality"
    verbose_name = "服务质量评价"
