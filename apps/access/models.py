"""Scoped, consented, time-limited grants: how someone outside the family's team may see it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GrantQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(valid_from__lte=at, valid_until__gt=at, revoked_at__isnull=True)


class AccessGrant(models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="grants", verbose_name=_("perhe"))
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants", verbose_name=_("saaja"))
    can_edit = models.BooleanField(_("saa muokata"), default=False)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=200)
    consent_reference = models.CharField(_("suostumus"), max_length=200, help_text=_("Missä ja milloin perhe antoi suostumuksen."))
    valid_from = models.DateTimeField(_("voimassa alkaen"), default=timezone.now)
    valid_until = models.DateTimeField(_("voimassa asti"))
    revoked_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("myöntäjä"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("käyttöoikeus")
        verbose_name_plural = _("käyttöoikeudet")
        # The gate asks on every request "which families may this partner read today?": by grantee,
        # then the validity window.
        indexes = [models.Index(fields=["grantee", "valid_until"])]
        constraints = [models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="grant_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.grantee} → {self.family}"


class HandoverQuerySet(models.QuerySet):
    def active(self, on=None):
        return self.filter(until__gte=on or timezone.localdate())


class Handover(models.Model):
    """After a family moves to another team, the sending team keeps read access until `until`."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="handovers")
    from_team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("luovuttava tiimi"))
    to_team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("vastaanottava tiimi"))
    transferred_on = models.DateField(_("siirretty"))
    until = models.DateField(_("lukuoikeus asti"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("siirto")
        verbose_name_plural = _("siirrot")
        # The sending team's read-only handover window, looked up by team on every team request.
        indexes = [models.Index(fields=["from_team", "until"])]
        constraints = [models.CheckConstraint(condition=Q(until__gte=models.F("transferred_on")), name="handover_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.family_id}: {self.from_team_id} → {self.to_team_id}"
