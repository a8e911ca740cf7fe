from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "lawdesk.coverage"
    verbose_name = "村(社区)全覆盖"
