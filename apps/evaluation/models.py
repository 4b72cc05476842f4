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


PULSE_QUESTIONS = ("load", "energy", "meaning", "safety")


class PulseTally(models.Model):
    """How many of a team's members gave one value (0-10) to one pulse question in one month.

    This is all that is stored of an answer: four counters go up by one. No row per person, no
    user, no time, no order — a copy of the database holds only each team's monthly distribution
    (apps/evaluation/pulse.py says what an administrator can and cannot learn)."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    question = models.CharField(max_length=10, choices=[(q, q) for q in PULSE_QUESTIONS])
    value = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "month", "question", "value"], name="pulse_tally_cell_once")]
        indexes = [models.Index(fields=["county", "month"])]

    def __str__(self) -> str:
        return f"{self.team_id} {self.month:%Y-%m} {self.question}={self.value}: {self.count}"


class PulseMarker(models.Model):
    """ "This person has answered this month": a keyed hash of the user and the month, with a key
    that is not in the database (pulse._marker_key). Nothing links it to the tallies; the markers of
    past months are deleted (pulse.forget_past_markers)."""

    month = models.DateField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "digest"], name="pulse_marker_once")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ResearchExportJob(models.Model):
    """A research export written by a background task (apps/evaluation/tasks.py) for one researcher.

    Writing the file hands nothing out: the data leave, and the disclosure is logged, when the
    researcher downloads it (views.research_download)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("jonossa")
        RUNNING = "running", _("kirjoitetaan")
        DONE = "done", _("valmis")
        FAILED = "failed", _("epäonnistui")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    project = models.CharField(_("tutkimushanke"), max_length=120)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=200)
    permit = models.CharField(_("tutkimusluvan tunnus"), max_length=60)
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_written = models.PositiveBigIntegerField(default=0)
    rows_expected = models.PositiveBigIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.project} {self.created_at:%Y-%m-%d}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, round(100 * self.rows_written / self.rows_expected)) if self.rows_expected else 0
