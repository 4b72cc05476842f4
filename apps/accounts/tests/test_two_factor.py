"""Two-factor authentication: the gate, enrolment, verification, recovery codes, session expiry.

These tests are marked `real_two_factor`: client.login() leaves the session unverified, exactly
as a password login does, so the gate is what a real user meets.
"""

import datetime
import json
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import two_factor as tf
from apps.core import marks
from tests.factories import PASSWORD
from tests.test_access_walk import _fill, app_patterns

pytestmark = pytest.mark.real_two_factor

WRONG_CODE = "Koodi ei kelpaa"
THROTTLED = "Liian monta väärää koodia"


def code_for(device, offset=0):
    """The code an authenticator app shows now (offset in 30-second steps)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="Todennussovellus", confirmed=True)


def password_login(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def team_url(world):
    return f"/teams/{world.team.pk}/"


# ---- the gate --------------------------------------------------------------------------------


def test_without_the_test_fixture_every_page_sends_a_password_login_to_verification(client, world):
    """The conftest fixture is what makes client.login() sessions verified; without it the gate
    sends every non-public URL of the app to verification, and the API answers 401."""
    totp_device(world.worker)
    assert client.login(username=world.worker.username, password=PASSWORD)
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure in (marks.PUBLIC, marks.ACCOUNT):
            continue
        url = _fill(route, pattern, world)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
            assert response["Location"].startswith("/accounts/2fa/verify/"), f"{method.upper()} {url}: {response['Location']}"
            checked += 1
    assert checked > 40
    assert client.get("/")["Location"] == "/accounts/2fa/verify/?next=%2F"
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/verify/")
    # Public pages stay open, and so do logout and the language switch.
    assert client.get("/healthz").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "fi", "next": "/"}).status_code == 302


def test_a_user_without_a_device_is_sent_to_enrolment(client, world):
    assert client.login(username=world.worker.username, password=PASSWORD)
    response = client.get(team_url(world))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/enrol/?next=%2Fteams%2F{world.team.pk}%2F"


def test_public_family_rating_page_stays_open_to_an_unverified_session(client, world):
    from tests import factories

    child = world.family.relationships.first()
    _link, token = factories.rating_link(world.family, child.child, world.worker)
    assert client.get(f"/r/{token}/").status_code == 200
    assert client.login(username=world.worker.username, password=PASSWORD)
    assert client.get(f"/r/{token}/").status_code == 200


def test_api_refuses_unverified_sessions_with_json_401_in_finnish(client, world):
    device = totp_device(world.worker)
    password_login(client, world.worker)
    url = f"/api/v1/families?team_id={world.team.pk}"
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == "second_factor_required"
    assert "vahvistettava toisella tunnistustavalla" in body["detail"]
    assert "Mäkinen" not in response.content.decode()
    write = client.post("/api/v1/families", data=json.dumps({"team_id": world.team.pk, "name": "Uusi"}), content_type="application/json")
    assert write.status_code == 401
    assert not world.team.families.filter(name="Uusi").exists()
    assert client.post("/accounts/2fa/verify/", {"code": code_for(device)}).status_code == 302
    assert client.get(url).status_code == 200


def test_htmx_requests_are_redirected_by_header(client, world):
    totp_device(world.worker)
    password_login(client, world.worker)
    response = client.get(team_url(world), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/accounts/2fa/verify/")


# ---- enrolment -------------------------------------------------------------------------------


def test_enrolment_with_an_authenticator_app_shows_recovery_codes_once(client, world):
    response = client.post("/accounts/login/", {"username": world.worker.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/enrol/")
    page = response.content.decode()
    assert "Ota kaksivaiheinen tunnistautuminen käyttöön" in page
    assert 'src="data:image/svg+xml' in page  # the QR code
    device = TOTPDevice.objects.get(user=world.worker, confirmed=False)
    secret = re.search(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert "issuer=Systeemi" in device.config_url

    response = client.post("/accounts/2fa/enrol/", {"code": code_for(device), "next": team_url(world)})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/recovery-codes/?next=%2Fteams%2F{world.team.pk}%2F"
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", shown)
    assert len(codes) == tf.RECOVERY_CODE_COUNT and len(set(codes)) == len(codes)
    assert "vain tämän kerran" in shown
    again = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
    assert "on jo näytetty" in again
    # Stored as digests, never in clear.
    stored = set(StaticDevice.objects.get(user=world.worker, name=tf.RECOVERY_DEVICE_NAME).token_set.values_list("token", flat=True))
    assert len(stored) == tf.RECOVERY_CODE_COUNT and not stored & {c.replace("-", "") for c in codes}
    assert client.get(team_url(world)).status_code == 200


def test_wrong_code_at_enrolment_gives_a_clear_finnish_message_and_changes_nothing(client, world):
    password_login(client, world.worker)
    client.get("/accounts/2fa/enrol/")
    device = TOTPDevice.objects.get(user=world.worker)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/enrol/", {"code": wrong})
    assert response.status_code == 400
    page = response.content.decode()
    assert WRONG_CODE in page and 'role="alert"' in page
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=world.worker).exists()
    assert client.get(team_url(world))["Location"].startswith("/accounts/2fa/enrol/")
    # The same secret is offered again, so the app the user already set up keeps working.
    client.get("/accounts/2fa/enrol/")
    assert TOTPDevice.objects.filter(user=world.worker).count() == 1


def test_a_stolen_password_alone_cannot_add_a_device(client, world):
    totp_device(world.worker)
    password_login(client, world.worker)
    assert client.get("/accounts/2fa/enrol/")["Location"].startswith("/accounts/2fa/verify/")
    begin = client.post("/accounts/2fa/passkey/registration/begin/")
    assert begin.status_code == 403
    assert TOTPDevice.objects.filter(user=world.worker).count() == 1


# ---- verification ----------------------------------------------------------------------------


def test_wrong_totp_code_gives_a_clear_finnish_message_and_nothing_changes(client, world):
    device = totp_device(world.worker)
    password_login(client, world.worker)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/verify/", {"code": wrong, "next": team_url(world)})
    assert response.status_code == 400
    page = response.content.decode()
    assert WRONG_CODE in page and 'role="alert"' in page
    assert client.get(team_url(world)).status_code == 302  # still unverified
    # Right after a failure even the right code waits (django-otp's throttling doubles the wait).
    throttled = client.post("/accounts/2fa/verify/", {"code": right})
    assert throttled.status_code == 400 and THROTTLED in throttled.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        response = client.post("/accounts/2fa/verify/", {"code": code_for(device), "next": team_url(world)})
        assert response.status_code == 302 and response["Location"] == team_url(world)
        assert client.get(team_url(world)).status_code == 200


def test_a_totp_code_works_once(client, world):
    device = totp_device(world.worker)
    password_login(client, world.worker)
    code = code_for(device)
    assert client.post("/accounts/2fa/verify/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    password_login(client, world.worker)
    replay = client.post("/accounts/2fa/verify/", {"code": code})
    assert replay.status_code == 400 and WRONG_CODE in replay.content.decode()


def test_a_recovery_code_works_once(client, world):
    totp_device(world.worker)
    codes = tf.issue_recovery_codes(world.worker)
    password_login(client, world.worker)
    response = client.post("/accounts/2fa/verify/", {"code": codes[0].upper().replace("-", " "), "next": team_url(world)}, follow=True)
    assert response.redirect_chain[-1][0] == team_url(world)
    assert "Käytit varakoodin" in response.content.decode()
    assert tf.recovery_codes_left(world.worker) == tf.RECOVERY_CODE_COUNT - 1
    client.post("/accounts/logout/")
    password_login(client, world.worker)
    reused = client.post("/accounts/2fa/verify/", {"code": codes[0]})
    assert reused.status_code == 400 and WRONG_CODE in reused.content.decode()
    assert client.get(team_url(world)).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        assert client.post("/accounts/2fa/verify/", {"code": codes[1]}).status_code == 302
        assert client.get(team_url(world)).status_code == 200


def test_the_last_device_cannot_be_removed(client, world):
    device = totp_device(world.worker)
    password_login(client, world.worker)
    client.post("/accounts/2fa/verify/", {"code": code_for(device)})
    response = client.post("/accounts/2fa/remove/", {"device": device.persistent_id}, follow=True)
    assert "Et voi poistaa ainoaa tunnistustapaasi" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    settings_page = client.get("/accounts/2fa/").content.decode()
    assert "Todennussovellus" in settings_page and "vahvisti tämän kirjautumisen" in settings_page


# ---- session timeout --------------------------------------------------------------------------


def test_session_expires_after_thirty_minutes_of_inactivity(client, world, settings):
    device = totp_device(world.worker)
    password_login(client, world.worker)
    client.post("/accounts/2fa/verify/", {"code": code_for(device)})
    assert client.get(team_url(world)).status_code == 200
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=29)):
        assert client.get(team_url(world)).status_code == 200  # activity keeps the session alive
    with time_machine.travel(start + datetime.timedelta(minutes=29 + settings.SESSION_COOKIE_AGE // 60 + 1)):
        response = client.get(team_url(world))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        api = client.get(f"/api/v1/families?team_id={world.team.pk}")
        assert api.status_code == 401


def test_activity_moves_the_session_expiry_forward_at_most_once_a_minute(client, world, settings):
    """The timeout follows activity without rewriting the session on every page (one writer on SQLite)."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    device = totp_device(world.worker)
    password_login(client, world.worker)
    client.post("/accounts/2fa/verify/", {"code": code_for(device)})
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(team_url(world))
        expiry = Session.objects.get().expire_date
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(team_url(world)).status_code == 200
        assert not any("django_session" in q["sql"] and q["sql"].startswith("UPDATE") for q in queries.captured_queries)
        assert Session.objects.get().expire_date == expiry
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        client.get(team_url(world))
        later = start + datetime.timedelta(minutes=2, seconds=settings.SESSION_COOKIE_AGE)
        assert Session.objects.get().expire_date == later


