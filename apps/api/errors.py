"""The API's validation errors in the request's language.

Pydantic reports each error with a stable type (`int_parsing`, `string_too_long` …) and an English
text. The text is replaced by Django's own translated validator message where Django has one
(its fi and sv catalogues are maintained upstream), and by ours otherwise; an unknown type gets
Django's "Enter a valid value." The type and location stay as pydantic gave them.
"""

from django import forms
from django.core import validators
from django.db import models
from django.utils.translation import gettext as _

_FORM = forms.Field.default_error_messages
_INVALID = validators.RegexValidator.message


def _by_type() -> dict:
    return {
        "missing": _FORM["required"],
        "int_parsing": forms.IntegerField.default_error_messages["invalid"],
        "int_type": forms.IntegerField.default_error_messages["invalid"],
        "int_from_float": forms.IntegerField.default_error_messages["invalid"],
        "float_parsing": forms.FloatField.default_error_messages["invalid"],
        "float_type": forms.FloatField.default_error_messages["invalid"],
        "decimal_parsing": forms.DecimalField.default_error_messages["invalid"],
        "decimal_type": forms.DecimalField.default_error_messages["invalid"],
        "finite_number": forms.DecimalField.default_error_messages["invalid"],
        "date_parsing": forms.DateField.default_error_messages["invalid"],
        "date_type": forms.DateField.default_error_messages["invalid"],
        "date_from_datetime_parsing": forms.DateField.default_error_messages["invalid"],
        "date_from_datetime_inexact": forms.DateField.default_error_messages["invalid"],
        "datetime_parsing": forms.DateTimeField.default_error_messages["invalid"],
        "datetime_type": forms.DateTimeField.default_error_messages["invalid"],
        "datetime_from_date_parsing": forms.DateTimeField.default_error_messages["invalid"],
        "datetime_object_invalid": forms.DateTimeField.default_error_messages["invalid"],
        "json_invalid": forms.JSONField.default_error_messages["invalid"],
        "string_pattern_mismatch": _INVALID,
        "bool_parsing": _("Anna totuusarvo true tai false."),
        "bool_type": _("Anna totuusarvo true tai false."),
        "string_type": _("Anna teksti."),
        "string_unicode": _("Anna teksti."),
        "dict_type": _("Anna JSON-objekti."),
        "model_type": _("Anna JSON-objekti."),
        "model_attributes_type": _("Anna JSON-objekti."),
        "list_type": _("Anna luettelo (JSON-taulukko)."),
        "extra_forbidden": _("Tuntematon kenttä."),
    }


def message(error: dict) -> str:
    """One pydantic error (with its `input` and `ctx`) as a sentence in the active language."""
    kind, ctx, value = error.get("type", ""), error.get("ctx") or {}, error.get("input")
    if value is None and kind.endswith("_type"):
        return str(models.Field.default_error_messages["null"])
    if kind == "string_too_long":
        return validators.MaxLengthValidator.message % {"limit_value": ctx["max_length"], "show_value": len(value)}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return str(models.Field.default_error_messages["blank"])
        return validators.MinLengthValidator.message % {"limit_value": ctx["min_length"], "show_value": len(value)}
    if kind == "greater_than_equal":
        return validators.MinValueValidator.message % {"limit_value": ctx["ge"]}
    if kind == "less_than_equal":
        return validators.MaxValueValidator.message % {"limit_value": ctx["le"]}
    if kind == "greater_than":
        return _("Arvon on oltava suurempi kuin %(limit)s.") % {"limit": ctx["gt"]}
    if kind == "less_than":
        return _("Arvon on oltava pienempi kuin %(limit)s.") % {"limit": ctx["lt"]}
    if kind == "too_long":
        return _("Enintään %(limit)s kohtaa.") % {"limit": ctx.get("max_length")}
    if kind == "too_short":
        return _("Vähintään %(limit)s kohtaa.") % {"limit": ctx.get("min_length")}
    if kind in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
        name = {"decimal_max_digits": "max_digits", "decimal_max_places": "max_decimal_places"}.get(kind, "max_whole_digits")
        limit = next(iter(ctx.values()), 0)
        return validators.DecimalValidator.messages[name] % {"max": limit}
    if kind in ("enum", "literal_error"):
        return forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": value}
    return str(_by_type().get(kind, _INVALID))


def translated(errors) -> list[dict]:
    """Pydantic's errors as the API shows them: where (`loc`), what kind (`type`) and why (`msg`)."""
    return [{"type": e.get("type", ""), "loc": list(e.get("loc", ())), "msg": message(e)} for e in errors]
