"""Drop the foreign keys' own indexes on the access log: (county, seq) and (actor, at) start with
the same columns, and each append pays for every index of the busiest table.

Only the indexes are dropped (SeparateDatabaseAndState): an AlterField would make SQLite copy the
whole table into a new one, which also drops the append-only triggers of migration 0002.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COLUMNS = ("county_id", "actor_id")


def _index_names(apps, schema_editor):
    table = apps.get_model("audit", "AccessLogEntry")._meta.db_table
    return table, {column: schema_editor._create_index_name(table, [column]) for column in COLUMNS}


def drop(apps, schema_editor):
    _table, names = _index_names(apps, schema_editor)
    for name in names.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create(apps, schema_editor):
    table, names = _index_names(apps, schema_editor)
    for column, name in names.items():
        quote = schema_editor.quote_name
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_vacuum_the_log_as_it_grows"),
        ("organisations", "0002_alter_team_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create)],
            state_operations=[
                migrations.AlterField(
                    model_name="accesslogentry",
                    name="actor",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="käyttäjä",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslogentry",
                    name="county",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.county"),
                ),
            ],
        )
    ]
