"""Bad input the fuzzer (test_fuzz.py) found answering 500 or being accepted: each now a clear 4xx."""

import json

import pytest
from django.test import Client

from apps.clients.models import Family

BIG = 2**70  # beyond a 64-bit database integer


@pytest.fixture
def api(world):
    client = Client()
    client.force_login(world.worker)
    return client


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_null_for_a_field_that_cannot_be_empty_is_a_422_not_a_500(api, world):
    url = f"/api/v1/families/{world.family.pk}"
    response = _patch(api, url, {"municipality": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "municipality"
    response = _patch(api, f"/api/v1/people/{world.family.members.first().person_id}", {"street_address": None})
    assert response.status_code == 422
    world.family.refresh_from_db()
    assert world.family.municipality == "Testilä"


@pytest.mark.parametrize("body", [[], 5, "Mäkinen"])
def test_a_patch_body_must_be_an_object(api, world, body):
    response = _patch(api, f"/api/v1/families/{world.family.pk}", body)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "query",
    [f"team_id={BIG}", f"team_id=-{BIG}", f"offset={BIG}", "limit=100000"],
)
def test_numbers_beyond_the_database_are_a_422_not_a_500(api, query):
    assert api.get(f"/api/v1/families?{query}").status_code == 422


def test_numbers_beyond_the_database_in_a_body_are_a_422_not_a_500(api, world):
    response = api.post("/api/v1/families", data=json.dumps({"team_id": BIG, "name": "Iso"}), content_type="application/json")
    assert response.status_code in (404, 422)
    assert not Family.objects.filter(name="Iso").exists()


def test_nul_characters_are_refused_with_a_clear_message(api, world):
    response = _patch(api, f"/api/v1/families/{world.family.pk}", {"name": "Mäki\x00nen"})
    assert response.status_code == 400
    assert "null" in response.json()["detail"].lower()
    world.family.refresh_from_db()
    assert world.family.name == "Mäkinen"


def test_patching_a_person_runs_the_forms_checks(api, world):
    person = world.family.members.filter(relation="child").first().person
    url = f"/api/v1/people/{person.pk}"
    response = _patch(api, url, {"postal_code": "keys"})
    assert response.status_code == 422 and "postal_code" in response.json()["detail"]
    response = _patch(api, url, {"birth_date": "1990-01-01"})  # does not match the identity code
    assert response.status_code == 422 and "birth_date" in response.json()["detail"]
    response = _patch(api, url, {"postal_code": "33100", "phone": "040 123 4567"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.postal_code, person.phone) == ("33100", "040 123 4567")


def test_the_openapi_document_lists_the_400_and_422_every_operation_can_give(api):
    document = Client(HTTP_HOST="localhost").get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if "requestBody" in operation:
                assert {"400", "422"} <= codes, f"{method.upper()} {path}"
            elif operation.get("parameters"):
                assert "422" in codes, f"{method.upper()} {path}"


@pytest.mark.parametrize(
    ("field", "value"), [("non_disclosure", 0), ("non_disclosure", "false"), ("parents_worker_id", True), ("parents_worker_id", "3")]
)
def test_a_number_is_not_a_truth_value_nor_a_truth_value_an_id(api, world, field, value):
    """JSON has booleans and numbers of its own: `"non_disclosure": 0` was read as false (the fuzzer's)."""
    person = world.family.members.filter(relation="parent").first().person
    url = f"/api/v1/people/{person.pk}" if field == "non_disclosure" else f"/api/v1/families/{world.family.pk}"
    response = _patch(api, url, {field: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
