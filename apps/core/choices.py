"""Choice labels without Django's per-call cost.

Django's get_FOO_display() rebuilds a dictionary of the field's choices on every call, hashing
each lazily translated label, which translates it: a list of 55 families with two children each
spent a tenth of the team page in gettext (issue 8). The mixin looks the value up in a dictionary
of the field's labels already translated into the reader's language, built once per field and
language (the access log's CSV of 17,000 entries translated 34,000 labels one by one).
"""

from functools import cache

from django.db import models
from django.utils import translation
from django.utils.encoding import force_str


@cache
def _labels(field, language: str | None) -> dict:
    """The field's labels as translated in `language`, the active language of the caller."""
    return {value: force_str(label, strings_only=True) for value, label in field.flatchoices}


def labels(field) -> dict:
    """The field's choice labels by value, in the active language (for plain rows, not objects)."""
    return _labels(field, translation.get_language())


class ChoiceDisplayMixin(models.Model):
    """Mix into models whose choice labels are shown in lists (team page, family page, log)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name
        value = getattr(self, field.attname)
        try:
            return labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
