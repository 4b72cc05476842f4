"""Guessing passwords is throttled (django-axes); every page carries a strict Content Security Policy."""

import datetime

import time_machine
from django.test import override_settings
from django.utils import timezone

from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_that_user_from_that_address_for_fifteen_minutes(client, world):
    for _ in range(4):
        assert _login(client, "sosiaalityontekija", "väärä-salasana").status_code == 200
    fifth = _login(client, "sosiaalityontekija", "väärä-salasana")
    assert fifth.status_code == 429 and "Liian monta epäonnistunutta" in fifth.content.decode()
    locked = _login(client, "sosiaalityontekija", PASSWORD)  # even the right password waits out the lock
    assert locked.status_code == 429 and "Liian monta epäonnistunutta" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(client, "konsultti", PASSWORD).status_code == 302  # a colleague at the same office is not locked out
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        client.logout()
        assert _login(client, "sosiaalityontekija", PASSWORD).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_successful_login_resets_the_count(client, world):
    for _ in range(4):
        _login(client, "sosiaalityontekija", "väärä")
    assert _login(client, "sosiaalityontekija", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "sosiaalityontekija", "väärä")
    assert _login(client, "sosiaalityontekija", PASSWORD).status_code == 302


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.worker)
    for url in ["/accounts/login/", f"/families/{world.family.pk}/", f"/teams/{world.team.pk}/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_the_family_summary_style_carries_the_nonce_of_its_own_response(client, world):
    from tests import factories as f

    item = f.meeting_item(world.family, world.coordinator)
    client.force_login(world.worker)
    response = client.get(f"/meetings/{item.meeting_id}/items/{item.pk}/summary/")
    assert response.status_code == 200
    nonce = response.content.decode().split('<style nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def _login_from(client, address, username, password, language="fi"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


@override_settings(AXES_ENABLED=True)
def test_one_user_guessed_from_many_addresses_is_locked_everywhere_after_twenty_failures(client, world, settings):
    """Four wrong passwords from each of five addresses stay under the per-address limit; the user's
    twentieth failure across them locks that user, from every address, for fifteen minutes."""
    assert settings.SYSTEEMI_USER_FAILURE_LIMIT == 20 and settings.AXES_FAILURE_LIMIT == 5
    for failure in range(19):
        address = f"198.51.100.{failure // 4 + 1}"
        assert _login_from(client, address, "sosiaalityontekija", f"arvaus-{failure}").status_code == 200, failure
    twentieth = _login_from(client, "198.51.100.5", "sosiaalityontekija", "arvaus-19")
    assert twentieth.status_code == 429 and "Liian monta epäonnistunutta" in twentieth.content.decode()

    # The rule as the README states it: even the right password, from an address that never
    # failed, waits out the fifteen minutes; colleagues at the guessing addresses are not locked.
    clean = _login_from(client, "203.0.113.7", "sosiaalityontekija", PASSWORD)
    assert clean.status_code == 429 and "_auth_user_id" not in client.session
    assert _login_from(client, "198.51.100.1", "konsultti", PASSWORD).status_code == 302
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert _login_from(client, "203.0.113.7", "sosiaalityontekija", PASSWORD).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_the_lock_out_message_is_in_the_users_language(client, world):
    for failure in range(20):
        _login_from(client, f"198.51.100.{failure // 4 + 1}", "sosiaalityontekija", "väärä")
    swedish = _login_from(client, "203.0.113.7", "sosiaalityontekija", PASSWORD, language="sv")
    assert swedish.status_code == 429
    assert "För många misslyckade inloggningsförsök" in swedish.content.decode()
    english = _login_from(client, "203.0.113.8", "sosiaalityontekija", PASSWORD, language="en")
    assert "Too many failed login attempts" in english.content.decode()
    assert "Liian monta" not in swedish.content.decode() + english.content.decode()


@override_settings(AXES_ENABLED=True)
def test_failures_spread_over_many_users_lock_none_of_them(client, world):
    """Colleagues mistyping at one office address count each for themselves."""
    for username in ["sosiaalityontekija", "konsultti", "ohjaaja", "koordinaattori"]:
        for _ in range(4):
            assert _login_from(client, "198.51.100.9", username, "väärä").status_code == 200
    assert _login_from(client, "198.51.100.9", "sosiaalityontekija", PASSWORD).status_code == 302
