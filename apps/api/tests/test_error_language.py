"""API errors in the request's language: a field that does not validate, a missing field, a body
that is not JSON, a missing CSRF token — and no English message of pydantic or ninja left in any
error of any operation."""

import json
import re

import pytest
from django.test import Client

from tests.test_access_walk import API_BODIES, _api_url, _client, _targets, api_operations

WHOLE_NUMBER = {"fi": "Syötä kokonaisluku.", "sv": "Fyll i ett heltal.", "en": "Enter a whole number."}
REQUIRED = {"fi": "Tämä kenttä vaaditaan.", "sv": "Detta fält måste fyllas i.", "en": "This field is required."}
NOT_JSON = {
    "fi": "Pyynnön runko ei ole kelvollista JSONia.",
    "sv": "Begärans innehåll är inte giltig JSON.",
    "en": "The request body is not valid JSON.",
}
# What pydantic and ninja say in English, whatever the reader's language.
ENGLISH = re.compile(r"\b(?:Input should|Field required|should be|should have|Value error|Cannot parse|CSRF check|valid integer)\b")


def _record_url(world):
    targets = _targets(world)
    return f"/api/v1/meetings/{targets['meeting_id']}/items/{targets['item_id']}/record"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_record_saved_with_a_version_that_is_not_a_number_is_refused_in_the_readers_language(world, lang):
    client = _client(world, "worker")
    response = client.patch(
        _record_url(world), data=json.dumps({"version": "abc"}), content_type="application/json", headers={"accept-language": lang}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "version" and error["type"] in ("int_parsing", "int_type")  # ids are strict
    assert error["msg"] == WHOLE_NUMBER[lang]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_missing_fields_and_a_body_that_is_not_json_are_told_in_the_readers_language(world, lang):
    client = _client(world, "worker")
    url = f"/api/v1/families/{world.family.pk}/ratings"
    response = client.post(url, data="{}", content_type="application/json", headers={"accept-language": lang})
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert {e["loc"][-1] for e in errors} == {"rater_id", "instrument", "rated_on", "centimetres"}
    assert {e["msg"] for e in errors} == {REQUIRED[lang]}
    response = client.post(url, data="{not json", content_type="application/json", headers={"accept-language": lang})
    assert response.status_code == 400
    assert response.json()["detail"] == NOT_JSON[lang]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_write_without_the_csrf_token_is_refused_in_the_readers_language(world, lang):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    response = client.patch(
        _record_url(world), data=json.dumps({"version": 1}), content_type="application/json", headers={"accept-language": lang}
    )
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert not ENGLISH.search(detail), detail
    assert detail.startswith({"fi": "CSRF-tarkistus epäonnistui", "sv": "CSRF-kontrollen misslyckades"}[lang]), detail


def _wrong(value):
    """A value of the wrong type for the field that holds `value`."""
    if isinstance(value, bool | int | float):
        return "abc"
    if isinstance(value, str):
        return ["abc"]
    if isinstance(value, dict):
        return {k: "abc" for k in value} or "abc"
    return 12


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_operation_answers_a_bad_request_in_english(world, lang):
    """Every operation with a body, sent each field with the wrong type, every field left out, a
    list instead of an object; every path and query parameter not a number."""
    client = _client(world, "worker")
    checked = 0
    for path, method, _op in api_operations():
        url = _api_url(path, world)
        bodies = []
        if method != "get":
            sample = API_BODIES[(method, path)](world)
            bodies = [{k: _wrong(v) for k, v in sample.items()}, {}, ["not", "an", "object"]]
        requests = [(url, body) for body in bodies]
        if "{" in path:
            requests.append((re.sub(r"/\d+(?=/|$)", "/abc", url, count=1), API_BODIES.get((method, path), lambda w: {})(world)))
        if method == "get":
            requests.append((url + "?limit=abc&team_id=abc", None))
        for target, body in requests:
            response = client.generic(
                method.upper(),
                target,
                json.dumps(body) if body is not None else "",
                content_type="application/json",
                headers={"accept-language": lang},
            )
            if response.status_code < 400:
                continue
            text = json.dumps(response.json(), ensure_ascii=False)
            assert not ENGLISH.search(text), f"{method.upper()} {target}: {text}"
            checked += 1
    assert checked >= 20, checked
