"""Wellbeing services counties, their units, systemic teams and who belongs to which team.

The county is the data controller of its clients; its key is on every personal-data table and
is the key a national deployment shards by.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin


class County(models.Model):
    code = models.SlugField(_("tunnus"), max_length=40, unique=True)
    name = models.CharField(_("nimi"), max_length=200)

    class Meta:
        verbose_name = _("hyvinvointialue")
        verbose_name_plural = _("hyvinvointialueet")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="units", verbose_name=_("hyvinvointialue"))
    name = models.CharField(_("nimi"), max_length=200)
    municipality = models.CharField(_("kunta"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("yksikkö")
        verbose_name_plural = _("yksiköt")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    SYSTEMIC = "systemic", _("systeeminen tiimi")
    COMPARISON = "comparison", _("vertailutiimi")
    FAMILY_SOCIAL_WORK = "family_social_work", _("lapsiperheiden sosiaalityö (sosiaalihuoltolaki)")


class Team(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="teams", verbose_name=_("hyvinvointialue"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams", verbose_name=_("yksikkö"))
    name = models.CharField(_("nimi"), max_length=200)
    kind = models.CharField(_("tyyppi"), max_length=20, choices=TeamKind.choices, default=TeamKind.SYSTEMIC)
    # THL's recommendation for systemic teams is 15-20 children per social worker (seed 003).
    caseload_target_min = models.PositiveSmallIntegerField(_("lapsia työntekijää kohden, tavoite vähintään"), default=15)
    caseload_target_max = models.PositiveSmallIntegerField(_("lapsia työntekijää kohden, tavoite enintään"), default=20)
    discussion_interval_weeks = models.PositiveSmallIntegerField(_("perheen käsittelyväli viikkoina"), default=4)

    class Meta:
        verbose_name = _("tiimi")
        verbose_name_plural = _("tiimit")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    CONSULTANT = "consultant", _("konsultoiva sosiaalityöntekijä")
    SOCIAL_WORKER = "social_worker", _("sosiaalityöntekijä")
    SOCIAL_INSTRUCTOR = "social_instructor", _("sosiaaliohjaaja")
    COORDINATOR = "coordinator", _("koordinaattori")
    FAMILY_THERAPIST = "family_therapist", _("perheterapeutti")


TEAM_ROLE_ORDER = [r.value for r in TeamRole]


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class Membership(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("hyvinvointialue"))
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("tiimi"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("käyttäjä"))
    role = models.CharField(_("rooli"), max_length=30, choices=TeamRole.choices)
    started_on = models.DateField(_("alkaen"), default=timezone.localdate)
    ended_on = models.DateField(_("päättyen"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiimijäsenyys")
        verbose_name_plural = _("tiimijäsenyydet")
        indexes = [models.Index(fields=["user", "team"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.team_id and self.user_id:
            if self.user.county_id and self.user.county_id != self.team.county_id:
                raise ValidationError(_("Käyttäjä ja tiimi kuuluvat eri hyvinvointialueisiin."))
            self.county_id = self.team.county_id
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Päättymispäivä ei voi olla ennen alkamispäivää.")})
