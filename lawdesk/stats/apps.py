from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "lawdesk.stats"
    verbose_name = "统计报表"
