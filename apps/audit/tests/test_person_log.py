"""The auditor answers "who has seen my child's data?" and exports it as a logged disclosure."""

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
