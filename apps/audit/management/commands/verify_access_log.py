from django.core.management.base import BaseCommand, CommandError

from apps.audit.verify import verify_all_chains, verify_county_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the access and disclosure log; report the first broken link per county."

    def add_arguments(self, parser):
        parser.add_argument("--county", type=int, help="verify only this county id")

    def handle(self, *args, county=None, **options):
        reports = [verify_county_chain(county)] if county else verify_all_chains()
        broken = [r for r in reports if not r.ok]
        for r in reports:
            if r.ok:
                self.stdout.write(f"county {r.county_id}: {r.entries} entries, chain intact")
            else:
                self.stderr.write(f"county {r.county_id}: BROKEN at entry {r.broken_seq}: {r.reason}")
        if broken:
            raise CommandError(f"{len(broken)} broken chain(s)")
