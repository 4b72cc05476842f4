from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RatingsConfig(AppConfig):
    name = "apps.ratings"
    verbose_name = "Arviot"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.meetings.models import ProposalReason
        from apps.meetings.proposals import register_proposal_source

        from .selectors import family_flags
        from .services import load_shipped_instruments

        post_migrate.connect(lambda sender, **kw: load_shipped_instruments(), sender=self, weak=False)
        # A family whose ratings raise a flag is proposed for the team meeting's agenda.
        register_proposal_source(ProposalReason.RATINGS, family_flags)
