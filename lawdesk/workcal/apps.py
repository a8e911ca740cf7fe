from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "lawdesk.workcal"
    verbose_name = "工作日与办理期限"
