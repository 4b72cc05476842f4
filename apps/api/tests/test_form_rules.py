"""One validation for page and API: where a page's form refuses input, the API refuses it too."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from apps.clients.models import ClientRelationship, FamilyMember, Relation
from apps.meetings.models import Hypothesis, Meeting
from tests import factories as f


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


def test_a_meeting_dated_years_away_is_refused_as_on_the_page(coordinator, world):
    """The meeting form keeps a meeting within a year of today (a 1999 typo reached the research export)."""
    response = _post(coordinator, f"/api/v1/teams/{world.team.pk}/meetings", {"starts_at": "1999-01-07T09:00:00+02:00"})
    assert response.status_code == 422
    assert response.json()["detail"]["starts_at"] == ["Kokous voi olla enintään vuoden päässä tästä päivästä. Tarkista päivämäärä."]
    assert not Meeting.objects.exists()
    soon = (timezone.now() + datetime.timedelta(days=7)).isoformat()
    assert _post(coordinator, f"/api/v1/teams/{world.team.pk}/meetings", {"starts_at": soon, "room": "Kuusi"}).status_code == 201


def test_a_relationship_cannot_be_opened_closed(world):
    """The page offers every phase but 'closed' for a new relationship; the API accepted it."""
    client = Client()
    client.force_login(world.worker)
    child = f.person(world.county, "Onni", "Mäkinen")
    FamilyMember.objects.create(county=world.county, family=world.family, person=child, relation=Relation.CHILD)
    url = f"/api/v1/families/{world.family.pk}/relationships"
    body = {"child_id": child.pk, "responsible_worker_id": world.worker.pk, "opened_on": str(timezone.localdate()), "phase": "closed"}
    response = _post(client, url, body)
    assert response.status_code == 422 and list(response.json()["detail"]) == ["phase"]
    assert not ClientRelationship.objects.filter(child=child).exists()
    assert _post(client, url, {**body, "phase": "assessment"}).status_code == 201


def test_only_an_active_hypothesis_can_be_revised(coordinator, world):
    """The page offers the family's active hypotheses to revise; a revised one was accepted by the API."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    old = Hypothesis.objects.get(item=item)
    old.status = Hypothesis.Status.REVISED
    old.save()
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/hypotheses"
    response = _post(coordinator, url, {"text": "Uusi muotoilu", "perspective": "äiti", "revises_id": old.pk})
    assert response.status_code == 422 and list(response.json()["detail"]) == ["revises_id"]
    assert Hypothesis.objects.count() == 1


def test_a_revision_of_no_hypothesis_is_refused(coordinator, world):
    """`false` for revises_id (the fuzzer's) read as "revises nothing" and added the hypothesis."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/hypotheses"
    for nothing in (False, 0):
        response = _post(coordinator, url, {"text": "Uusi", "perspective": "äiti", "revises_id": nothing})
        assert response.status_code == 422, nothing
    assert Hypothesis.objects.count() == 1