# ---- the admin -------------------------------------------------------------------------------


def test_admin_staff_can_remove_a_device_but_never_read_its_secret_or_recovery_codes(client, world, django_user_model):
    """Staff who could read a TOTP key or a recovery code could sign in as that worker."""
    admin_user = django_user_model.objects.create_superuser("yllapitaja", "yllapito@example.fi", PASSWORD)
    totp_device(admin_user)
    password_login(client, admin_user)
    response = client.post("/accounts/2fa/verify/", {"code": code_for(TOTPDevice.objects.get(user=admin_user))})
    assert response.status_code == 302
    device = totp_device(world.worker)
    recovery = StaticDevice.objects.create(user=world.worker, name="Varakoodit", confirmed=True)
    recovery.token_set.create(token="varakoodi42")

    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert world.worker.get_full_name() in page.content.decode()
    assert device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (403, 404)
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code in (403, 404)
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert device.key not in listing and "qrcode" not in listing
    static_page = client.get(f"/admin/otp_static/staticdevice/{recovery.pk}/change/").content.decode()
    assert "varakoodi42" not in static_page

    deleted = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


# ---- the session key after the second factor --------------------------------------------------


def _second_factor_by(way, client, user, recovery_codes):
    """Complete the second factor of a password-only session the way a person would: a code from the
    authenticator app, a recovery code, or enrolling the first authenticator app."""
    if way == "app code":
        return client.post("/accounts/2fa/verify/", {"code": code_for(TOTPDevice.objects.get(user=user))})
    if way == "recovery code":
        return client.post("/accounts/2fa/verify/", {"code": recovery_codes[0]})
    client.get("/accounts/2fa/enrol/")
    return client.post("/accounts/2fa/enrol/", {"code": code_for(TOTPDevice.objects.get(user=user, confirmed=False))})


@pytest.mark.parametrize("way", ["app code", "recovery code", "first authenticator app"])
def test_the_second_factor_gives_the_session_a_new_key_and_the_old_key_opens_nothing(client, world, way):
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    codes = []
    if way != "first authenticator app":
        totp_device(world.worker)
        codes = tf.issue_recovery_codes(world.worker)
    password_login(client, world.worker)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf_before = client.cookies[settings.CSRF_COOKIE_NAME].value

    assert _second_factor_by(way, client, world.worker, codes).status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert client.cookies[settings.CSRF_COOKIE_NAME].value != csrf_before
    assert client.get(team_url(world)).status_code == 200  # the new key carries the verified session

    assert not SessionStore().exists(before)
    old = Client()
    old.cookies[settings.SESSION_COOKIE_NAME] = before
    response = old.get(team_url(world))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
