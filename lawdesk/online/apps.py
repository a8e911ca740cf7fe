from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "lawdesk.online"
    verbose_name = "网上服务"
