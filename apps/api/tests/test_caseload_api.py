"""Caseloads through the API: the pages' figures, to the pages' readers, and nothing logged."""

import pytest
from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.caseload.rules import statutory_cap
from tests import factories as f


def _get(world, persona, url):
    client = Client()
    client.force_login(getattr(world, persona))
    return client.get(url)


@pytest.mark.parametrize("persona", ["worker", "therapist", "manager", "unit_manager"])
def test_a_teams_twelve_months_for_its_members_and_the_managers_over_it(world, persona):
    before = AccessLogEntry.objects.count()
    response = _get(world, persona, f"/api/v1/teams/{world.team.pk}/caseload")
    assert response.status_code == 200
    data = response.json()
    assert len(data["months"]) == 12 and data["months"][-1]["cap"] == statutory_cap(timezone.localdate()).max_children
    workers = {w["name"]: w for w in data["workers"]}
    assert set(workers) == {"Kaisa Konsultti", "Sari Sosiaalinen", "Toni Toinen"}  # caseworkers only
    assert workers["Sari Sosiaalinen"]["months"][-1] == {"children": 2, "over_target": False, "over_cap": False}
    assert (data["families"], data["children"], data["maximum"]) == (1, 2, 2)
    assert "Mäkinen" not in response.content.decode()
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("persona", ["stranger", "other_unit_manager", "auditor", "partner"])
def test_a_teams_months_are_no_one_elses(world, persona):
    assert _get(world, persona, f"/api/v1/teams/{world.team.pk}/caseload").status_code == 404


def test_the_managers_units_and_teams_today(world):
    for n in range(31):  # one worker over the statutory limit
        f.family(world.team, f"Perhe{n}", children=1, worker=world.second_worker)
    data = _get(world, "manager", "/api/v1/caseloads").json()
    assert data["cap"] == 30 and "13 b" in data["cap_source"]
    [unit] = [u for u in data["units"] if u["name"] == "Lapsiperheiden palvelut"]
    assert (unit["workers"], unit["maximum"], unit["over_cap"]) == (4, 31, 1)  # the team's three caseworkers and the other team's one
    team = next(t for t in data["teams"] if t["team_id"] == world.team.pk)
    assert team["over_cap"] == 1 and [w["name"] for w in team["workers"] if w["over_cap"]] == ["Toni Toinen"]
    only_unit = _get(world, "manager", f"/api/v1/caseloads?unit_id={unit['unit_id'] + 1000}").json()
    assert only_unit["teams"] == [] and only_unit["units"] == data["units"]
    # The other unit's manager oversees none of these teams.
    theirs = _get(world, "other_unit_manager", "/api/v1/caseloads").json()
    assert theirs["teams"] == []
    for persona in ("worker", "auditor", "researcher"):
        assert _get(world, persona, "/api/v1/caseloads").status_code == 404
