"""`flush` would wipe the access log, which the client-data act requires us to keep.

Outside tests it refuses. Test databases (settings.ALLOW_FLUSHING_ACCESS_LOG) are wiped with the
append-only triggers suspended for the moment of the wipe.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from apps.audit import db_guard


class Command(DjangoFlush):
    def handle(self, **options):
        if not getattr(settings, "ALLOW_FLUSHING_ACCESS_LOG", False):
            raise CommandError("flush would erase the append-only access log; it is refused outside tests.")
        with db_guard.suspended(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            return super().handle(**options)
