from django.apps import AppConfig


class LeaderWindowConfig(AppConfig):
    name = "lawdesk.leaderwindow"
    verbose_name = "局长驻窗口"
