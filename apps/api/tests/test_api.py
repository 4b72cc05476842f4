"""The JSON API: same rules as the pages, JSON errors with clear messages, an OpenAPI document."""

import json

import pytest

from apps.audit.models import AccessLogEntry
from tests import factories as f


@pytest.fixture
def api(client, world):
    client.force_login(world.worker)
    return client


def _json(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_openapi_document_lists_the_operations(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/teams", "/api/v1/families", "/api/v1/families/{family_id}", "/api/v1/people/{person_id}"} <= set(doc["paths"])


def test_anonymous_gets_json_401(client, db):
    response = client.get("/api/v1/families")
    assert response.status_code == 401 and response.json() == {"detail": "Kirjaudu sisään."}


def test_unknown_and_foreign_family_are_the_same_404(api, world):
    missing = api.get("/api/v1/families/999999")
    foreign = api.get(f"/api/v1/families/{world.foreign_family.pk}")
    assert missing.status_code == foreign.status_code == 404
    assert missing.json() == foreign.json() == {"detail": "Ei löytynyt."}


def test_family_detail_has_members_and_relationships(api, world):
    data = api.get(f"/api/v1/families/{world.family.pk}").json()
    assert data["name"] == "Mäkinen" and len(data["members"]) == 4
    assert {r["current_phase"] for r in data["relationships"]} == {"open_care"}
    assert all(r["responsible_worker_id"] == world.worker.pk for r in data["relationships"])


def test_family_list_logs_only_the_page_it_returns(api, world):
    for i in range(5):
        f.family(world.team, f"Perhe{i:02d}", children=1, worker=world.worker)
    last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    data = api.get("/api/v1/families", {"limit": 2, "offset": 0}).json()
    assert data["count"] == 6 and len(data["items"]) == 2
    logged = set(AccessLogEntry.objects.filter(id__gt=last).values_list("family_id", flat=True))
    assert logged == {item["id"] for item in data["items"]}


def test_create_family_validates(api, world):
    response = _json(api, "post", "/api/v1/families", {"team_id": world.team.pk, "name": ""})
    assert response.status_code == 422
    response = _json(api, "post", "/api/v1/families", {"team_id": world.team.pk, "name": "Uusi", "parents_worker_id": world.stranger.pk})
    assert response.status_code == 422 and "parents_worker_id" in response.json()["detail"]
    response = _json(api, "post", "/api/v1/families", {"team_id": world.other_team.pk, "name": "Uusi"})
    assert response.status_code == 404
    response = _json(api, "post", "/api/v1/families", {"team_id": world.team.pk, "name": "Uusi", "parents_worker_id": world.worker.pk})
    assert response.status_code == 201 and response.json()["parents_worker_id"] == world.worker.pk


def test_patch_person_rejects_bad_identity_code_with_message(api, world):
    child = world.family.relationships.first().child
    response = _json(api, "patch", f"/api/v1/people/{child.pk}", {"personal_identity_code": "131052-308U"})
    assert response.status_code == 422
    assert "tarkistusmerkki" in json.dumps(response.json(), ensure_ascii=False)
    child.refresh_from_db()
    assert child.personal_identity_code != "131052-308U"


def test_patch_contact_under_turvakielto_needs_responsible_worker(client, world):
    parent = world.family.members.filter(relation="parent").first().person
    parent.non_disclosure = True
    parent.save()
    client.force_login(world.coordinator)
    response = _json(client, "patch", f"/api/v1/people/{parent.pk}", {"phone": "050 1"})
    assert response.status_code == 403
    parent.refresh_from_db()
    assert parent.phone == "040 123 4567"


def test_read_only_role_cannot_patch(client, world):
    client.force_login(world.therapist)
    response = _json(client, "patch", f"/api/v1/families/{world.family.pk}", {"name": "X"})
    assert response.status_code == 403 and response.json()["detail"]
    world.family.refresh_from_db()
    assert world.family.name == "Mäkinen"


def test_malformed_json_is_a_clear_422(api, world):
    response = api.patch(f"/api/v1/families/{world.family.pk}", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422) and response["Content-Type"].startswith("application/json")


def test_add_person_through_api_uses_the_form_rules(api, world):
    url = f"/api/v1/families/{world.family.pk}/people"
    bad = _json(api, "post", url, {"relation": "child", "first_names": "Eino", "last_name": "M", "personal_identity_code": "131052-308U"})
    assert bad.status_code == 422 and "personal_identity_code" in bad.json()["detail"]
    good = _json(api, "post", url, {"relation": "grandparent", "first_names": "Mummo", "last_name": "Mäkinen"})
    assert good.status_code == 201 and world.family.members.filter(person_id=good.json()["id"], relation="grandparent").exists()


def test_relationship_and_phase_through_api(api, world):
    child = f.person(world.county, "Onni", "Mäkinen")
    world.family.members.create(county=world.county, person=child, relation="child")
    url = f"/api/v1/families/{world.family.pk}/relationships"
    body = {"child_id": child.pk, "responsible_worker_id": world.coordinator.pk, "opened_on": "2026-01-05"}
    assert _json(api, "post", url, body).status_code == 422  # a coordinator cannot be the responsible worker
    body["responsible_worker_id"] = world.worker.pk
    rel = _json(api, "post", url, body).json()
    assert rel["current_phase"] == "notification"
    phases = f"/api/v1/relationships/{rel['id']}/phases"
    early = _json(api, "post", phases, {"phase": "assessment", "started_on": "2026-01-01"})
    assert early.status_code == 422 and "started_on" in early.json()["detail"]
    assert _json(api, "post", phases, {"phase": "nonsense", "started_on": "2026-01-08"}).status_code == 422
    done = _json(api, "post", phases, {"phase": "assessment", "started_on": "2026-01-08"})
    assert done.status_code == 201 and [p["phase"] for p in done.json()["phases"]] == ["notification", "assessment"]
