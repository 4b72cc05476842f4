from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.apps import apps as registry


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self):
        """Collect the names of the views each app logs through (`LOG_VIEWS` in its access module),
        so the log's readers see every view in their language, and a new app names its own."""
        from .labels import OUTSIDE_REQUEST_LABELS, register_views

        register_views(OUTSIDE_REQUEST_LABELS)
        for config in registry.get_app_configs():
            if config.name.startswith("apps.") and find_spec(f"{config.name}.access") is not None:
                register_views(getattr(import_module(f"{config.name}.access"), "LOG_VIEWS", {}))
