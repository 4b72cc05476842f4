from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Pages that draw from several domain apps (the family page, the team page, the auditor's
    views, the landing redirect): assembled above the apps they show, so no domain app needs
    another's pages."""

    name = "apps.pages"
    label = "pages"
