from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "lawdesk.attachments"
    verbose_name = "附件"
