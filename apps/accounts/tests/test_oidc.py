"""OpenID Connect login against a real local provider (tests/oidc_provider.py) over HTTP.

The test client starts the login, the provider's authorization endpoint answers with a redirect
back (as a browser would follow it), and Systeemi's callback exchanges the code at the provider's
token endpoint, checks the signed ID token against the provider's JWKS and matches the person to
an existing user. The second factor is still required afterwards.
"""

import pytest
from django.conf import settings as django_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from tests.oidc_provider import LocalProvider, follow_to_provider_and_back

pytestmark = pytest.mark.real_two_factor

CALLBACK = "http://testserver/accounts/oidc/callback/"
REFUSED = "Kirjautuminen hyvinvointialueen tunnuksilla ei onnistunut"


@pytest.fixture
def provider(settings):
    idp = LocalProvider(redirect_uris=[CALLBACK]).start()
    for name, value in idp.settings().items():
        setattr(settings, name, value)
    settings.OIDC_COUNTY = "testila"
    settings.AUTHENTICATION_BACKENDS = [*django_settings.AUTHENTICATION_BACKENDS, "apps.accounts.oidc.CountyOIDCBackend"]
    yield idp
    idp.stop()


@pytest.fixture
def worker(world):
    world.worker.email = "sari.sosiaalinen@testila.example"
    world.worker.save()
    return world.worker


def _signed_in_at_provider(provider, email, sub="4f1c-sari"):
    provider.signed_in = {"sub": sub, "email": email, "name": "Sari Sosiaalinen"}


def _refused(client, response):
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/login/")
    assert REFUSED in page.content.decode()


def test_county_login_follows_the_redirects_then_asks_for_the_second_factor(client, world, worker, provider, settings):
    settings.AXES_ENABLED = True  # the login throttle stays in the chain and lets a good login through
    device = TOTPDevice.objects.create(user=worker, name="Todennussovellus", confirmed=True)
    _signed_in_at_provider(provider, "Sari.Sosiaalinen@testila.example")
    team = f"/teams/{world.team.pk}/"

    callback, response = follow_to_provider_and_back(client, f"/accounts/oidc/login/?next={team}")
    assert callback.startswith(CALLBACK + "?code=")
    assert response.status_code == 302 and response["Location"] == team
    assert client.session["_auth_user_id"] == str(worker.pk)
    assert provider.requests == ["/authorize", "/token", "/jwks", "/userinfo"]

    gate = client.get(team)
    assert gate.status_code == 302 and gate["Location"].startswith("/accounts/2fa/verify/")
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/accounts/2fa/verify/", {"code": code, "next": team})["Location"] == team
    assert client.get(team).status_code == 200


def test_a_person_without_a_systeemi_account_is_refused_and_never_created(client, world, worker, provider):
    _signed_in_at_provider(provider, "uusi.henkilo@testila.example", sub="9999")
    users = User.objects.count()
    _callback, response = follow_to_provider_and_back(client, "/accounts/oidc/login/")
    _refused(client, response)
    assert User.objects.count() == users


def test_a_user_of_another_county_is_not_matched(client, world, provider):
    world.foreigner.email = "ulla@toinen.example"
    world.foreigner.save()
    _signed_in_at_provider(provider, "ulla@toinen.example")
    _callback, response = follow_to_provider_and_back(client, "/accounts/oidc/login/")
    _refused(client, response)


def test_an_inactive_user_is_refused(client, worker, provider):
    worker.is_active = False
    worker.save()
    _signed_in_at_provider(provider, worker.email)
    _callback, response = follow_to_provider_and_back(client, "/accounts/oidc/login/")
    _refused(client, response)


@pytest.mark.parametrize("tamper", ["audience", "issuer"])
def test_an_id_token_for_another_client_or_from_another_issuer_is_refused(client, worker, provider, tamper):
    setattr(provider, tamper, "https://muu.example")
    _signed_in_at_provider(provider, worker.email)
    _callback, response = follow_to_provider_and_back(client, "/accounts/oidc/login/")
    _refused(client, response)


def test_a_code_cannot_be_replayed(client, worker, provider):
    _signed_in_at_provider(provider, worker.email)
    callback, response = follow_to_provider_and_back(client, "/accounts/oidc/login/")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    again = client.get(callback.removeprefix("http://testserver"))
    assert "_auth_user_id" not in client.session
    assert again.status_code in (302, 400)


def test_the_provider_saying_no_is_a_clear_refusal(client, worker, provider):
    provider.signed_in = None  # the person cancelled at the provider
    _callback, response = follow_to_provider_and_back(client, "/accounts/oidc/login/")
    _refused(client, response)


def test_off_by_default(client, world):
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404
    assert "hyvinvointialueen tunnuksilla" not in client.get("/accounts/login/").content.decode()


def test_login_page_offers_the_county_login_when_configured(client, provider):
    page = client.get("/accounts/login/?next=/deadlines/").content.decode()
    assert "Kirjaudu hyvinvointialueen tunnuksilla (Testilän hyvinvointialue)" in page
    assert 'href="/accounts/oidc/login/?next=/deadlines/"' in page
