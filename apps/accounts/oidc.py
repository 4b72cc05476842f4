"""OpenID Connect login through a county's identity provider (mozilla-django-oidc), off by default.

The provider proves who the person is; Systeemi decides whether that person is a user here. A
claim (`OIDC_USER_CLAIM`, e.g. `email`) is matched to a field (`OIDC_USER_FIELD`: `email` or
`username`) of an existing, active user — of the county `OIDC_COUNTY` only, when set. No one is
ever created or moved into a county on login: an administrator adds users. The ID token must be
signed by the provider's key (JWKS), for our client (`aud`), by the configured issuer (`iss`),
unexpired and carry the nonce we sent; userinfo must be about the same subject. Systeemi's own
second factor is still required after this login.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger("systeemi.security")

USER_FIELDS = ("email", "username")


class CountyOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation) as exc:
            logger.warning("oidc: login refused: %s", exc)
            return None

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER or None,
                options={"require": ["exp", "iat", "sub", "aud", "iss"], "verify_iss": bool(settings.OIDC_OP_ISSUER)},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return claims

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_USER_CLAIM))

    def filter_users_by_claims(self, claims):
        field = settings.OIDC_USER_FIELD
        if field not in USER_FIELDS:
            raise ImproperlyConfigured(f"OIDC_USER_FIELD must be one of {USER_FIELDS}")
        value = claims.get(settings.OIDC_USER_CLAIM)
        users = get_user_model().objects.filter(is_active=True, **{f"{field}__iexact": value})
        if settings.OIDC_COUNTY:
            users = users.filter(county__code=settings.OIDC_COUNTY)
        return users

    def describe_user_by_claims(self, claims):
        return f"{settings.OIDC_USER_CLAIM} {claims.get(settings.OIDC_USER_CLAIM)!r}"

    def create_user(self, claims):  # never: an administrator decides who is a user, and in which county
        raise SuspiciousOperation("OIDC login never creates users")


def _enabled(view):
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class LoginStart(OIDCAuthenticationRequestView):
    """Send the browser to the county's provider (state, nonce and PKCE kept in the session)."""


class LoginCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend finishes the login."""

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Kirjautuminen hyvinvointialueen tunnuksilla ei onnistunut. Jos sinulla ei ole vielä Systeemin käyttäjätunnusta, "
                "pyydä pääkäyttäjää lisäämään sinut."
            ),
        )
        return redirect("login")


login_start = _enabled(LoginStart.as_view())
login_callback = _enabled(LoginCallback.as_view())
