"""The JSON API under /api/v1/: the same gate, services and selectors as the pages.

Errors are always JSON with a clear, translated `detail`. Each operation declares in the OpenAPI
document whether it returns personal data (`x-personal-data`); the access walk test reads that.
"""

import functools
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from apps.audit import ledger
from apps.core.marks import public

from . import errors

logger = logging.getLogger(__name__)


class BodyRejected(ValueError):
    """A JSON body that parses but that no field may hold; its message becomes the 400's detail."""


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class JsonParser(Parser):
    """JSON bodies, refusing NUL characters as Django's forms do (PostgreSQL cannot store them)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):  # every body of this API is an object (ninja would read "AAA" as its one field)
            raise NinjaValidationError([{"type": "model_type", "loc": ["body"], "msg": _("Pyynnön rungon on oltava JSON-objekti.")}])
        if _has_nul(data):
            raise BodyRejected(str(ProhibitNullCharactersValidator.message))
        return data


_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


class SysteemiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the errors every operation can give besides its own: 400 for a body that is
        not JSON (or holds a NUL character), 413 for one too large to read, 415 for a body sent as
        anything but JSON, 422 for a parameter or body that does not validate."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                if "requestBody" in operation:
                    responses.setdefault("400", {"description": "Bad Request", "content": _ERROR_REF})
                    responses.setdefault("413", {"description": "Content Too Large", "content": _ERROR_REF})
                    responses.setdefault("415", {"description": "Unsupported Media Type", "content": _ERROR_REF})
                if "requestBody" in operation or operation.get("parameters"):
                    responses.setdefault("422", {"description": "Unprocessable Content", "content": _ERROR_REF})
        return schema

    def validation_error_from_error_contexts(self, error_contexts):
        """Each error told in the request's language, while pydantic's input (a text's length) is still at hand."""
        found = [
            {**e, "loc": (context.model.__ninja_param_source__, *context.model.__ninja_flatten_map_reverse__.get(e["loc"], e["loc"]))}
            for context in error_contexts
            for e in context.pydantic_validation_error.errors(include_url=False)
        ]
        return NinjaValidationError(errors.translated(found))


api = SysteemiAPI(
    title="Systeemi API",
    version="1",
    description="Systeemisen lastensuojelun tiimien rajapinta. Sama pääsynvalvonta ja lokitus kuin sivuilla.",
    urls_namespace="api-v1",
    docs_url=None,  # the bundled Swagger UI loads from a CDN; the OpenAPI document is enough
    auth=django_auth,
    parser=JsonParser(),
    # The OpenAPI document describes the API and holds no data: whoever may read the docs reads
    # it, signed in or not, and with the second factor still to set up.
    docs_decorator=public,
)


def log_name(func) -> str:
    """The name an operation is logged under: `api-` and its function's name (family_get -> api-family-get)."""
    return "api-" + func.__name__.replace("_", "-")


def _named_in_the_log(func):
    """Several operations share one URL (GET and PATCH of a family), so the URL name cannot tell
    them apart in the log: each operation names itself (apps/audit/ledger.py)."""
    name = log_name(func)

    @functools.wraps(func)
    def operation(request, *args, **kwargs):
        ledger.name_view(name)
        return func(request, *args, **kwargs)

    return operation


api.add_decorator(_named_in_the_log, mode="operation")


def _is_json(content_type: str) -> bool:
    main, _slash, sub = content_type.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def _json_bodies_only(run):
    """The API reads JSON bodies only. A body declared as anything else is refused with 415 before
    the session's CSRF check, which reads a form body (and fails on a multipart body without a
    boundary, or leaves a multipart body unreadable for the JSON parser)."""

    @functools.wraps(run)
    def checked(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.content_type and not _is_json(request.content_type):
            return _json(request, 415, _("Rajapinta ottaa vastaan vain JSON-muotoisen rungon (Content-Type: application/json)."))
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_json_bodies_only, mode="view")


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
    return _json(request, 422, exc.errors)  # already in the request's language (validation_error_from_error_contexts)


def _http_error_detail(exc: HttpError) -> str:
    """django-ninja's own refusals, in the request's language."""
    if isinstance(exc.__cause__, BodyRejected):
        return str(exc.__cause__)
    if exc.status_code == 400:  # the body could not be parsed
        return _("Pyynnön runko ei ole kelvollista JSONia.")
    if exc.status_code == 403:  # the session's CSRF check
        return _("CSRF-tarkistus epäonnistui: lähetä istunnon CSRF-tunniste X-CSRFToken-otsakkeessa.")
    return str(exc)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc.__cause__, NinjaValidationError):  # JSON, but not an object: input that does not validate
        return _json(request, 422, exc.__cause__.errors)
    return _json(request, exc.status_code, _http_error_detail(exc))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc):
    # A body larger than Django reads (DATA_UPLOAD_MAX_MEMORY_SIZE), or otherwise malformed.
    if isinstance(exc, RequestDataTooBig):
        return _json(request, 413, _("Pyynnön runko on liian suuri."))
    return _json(request, 400, _("Pyyntö on virheellinen."))


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _out_of_range(request, exc):
    # A value the database cannot hold (a number beyond 64 bits, text too long for its column):
    # the request's fault, and nothing was written (the failed statement or its transaction was rolled back).
    logger.warning("API input the database refused: %s", exc)
    return _json(request, 422, str(RegexValidator.message))  # Django's own, translated "Enter a valid value."


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API error", exc_info=exc)
    return _json(request, 500, _("Odottamaton virhe. Mitään ei tallennettu; yritä uudelleen."))
