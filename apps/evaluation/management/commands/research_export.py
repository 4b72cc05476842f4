"""manage.py research_export --out PATH.zip --researcher USERNAME --project NAME --permit REF [--county SLUG]"""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.access.caller import caller_of
from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.evaluation import research
from apps.organisations.models import County


class Command(BaseCommand):
    help = (
        "Write the pseudonymised research export (CSV tables + codebook in a zip) for one county or all, "
        "and log the disclosure to the researcher under their permit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the zip file to write")
        parser.add_argument("--county", help="county code (slug); default: every county")
        parser.add_argument("--researcher", required=True, help="username of the researcher the data is disclosed to")
        parser.add_argument("--project", required=True, help="research project, recorded as the recipient")
        parser.add_argument("--permit", required=True, help="research or data permit reference, recorded as the legal basis")

    def handle(self, *args, out, county=None, researcher, project, permit, **options):
        user = User.objects.filter(username=researcher, is_active=True).first()
        if user is None or not caller_of(user).can(Perm.RESEARCH_EXPORT):
            raise CommandError(f"{researcher!r} is not an active user with the researcher role.")
        scope = None
        if county:
            scope = County.objects.filter(code=county).first()
            if scope is None:
                raise CommandError(f"No county with code {county!r}.")
        started = time.monotonic()
        with open(out, "wb") as fileobj:
            export = research.write_research_export(
                fileobj,
                actor=user,
                recipient=f"{user} / {project}",
                legal_basis=f"{permit} ({research.SECONDARY_USE_ACT})",
                county=scope,
            )
        for name, n in export.rows.items():
            self.stdout.write(f"{name}: {n} rows")
        self.stdout.write(f"{export.logged_families} families logged as disclosed; {time.monotonic() - started:.1f} s -> {out}")
