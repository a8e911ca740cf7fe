from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lawdesk.notifications"
    verbose_name = "通知"
