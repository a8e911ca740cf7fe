from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "lawdesk.governance"
    verbose_name = "基层依法治理"
