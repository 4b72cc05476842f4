"""The demo's second factor: a published TOTP secret, in demo mode only."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User

pytestmark = pytest.mark.real_two_factor


@pytest.fixture
def demo_users(db):
    call_command("demo", "--scale", "team", "--seed", "1", "--quiet")
    out = io.StringIO()
    call_command("demo_two_factor", stdout=out)
    assert "SYSTEEMIDEMOTOTPSYSTEEMIDEMOTOTP" in out.getvalue()
    return User.objects.filter(county__code__startswith="demo-")


def _code():
    out = io.StringIO()
    call_command("demo_two_factor", "--code", stdout=out)
    return out.getvalue().strip()


def test_every_demo_user_signs_in_with_the_password_and_the_published_secret(client, demo_users):
    assert demo_users.count() > 5
    assert TOTPDevice.objects.filter(user__in=demo_users, confirmed=True).count() == demo_users.count()
    response = client.post("/accounts/login/", {"username": "t1-konsultti", "password": settings.SYSTEEMI_DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/verify/")
    response = client.post("/accounts/2fa/verify/", {"code": _code()}, follow=True)
    assert response.status_code == 200 and "/teams/" in response.redirect_chain[-1][0]
    # The partner professional of the README's table signs in the same way and lands on their plans.
    partner = client.__class__()
    partner.post("/accounts/login/", {"username": "kumppani-koulu", "password": settings.SYSTEEMI_DEMO_PASSWORD})
    response = partner.post("/accounts/2fa/verify/", {"code": _code()}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith("/partner/")
    call_command("demo_two_factor", stdout=io.StringIO())  # idempotent: no second device
    assert TOTPDevice.objects.filter(user__username="t1-konsultti").count() == 1


def test_outside_demo_mode_the_command_refuses_and_the_demo_secret_verifies_nothing(client, demo_users, settings):
    code = _code()
    settings.DEMO = False
    with pytest.raises(CommandError, match="SYSTEEMI_DEMO=1"):
        call_command("demo_two_factor")
    client.post("/accounts/login/", {"username": "t1-konsultti", "password": settings.SYSTEEMI_DEMO_PASSWORD})
    response = client.post("/accounts/2fa/verify/", {"code": code})
    assert response.status_code == 400 and "Koodi ei kelpaa" in response.content.decode()
