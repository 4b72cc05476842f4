"""Run monthly (e.g. from cron on the 1st): freezes last month's caseload figures."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.caseload.history import snapshot_month
from apps.organisations.models import County


class Command(BaseCommand):
    help = "Store month-end caseload snapshots (default: the month that just ended) for every county."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: last month")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                first = datetime.date.fromisoformat(f"{month}-01")
            except ValueError:
                raise CommandError("--month must look like 2026-10") from None
            next_first = (first + datetime.timedelta(days=32)).replace(day=1)
        else:
            next_first = timezone.localdate().replace(day=1)
        month_end = next_first - datetime.timedelta(days=1)
        if month_end >= timezone.localdate():
            raise CommandError("That month has not ended yet.")
        for county in County.objects.order_by("id"):
            n = snapshot_month(county.pk, month_end)
            self.stdout.write(f"{county.name}: {n} workers at {month_end:%Y-%m-%d}")
