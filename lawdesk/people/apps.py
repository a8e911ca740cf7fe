from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lawdesk.people"
    verbose_name = "来访群众"
