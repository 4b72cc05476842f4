"""Professionals. Team roles live on memberships; this holds what is true of the person everywhere."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgRole(models.TextChoices):
    """Roles outside the team: managers, auditors and researchers never open a family (they see
    aggregates or logs); a partner professional of another organisation (a school's kuraattori, a
    neuvola nurse) sees only the shared plans a family has consented to, never a family page."""

    NONE = "", _("ei organisaatiotason roolia")
    MANAGER = "manager", _("esihenkilö")
    AUDITOR = "auditor", _("lokitarkastaja")
    RESEARCHER = "researcher", _("tutkija")
    PARTNER = "partner", _("yhteistyökumppani")
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
    # A partner professional's own organisation ("Kalevan koulu", "Keskustan neuvola"): the family's
    # consent names both the person and where they work.
    organisation = models.CharField(_("organisaatio"), max_length=200, blank=True)

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

    @property
    def is_partner(self) -> bool:
        return self.org_role == OrgRole.PARTNER

    @property
    def professional_label(self) -> str:
        """A partner as a family's consent names them: name, title and organisation."""
        return ", ".join(part for part in (str(self), self.title, self.organisation) if part)
