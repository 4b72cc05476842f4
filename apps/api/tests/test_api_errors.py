"""The API's refusals: JSON with a `detail` in the request's language, never a 500, and the OpenAPI
document open to whoever may read the docs."""

import json

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from tests import factories as f
from tests.factories import PASSWORD
from tests.test_access_walk import _api_url, api_operations

NOT_JSON = "Rajapinta ottaa vastaan vain JSON-muotoisen rungon (Content-Type: application/json)."


def _browser_like(user):
    """A signed-in session that sends its CSRF token as a browser's script would (the check is on)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return client, {"HTTP_X_CSRFTOKEN": token}


BODIES = {
    "multipart without a boundary": ("multipart/form-data", b"name=Lahtinen"),
    "multipart with an empty boundary": ("multipart/form-data; boundary=", b"name=Lahtinen"),
    "multipart, well formed": (MULTIPART_CONTENT, encode_multipart(BOUNDARY, {"name": "Lahtinen", "team_id": "1"})),
    "a form": ("application/x-www-form-urlencoded", b"name=Lahtinen"),
    "plain text": ("text/plain", b'{"name": "Lahtinen"}'),
}


@pytest.mark.parametrize("body", sorted(BODIES))
def test_a_body_that_is_not_json_is_refused_with_415_on_every_write_operation(world, body):
    """A multipart body without a boundary answered 500 ("Odottamaton virhe") on every write."""
    client, csrf = _browser_like(world.worker)
    content_type, data = BODIES[body]
    checked = 0
    for path, method, operation in api_operations():
        if "requestBody" not in operation:
            continue
        url = _api_url(path, world)
        before = AccessLogEntry.objects.count()
        response = client.generic(method.upper(), url, data, content_type=content_type, **csrf)
        assert response.status_code == 415, f"{method.upper()} {url} with {body}: {response.status_code} {response.content[:200]}"
        assert response.json() == {"detail": NOT_JSON}
        assert "415" in operation["responses"], f"{method.upper()} {path} does not document its 415"
        assert AccessLogEntry.objects.count() == before
        checked += 1
    assert checked >= 10
    world.family.refresh_from_db()
    assert world.family.name == "Mäkinen"


def test_a_json_body_with_a_charset_or_a_json_suffix_is_read(world):
    client, csrf = _browser_like(world.worker)
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.patch(
            f"/api/v1/families/{world.family.pk}", json.dumps({"municipality": "Tampere"}), content_type=content_type, **csrf
        )
        assert response.status_code == 200, (content_type, response.content)


def test_a_missing_csrf_token_is_a_403_with_a_finnish_detail(world):
    client, _csrf = _browser_like(world.worker)
    response = client.patch(f"/api/v1/families/{world.family.pk}", json.dumps({"name": "X"}), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF-tarkistus epäonnistui")


@pytest.fixture
def record_url(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    return f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/record"


@pytest.mark.parametrize(
    ("language", "whole_number", "not_found", "not_json"),
    [
        ("fi", "Syötä kokonaisluku.", "Ei löytynyt.", "Pyynnön runko ei ole kelvollista JSONia."),
        ("sv", "Fyll i ett heltal.", "Hittades inte.", "Begärans innehåll är inte giltig JSON."),
        ("en", "Enter a whole number.", "Not found.", "The request body is not valid JSON."),
    ],
)
def test_errors_are_in_the_requests_language(client, world, record_url, language, whole_number, not_found, not_json):
    """A 422 on the record with version "abc" was pydantic's English whatever the language."""
    client.force_login(world.coordinator)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    response = client.patch(record_url, json.dumps({"version": "abc"}), content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"type": "int_type", "loc": ["body", "payload", "version"], "msg": whole_number}]
    assert client.get("/api/v1/families/999999", **headers).json() == {"detail": not_found}
    response = client.patch(record_url, "{version", content_type="application/json", **headers)
    assert (response.status_code, response.json()) == (400, {"detail": not_json})


def test_a_text_too_long_says_its_limit_and_length(api_client, world):
    response = api_client.post(
        "/api/v1/families", json.dumps({"team_id": world.team.pk, "name": "x" * 300}), content_type="application/json"
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "name"]
    assert error["msg"] == "Tämän arvon tulee olla enintään 200 merkkiä pitkä (tällä hetkellä 300)."


@pytest.fixture
def api_client(client, world):
    client.force_login(world.worker)
    return client


@pytest.mark.real_two_factor
@pytest.mark.parametrize("has_device", [False, True], ids=["enrolling", "verifying"])
def test_the_openapi_document_is_open_midway_through_the_second_factor(client, world, has_device):
    """A signed-in professional who has not yet passed the second factor got 401 for the document."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if has_device:
        TOTPDevice.objects.create(user=world.worker, name="Todennussovellus", confirmed=True)
    assert client.post("/accounts/login/", {"username": world.worker.username, "password": PASSWORD}).status_code == 302
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and "/api/v1/families" in response.json()["paths"]
    assert client.get("/api/v1/families").status_code == 401  # the data stays behind the second factor
    assert Client().get("/api/v1/openapi.json").status_code == 200  # and so it is for anyone
