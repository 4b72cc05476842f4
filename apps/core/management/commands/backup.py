"""`manage.py backup <file>`: a consistent snapshot of the whole database, taken while the app runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from apps.core import backup


class Command(BaseCommand):
    requires_system_checks = []  # an operator tool: needs the database, not the URL configuration
    help = (
        "Write a consistent backup of the database to FILE while the app keeps running: SQLite's online backup API "
        "(a SQLite file) or pg_dump's custom format for PostgreSQL. The file holds every client record: it is "
        "created readable only by its owner; store it encrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (a new file)")
        parser.add_argument("--force", action="store_true", help="replace FILE if it already exists")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: %(default)s)")

    def handle(self, *args, file, force, database, **options):
        try:
            summary = backup.backup(database, Path(file), overwrite=force)
        except backup.BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.engine} database to {summary.path}: {summary.tables} tables, "
                f"{summary.size:,} bytes, sha256 {summary.sha256}."
            )
        )
