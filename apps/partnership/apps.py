from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "apps.partnership"
    verbose_name = "Yhteistyö verkoston kanssa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.casework.deadlines import register_deadline_source
        from apps.meetings.models import ProposalReason
        from apps.meetings.proposals import register_proposal_source

        from .selectors import joint_flags, review_deadlines

        # A shared plan's next review is on the deadline lists beside the statutory ones.
        register_deadline_source(review_deadlines)
        # A family whose joint assessment shows widely differing views is proposed for the team meeting.
        register_proposal_source(ProposalReason.JOINT_ASSESSMENT, joint_flags)
