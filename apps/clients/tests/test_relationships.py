"""Client relationships: one open per child, one responsible worker, phases in date order."""

import datetime

from apps.clients.models import ClientRelationship, Phase
from tests import factories as f

TODAY = datetime.date.today()


def test_open_relationship_for_child_with_phase(client, world):
    client.force_login(world.worker)
    child = f.person(world.county, "Onni", "Mäkinen", datetime.date(2016, 1, 1))
    world.family.members.create(county=world.county, person=child, relation="child")
    response = client.post(
        f"/families/{world.family.pk}/relationships/new/",
        {"child": child.pk, "responsible_worker": world.worker.pk, "opened_on": TODAY.isoformat(), "phase": "assessment"},
    )
    assert response.status_code == 302
    rel = ClientRelationship.objects.get(child=child)
    assert rel.current_phase == Phase.ASSESSMENT and rel.phases.count() == 1


def test_child_with_open_relationship_cannot_get_a_second(client, world):
    client.force_login(world.worker)
    child = world.family.relationships.first().child
    response = client.post(
        f"/families/{world.family.pk}/relationships/new/",
        {"child": child.pk, "responsible_worker": world.worker.pk, "opened_on": TODAY.isoformat(), "phase": "notification"},
    )
    assert response.status_code == 200
    assert ClientRelationship.objects.filter(child=child, closed_on__isnull=True).count() == 1


def test_responsible_worker_must_be_a_caseworker_of_the_team(client, world):
    client.force_login(world.worker)
    rel = world.family.relationships.first()
    url = f"/families/{world.family.pk}/relationships/{rel.pk}/worker/"
    assert client.post(url, {"responsible_worker": world.stranger.pk}).status_code == 200  # not in the team
    assert client.post(url, {"responsible_worker": world.coordinator.pk}).status_code == 200  # not a caseworker
    assert client.post(url, {"responsible_worker": world.second_worker.pk}).status_code == 302
    rel.refresh_from_db()
    assert rel.responsible_worker == world.second_worker


def test_phase_dates_must_be_in_order(client, world):
    client.force_login(world.worker)
    rel = world.family.relationships.first()
    last = rel.phases.order_by("-started_on").first().started_on
    url = f"/families/{world.family.pk}/relationships/{rel.pk}/phases/new/"
    before = (last - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"phase": "care_order", "started_on": before, "note": "Päätös"})
    assert response.status_code == 200 and "ennen edellistä vaihetta" in response.content.decode()
    assert 'value="Päätös"' in response.content.decode()
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    assert "tulevaisuudessa" in client.post(url, {"phase": "care_order", "started_on": future}).content.decode()
    assert client.post(url, {"phase": "emergency_placement", "started_on": TODAY.isoformat()}).status_code == 302
    rel.refresh_from_db()
    assert rel.current_phase == Phase.EMERGENCY_PLACEMENT and rel.closed_on is None


def test_social_instructor_cannot_record_phases(client, world):
    client.force_login(world.instructor)
    rel = world.family.relationships.first()
    response = client.post(f"/families/{world.family.pk}/relationships/{rel.pk}/phases/new/", {"phase": "closed", "started_on": TODAY})
    assert response.status_code == 403
    rel.refresh_from_db()
    assert rel.is_open


def test_family_create_and_edit(client, world):
    client.force_login(world.coordinator)
    response = client.post(f"/teams/{world.team.pk}/families/new/", {"name": "", "municipality": "Tampere"})
    assert response.status_code == 200 and "Tämä kenttä vaaditaan" in response.content.decode()
    response = client.post(
        f"/teams/{world.team.pk}/families/new/", {"name": "Lahtinen", "municipality": "Tampere", "parents_worker": world.worker.pk}
    )
    assert response.status_code == 302
    family = world.team.families.get(name="Lahtinen")
    assert family.county == world.county and family.parents_worker == world.worker
    assert client.post(f"/families/{family.pk}/edit/", {"name": "Lahtinen–Koski", "municipality": "Nokia"}).status_code == 302
    family.refresh_from_db()
    assert family.name == "Lahtinen–Koski" and family.parents_worker is None
