"""Run daily (e.g. from cron, beside the monthly snapshot_caseloads): sign every county's chain head
and append it to the checkpoint files outside the database (apps/audit/checkpoints.py)."""

from django.core.management.base import BaseCommand, CommandError

from apps.audit import signing
from apps.audit.checkpoints import write_checkpoints


class Command(BaseCommand):
    help = (
        "Sign each county's access-log chain head with the key the database never holds and append it to "
        "SYSTEEMI_LOG_CHECKPOINT_DIR (one JSON-lines file per county). Refuses a county whose chain does not "
        "continue its last signed checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", type=int, help="only this county id")

    def handle(self, *args, county=None, **options):
        try:
            outcomes = write_checkpoints([county] if county else None)
        except (signing.SigningKeyMissing, signing.KeyConfigurationError) as exc:
            raise CommandError(str(exc)) from None
        refused = [o for o in outcomes if o.refused]
        for o in outcomes:
            if o.refused:
                self.stderr.write(f"county {o.county_id} ({o.county_code}): NOT SIGNED: {o.refused}")
            else:
                self.stdout.write(f"county {o.county_id} ({o.county_code}): signed entry {o.checkpoint.seq} into {o.path}")
        if not outcomes:
            self.stdout.write("No county has access-log entries yet: nothing to sign.")
        if refused:
            raise CommandError(f"{len(refused)} county chain(s) not signed")
