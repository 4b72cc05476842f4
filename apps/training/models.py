"""Training in the model (seeds: structures and training are core elements of the pilot): team
trainings in blocks, led by a trainer pair of a social worker and a family therapist, follow-up
supervision sessions, and info sessions for partners; who of a team attended which session.

Trainings concern the professionals, never a family: nothing here refers to a client.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin


class TrainingKind(models.TextChoices):
    TEAM_TRAINING = "team_training", _("tiimivalmennus")
    FOLLOW_UP = "follow_up", _("jatkotyönohjaus")
    PARTNER_INFO = "partner_info", _("yhteistyökumppanien infotilaisuus")


class Training(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="trainings", verbose_name=_("tiimi"))
    kind = models.CharField(_("laji"), max_length=20, choices=TrainingKind.choices, default=TrainingKind.TEAM_TRAINING)
    name = models.CharField(_("nimi"), max_length=200)
    trainer_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kouluttaja (sosiaalityöntekijä)")
    )
    trainer_family_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kouluttaja (perheterapeutti)")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("koulutus")
        verbose_name_plural = _("koulutukset")
        ordering = ["team", "kind", "id"]
        indexes = [models.Index(fields=["county", "team"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.trainer_social_worker_id and self.trainer_social_worker_id == self.trainer_family_therapist_id:
            raise ValidationError(_("Kouluttajapari on kaksi eri henkilöä: sosiaalityöntekijä ja perheterapeutti."))


class TrainingSession(models.Model):
    """One block of a team training (typically 2-3 days), a follow-up session or an info session."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("jakso"))
    starts_on = models.DateField(_("alkaa"))
    ends_on = models.DateField(_("päättyy"))
    partner_participants = models.PositiveSmallIntegerField(_("osallistuneita kumppaneita"), default=0)
    partner_organisations = models.CharField(_("kumppaniorganisaatiot"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("koulutusjakso")
        verbose_name_plural = _("koulutusjaksot")
        ordering = ["training", "starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["training", "number"], name="training_session_number_once"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="training_session_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.training_id}/{self.number}"


class SessionAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.user_id}"
