"""What the county sets for its evaluation: the price of a placement day, by placement type, with
its history.

A price is never changed in place: a new price is a new row from its first day on, so a report of
any past period costs each day at the price then in force, and the page shows every change with
who set it and when.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.clients.models import Phase
from apps.core.choices import ChoiceDisplayMixin

# The placement phases recorded on a child's client relationship (apps.clients.models.PLACEMENT_PHASES):
# a placement as open-care support (LsL 37 §), an emergency placement (LsL 38 §), and care after a
# care order (huostaanotto, LsL 40 §). The setting (family care, professional family home,
# institution) is not recorded today, so a county's price is its average for the type.
PLACEMENT_TYPES = [
    (Phase.PLACEMENT_VOLUNTARY.value, Phase.PLACEMENT_VOLUNTARY.label),
    (Phase.EMERGENCY_PLACEMENT.value, Phase.EMERGENCY_PLACEMENT.label),
    (Phase.CARE_ORDER.value, Phase.CARE_ORDER.label),
]


class PlacementCost(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("hyvinvointialue"))
    placement_type = models.CharField(_("sijoituksen laji"), max_length=30, choices=PLACEMENT_TYPES)
    euros_per_day = models.DecimalField(_("euroa vuorokaudessa"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("voimassa alkaen"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asettanut"))
    set_at = models.DateTimeField(_("asetettu"), auto_now_add=True)

    class Meta:
        verbose_name = _("sijoitusvuorokauden hinta")
        verbose_name_plural = _("sijoitusvuorokauden hinnat")
        ordering = ["county", "placement_type", "valid_from", "set_at"]
        indexes = [models.Index(fields=["county", "placement_type", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()} {self.euros_per_day} € {self.valid_from}"


class FidelityTarget(models.Model):
    """A team's own target, set by its consultant within the bounds of apps/evaluation/targets.ADJUSTABLE.

    Never changed in place: each setting is a new row, so the page shows every change — who, when,
    from what to what and why — and the latest row of a key is the team's target now."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("tiimi"))
    key = models.CharField(_("mittari"), max_length=40)
    value = models.PositiveSmallIntegerField(_("tavoite"))
    previous = models.PositiveSmallIntegerField(_("aiempi tavoite"), null=True, blank=True)
    reason = models.CharField(_("perustelu"), max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asettanut"))
    set_at = models.DateTimeField(_("asetettu"), auto_now_add=True)

    class Meta:
        verbose_name = _("tiimin oma tavoite")
        verbose_name_plural = _("tiimien omat tavoitteet")
        ordering = ["team", "key", "set_at", "id"]
        indexes = [models.Index(fields=["team", "key", "set_at"])]

    def __str__(self) -> str:
        return f"{self.team_id} {self.key} {self.value}"
