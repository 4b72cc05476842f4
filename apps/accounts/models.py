"""Professionals. Team roles live on memberships; this holds what is true of the person everywhere."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgRole(models.TextChoices):
    """Roles above the team: they never open a family, they see aggregates or logs."""

    NONE = "", _("ei organisaatiotason roolia")
    MANAGER = "manager", _("esihenkilö")
    AUDITOR = "auditor", _("lokitarkastaja")
    RESEARCHER = "researcher", _("tutkija")
    TRAINER = "trainer", _("kouluttaja")


def display_name(first_name, last_name, username) -> str:
    """How a professional is named on pages: the full name, else the username ("" for nobody).
    Lists that read name columns rather than User objects call this directly."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


class User(AbstractUser):
    county = models.ForeignKey(
        "organisations.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("hyvinvointialue"),
    )
    org_role = models.CharField(_("organisaatiorooli"), max_length=20, choices=OrgRole.choices, blank=True)
    managed_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managers",
        verbose_name=_("johdettava yksikkö"),
        help_text=_("Esihenkilö näkee tämän yksikön koosteet; tyhjä = koko hyvinvointialue."),
    )
    title = models.CharField(_("nimike"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("käyttäjä")
        verbose_name_plural = _("käyttäjät")

    def __str__(self) -> str:
        return display_name(self.first_name, self.last_name, self.username)

    @property
    def is_manager(self) -> bool:
        return self.org_role == OrgRole.MANAGER

    @property
    def is_auditor(self) -> bool:
        return self.org_role == OrgRole.AUDITOR
