from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "apps.caseload"
    label = "caseload"
