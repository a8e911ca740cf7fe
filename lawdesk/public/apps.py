from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "lawdesk.public"
    verbose_name = "群众服务"
