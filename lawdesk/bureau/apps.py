from django.apps import AppConfig


class BureauConfig(AppConfig):
    name = "lawdesk.bureau"
    verbose_name = "市局对口负责与建设进度"
