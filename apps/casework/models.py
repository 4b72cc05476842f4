"""Child-welfare notifications, their decisions and the assessments they start.

Deadlines are not stored: they are computed from these dates by `rules.py`, so a change in the
law or in the holiday calendar shows up everywhere at once.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin


class NotificationKind(models.TextChoices):
    NOTIFICATION = "notification", _("lastensuojeluilmoitus")
    ASSESSMENT_REQUEST = "assessment_request", _("pyyntö palvelutarpeen arvioimiseksi")
    PRE_BIRTH = "pre_birth", _("ennakollinen lastensuojeluilmoitus")


class NotifierType(models.TextChoices):
    SCHOOL = "school", _("koulu tai oppilaitos")
    EARLY_EDUCATION = "early_education", _("varhaiskasvatus")
    HEALTH_CARE = "health_care", _("terveydenhuolto")
    MATERNITY_CLINIC = "maternity_clinic", _("neuvola")
    POLICE = "police", _("poliisi")
    EMERGENCY_SOCIAL = "emergency_social", _("sosiaalipäivystys")
    SOCIAL_SERVICES = "social_services", _("muu sosiaalihuolto")
    PRIVATE_PERSON = "private_person", _("yksityishenkilö")
    RELATIVE = "relative", _("sukulainen tai läheinen")
    FAMILY = "family", _("lapsi tai perhe itse")
    OTHER = "other", _("muu")


class Decision(models.TextChoices):
    START_INVESTIGATION = "start_investigation", _("lastensuojelutarpeen selvitys aloitetaan")
    NO_INVESTIGATION = "no_investigation", _("ei toimenpiteitä: selvitystä ei aloiteta")
    ALREADY_CLIENT = "already_client", _("lapsi on jo asiakas: huomioidaan asiakastyössä")


class Notification(ChoiceDisplayMixin, models.Model):
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("perhe"))
    child = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("lapsi"))
    relationship = models.ForeignKey(
        "clients.ClientRelationship", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("laji"), max_length=30, choices=NotificationKind.choices, default=NotificationKind.NOTIFICATION)
    received_on = models.DateField(_("saapunut"))
    notifier_type = models.CharField(_("ilmoittaja"), max_length=30, choices=NotifierType.choices)
    notifier_name = models.CharField(_("ilmoittajan nimi"), max_length=200, blank=True)
    notifier_contact = models.CharField(_("ilmoittajan yhteystieto"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("nimetön ilmoitus"), default=False)
    summary = models.TextField(_("huolen kuvaus"), max_length=4000)
    decision = models.CharField(_("päätös"), max_length=30, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("päätetty"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notifier_informed_on = models.DateField(_("ilmoittajalle kerrottu"), null=True, blank=True)
    notifier_informed_how = models.CharField(_("miten kerrottu"), max_length=200, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ilmoitus")
        verbose_name_plural = _("ilmoitukset")
        ordering = ["-received_on", "-id"]
        # A child's notifications in date order (family page); open ones (decided_on null) per family
        # for the deadline lists and counts.
        indexes = [
            models.Index(fields=["child", "received_on"]),
            models.Index(fields=["family", "decided_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("received_on")),
                name="notification_decided_after_received",
                violation_error_message=_("Päätös ei voi olla ennen ilmoituksen saapumista."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    @property
    def owes_notifier_reply(self) -> bool:
        """THL's intake checklist recommends telling the notifier whether an investigation started (U)."""
        return bool(self.decided_on and not self.notifier_informed_on and not self.anonymous and self.notifier_type != NotifierType.FAMILY)


