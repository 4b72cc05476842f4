"""The family drawn: its genogram (people over generations, partnerships, children, households, the
quality of relationships) and its ecomaps (the child's or the family's network, dated, from one
person's point of view).

A genogram person is either one of the family's clients (`person`: name and birth date are read from
clients.Person, never typed twice) or a relative who is not a client, kept with the least the drawing
needs: a name or a label ("äidin isä"), sex as recorded, birth and death year. No identity code is
ever asked for a relative who is not a client.

Every table carries `county` (the data controller) and `family`: each record is looked up within the
family it belongs to (apps/clients/access.py `record_of`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin


class Sex(models.TextChoices):
    """As recorded by the family; the drawing's symbol follows it (square, circle, diamond)."""

    FEMALE = "female", _("nainen")
    MALE = "male", _("mies")
    OTHER = "other", _("muu")
    UNKNOWN = "unknown", _("ei tiedossa")


class GenogramPerson(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="genogram_people")
    person = models.ForeignKey(
        "clients.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="genogram_entries", verbose_name=_("asiakas")
    )
    name = models.CharField(
        _("nimi tai kuvaus"), max_length=200, blank=True, help_text=_("Esim. etunimi tai ”äidin isä”. Henkilötunnusta ei tarvita.")
    )
    sex = models.CharField(_("sukupuoli"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("syntymävuosi"), null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(_("kuolinvuosi"), null=True, blank=True)
    deceased = models.BooleanField(_("kuollut"), default=False, help_text=_("Myös kun vuotta ei tiedetä."))
    is_index = models.BooleanField(_("indeksihenkilö"), default=False, help_text=_("Lapsi, jonka tilanteesta on kyse."))
    twin_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="twins", verbose_name=_("kaksonen (kenen kanssa)")
    )
    identical_twin = models.BooleanField(_("identtinen kaksonen"), default=False)
    note = models.CharField(_("lisätieto"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sukupuun henkilö")
        verbose_name_plural = _("sukupuun henkilöt")
        ordering = ["birth_year", "id"]
        indexes = [models.Index(fields=["family"])]
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], condition=Q(person__isnull=False), name="genogram_client_once"),
            models.CheckConstraint(
                condition=Q(death_year__isnull=True) | Q(birth_year__isnull=True) | Q(death_year__gte=F("birth_year")),
                name="genogram_death_after_birth",
                violation_error_message=_("Kuolinvuosi ei voi olla ennen syntymävuotta."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.pk)


class PartnershipKind(models.TextChoices):
    MARRIED = "married", _("avioliitto")
    COHABITING = "cohabiting", _("avoliitto")
    DATING = "dating", _("seurustelu")
    SEPARATED = "separated", _("erillään / avoero")
    DIVORCED = "divorced", _("eronnut")


ENDED_PARTNERSHIPS = {PartnershipKind.SEPARATED, PartnershipKind.DIVORCED}


class Partnership(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="partnerships")
    first = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("puoliso"))
    second = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("toinen puoliso"))
    kind = models.CharField(_("suhde"), max_length=20, choices=PartnershipKind.choices, default=PartnershipKind.MARRIED)
    started_year = models.PositiveSmallIntegerField(_("alkoi (vuosi)"), null=True, blank=True)
    ended_year = models.PositiveSmallIntegerField(_("päättyi (vuosi)"), null=True, blank=True)

    class Meta:
        verbose_name = _("parisuhde")
        verbose_name_plural = _("parisuhteet")
        ordering = ["started_year", "id"]
        indexes = [models.Index(fields=["family"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_year__isnull=True) | Q(started_year__isnull=True) | Q(ended_year__gte=F("started_year")),
                name="partnership_ends_after_it_began",
                violation_error_message=_("Parisuhde ei voi päättyä ennen kuin se alkoi."),
            ),
            models.CheckConstraint(condition=~Q(first=F("second")), name="partnership_of_two"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.second_id}"


class ParentKind(models.TextChoices):
    BIOLOGICAL = "biological", _("biologinen")
    ADOPTED = "adopted", _("adoptio")
    FOSTER = "foster", _("sijaisvanhemmuus")
    STEP = "step", _("vanhemman puoliso")


class Parentage(ChoiceDisplayMixin, models.Model):
    """One parent of one child, and how. A child's parents who are partners hang the child from
    their couple in the drawing."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="parentages")
    parent = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="child_links", verbose_name=_("vanhempi"))
    child = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("lapsi"))
    kind = models.CharField(_("vanhemmuus"), max_length=20, choices=ParentKind.choices, default=ParentKind.BIOLOGICAL)

    class Meta:
        verbose_name = _("vanhemmuus")
        verbose_name_plural = _("vanhemmuudet")
        ordering = ["id"]
        indexes = [models.Index(fields=["family"])]
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="parentage_once"),
            models.CheckConstraint(condition=~Q(parent=F("child")), name="parentage_of_another"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id}→{self.child_id}"


class Household(models.Model):
    """Who lives with whom now: drawn as an outline around its members."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="households")
    name = models.CharField(_("talous"), max_length=100, help_text=_("Esim. ”äidin koti” tai ”sijaisperhe”."))
    members = models.ManyToManyField(GenogramPerson, related_name="households", verbose_name=_("jäsenet"))

    class Meta:
        verbose_name = _("kotitalous")
        verbose_name_plural = _("kotitaloudet")
        ordering = ["id"]
        indexes = [models.Index(fields=["family"])]

    def __str__(self) -> str:
        return self.name


class Quality(models.TextChoices):
    CLOSE = "close", _("läheinen")
    DISTANT = "distant", _("etäinen")
    CONFLICTED = "conflicted", _("ristiriitainen")
    CUT_OFF = "cut_off", _("välit poikki")
    ABUSIVE = "abusive", _("väkivaltainen")


class Relationship(ChoiceDisplayMixin, models.Model):
    """The quality of the relationship between two people, as the team understands it now. Drawn
    after the layout, so it never moves anyone; a hypothesis may name it."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="genogram_relationships")
    first = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("henkilö"))
    second = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("toinen henkilö"))
    quality = models.CharField(_("suhteen laatu"), max_length=20, choices=Quality.choices)
    note = models.CharField(_("lyhyt kuvaus"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ihmissuhde")
        verbose_name_plural = _("ihmissuhteet")
        ordering = ["id"]
        indexes = [models.Index(fields=["family"])]
        constraints = [models.CheckConstraint(condition=~Q(first=F("second")), name="relationship_of_two")]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.second_id} {self.quality}"


class GenogramVersion(models.Model):
    """The genogram as it was after each change: earlier drawings stay readable."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="genogram_versions")
    number = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    change = models.CharField(max_length=200, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["family", "-number"]
        constraints = [models.UniqueConstraint(fields=["family", "number"], name="genogram_version_once")]

    def __str__(self) -> str:
        return f"{self.family_id} v{self.number}"


# ---- ecomap ------------------------------------------------------------------------------------


class Viewpoint(models.TextChoices):
    CHILD = "child", _("lapsen näkökulma")
    PARENT = "parent", _("vanhemman näkökulma")
    WORKER = "worker", _("työntekijän näkökulma")


class Sector(models.TextChoices):
    """The ecomap's sectors, clockwise from the top."""

    FAMILY = "family", _("perhe")
    RELATIVES = "relatives", _("suku")
    FRIENDS = "friends", _("ystävät")
    SCHOOL = "school", _("koulu ja varhaiskasvatus")
    HEALTH = "health", _("terveys")
    SOCIAL = "social", _("sosiaalipalvelut")
    LEISURE = "leisure", _("harrastukset ja yhteisöt")


class Service(models.TextChoices):
    NEUVOLA = "neuvola", _("neuvola")
    DAYCARE = "daycare", _("varhaiskasvatus")
    SCHOOL = "school", _("koulu")
    HOME_HELP = "home_help", _("kotipalvelu")
    FAMILY_GUIDANCE = "family_guidance", _("lapsiperheiden sosiaaliohjaus")
    CHILD_PSYCHIATRY = "child_psychiatry", _("lasten- tai nuorisopsykiatria")
    ADULT_PSYCHIATRY = "adult_psychiatry", _("aikuispsykiatria")
    SUBSTANCE = "substance", _("päihdepalvelut")
    HEALTH_CENTRE = "health_centre", _("terveyskeskus")
    CHILD_WELFARE = "child_welfare", _("lastensuojelu")
    HOBBY = "hobby", _("harrastus")
    CHURCH = "church", _("seurakunta tai muu yhteisö")


SERVICE_SECTOR = {
    Service.NEUVOLA: Sector.HEALTH,
    Service.DAYCARE: Sector.SCHOOL,
    Service.SCHOOL: Sector.SCHOOL,
    Service.HOME_HELP: Sector.SOCIAL,
    Service.FAMILY_GUIDANCE: Sector.SOCIAL,
    Service.CHILD_PSYCHIATRY: Sector.HEALTH,
    Service.ADULT_PSYCHIATRY: Sector.HEALTH,
    Service.SUBSTANCE: Sector.SOCIAL,
    Service.HEALTH_CENTRE: Sector.HEALTH,
    Service.CHILD_WELFARE: Sector.SOCIAL,
    Service.HOBBY: Sector.LEISURE,
    Service.CHURCH: Sector.LEISURE,
}


class Strength(models.TextChoices):
    STRONG = "strong", _("vahva")
    WEAK = "weak", _("heikko")
    STRESSFUL = "stressful", _("kuormittava")


class Support(models.TextChoices):
    """Which way support flows, seen from the centre of the map."""

    NONE = "none", _("ei erityistä suuntaa")
    TO_CENTRE = "to_centre", _("tukee keskushenkilöä")
    FROM_CENTRE = "from_centre", _("keskushenkilö tukee")
    BOTH = "both", _("molempiin suuntiin")


class Ecomap(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="ecomaps")
    drawn_on = models.DateField(_("päivämäärä"))
    viewpoint = models.CharField(_("kenen näkökulma"), max_length=10, choices=Viewpoint.choices)
    viewpoint_person = models.ForeignKey(
        "clients.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kenen näkemys")
    )
    centre = models.ForeignKey(
        "clients.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keskellä"),
        help_text=_("Tyhjä: koko perhe keskellä."),
    )
    note = models.CharField(_("lisätieto"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verkostokartta")
        verbose_name_plural = _("verkostokartat")
        ordering = ["-drawn_on", "-id"]
        indexes = [models.Index(fields=["family", "drawn_on"])]

    def __str__(self) -> str:
        return f"{self.family_id} {self.drawn_on}"


class EcomapTie(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    ecomap = models.ForeignKey(Ecomap, on_delete=models.CASCADE, related_name="ties")
    sector = models.CharField(_("sektori"), max_length=20, choices=Sector.choices)
    service = models.CharField(_("palvelu"), max_length=30, choices=Service.choices, blank=True)
    name = models.CharField(_("kuka tai mikä"), max_length=200, blank=True, help_text=_("Esim. ”mummo”, ”3B-luokka”, ”jalkapallo”."))
    relative = models.ForeignKey(
        GenogramPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="ecomap_ties", verbose_name=_("sukupuun henkilö")
    )
    ring = models.PositiveSmallIntegerField(_("läheisyys"), choices=[(1, _("lähellä")), (2, _("keskellä")), (3, _("kaukana"))], default=2)
    strength = models.CharField(_("yhteyden laatu"), max_length=20, choices=Strength.choices, default=Strength.STRONG)
    support = models.CharField(_("tuen suunta"), max_length=20, choices=Support.choices, default=Support.NONE)
    professional = models.CharField(_("nimetty ammattilainen"), max_length=200, blank=True)
    contact = models.CharField(_("yhteystieto"), max_length=200, blank=True)
    note = models.CharField(_("lisätieto"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verkostokartan yhteys")
        verbose_name_plural = _("verkostokartan yhteydet")
        ordering = ["id"]
        indexes = [models.Index(fields=["ecomap"])]

    def __str__(self) -> str:
        return self.name or self.service
