"""The JSON API under /api/v1/: the same gate, services and selectors as the pages.

Errors are always JSON with a clear, translated `detail`. Each operation declares in the OpenAPI
document whether it returns personal data (`x-personal-data`); the access walk test reads that.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Systeemi API",
    version="1",
    description="Systeemisen lastensuojelun tiimien rajapinta. Sama pääsynvalvonta ja lokitus kuin sivuilla.",
    urls_namespace="api-v1",
    docs_url=None,  # the bundled Swagger UI loads from a CDN; the OpenAPI document is enough
    auth=django_auth,
)


def _json(request, status, detail):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _json(request, 404, _("Ei löytynyt."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _json(request, 403, _("Sinulla ei ole oikeutta tähän toimintoon."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _json(request, 401, _("Kirjaudu sisään."))


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _json(request, 422, detail)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request, exc):
    return _json(request, 422, exc.errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _json(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API error", exc_info=exc)
    return _json(request, 500, _("Odottamaton virhe. Mitään ei tallennettu; yritä uudelleen."))
