from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "lawdesk.institutions"
    verbose_name = "后台机构"
