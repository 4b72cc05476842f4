"""Autovacuum the access log every ~50,000 appended entries instead of every 20 % of the table.

The log is append-only and read through index-only scans (counting a person's entries for the
"who has seen my data" pages), which skip the table only for pages vacuum has marked all-visible.
With PostgreSQL's default insert scale factor a 10-million-entry log is vacuumed after two million
appends, so the recent entries the report is mostly about were fetched from the table one by one
(7 ms for 10,000 entries at national scale). Vacuuming an append-only table reads only its new
pages. SQLite has no such setting.
"""

from django.db import migrations

TABLE = "audit_accesslogentry"


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} SET (autovacuum_vacuum_insert_threshold = 50000, autovacuum_vacuum_insert_scale_factor = 0)"
        )


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor)")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_person_and_family_indexes_in_page_order")]

    operations = [migrations.RunPython(tune, reset)]
