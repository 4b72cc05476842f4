"""Rajapinta: moving a family between teams with a read-only handover for the sending team."""

import datetime
import re

from apps.access.models import Handover
from apps.audit.models import AccessLogEntry
from apps.casework.models import InterfaceAssessment

TODAY = datetime.date.today()


def _transfer(client, world, **extra):
    data = {
        "to_team": world.other_team.pk,
        "responsible_worker": world.stranger.pk,
        "criteria": ["safety_ensured", "everyday_parenting"],
        "reasoning": "Tuen tarve on arjen vanhemmuudessa.",
        "joint_meeting_on": TODAY.isoformat(),
        "family_agreed": "on",
        "handover_days": 30,
        **extra,
    }
    return client.post(f"/families/{world.family.pk}/transfer/", data)


def test_transfer_moves_access_and_keeps_a_read_only_handover(client, world):
    client.force_login(world.worker)
    assert _transfer(client, world).status_code == 302
    world.family.refresh_from_db()
    assert world.family.team == world.other_team and world.family.parents_worker == world.stranger
    assert set(world.family.relationships.filter(closed_on__isnull=True).values_list("responsible_worker", flat=True)) == {
        world.stranger.pk
    }
    # receiving team: full access
    client.force_login(world.stranger)
    assert client.get(f"/families/{world.family.pk}/edit/").status_code == 200
    # sending team: reads, cannot edit, sees the banner and the assessment
    client.force_login(world.worker)
    page = client.get(f"/families/{world.family.pk}/")
    assert page.status_code == 200 and "lukuoikeus siirtymäajan" in page.content.decode()
    assert "arjen vanhemmuudessa" in page.content.decode()
    assert client.get(f"/families/{world.family.pk}/edit/").status_code == 403
    entry = AccessLogEntry.objects.filter(actor=world.worker).latest("id")
    assert entry.actor_role == "handover" and entry.purpose == "handover"
    assert client.get(f"/teams/{world.other_team.pk}/").status_code == 404  # the handover opens the family, not the team


def test_handover_ends(client, world):
    client.force_login(world.worker)
    _transfer(client, world, handover_days=0)
    assert client.get(f"/families/{world.family.pk}/").status_code == 200  # until the end of today
    Handover.objects.update(transferred_on=TODAY - datetime.timedelta(days=31), until=TODAY - datetime.timedelta(days=1))
    assert client.get(f"/families/{world.family.pk}/").status_code == 404


def test_transfer_history_stays_whole_and_logged(client, world):
    client.force_login(world.worker)
    _transfer(client, world)
    ia = InterfaceAssessment.objects.get()
    assert ia.from_team == world.team and ia.to_team == world.other_team and ia.decided_by == world.worker
    members = set(world.family.members.values_list("person_id", flat=True))
    logged = set(AccessLogEntry.objects.filter(view_name="family-transfer").values_list("person_id", flat=True))
    assert logged == members
    client.force_login(world.stranger)
    assert "Systeemitiimi A → Systeemitiimi B" in client.get(f"/families/{world.family.pk}/").content.decode()


def test_transfer_form_validates(client, world):
    from tests import factories as f

    third = f.team(world.county, world.team.unit, "Perhesosiaalityö")
    third_worker = f.member(third, "social_worker")
    client.force_login(world.worker)
    response = _transfer(client, world, responsible_worker=third_worker.pk, family_agreed="", reasoning="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ei kuulu vastaanottavaan tiimiin" in body and "kirjaa perheen näkemys" in body
    assert "Tämä kenttä vaaditaan" in body  # reasoning
    assert re.search(r'value="safety_ensured"[^>]*checked', body)  # ticked criteria are kept
    world.family.refresh_from_db()
    assert world.family.team == world.team


def test_therapist_cannot_transfer(client, world):
    client.force_login(world.therapist)
    assert _transfer(client, world).status_code == 403
    world.family.refresh_from_db()
    assert world.family.team == world.team
