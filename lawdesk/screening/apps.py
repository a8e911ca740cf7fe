from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "lawdesk.screening"
    verbose_name = "矛盾纠纷排查与预警"
