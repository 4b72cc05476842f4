"""For tests and benchmarks only: mark a test client's session as verified by a second factor.

`Client.login()` and `force_login()` sign a user in without the second factor, so the gate would
send every such session to verification. conftest.py calls `verify_client_session()` after each
of them (unless a test is marked `real_two_factor`), and bench/ does the same. The session is
verified the way a real one is: `django_otp.login()` with a confirmed device of the user's own.
Nothing in the running application imports this module.
"""

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

TEST_DEVICE_NAME = "test-session"


def verify_client_session(client, user) -> None:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=TEST_DEVICE_NAME, defaults={"confirmed": True})
    request = HttpRequest()
    request.user = user
    request.session = client.session
    otp_login(request, device)
    request.session.save()
