"""Two-factor authentication in a real browser: enrol an authenticator app or a passkey, then sign
in with it; axe-core on the enrolment, recovery-code and verification pages."""

import base64
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.browser.conftest import assert_accessible, current_totp_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(user.username)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def code_from_secret(secret_text: str) -> str:
    """What an authenticator app shows after the user typed the secret from the page."""
    key = base64.b32decode(secret_text.replace(" ", ""))
    return f"{totp(key):06d}"


def test_enrol_an_authenticator_app_then_sign_in_with_a_code(page, live_server, world):
    password_step(page, live_server, world.worker)
    assert "/accounts/2fa/enrol/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Ota kaksivaiheinen tunnistautuminen käyttöön"
    assert page.get_by_role("navigation", name="Päävalikko").count() == 0  # nothing to reach before the second factor
    assert page.get_by_role("img", name="QR-koodi todennussovellukseen").is_visible()
    assert_accessible(page, "two-factor enrolment")

    right = code_from_secret(page.locator("#totp-secret").inner_text())
    page.get_by_label("Sovelluksen näyttämä kuusinumeroinen koodi").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Ota todennussovellus käyttöön").click()
    assert "Koodi ei kelpaa" in page.get_by_role("alert").inner_text()
    assert_accessible(page, "two-factor enrolment with a wrong code")

    time.sleep(1.1)  # django-otp makes the next try wait a second after a failure
    page.get_by_label("Sovelluksen näyttämä kuusinumeroinen koodi").fill(code_from_secret(page.locator("#totp-secret").inner_text()))
    page.get_by_role("button", name="Ota todennussovellus käyttöön").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    codes = page.get_by_role("list", name="Varakoodit").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, "recovery codes")
    page.get_by_role("link", name="Jatka").click()
    page.wait_for_url(f"{live_server.url}/teams/{world.team.pk}/")

    page.get_by_role("button", name="Kirjaudu ulos").click()
    password_step(page, live_server, world.worker)
    assert "/accounts/2fa/verify/" in page.url
    assert_accessible(page, "two-factor verification")
    page.get_by_label("Vahvistuskoodi").fill(current_totp_code(world.worker))
    page.get_by_role("button", name="Vahvista", exact=True).click()
    page.wait_for_url(f"{live_server.url}/teams/{world.team.pk}/")
    assert TOTPDevice.objects.filter(user=world.worker, confirmed=True).count() == 1

    page.get_by_role("link", name=world.worker.get_full_name()).click()  # the user's own security page
    assert page.get_by_role("heading", level=1).inner_text() == "Kirjautumisen turvallisuus"
    assert "9 käyttämätöntä varakoodia" not in page.content() and "10 käyttämätöntä varakoodia" in page.content()
    assert_accessible(page, "the user's own sign-in security page")


def _virtual_authenticator(page):
    """Chromium's virtual authenticator (DevTools protocol): a platform passkey that verifies the user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def session_cookie(page):
    from django.conf import settings

    return next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)


def test_enrol_a_passkey_then_sign_in_with_it(page, new_context, live_server, world, settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")  # a passkey needs a domain, not an IP address
    cdp, authenticator = _virtual_authenticator(page)

    password_step(page, live_server, world.consultant)
    assert "/accounts/2fa/enrol/" in page.url
    page.get_by_role("button", name="Ota pääsyavain käyttöön").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert "Pääsyavain on otettu käyttöön" in page.get_by_role("status").first.inner_text()
    assert len(page.get_by_role("list", name="Varakoodit").get_by_role("listitem").all_inner_texts()) == 10
    credential = WebAuthnCredential.objects.get(user=world.consultant)
    assert credential.confirmed
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    page.get_by_role("link", name="Jatka").click()
    page.wait_for_url(f"{live_server.url}/teams/{world.team.pk}/")

    page.get_by_role("button", name="Kirjaudu ulos").click()
    password_step(page, live_server, world.consultant)
    assert "/accounts/2fa/verify/" in page.url
    assert_accessible(page, "verification with a passkey")
    before = session_cookie(page)
    page.get_by_role("button", name="Vahvista pääsyavaimella").click()
    page.wait_for_url(f"{live_server.url}/teams/{world.team.pk}/")
    credential.refresh_from_db()
    assert credential.last_used_at is not None

    # The passkey gave the session a new key; the key it had before the second factor opens nothing.
    assert session_cookie(page)["value"] != before["value"]
    stale = new_context()
    stale.add_cookies([before])
    stale_page = stale.new_page()
    stale_page.goto(f"{live_server.url}/teams/{world.team.pk}/")
    assert "/accounts/login/" in stale_page.url


def test_a_missing_passkey_leaves_the_user_on_verification_with_a_message(page, live_server, world, settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp, authenticator = _virtual_authenticator(page)
    password_step(page, live_server, world.consultant)
    page.get_by_role("button", name="Ota pääsyavain käyttöön").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    page.get_by_role("button", name="Kirjaudu ulos").click()

    # The passkey is gone from the device (say, the phone was reset): the browser finds none.
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    password_step(page, live_server, world.consultant)
    page.get_by_role("button", name="Vahvista pääsyavaimella").click()
    status = page.locator("[data-passkey-status]")
    status.filter(has_text="keskeytettiin").wait_for(timeout=20_000)
    assert "/accounts/2fa/verify/" in page.url
    assert page.get_by_role("button", name="Vahvista pääsyavaimella").is_enabled()
    assert_accessible(page, "verification after a cancelled passkey")
