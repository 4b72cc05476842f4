"""The auditor answers "who has seen my child's data?" and exports it as a logged disclosure."""

import csv
import io

import pytest

from apps.audit.models import AccessLogEntry, EntryKind


def _visit(client, user, family):
    client.force_login(user)
    assert client.get(f"/families/{family.pk}/").status_code == 200
    client.logout()


def test_auditor_finds_a_client_by_identity_code_and_sees_who_read(client, world):
    child = world.family.relationships.first().child
    _visit(client, world.worker, world.family)
    client.force_login(world.partner)  # the partner reads the family's shared plan, by its consent
    assert client.get(f"/partner/plans/{world.family.shared_plan.pk}/").status_code == 200
    client.logout()
    client.force_login(world.auditor)
    found = client.get("/audit/", {"q": child.personal_identity_code}).context["people"]
    assert found == [child]
    assert client.get("/audit/", {"q": child.personal_identity_code.lower()}).context["people"] == [child]
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
    assert world.worker.get_full_name() in text and ";Perheen sivu;asiakastyö;" in text and "family-detail" not in text
    disclosure = AccessLogEntry.objects.get(kind=EntryKind.DISCLOSURE)
    assert disclosure.person_id == child.pk and disclosure.recipient == "Huoltaja (tietopyyntö)" and disclosure.actor == world.auditor


def test_export_without_recipient_is_refused_and_not_logged(client, world):
    child = world.family.relationships.first().child
    client.force_login(world.auditor)
    response = client.post(f"/audit/people/{child.pk}/export/", {"recipient": "", "legal_basis": "x"})
    assert response.status_code == 400 and "Tämä kenttä vaaditaan" in response.content.decode()
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()
    assert not AccessLogEntry.objects.filter(action="export").exists()  # nothing was handed out
    assert AccessLogEntry.objects.filter(actor=world.auditor, person_id=child.pk, action="view").exists()


def test_auditor_reads_are_logged_too(client, world):
    child = world.family.relationships.first().child
    client.force_login(world.auditor)
    client.get(f"/audit/people/{child.pk}/")
    entry = AccessLogEntry.objects.filter(actor=world.auditor).latest("id")
    assert entry.person_id == child.pk and entry.purpose == "log_audit"


def test_who_has_seen_my_data_reads_only_the_persons_entries_by_index(world):
    """At national scale a county's log holds millions of entries: the report must come from the
    person and family indexes, in page order (no sort of the person's whole history), never from a
    scan of the county (which took a second per person)."""
    from django.db import connection

    from apps.pages.selectors import person_log as person_log_entries

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans tiny test tables with sequential scans; the bench measures it at scale")
    child = world.family.members.filter(relation="child").first().person
    named, *listed = person_log_entries(child).parts
    assert len(listed) == child.memberships.count() == 1
    for part, index in ((named, "access_log_person_at"), (listed[0], "access_log_family_at")):
        for sql in (part[:50].explain(), part.order_by().values("pk").explain()):
            assert index in sql and "county_id" not in sql, sql
            assert "TEMP B-TREE" not in sql, sql  # the index gives the order: a page stops after 50
        with connection.cursor() as cursor:  # COUNT(*), as the paginator asks, planned the same way
            query, params = part.order_by().values("pk").query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ({query})", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert index in plan and "county_id" not in plan, plan


def test_the_log_pages_newest_first_through_the_person_and_all_their_families(client, world):
    """Entries naming the child and list entries of both the child's families, merged in time
    order across pages; another person's entries and another family's lists never appear."""
    import datetime
    import re

    import time_machine
    from django.utils import timezone

    from apps.audit.services import Subject, access_log_append
    from tests import factories as f

    child = world.family.relationships.first().child
    second_home = f.family(world.team, "Toinen koti", children=0, parents=1)
    second_home.members.create(county=world.county, person=child, relation="child")
    stranger = world.other_family.members.first().person
    sources = [Subject(None, child.pk), Subject(world.family.pk, None), Subject(second_home.pk, None)]
    noise = [Subject(None, stranger.pk), Subject(world.other_family.pk, None)]
    start = timezone.now() - datetime.timedelta(days=30)
    for i in range(120):
        with time_machine.travel(start + datetime.timedelta(minutes=i), tick=False):
            for subject, name in ((sources[i % 3], f"v{i:03d}"), (noise[i % 2], "noise")):
                access_log_append(
                    actor=world.worker, county_id=world.county.pk, actor_role="social_worker",
                    action="read", view_name=name, purpose="casework", subjects=[subject],
                )  # fmt: skip
    seen = []
    with time_machine.travel(start - datetime.timedelta(days=1), tick=False):  # the auditor's own reads sort last
        client.force_login(world.auditor)
        for page in (1, 2, 3):
            body = client.get(f"/audit/people/{child.pk}/", {"page": page}).content.decode()
            assert f"Sivu {page} / 3" in body and "noise" not in body
            seen += re.findall(r"<td>(v\d{3})</td>", body)
        export = client.post(f"/audit/people/{child.pk}/export/", {"recipient": "Huoltaja", "legal_basis": "703/2023 11 §"})
    assert seen == [f"v{i:03d}" for i in reversed(range(120))]
    exported = re.findall(r";(v\d{3});", export.content.decode("utf-8-sig"))
    assert exported == seen  # the whole history, merged the same way, in the disclosed file


def test_postgresql_vacuums_the_log_every_50000_appends(db):
    """Index-only counts of a person's entries need vacuumed pages; the default would wait for
    two million appends in a national log (migration 0004)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage parameter")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'audit_accesslogentry'")
        options = cursor.fetchone()[0]
    assert "autovacuum_vacuum_insert_threshold=50000" in options and "autovacuum_vacuum_insert_scale_factor=0" in options


def test_the_log_names_roles_views_and_purposes_in_the_readers_language(client, world):
    """The log is what a family is shown: "Perheen sivu", not the URL name family-detail."""
    child = world.family.relationships.first().child
    _visit(client, world.worker, world.family)
    client.force_login(world.auditor)
    body = client.get(f"/audit/people/{child.pk}/").content.decode()
    row = body[body.index(world.worker.get_full_name()) :].split("</tr>")[0]
    assert "sosiaalityöntekijä" in row and "Perheen sivu" in row and "asiakastyö" in row
    assert "family-detail" not in body and "client_work" not in body and "social_worker" not in body
    client.post("/i18n/setlang/", {"language": "sv"})
    row = client.get(f"/audit/people/{child.pk}/").content.decode()
    assert "Familjens sida" in row and "Perheen sivu" not in row


def test_a_typed_formula_reaches_the_exported_log_as_text(client, world):
    """A recipient typed as a spreadsheet formula must not run when the family opens the file."""
    child = world.family.relationships.first().child
    client.force_login(world.auditor)
    formula = '=HYPERLINK("http://evil.example","Avaa")'
    client.post(f"/audit/people/{child.pk}/export/", {"recipient": formula, "legal_basis": "+SUM(1;2)"})
    text = client.post(f"/audit/people/{child.pk}/export/", {"recipient": "Huoltaja", "legal_basis": "x"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    earlier = next(r for r in rows if "HYPERLINK" in ";".join(r))
    assert "'" + formula in earlier and "'+SUM(1;2)" in earlier
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