class Assessment(ChoiceDisplayMixin, models.Model):
    """A service-needs assessment / child-welfare investigation (LsL 27 §, SHL 36 §)."""

    class Outcome(models.TextChoices):
        CHILD_PROTECTION = "child_protection", _("lastensuojelun asiakkuus jatkuu")
        FAMILY_SOCIAL_WORK = "family_social_work", _("sosiaalihuoltolain mukainen perhesosiaalityö")
        NO_NEED = "no_need", _("ei tuen tarvetta")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="assessments")
    child = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("lapsi"))
    notification = models.OneToOneField(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessment")
    matter_arrived_on = models.DateField(_("asia vireille"))
    started_on = models.DateField(_("aloitettu"))
    completed_on = models.DateField(_("valmistunut"), null=True, blank=True)
    outcome = models.CharField(_("tulos"), max_length=30, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("arviointi")
        verbose_name_plural = _("arvioinnit")
        ordering = ["-started_on", "-id"]
        # Open assessments (completed_on null) per family: the deadline lists.
        indexes = [models.Index(fields=["family", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.child} {self.started_on}"


class ClientPlan(ChoiceDisplayMixin, models.Model):
    """A client plan drawn up or reviewed (LsL 30 §); the latest one sets the next review."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("laadittu")
        REVIEW = "review", _("tarkistettu")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    relationship = models.ForeignKey("clients.ClientRelationship", on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("laji"), max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    made_on = models.DateField(_("päivämäärä"))
    meetings_per_year = models.PositiveSmallIntegerField(
        _("vastuutyöntekijän henkilökohtaiset tapaamiset lapsen kanssa vuodessa"),
        default=0,
        # At most weekly: a larger figure is a typo (400 a year made the meeting overdue the day the
        # plan was saved, since the interval is 365 // n days).
        validators=[MaxValueValidator(52, _("Kirjaa enintään 52 tapaamista vuodessa (kerran viikossa)."))],
        help_text=_(
            "Sijoitetun lapsen suunnitelmaan kirjataan, kuinka usein lapsen asioista vastaava sosiaalityöntekijä tapaa lasta (LsL 30 §)."
        ),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("asiakassuunnitelma")
        verbose_name_plural = _("asiakassuunnitelmat")
        ordering = ["-made_on", "-id"]
        # The latest plan of each relationship: a correlated subquery ordered by made_on.
        indexes = [models.Index(fields=["relationship", "made_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.made_on}"


class PersonalMeeting(models.Model):
    """The responsible worker met the (placed) child in person."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    relationship = models.ForeignKey("clients.ClientRelationship", on_delete=models.CASCADE, related_name="personal_meetings")
    met_on = models.DateField(_("tavattu"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("työntekijä"))
    note = models.CharField(_("lisätieto"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("henkilökohtainen tapaaminen")
        verbose_name_plural = _("henkilökohtaiset tapaamiset")
        ordering = ["-met_on", "-id"]
        # The last personal meeting of each placed child (Max per relationship).
        indexes = [models.Index(fields=["relationship", "met_on"])]

    def __str__(self) -> str:
        return f"{self.met_on}"


class InterfaceCriterion(models.TextChoices):
    """What the interface assessment (rajapintatyökalu, seed 002) weighs between LsL and SHL work."""

    SAFETY_ENSURED = "safety_ensured", _("lapsen turvallisuus on varmistettu")
    EVERYDAY_PARENTING = "everyday_parenting", _("huoli koskee vanhemmuuden tukemista arjessa")
    FAMILY_COMMITTED = "family_committed", _("perhe on sitoutunut vapaaehtoiseen tukeen")
    NO_CP_MEASURES = "no_cp_measures", _("lastensuojelun tukitoimia ei tarvita")
    LONG_TERM_NEED = "long_term_need", _("tuen tarve on pitkäkestoinen tai toistuva")
    ENDANGERED = "endangered", _("kasvuolosuhteet vaarantavat lapsen terveyttä tai kehitystä (LsL 34 §)")
    CHILD_VIEW = "child_view", _("lapsen oma näkemys on kuultu")


class InterfaceAssessment(models.Model):
    """The joint decision to move a family between child protection and family social work."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="interface_assessments")
    from_team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("vastaanottava tiimi"))
    criteria = models.JSONField(_("arvioidut kriteerit"), default=list)
    reasoning = models.TextField(_("perustelut"), max_length=4000)
    joint_meeting_on = models.DateField(_("yhteinen tapaaminen perheen kanssa"))
    family_agreed = models.BooleanField(_("perhe on samaa mieltä"), default=False)
    family_view = models.TextField(_("perheen näkemys"), max_length=2000, blank=True)
    handover_until = models.DateField(_("luovuttavan tiimin lukuoikeus asti"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rajapinta-arvio")
        verbose_name_plural = _("rajapinta-arviot")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.family_id}: {self.from_team_id} → {self.to_team_id}"

    def criteria_labels(self) -> list[str]:
        return [str(InterfaceCriterion(c).label) for c in self.criteria if c in InterfaceCriterion.values]
