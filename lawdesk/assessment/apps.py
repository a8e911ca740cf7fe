from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "lawdesk.assessment"
    verbose_name = "考核评比与星级评定"
