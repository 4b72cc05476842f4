"""Month-end caseload snapshots: the figures a month closed with, kept as they were."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseloadSnapshot(models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload_snapshots")
    month_end = models.DateField(_("kuukauden viimeinen päivä"))
    children = models.PositiveIntegerField(_("lapsia"))
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("työkuorman tilannekuva")
        verbose_name_plural = _("työkuorman tilannekuvat")
        constraints = [models.UniqueConstraint(fields=["worker", "month_end"], name="one_snapshot_per_worker_month")]
        # Managers' and the county report's caseload history: one county, a range of months.
        indexes = [models.Index(fields=["county", "month_end"])]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month_end}: {self.children}"
