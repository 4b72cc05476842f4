"""Meeting API: optimistic locking answers 409 with the record to merge; validation in Finnish."""

import json

from django.utils import timezone

from tests import factories as f


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_record_conflict_returns_409_with_current_record(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/record"
    client.force_login(world.coordinator)
    first = _patch(client, url, {"version": item.version, "reflections": "Ensimmäinen"})
    assert first.status_code == 200 and first.json()["version"] == item.version + 1
    stale = _patch(client, url, {"version": item.version, "reflections": "Vanhentunut"})
    assert stale.status_code == 409 and stale.json()["reflections"] == "Ensimmäinen"


def test_record_is_read_with_hypotheses_and_steps(client, world):
    item = f.meeting_item(world.family, world.worker)
    client.force_login(world.therapist)
    data = client.get(f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}").json()
    assert data["hypotheses"][0]["perspective"] == "äiti" and data["steps"][0]["what"] == "Soita koululle"
    assert _patch(client, f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/record", {"version": 1}).status_code == 403


def test_step_owner_must_be_in_the_team(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    client.force_login(world.coordinator)
    body = {"what": "Soita", "owner_id": world.stranger.pk, "due_on": str(timezone.localdate())}
    response = client.post(
        f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/steps", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422 and "owner_id" in response.json()["detail"]


def test_record_patch_with_null_leaves_the_field_alone(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    client.force_login(world.coordinator)
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/record"
    response = _patch(client, url, {"version": item.version, "what_we_know": None, "reflections": "Uusi"})
    assert response.status_code == 200
    assert response.json()["what_we_know"] == "Perhe on muuttanut kesällä." and response.json()["reflections"] == "Uusi"
