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
