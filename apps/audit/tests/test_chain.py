"""The access log is append-only and tamper-evident; the verify command finds the first broken link."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from apps.audit import db_guard
from apps.audit.models import AccessLogEntry, AppendOnlyError
from apps.audit.services import Subject, access_log_append
from apps.audit.verify import verify_county_chain


def _append(world, n=3, actor=None):
    return access_log_append(
        actor=actor or world.worker,
        county_id=world.county.pk,
        actor_role="social_worker",
        action="view",
        view_name="family-detail",
        purpose="client_work",
        subjects=[Subject(world.family.pk, i) for i in range(1, n + 1)],
    )


def test_entries_chain_per_county(world):
    first = _append(world, 2)
    second = _append(world, 1)
    assert [e.seq for e in first + second] == [1, 2, 3]
    assert second[0].prev_hash == first[-1].hash
    assert verify_county_chain(world.county.pk).ok


def test_other_county_has_its_own_chain(world):
    _append(world, 2)
    entries = access_log_append(
        actor=world.foreigner,
        county_id=world.other_county.pk,
        actor_role="consultant",
        action="view",
        view_name="family-detail",
        purpose="client_work",
        subjects=[Subject(world.foreign_family.pk, None)],
    )
    assert entries[0].seq == 1


def test_model_and_queryset_refuse_changes(world):
    entry = _append(world, 1)[0]
    entry.view_name = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(view_name="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_database_refuses_raw_update_and_delete(world):
    entry = _append(world, 1)[0]
    for sql in (
        f"UPDATE audit_accesslogentry SET view_name = 'x' WHERE county_id = {entry.county_id} AND seq = {entry.seq}",
        f"DELETE FROM audit_accesslogentry WHERE county_id = {entry.county_id} AND seq = {entry.seq}",
    ):
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert AccessLogEntry.objects.get(county_id=entry.county_id, seq=entry.seq).view_name == "family-detail"


def _tamper(sql):
    """Simulate an attacker with database access who drops the guard first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before DDL
        db_guard.remove(connection)
        cursor.execute(sql)


def test_verify_command_reports_first_altered_entry(world, capsys):
    entries = _append(world, 5)
    call_command("verify_access_log")
    assert "5 entries, chain intact" in capsys.readouterr().out
    _tamper(f"UPDATE audit_accesslogentry SET actor_role = 'auditor' WHERE county_id = {entries[2].county_id} AND seq = {entries[2].seq}")
    with pytest.raises(CommandError):
        call_command("verify_access_log")
    err = capsys.readouterr().err
    assert "BROKEN at entry 3" in err and "altered" in err


def test_verify_command_reports_deleted_entry(world):
    entries = _append(world, 4)
    _tamper(f"DELETE FROM audit_accesslogentry WHERE county_id = {entries[1].county_id} AND seq = {entries[1].seq}")
    report = verify_county_chain(world.county.pk)
    assert report.broken_seq == 2 and "missing" in report.reason


def test_verify_detects_truncated_tail(world):
    entries = _append(world, 4)
    _tamper(f"DELETE FROM audit_accesslogentry WHERE county_id = {entries[-1].county_id} AND seq = {entries[-1].seq}")
    report = verify_county_chain(world.county.pk)
    assert not report.ok and report.broken_seq == 4
