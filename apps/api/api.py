"""The JSON API under /api/v1/: the same gate, services and selectors as the pages.

Errors are always JSON with a clear, translated `detail`. Each operation declares in the OpenAPI
document whether it returns personal data (`x-personal-data`); the access walk test reads that.
"""

import functools
import logging

from django import forms
from django.core import validators
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from apps.audit import ledger

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
        if _has_nul(data):
            raise BodyRejected(str(ProhibitNullCharactersValidator.message))
        return data


_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


class SysteemiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the errors every operation can give besides its own: 400 for a body that is
        not JSON (or holds a NUL character), 422 for a parameter or body that does not validate."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                if "requestBody" in operation:
                    responses.setdefault("400", {"description": "Bad Request", "content": _ERROR_REF})
                if "requestBody" in operation or operation.get("parameters"):
                    responses.setdefault("422", {"description": "Unprocessable Content", "content": _ERROR_REF})
        return schema


api = SysteemiAPI(
    title="Systeemi API",
    version="1",
    description="Systeemisen lastensuojelun tiimien rajapinta. Sama pääsynvalvonta ja lokitus kuin sivuilla.",
    urls_namespace="api-v1",
    docs_url=None,  # the bundled Swagger UI loads from a CDN; the OpenAPI document is enough
    auth=django_auth,
    parser=JsonParser(),
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


# pydantic's messages are English whatever the reader's language, so each error type is told with
# the message a Django form gives for the same fault (translated by Django into every language it
# ships) or, where a form has none, one of ours. Machine-readable `type` and `loc` stay as they are.
_INVALID = validators.RegexValidator.message  # "Enter a valid value."
_OBJECT = gettext_lazy("Arvon on oltava JSON-objekti.")
_MESSAGES = {
    "missing": forms.Field.default_error_messages["required"],
    **dict.fromkeys(
        ("int_parsing", "int_type", "int_from_float", "int_parsing_size"), forms.IntegerField.default_error_messages["invalid"]
    ),
    **dict.fromkeys(
        ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"),
        forms.FloatField.default_error_messages["invalid"],
    ),
    **dict.fromkeys(
        ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"),
        forms.DateField.default_error_messages["invalid"],
    ),
    **dict.fromkeys(
        ("datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"),
        forms.DateTimeField.default_error_messages["invalid"],
    ),
    **dict.fromkeys(("time_parsing", "time_type"), forms.TimeField.default_error_messages["invalid"]),
    **dict.fromkeys(("literal_error", "enum"), forms.ModelChoiceField.default_error_messages["invalid_choice"]),
    **dict.fromkeys(("uuid_parsing", "uuid_type"), forms.UUIDField.default_error_messages["invalid"]),
    **dict.fromkeys(("model_type", "model_attributes_type", "dict_type"), _OBJECT),
    "list_type": gettext_lazy("Arvon on oltava luettelo."),
    "string_type": gettext_lazy("Arvon on oltava tekstiä."),
    **dict.fromkeys(("bool_type", "bool_parsing"), gettext_lazy("Arvon on oltava true tai false.")),
    "extra_forbidden": gettext_lazy("Tuntematon kenttä."),
}


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in _MESSAGES:
        return str(_MESSAGES[kind])
    if kind == "greater_than_equal":
        return validators.MinValueValidator.message % {"limit_value": ctx.get("ge")}
    if kind == "less_than_equal":
        return validators.MaxValueValidator.message % {"limit_value": ctx.get("le")}
    if kind == "greater_than":
        return _("Arvon on oltava suurempi kuin %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than":
        return _("Arvon on oltava pienempi kuin %(limit)s.") % {"limit": ctx.get("lt")}
    if kind == "multiple_of":
        return validators.StepValueValidator.message % {"limit_value": ctx.get("multiple_of")}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return str(forms.Field.default_error_messages["required"])
    if kind in ("string_too_short", "string_too_long"):
        limit = ctx.get("min_length") if kind == "string_too_short" else ctx.get("max_length")
        shortest = ngettext("Vähintään %(limit)s merkki.", "Vähintään %(limit)s merkkiä.", limit)
        longest = ngettext("Enintään %(limit)s merkki.", "Enintään %(limit)s merkkiä.", limit)
        return (shortest if kind == "string_too_short" else longest) % {"limit": limit}
    if kind in ("value_error", "assertion_error") and isinstance(ctx.get("error"), str | Exception):
        return str(ctx["error"])  # raised by our own validators, already in the reader's language
    return str(_INVALID)


def translated_errors(errors: list[dict]) -> list[dict]:
    """ninja's validation errors with each message in the request's language (and no English
    explanation left in `ctx`)."""
    out = []
    for error in errors:
        item = {**error, "msg": _message(error)}
        ctx = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}
        if ctx:
            item["ctx"] = ctx
        else:
            item.pop("ctx", None)
        out.append(item)
    return out


@api.exception_handler(NinjaValidationError)
def _invalid_input(request, exc):
    return _json(request, 422, translated_errors(exc.errors))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    cause = exc.__cause__
    if isinstance(cause, BodyRejected):
        detail = str(cause)
    elif exc.status_code == 400:  # ninja: "Cannot parse request body"
        detail = _("Pyynnön sisältö ei ole kelvollista JSONia.")
    elif exc.status_code == 403:  # ninja: "CSRF check Failed"
        detail = _("Istunnon tarkiste puuttuu tai on vanhentunut. Lataa sivu uudelleen ja yritä uudelleen.")
    else:
        detail = str(exc)
    return _json(request, exc.status_code, detail)


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
