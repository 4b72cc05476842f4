from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit import signing
from apps.audit.verify import verify_all_chains, verify_county_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the access and disclosure log against every signed checkpoint; report the first "
        "broken link, rewritten range or untrustworthy checkpoint per county."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", type=int, help="verify only this county id")
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="a checkpoint file or directory of your own, e.g. one the auditor downloaded (default: SYSTEEMI_LOG_CHECKPOINT_DIR)",
        )
        parser.add_argument("--public-key", type=Path, help="a PEM file with the public key(s) to trust (default: the configured key)")

    def handle(self, *args, county=None, checkpoints=None, public_key=None, **options):
        try:
            keys = signing.public_keys_from_file(public_key) if public_key else signing.public_keys()
        except signing.KeyConfigurationError as exc:
            raise CommandError(str(exc)) from None
        loaded = signing.load(checkpoints, keys)
        if checkpoints is not None and not loaded.lines:
            raise CommandError(f"{checkpoints}: no checkpoints to verify against")
        reports = [verify_county_chain(county, checkpoints=loaded)] if county else verify_all_chains(checkpoints=loaded)
        broken = [r for r in reports if not r.ok]
        for r in reports:
            if r.ok:
                self.stdout.write(r.summary())
                continue
            if r.broken_seq is not None:
                self.stderr.write(f"{r.label}: BROKEN at entry {r.broken_seq}: {r.reason}")
            for problem in r.problems:
                self.stderr.write(f"{r.label}: CHECKPOINT NOT TRUSTED: {problem}")
        if broken:
            raise CommandError(f"{len(broken)} broken chain(s) or untrusted checkpoint file(s)")
