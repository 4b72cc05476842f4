"""Outcome and session ratings (ORS/SRS-style) given by family members, and the links they use.

Every row carries its county, like all personal data. A rating link's token is stored only as a
hash, so a leaked database cannot be used to rate on a family's behalf.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin

from .definitions import Definition


class Instrument(models.Model):
    code = models.CharField(_("tunnus"), max_length=20)
    version = models.CharField(_("versio"), max_length=20)
    kind = models.CharField(_("laji"), max_length=10, choices=[("outcome", _("tilannearvio")), ("session", _("tapaamisarvio"))])
    definition = models.JSONField(_("määrittely"))
    active = models.BooleanField(_("käytössä"), default=True)
    loaded_at = models.DateTimeField(_("ladattu"), auto_now=True)

    class Meta:
        verbose_name = _("arviointimittari")
        verbose_name_plural = _("arviointimittarit")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version_unique")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @cached_property
    def spec(self) -> Definition:
        return Definition.model_validate(self.definition)


class Mode(models.TextChoices):
    PHONE = "phone", _("perheenjäsenen omalla laitteella")
    PAPER = "paper", _("paperilomake, työntekijä syötti")


class RatingLink(models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="rating_links")
    rater = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # A family's recent links (last 30 days) on the ratings page.
        indexes = [models.Index(fields=["county", "family", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.instrument_id}:{self.pk}"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


class Rating(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("arvioija"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("mittari"))
    rated_on = models.DateField(_("päivä"))
    agenda_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    values = models.JSONField(_("merkinnät"))
    total = models.DecimalField(_("yhteensä"), max_digits=4, decimal_places=1, null=True)
    mode = models.CharField(_("tapa"), max_length=10, choices=Mode.choices)
    link = models.OneToOneField(RatingLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="rating")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rated_on", "created_at"]
        # The family page, the flags and the team view read ratings by family (never across
        # counties: the family is already county-scoped), per rater in date order.
        indexes = [models.Index(fields=["family", "rater", "rated_on"], name="rating_family_rater_day")]
        verbose_name = _("arvio")
        verbose_name_plural = _("arviot")

    def __str__(self) -> str:
        return f"{self.rated_on} {self.total}"
