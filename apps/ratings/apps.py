from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RatingsConfig(AppConfig):
    name = "apps.ratings"
    verbose_name = "Arviot"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .services import load_shipped_instruments

        post_migrate.connect(lambda sender, **kw: load_shipped_instruments(), sender=self, weak=False)
