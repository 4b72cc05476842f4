"""The second-factor gate: a signed-in session that no device has verified reaches nothing but
enrolment, verification, logout and public pages.

Pages redirect to verification (or to enrolment when the user has no device yet); the API
answers 401 with a JSON `detail`. Tests do not switch this off: conftest.py verifies their
sessions with a real device instead.

A session that gains the second factor gets a new session key (and CSRF token), whichever way it
gained it (app code, recovery code, passkey, a first device enrolled), as Django's login() does for
the password: a session key known before the second factor (read from a shared computer, or
planted) never becomes a verified session.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.i18n import set_language
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY

from apps.core.marks import PUBLIC

from .two_factor import has_second_factor

BEFORE_SECOND_FACTOR = "systeemi_before_second_factor"
SESSION_TOUCHED = "systeemi_touched"


def before_second_factor(view):
    """Mark a view a signed-in user may open before the second factor (enrolment, verification, logout)."""
    setattr(view, BEFORE_SECOND_FACTOR, True)
    return view


def _open_before_second_factor(view_func) -> bool:
    if view_func is set_language:
        return True
    if getattr(view_func, "systeemi_exposure", None) == PUBLIC:
        return True
    return getattr(view_func, BEFORE_SECOND_FACTOR, False)


def second_factor_url(request) -> str:
    """Where this unverified session must go: verification, or enrolment when it has no device yet."""
    target = "two-factor-verify" if has_second_factor(request.user) else "two-factor-enrol"
    url = reverse(target)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        device_before = request.session.get(DEVICE_ID_SESSION_KEY)
        response = self.get_response(request)
        device_now = request.session.get(DEVICE_ID_SESSION_KEY)
        if device_now and device_now != device_before:
            request.session.cycle_key()
            rotate_token(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or _open_before_second_factor(view_func):
            return None
        if request.path_info.startswith("/api/"):
            detail = _(
                "Kirjautuminen on vahvistettava toisella tunnistustavalla (todennussovellus tai pääsyavain) ennen rajapinnan käyttöä."
            )
            return JsonResponse({"detail": detail, "code": "second_factor_required"}, status=401)
        url = second_factor_url(request)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)


class SlidingSessionMiddleware:
    """Inactivity timeout without a database write on every request.

    SESSION_SAVE_EVERY_REQUEST would push the expiry forward by rewriting the session row on every
    page, which on SQLite serialises all signed-in requests behind one writer. Refreshing at most
    once per SYSTEEMI_SESSION_REFRESH_SECONDS (default 60) keeps the timeout within that margin of
    SESSION_COOKIE_AGE after the last activity, with one write per minute of activity instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.session_key:
            now = int(time.time())
            if now - session.get(SESSION_TOUCHED, 0) >= settings.SYSTEEMI_SESSION_REFRESH_SECONDS:
                session[SESSION_TOUCHED] = now  # marks the session modified: saved with a new expiry
        return response
