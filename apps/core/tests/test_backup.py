"""`manage.py backup` and `manage.py restore`: everything comes back, the access log still verifies.

The restore runs as a separate `manage.py` process against an EMPTY database (a new SQLite file,
or a new database on the same PostgreSQL server), exactly as an operator would run it.
"""

import io
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.audit.models import AccessLogEntry
from apps.clients.models import Family, Person
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant runs on SQLite")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL variant runs via tools/with_postgres.py")


def manage(*args, database_url):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="systeemi.settings_test", SYSTEEMI_DEMO="1")
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=180)


def _count_rows(cursor, tables, quote_name):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def source_counts():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


class SqliteTarget:
    def __init__(self, path: Path):
        self.path = path
        self.url = f"sqlite:///{path}"

    def execute(self, sql):
        with sqlite3.connect(self.path) as conn:
            conn.execute(sql)
        conn.close()

    def counts(self):
        conn = sqlite3.connect(self.path)
        try:
            cursor = conn.cursor()
            tables = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            return _count_rows(cursor, tables, lambda t: f'"{t}"')
        finally:
            conn.close()


class PostgresTarget:
    def __init__(self, name: str):
        s = connection.settings_dict
        auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
        self.name = name
        self.url = f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"

    def _connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def execute(self, sql):
        with self._connect() as conn:
            conn.execute(sql)

    def counts(self):
        with self._connect() as conn:
            cursor = conn.cursor()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [r[0] for r in cursor.fetchall()]
            return _count_rows(cursor, tables, lambda t: f'"{t}"')


@pytest.fixture
def data(world):
    """The world, plus page and API views so the access log has a chain to verify."""
    client = Client()
    assert client.login(username=world.worker.username, password=PASSWORD)
    for url in (
        reverse("family-detail", args=[world.family.pk]),
        reverse("family-detail", args=[world.family.pk]),
        f"/api/v1/families/{world.family.pk}",
        f"/api/v1/teams/{world.team.pk}",
    ):
        assert client.get(url).status_code == 200, url
    assert AccessLogEntry.objects.filter(county=world.county).count() >= 4
    return world


def check_backup_and_restore(world, tmp_path, target):
    backup_file = tmp_path / "systeemi.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    assert backup_file.stat().st_mode & 0o077 == 0, "a backup holds client data: readable by its owner only"
    expected = source_counts()
    assert expected["clients_family"] == Family.objects.count() >= 3 and expected["clients_person"] == Person.objects.count()
    log_entries = AccessLogEntry.objects.filter(county=world.county).count()

    # Into an empty database: everything comes back and the chain verifies.
    result = manage("restore", str(backup_file), database_url=target.url)
    assert result.returncode == 0, result.stderr + result.stdout
    assert target.counts() == expected
    assert f"county {world.county.pk}: {log_entries} entries, chain intact" in result.stdout
    assert "Access log verified" in result.stdout

    # A non-empty database is refused, and left as it was.
    target.execute("CREATE TABLE stray_table (x integer)")
    refused = manage("restore", str(backup_file), database_url=target.url)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert target.counts() == {**expected, "stray_table": 0}

    # --force replaces everything in it with the backup.
    forced = manage("restore", "--force", str(backup_file), database_url=target.url)
    assert forced.returncode == 0, forced.stderr + forced.stdout
    assert target.counts() == expected
    assert "Access log verified" in forced.stdout


@on_sqlite
def test_sqlite_backup_restores_into_an_empty_file_with_everything(data, tmp_path):
    check_backup_and_restore(data, tmp_path, SqliteTarget(tmp_path / "restored.sqlite3"))


@on_postgresql
def test_postgresql_backup_restores_into_a_new_database_with_everything(data, tmp_path):
    target = PostgresTarget(f"restore_{uuid.uuid4().hex[:12]}")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target.name}"')
    try:
        check_backup_and_restore(data, tmp_path, target)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


def test_restore_refuses_a_non_empty_database_without_force(data, tmp_path):
    backup_file = tmp_path / "systeemi.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    before = source_counts()
    with pytest.raises(CommandError, match=r"not empty .*--force"):
        call_command("restore", str(backup_file))
    assert source_counts() == before


def test_backup_refuses_to_overwrite_and_restore_refuses_foreign_files(data, tmp_path):
    backup_file = tmp_path / "systeemi.backup"
    backup_file.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(backup_file))
    assert backup_file.read_text() == "an older backup"
    with pytest.raises(CommandError, match="neither a SQLite database nor a pg_dump"):
        call_command("restore", "--force", str(backup_file))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", "--force", str(tmp_path / "missing.backup"))


@on_sqlite
def test_restore_reports_an_access_log_altered_before_the_backup(data, tmp_path):
    backup_file = tmp_path / "systeemi.backup"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    with sqlite3.connect(backup_file) as conn:  # someone with the file and no scruples
        conn.execute("DROP TRIGGER audit_accesslogentry_no_update")
        conn.execute("UPDATE audit_accesslogentry SET purpose = 'muutettu' WHERE seq = 2")
    conn.close()
    result = manage("restore", str(backup_file), database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    assert result.returncode != 0
    assert "BROKEN at entry 2" in result.stderr and "verification FAILED" in result.stderr
