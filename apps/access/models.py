"""The scope the access core keeps beyond team membership: the sending team's read access during a
transfer's handover. (A partner professional's door is the family's consent to share its plan,
kept by apps/partnership with the rule that reads it; the whole-family grant it replaced is gone.)"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
