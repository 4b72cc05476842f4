"""`manage.py restore <file>`: put a backup made by `manage.py backup` into the configured database.

Refuses a database that already has tables unless --force. Afterwards it checks the migrations
against the code and walks the access log's hash chain (`verify_access_log`), and fails if the
chain does not verify.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from apps.core import backup


class Command(BaseCommand):
    requires_system_checks = []  # an operator tool: needs the database, not the URL configuration
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (of the same kind), then verify "
        "the access log's hash chain. Refuses a non-empty database unless --force. Stop the app first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup file made by `manage.py backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace everything in a non-empty database with the backup (cannot be undone)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: %(default)s)")

    def handle(self, *args, file, force, database, **options):
        path = Path(file)
        try:
            result = backup.restore(database, path, force=force)
        except backup.BackupError as exc:
            raise CommandError(f"Restore refused or failed: {exc}") from None
        replaced = f", replacing {len(result.replaced)} existing tables" if result.replaced else ""
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into the {result.engine} database: {result.tables} tables{replaced}."))
        self._report_migrations(database)
        self.stdout.write("Verifying the access log's hash chain…")
        try:
            call_command("verify_access_log", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            raise CommandError(
                f"The backup was restored, but the access-log verification FAILED ({exc}). The log may have been "
                "altered before the backup was taken; keep this backup and report it to the data-protection officer."
            ) from None
        except DatabaseError as exc:
            raise CommandError(
                f"The backup was restored, but the access log could not be read ({exc}); run `manage.py migrate` first."
            ) from None
        self.stdout.write(self.style.SUCCESS("Access log verified: every chain is intact."))

    def _report_migrations(self, database):
        executor = MigrationExecutor(connections[database])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        unknown = sorted(set(executor.loader.applied_migrations) - set(executor.loader.disk_migrations))  # squashed ones included
        if unknown:
            names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            self.stderr.write(
                f"Warning: the backup comes from a newer Systeemi ({_count(len(unknown), 'migration')} this code does not know: {names})."
            )
        if pending:
            self.stdout.write(
                f"The backup predates {_count(len(pending), 'migration')} of this code: run `manage.py migrate` before starting the app."
            )
        elif not unknown:
            self.stdout.write("Migrations match the code.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
