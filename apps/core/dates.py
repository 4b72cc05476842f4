"""Bounds every recorded casework date is checked against, in the services that record them.

A date before the current Child Welfare Act (417/2007, in force 1.1.2008) is a typo in this
system: its deadline rules start there, and a 1900 notification once saved opened a relationship
for a child born in 2024 and broke every deadline list of the team. A date in the future has not
happened yet.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

EARLIEST_RECORD_DATE = datetime.date(2008, 1, 1)


def short(day: datetime.date) -> str:
    """A date as the reader's language writes it (fi: 1.1.2008)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _dated(message, days: dict) -> str:
    return str(message) % {name: short(day) for name, day in days.items()}


def dated(message, **days: datetime.date):
    """A lazy `message` (a msgid with %(name)s for each date) whose dates are written as the
    reader's language writes them when it is shown: for texts defined once at import, such as the
    legal sources beside a limit ("LsL 13 b §, 1.1.2024 alkaen")."""
    return _lazy_dated(message, days)


_lazy_dated = lazy(_dated, str)


def check_record_date(day: datetime.date, field: str) -> None:
    """Raise a field error when `day` cannot be the date of something that happened."""
    if day > timezone.localdate():
        raise ValidationError({field: _("Päivämäärä ei voi olla tulevaisuudessa.")})
    if day < EARLIEST_RECORD_DATE:
        raise ValidationError(
            {
                field: _("Päivämäärä on ennen lastensuojelulain voimaantuloa (%(date)s). Tarkista vuosi.")
                % {"date": short(EARLIEST_RECORD_DATE)}
            }
        )


class RecordDateField(forms.DateField):
    """A form's date of something that happened: checked like the service checks it
    (`check_record_date`), so a year typed as 1800 is reported together with the form's other
    mistakes, not only once those are fixed. The service checks again for the API."""

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                check_record_date(value, "date")
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["date"]) from None
