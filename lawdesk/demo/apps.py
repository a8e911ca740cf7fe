from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lawdesk.demo"
    verbose_name = "演示数据"
