"""The auditor answers "who has seen my child's data?" and exports it as a logged disclosure."""

import pytest

from apps.audit.models import AccessLogEntry, EntryKind


def _visit(client, user, family):
    client.force_login(user)
    assert client.get(f"/families/{family.pk}/").status_code == 200
    client.logout()


def test_auditor_finds_a_client_by_identity_code_and_sees_who_read(client, world):
    child = world.family.relationships.first().child
    _visit(client, world.worker, world.family)
    _visit(client, world.partner, world.family)
    client.force_login(world.auditor)
    found = client.get("/audit/", {"q": child.personal_identity_code}).context["people"]
    assert found == [child]
    body = client.get(f"/audit/people/{child.pk}/").content.decode()
    assert world.worker.get_full_name() in body and world.partner.get_full_name() in body
    assert world.consultant.get_full_name() not in body


def test_auditor_cannot_search_another_county(client, world):
    foreign_child = world.foreign_family.relationships.first().child
    client.force_login(world.auditor)
    assert client.get("/audit/", {"q": foreign_child.personal_identity_code}).context["people"] == []
    assert client.get(f"/audit/people/{foreign_child.pk}/").status_code == 404


def test_export_is_csv_and_writes_a_disclosure_entry(client, world):
    child = world.family.relationships.first().child
    _visit(client, world.worker, world.family)
    client.force_login(world.auditor)
    response = client.post(f"/audit/people/{child.pk}/export/", {"recipient": "Huoltaja (tietopyyntö)", "legal_basis": "703/2023 11 §"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert world.worker.get_full_name() in text and "family-detail" in text
    disclosure = AccessLogEntry.objects.get(kind=EntryKind.DISCLOSURE)
    assert disclosure.person_id == child.pk and disclosure.recipient == "Huoltaja (tietopyyntö)" and disclosure.actor == world.auditor


def test_export_without_recipient_is_refused_and_not_logged(client, world):
    child = world.family.relationships.first().child
    client.force_login(world.auditor)
    response = client.post(f"/audit/people/{child.pk}/export/", {"recipient": "", "legal_basis": "x"})
    assert response.status_code == 400 and "Tämä kenttä vaaditaan" in response.content.decode()
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()


def test_auditor_reads_are_logged_too(client, world):
    child = world.family.relationships.first().child
    client.force_login(world.auditor)
    client.get(f"/audit/people/{child.pk}/")
    entry = AccessLogEntry.objects.filter(actor=world.auditor).latest("id")
    assert entry.person_id == child.pk and entry.purpose == "log_audit"


def test_who_has_seen_my_data_reads_only_the_persons_entries_by_index(world):
    """At national scale a county's log holds millions of entries: the report must come from the
    person and family indexes, never from a scan of the county (which took a second per person)."""
    from django.db import connection

    from apps.audit.selectors import person_log_entries

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans tiny test tables with sequential scans; the bench measures it at scale")
    child = world.family.members.filter(relation="child").first().person
    entries = person_log_entries(child)
    for sql in (entries.explain(), entries.order_by().values("pk").explain()):
        assert "access_log_person_at" in sql and "access_log_family_at" in sql, sql
        assert "county_id" not in sql, sql
    with connection.cursor() as cursor:  # COUNT(*), as the paginator asks, planned the same way
        query, params = entries.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ({query})", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "access_log_person_at" in plan and "county_id" not in plan, plan
