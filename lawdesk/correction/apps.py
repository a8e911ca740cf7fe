from django.apps import AppConfig


class CorrectionConfig(AppConfig):
    name = "lawdesk.correction"
    verbose_name = "社区矫正与安置帮教"
