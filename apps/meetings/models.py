"""The weekly systemic team meeting: agenda, the case record of each discussion, hypotheses and
small concrete plan steps (seeds 000, 001, 003: "uudenlainen tiimipalaveri", kirjaamispohja).

Records carry a `version` for optimistic locking: two people saving the same record never
silently overwrite each other (services.record_save raises a conflict instead).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin

# A record field holds a discussion's notes: some pages at most. Longer text is refused with a
# message (services.validate_record, for the form and the API alike), never cut short.
RECORD_MAX_LENGTH = 20_000


def minutes_of(seconds: int) -> int:
    """Whole minutes for a discussion that ran `seconds`: to the nearest minute, halves up (90 s is
    2 min, 70 s is 1 min), and at least 1, so a discussion that took place never reads 0 min."""
    return max(1, (int(seconds) + 30) // 60)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("suunniteltu")
        APPROVED = "approved", _("hyväksytty")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("tiimi"))
    starts_at = models.DateTimeField(_("alkaa"))
    room = models.CharField(_("kokoustila"), max_length=200, blank=True)
    status = models.CharField(_("tila"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # Who was there is shared state (several people may tick it at once): the attendance form
    # carries the version it was read at (apps/core/merge.py).
    attendance_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tiimikokous")
        verbose_name_plural = _("tiimikokoukset")
        ordering = ["-starts_at"]
        # A team's meetings by time: the meeting list, the next meeting, the fidelity report.
        indexes = [models.Index(fields=["team", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.team} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("puheenjohtaja")
        THERAPIST = "therapist", _("perheterapeutti")
        COORDINATOR = "coordinator", _("koordinaattori")
        WORKER = "worker", _("työntekijä")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rooli"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attend_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class ProposalReason(models.TextChoices):
    NEW_RELATIONSHIP = "new_relationship", _("uusi asiakkuus")
    NOT_DISCUSSED = "not_discussed", _("ei käsitelty sovitun ajan sisällä")
    DEADLINE = "deadline", _("määräaika lähellä tai ylittynyt")
    STEPS_OVERDUE = "steps_overdue", _("suunnitelman askel myöhässä")
    RATINGS = "ratings", _("perheen arvioissa huomautettavaa")
    JOINT_ASSESSMENT = "joint_assessment", _("yhdessä-arvioinnissa näkemykset eroavat")
    WORKER_REQUEST = "worker_request", _("työntekijän pyyntö")


class AgendaItem(models.Model):
    """One family's discussion in one meeting, and its record (kirjaamispohja)."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    planned_minutes = models.PositiveSmallIntegerField(_("aikaa (min)"), default=20)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("esittelijä")
    )
    question = models.TextField(_("kysymys tiimille"), max_length=1000, blank=True, help_text=_("Mihin tarvitsen tiimin apua?"))
    reasons = models.JSONField(default=list, blank=True)
    family_invited = models.BooleanField(_("perhe kutsuttu"), default=False)
    family_attended = models.BooleanField(_("perhe paikalla"), default=False)
    partner_attended = models.BooleanField(_("yhteistyökumppani paikalla"), default=False)
    # The discussion clock: the first start and the last stop, the seconds it ran (the sum of its
    # start-stop intervals: a pause while another family is discussed does not count), and since
    # when it runs now (None when stopped).
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    discussed_seconds = models.PositiveIntegerField(default=0)
    running_since = models.DateTimeField(null=True, blank=True)
    # The record
    what_we_know = models.TextField(_("mitä tiedämme"), max_length=RECORD_MAX_LENGTH, blank=True)
    child_view = models.TextField(_("lapsen oma näkemys"), max_length=RECORD_MAX_LENGTH, blank=True)
    family_view = models.TextField(_("perheen näkemys"), max_length=RECORD_MAX_LENGTH, blank=True)
    reflections = models.TextField(_("reflektiot"), max_length=RECORD_MAX_LENGTH, blank=True)
    internal_notes = models.TextField(
        _("tiimin sisäiset muistiinpanot"), max_length=RECORD_MAX_LENGTH, blank=True, help_text=_("Ei näy perheen versiossa.")
    )
    family_summary = models.TextField(_("yhteenveto perheelle selkokielellä"), max_length=RECORD_MAX_LENGTH, blank=True)
    summary_shared_at = models.DateTimeField(_("jaettu perheelle"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    RECORD_FIELDS = ("what_we_know", "child_view", "family_view", "reflections", "internal_notes", "family_summary")

    class Meta:
        verbose_name = _("asialistan kohta")
        verbose_name_plural = _("asialistan kohdat")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "family"], name="family_once_per_meeting")]
        # A family's discussions (timeline, "last discussed" on the team page as a correlated subquery).
        indexes = [models.Index(fields=["family", "meeting"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.position} {self.family_id}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(ProposalReason(r).label) for r in self.reasons if r in ProposalReason.values]

    @property
    def is_running(self) -> bool:
        return self.running_since is not None

    @property
    def discussed_minutes(self) -> int | None:
        """Minutes the discussion ran (pauses excluded), as `minutes_of` rounds them; None before
        its clock first stopped."""
        return minutes_of(self.discussed_seconds) if self.discussed_seconds > 0 else None


class Hypothesis(ChoiceDisplayMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("voimassa")
        REVISED = "revised", _("muotoiltu uudelleen")
        DROPPED = "dropped", _("hylätty")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="hypotheses")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="hypotheses")
    text = models.TextField(_("hypoteesi"), max_length=2000)
    perspective = models.CharField(_("kenen näkökulmasta"), max_length=100, help_text=_("esim. lapsi, äiti, isä, koulu, työntekijä"))
    status = models.CharField(_("tila"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    revises = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions")
    # The relationship of the family's genogram the hypothesis is about (apps/network), if any.
    relationship = models.ForeignKey(
        "network.Relationship", on_delete=models.SET_NULL, null=True, blank=True, related_name="hypotheses", verbose_name=_("suhde")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hypoteesi")
        verbose_name_plural = _("hypoteesit")
        ordering = ["created_at", "id"]
        # A family's open hypotheses for the record and the family page.
        indexes = [models.Index(fields=["family", "status"])]

    def __str__(self) -> str:
        return self.text[:60]


class PlanStep(ChoiceDisplayMixin, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("avoin")
        DONE = "done", _("tehty")
        CANCELLED = "cancelled", _("peruttu")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="plan_steps")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="steps")
    what = models.CharField(_("mitä"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_steps", verbose_name=_("kuka"))
    due_on = models.DateField(_("mihin mennessä"))
    status = models.CharField(_("tila"), max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("suunnitelman askel")
        verbose_name_plural = _("suunnitelman askeleet")
        ordering = ["due_on", "id"]
        # "My steps" (an owner's open steps by due date) and a family's open steps (team page count).
        indexes = [models.Index(fields=["owner", "status", "due_on"]), models.Index(fields=["family", "status"])]

    def __str__(self) -> str:
        return self.what

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
