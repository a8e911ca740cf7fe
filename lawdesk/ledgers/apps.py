from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "lawdesk.ledgers"
    verbose_name = "五台帐一登记"
