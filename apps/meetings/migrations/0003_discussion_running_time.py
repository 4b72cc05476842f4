from django.db import migrations, models


def first_interval(apps, schema_editor):
    """Clocks recorded before pauses were left out had one interval: its start and stop. A stopped
    clock becomes that many seconds; a running one runs on from its start."""
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    timed = AgendaItem.objects.filter(started_at__isnull=False).only("pk", "started_at", "ended_at").order_by("pk")
    batch = []
    for item in timed.iterator(chunk_size=2000):
        if item.ended_at is None:
            item.running_since = item.started_at
        else:
            item.discussed_seconds = max(0, round((item.ended_at - item.started_at).total_seconds()))
        batch.append(item)
        if len(batch) == 2000:
            AgendaItem.objects.bulk_update(batch, ["discussed_seconds", "running_since"])
            batch = []
    AgendaItem.objects.bulk_update(batch, ["discussed_seconds", "running_since"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_room_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="discussed_seconds",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="running_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(first_interval, migrations.RunPython.noop),
    ]
