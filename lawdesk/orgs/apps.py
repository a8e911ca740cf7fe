from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lawdesk.orgs"
    verbose_name = "组织机构"
