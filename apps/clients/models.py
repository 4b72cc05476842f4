"""Families, the people in them and the children's client relationships with their phases.

Every table carries `county`: the wellbeing services county that is the data controller. A
family belongs to one team; access to everything here flows from that (see apps.access.gate).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin


class Family(models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("hyvinvointialue"))
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="families", verbose_name=_("tiimi"))
    name = models.CharField(_("perheen nimi"), max_length=200, help_text=_("Esim. sukunimi tai sukunimet: Virtanen–Korhonen"))
    municipality = models.CharField(_("kunta"), max_length=100, blank=True)
    parents_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parent_work_families",
        verbose_name=_("vanhempien työntekijä"),
    )
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    updated_at = models.DateTimeField(_("päivitetty"), auto_now=True)

    class Meta:
        verbose_name = _("perhe")
        verbose_name_plural = _("perheet")
        ordering = ["name", "id"]
        # A team's families (team page, lists, reports), always within one county.
        indexes = [models.Index(fields=["county", "team"])]

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    FI = "fi", _("suomi")
    SV = "sv", _("ruotsi")
    EN = "en", _("englanti")
    OTHER = "other", _("muu")


# A person's own details, in the order the person form shows them; the demo generator writes and
# fingerprints the same list.
PERSON_DETAILS = (
    "first_names",
    "last_name",
    "personal_identity_code",
    "birth_date",
    "language",
    "non_disclosure",
    "street_address",
    "postal_code",
    "post_office",
    "phone",
    "email",
)


class Person(models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("hyvinvointialue"))
    first_names = models.CharField(_("etunimet"), max_length=200)
    last_name = models.CharField(_("sukunimi"), max_length=200)
    personal_identity_code = models.CharField(_("henkilötunnus"), max_length=11, blank=True)
    birth_date = models.DateField(_("syntymäaika"), null=True, blank=True)
    language = models.CharField(_("asiointikieli"), max_length=10, choices=Language.choices, default=Language.FI)
    non_disclosure = models.BooleanField(
        _("turvakielto"),
        default=False,
        help_text=_("Osoite- ja yhteystiedot näkyvät vain vastuutyöntekijöille."),
    )
    street_address = models.CharField(_("katuosoite"), max_length=200, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=5, blank=True)
    post_office = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    phone = models.CharField(_("puhelin"), max_length=30, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    updated_at = models.DateTimeField(_("päivitetty"), auto_now=True)

    CONTACT_FIELDS = ("street_address", "postal_code", "post_office", "phone", "email")

    class Meta:
        verbose_name = _("henkilö")
        verbose_name_plural = _("henkilöt")
        ordering = ["last_name", "first_names", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "personal_identity_code"],
                condition=~Q(personal_identity_code=""),
                name="person_unique_identity_code_per_county",
                violation_error_message=_("Tällä henkilötunnuksella on jo henkilö rekisterissä."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class Relation(models.TextChoices):
    CHILD = "child", _("lapsi")
    PARENT = "parent", _("vanhempi")
    GUARDIAN = "guardian", _("huoltaja")
    STEP_PARENT = "step_parent", _("vanhemman puoliso")
    SIBLING = "sibling", _("sisarus (ei asiakas)")
    GRANDPARENT = "grandparent", _("isovanhempi")
    OTHER = "other", _("muu läheinen")


ADULT_RELATIONS = {Relation.PARENT, Relation.GUARDIAN, Relation.STEP_PARENT}


class FamilyMember(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members", verbose_name=_("perhe"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("henkilö"))
    relation = models.CharField(_("suhde perheeseen"), max_length=20, choices=Relation.choices)
    is_guardian = models.BooleanField(_("huoltaja"), default=False)
    note = models.CharField(_("lisätieto"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("perheenjäsen")
        verbose_name_plural = _("perheenjäsenet")
        constraints = [models.UniqueConstraint(fields=["family", "person"], name="family_member_once")]
        # From a person to their families: "who has seen my data" and the person pages.
        indexes = [models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class Phase(models.TextChoices):
    """Phases of a child's client relationship, in their usual order."""

    NOTIFICATION = "notification", _("lastensuojeluilmoitus")
    ASSESSMENT = "assessment", _("palvelutarpeen arviointi")
    OPEN_CARE = "open_care", _("avohuollon asiakkuus")
    PLACEMENT_VOLUNTARY = "placement_voluntary", _("avohuollon sijoitus (vapaaehtoinen)")
    EMERGENCY_PLACEMENT = "emergency_placement", _("kiireellinen sijoitus")
    CARE_ORDER = "care_order", _("huostaanotto")
    AFTER_CARE = "after_care", _("jälkihuolto")
    CLOSED = "closed", _("päättynyt")


PLACEMENT_PHASES = {Phase.PLACEMENT_VOLUNTARY, Phase.EMERGENCY_PLACEMENT, Phase.CARE_ORDER}


class ClientRelationship(ChoiceDisplayMixin, models.Model):
    """A child's client relationship (asiakkuus). At most one open per child; one responsible worker."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("perhe"))
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="client_relationships", verbose_name=_("lapsi"))
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_relationships",
        verbose_name=_("lapsen vastuusosiaalityöntekijä"),
    )
    opened_on = models.DateField(_("alkanut"))
    closed_on = models.DateField(_("päättynyt"), null=True, blank=True)
    current_phase = models.CharField(_("vaihe"), max_length=30, choices=Phase.choices, default=Phase.NOTIFICATION)

    class Meta:
        verbose_name = _("asiakkuus")
        verbose_name_plural = _("asiakkuudet")
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(closed_on__isnull=True),
                name="one_open_relationship_per_child",
                violation_error_message=_("Lapsella on jo avoin asiakkuus."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="relationship_dates_in_order",
                violation_error_message=_("Asiakkuus ei voi päättyä ennen alkamistaan."),
            ),
        ]
        # A worker's open children (caseload, my deadlines); a family's relationships (every family
        # and team page prefetch).
        indexes = [
            models.Index(fields=["responsible_worker", "closed_on"]),
            models.Index(fields=["family"]),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.get_current_phase_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class PhaseEvent(ChoiceDisplayMixin, models.Model):
    """One step in a relationship's history; the latest one is the current phase."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    relationship = models.ForeignKey(ClientRelationship, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("vaihe"), max_length=30, choices=Phase.choices)
    started_on = models.DateField(_("alkaen"))
    note = models.CharField(_("lisätieto"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vaihe")
        verbose_name_plural = _("vaiheet")
        ordering = ["started_on", "id"]
        # A relationship's phases in order; the first care phase and the latest placement are
        # correlated subqueries on this index.
        indexes = [models.Index(fields=["relationship", "started_on"])]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.started_on}"


class ResponsibilityPeriod(models.Model):
    """Who was the child's responsible social worker, from when to when.

    Written by the services that open, reassign and close relationships, so caseload history for
    any past date is exact after reassignments (LsL 13 b § counts children per worker).
    """

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    relationship = models.ForeignKey(ClientRelationship, on_delete=models.CASCADE, related_name="responsibility_periods")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="responsibility_periods")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("vastuujakso")
        verbose_name_plural = _("vastuujaksot")
        # Caseload history: one worker's periods, or a county's periods from a month on.
        indexes = [
            models.Index(fields=["worker", "started_on"]),
            models.Index(fields=["county", "started_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["relationship"], condition=Q(ended_on__isnull=True), name="one_current_responsibility_period"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.started_on}–{self.ended_on or ''}"
