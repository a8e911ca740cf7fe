from django.apps import AppConfig


class AdvisersConfig(AppConfig):
    name = "lawdesk.advisers"
    verbose_name = "村(社区)法律顾问"
