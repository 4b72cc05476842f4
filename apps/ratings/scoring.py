"""Scoring for four-line visual-analogue instruments: totals, cut-offs, reliable change, alerts.

Pure functions of a Definition and numbers, so the rules are tested against published worked
examples without a database. Marks are kept to 0.1 (a millimetre on the 10 cm paper line).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .definitions import Definition

TENTH = Decimal("0.1")


class RatingValueError(ValidationError):
    """A rating that cannot be stored; the message is for the person who typed it."""


def mark(value, scale_max: Decimal = Decimal(10)) -> Decimal:
    """One line's mark, rounded half up to 0.1 and kept within the line."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise RatingValueError(_("Anna luku väliltä 0–10.")) from None
    if not number.is_finite() or number < 0 or number > scale_max:
        raise RatingValueError(_("Anna luku väliltä 0–10."))
    return number.quantize(TENTH, rounding=ROUND_HALF_UP)


def from_centimetres(cm, definition: Definition) -> Decimal:
    """A paper form's mark, measured in cm from the left end of the line."""
    value = mark(cm, definition.line_cm)
    return (value * definition.scale_max / definition.line_cm).quantize(TENTH, rounding=ROUND_HALF_UP)


def marks(values: dict, definition: Definition) -> dict[str, Decimal]:
    """Every item's mark, or RatingValueError naming what is missing or wrong."""
    keys = [item.key for item in definition.items]
    unknown = set(values) - set(keys)
    if unknown:
        raise RatingValueError(_("Tuntematon kohta: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    missing = [k for k in keys if values.get(k) in (None, "")]
    if missing:
        raise RatingValueError(_("Merkitse jokainen jana."))
    result = {k: mark(values[k], definition.scale_max) for k in keys}
    if definition.presentation == "faces":
        # Five faces stand at the line's quarters: any other value did not come from the page.
        quarters = {Decimal(definition.scale_max) * i / 4 for i in range(5)}
        if any(v not in quarters for v in result.values()):
            raise RatingValueError(_("Valitse yksi kasvoista."))
    return result


def total(item_marks: dict[str, Decimal]) -> Decimal:
    return sum(item_marks.values(), Decimal(0)).quantize(TENTH)


@dataclass(frozen=True)
class Change:
    """How a rater's outcome scores moved from their first rating to their latest."""

    baseline: Decimal
    latest: Decimal
    sessions: int
    reliable_change: Decimal | None
    cutoff: Decimal | None

    @property
    def difference(self) -> Decimal:
        return self.latest - self.baseline

    @property
    def reliably_improved(self) -> bool:
        return self.reliable_change is not None and self.difference >= self.reliable_change

    @property
    def reliably_deteriorated(self) -> bool:
        return self.reliable_change is not None and -self.difference >= self.reliable_change

    @property
    def clinically_significant(self) -> bool:
        """Reliable improvement that also crosses the cut-off from the clinical side (Jacobson & Truax 1991)."""
        return self.reliably_improved and self.cutoff is not None and self.baseline < self.cutoff <= self.latest


def change(totals: list[Decimal], definition: Definition, age: int | None) -> Change | None:
    """Change over a series of totals in date order; None with fewer than two ratings."""
    if len(totals) < 2 or not definition.scored:
        return None
    rc = definition.reliable_change.value if definition.reliable_change else None
    cutoff = definition.cutoff_for(age)
    return Change(totals[0], totals[-1], len(totals), rc, cutoff.value if cutoff else None)


def no_change_yet(ch: Change | None, definition: Definition) -> bool:
    """Rated at least the expected number of times and still no reliable improvement."""
    if ch is None or ch.reliable_change is None or definition.expected_sessions is None:
        return False
    return ch.sessions >= definition.expected_sessions.value and not ch.reliably_improved


def session_alert(item_marks: dict[str, Decimal], definition: Definition) -> list[str]:
    """Reasons a session rating should be talked about; empty when none."""
    reasons = []
    low_total = definition.alert_total_below
    if low_total is not None and total(item_marks) < low_total.value:
        reasons.append(_("Kokonaispistemäärä alle %(limit)s") % {"limit": low_total.value})
    low_item = definition.alert_item_below
    if low_item is not None and any(v < low_item.value for v in item_marks.values()):
        reasons.append(_("Jokin kohta alle %(limit)s") % {"limit": low_item.value})
    return reasons
