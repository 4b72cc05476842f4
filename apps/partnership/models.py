"""Working with the family's network (seeds 002, 004): the family's consent to share with a partner
professional, and the plan the family, the team and the partners share.

A partner professional (a school's kuraattori, a neuvola nurse) sees what the family has consented
to and nothing more: the shared plan and their own steps in it, and the ecomap when the consent
says so. Every saved version of the plan is kept; the family's agreement names the version it was
given to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin

# The age from which a child's own view of sharing their family's data is recorded with the
# consent: a child of 12 has the right to be heard in their own child-welfare matter (LsL 417/2007
# 20 § 2 mom., hearing as in HL 34 §) and to speak for themselves beside the guardian (LsL 21 §).
# Younger children's views are recorded when the worker has heard them, but not required.
# Source: Ahlberg 2019, Lapin yliopisto (pro gradu) on the 12-year limit in LsL 20–21 §. (M)
CHILD_HEARING_AGE = 12
# An adult (18+) member speaks for themselves: an after-care young person gives their own consent.
ADULT_AGE = 18


class ConsentQuerySet(models.QuerySet):
    def active(self, on=None):
        """In force on `on` (today): started, not yet ended, not withdrawn."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on, valid_until__gte=on, withdrawn_at__isnull=True)


class Consent(models.Model):
    """A family's consent that one partner professional may see its shared plan (and their own
    steps in it; the ecomap if chosen) for a purpose, from one day to another.

    Withdrawal or the last day passing ends the partner's access on their next request: the rule
    (apps/partnership/access.py) reads the consent on every request. Who in the family gave the
    consent, and the views of the children heard, are its parties (`ConsentParty`).
    """

    class Scope(models.TextChoices):
        SHARED_PLAN = "shared_plan", _("yhteinen suunnitelma")
        OWN_STEPS = "own_steps", _("omat askeleet")
        ECOMAP = "ecomap", _("ekokartta")

    ALWAYS = (Scope.SHARED_PLAN, Scope.OWN_STEPS)

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="consents", verbose_name=_("perhe"))
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents", verbose_name=_("yhteistyökumppani")
    )
    ecomap = models.BooleanField(_("saa nähdä myös ekokartan"), default=False)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=300, help_text=_("Mihin yhteistyöhön perhe antaa suostumuksen."))
    valid_from = models.DateField(_("voimassa alkaen"))
    valid_until = models.DateField(_("voimassa asti"), help_text=_("Viimeinen päivä, jona suostumus on voimassa."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kirjaaja"))
    recorded_at = models.DateTimeField(_("kirjattu"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawal_note = models.CharField(_("perumisen syy"), max_length=300, blank=True)
    # A consent carried over from the whole-family grant it replaced (data migration): narrowed to
    # the shared plan; who gave it is in `migrated_reference`, as the grant recorded it.
    migrated_reference = models.CharField(_("alkuperäinen suostumusmerkintä"), max_length=200, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("suostumus")
        verbose_name_plural = _("suostumukset")
        ordering = ["-valid_from", "-id"]
        # Every request of a partner asks "which families' plans may I read today?" (by partner,
        # then the validity window); the family's page of consents lists them by family.
        indexes = [models.Index(fields=["partner", "valid_until"]), models.Index(fields=["family", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="consent_dates_in_order",
                violation_error_message=_("Suostumus ei voi päättyä ennen alkamistaan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.family}"

    @property
    def scopes(self) -> list[str]:
        return [*self.ALWAYS, *([self.Scope.ECOMAP] if self.ecomap else [])]

    def scope_labels(self) -> list[str]:
        return [str(self.Scope(s).label) for s in self.scopes]

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and self.valid_from <= on <= self.valid_until

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def state_on(self, today) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.valid_until < today:
            return "expired"
        if self.valid_from > today:
            return "upcoming"
        return "active"

    @property
    def state_label(self) -> str:
        return str(
            {"withdrawn": _("peruttu"), "expired": _("päättynyt"), "upcoming": _("alkaa myöhemmin"), "active": _("voimassa")}[self.state]
        )


class ConsentParty(models.Model):
    """A family member on a consent: one who gave it, or a child whose own view was heard."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="parties")
    member = models.ForeignKey("clients.FamilyMember", on_delete=models.CASCADE, related_name="+", verbose_name=_("perheenjäsen"))
    gave = models.BooleanField(_("antoi suostumuksen"), default=False)
    view = models.TextField(_("oma näkemys"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("suostumuksen osapuoli")
        verbose_name_plural = _("suostumuksen osapuolet")
        constraints = [models.UniqueConstraint(fields=["consent", "member"], name="consent_party_once")]

    def __str__(self) -> str:
        return f"{self.consent_id}: {self.member_id}"


class SharedPlan(models.Model):
    """The family's plan with its network (yhteinen suunnitelma). Its content lives in versions;
    `version` is the number of the latest, and `review_on` that version's next review (read by the
    deadline lists)."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.OneToOneField("clients.Family", on_delete=models.CASCADE, related_name="shared_plan", verbose_name=_("perhe"))
    version = models.PositiveIntegerField(default=0)
    review_on = models.DateField(_("seuraava tarkistus"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yhteinen suunnitelma")
        verbose_name_plural = _("yhteiset suunnitelmat")
        # Review dates of a county's plans for the deadline lists.
        indexes = [models.Index(fields=["county", "review_on"])]

    def __str__(self) -> str:
        return f"{self.family} v{self.version}"


class PlanVersion(models.Model):
    """One saved version of a shared plan: the family's goals in their own words, who does what
    (the family, the team, each partner), the steps as they stood and the next review."""

    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    goals = models.TextField(_("perheen tavoitteet omin sanoin"), max_length=4000, blank=True)
    family_part = models.TextField(_("mitä perhe tekee"), max_length=4000, blank=True)
    team_part = models.TextField(_("mitä tiimi tekee"), max_length=4000, blank=True)
    # [{"partner_id": 7, "label": "Kaisa Kuraattori, koulukuraattori, Kalevan koulu", "text": "..."}]
    partner_parts = models.JSONField(default=list, blank=True)
    # [{"id": 3, "what": "...", "owner": "...", "owner_kind": "team", "partner_id": null, "due_on": "2026-05-01"}]
    steps = models.JSONField(default=list, blank=True)
    review_on = models.DateField(_("seuraava tarkistus"), null=True, blank=True)
    change_note = models.CharField(_("mitä muuttui"), max_length=300, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    TEXT_FIELDS = ("goals", "family_part", "team_part", "partner_parts", "review_on")

    class Meta:
        verbose_name = _("suunnitelman versio")
        verbose_name_plural = _("suunnitelman versiot")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"

    def text_content(self) -> tuple:
        """What a plan edit changes (the steps change by their own actions)."""
        return tuple(getattr(self, name) for name in self.TEXT_FIELDS)


class StepOwner(models.TextChoices):
    TEAM = "team", _("tiimin jäsen")
    FAMILY = "family", _("perheenjäsen")
    PARTNER = "partner", _("yhteistyökumppani")


class SharedStep(ChoiceDisplayMixin, models.Model):
    """A step of the shared plan: what, who (a team member, a family member or a consented
    partner), by when. A partner marks their own steps done with a short note the worker sees."""

    class Status(models.TextChoices):
        OPEN = "open", _("avoin")
        DONE = "done", _("tehty")
        CANCELLED = "cancelled", _("peruttu")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="steps")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="shared_steps")
    what = models.CharField(_("mitä"), max_length=500)
    owner_kind = models.CharField(_("kuka"), max_length=10, choices=StepOwner.choices)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="shared_steps")
    owner_member = models.ForeignKey("clients.FamilyMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("mihin mennessä"))
    status = models.CharField(_("tila"), max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("tehty"), null=True, blank=True)
    done_note = models.CharField(_("huomio"), max_length=500, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lifted_from = models.ForeignKey(
        "meetings.PlanStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tiimikokouksen askel")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yhteisen suunnitelman askel")
        verbose_name_plural = _("yhteisen suunnitelman askeleet")
        ordering = ["due_on", "id"]
        # A plan's steps in order; a partner's own steps across their families.
        indexes = [models.Index(fields=["plan", "due_on"]), models.Index(fields=["owner_user", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_kind="family") & Q(owner_member__isnull=False) & Q(owner_user__isnull=True))
                | (Q(owner_kind__in=["team", "partner"]) & Q(owner_user__isnull=False) & Q(owner_member__isnull=True)),
                name="shared_step_one_owner",
            ),
            models.UniqueConstraint(fields=["plan", "lifted_from"], condition=Q(lifted_from__isnull=False), name="step_lifted_once"),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def owner_label(self) -> str:
        if self.owner_kind == StepOwner.FAMILY:
            member = self.owner_member
            return f"{member.person.first_names} ({member.get_relation_display()})" if member else ""
        if self.owner_kind == StepOwner.PARTNER and self.owner_user_id:
            return self.owner_user.professional_label
        return str(self.owner_user) if self.owner_user_id else ""

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class PlanAgreement(models.Model):
    """The family's word on one version of the plan: who, when, and what they disagreed with."""

    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField(_("versio"))
    member = models.ForeignKey("clients.FamilyMember", on_delete=models.CASCADE, related_name="+", verbose_name=_("perheenjäsen"))
    agreed = models.BooleanField(_("hyväksyy suunnitelman"), default=True)
    agreed_on = models.DateField(_("päivä"))
    disagreement = models.TextField(_("mistä on eri mieltä"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("perheen hyväksyntä")
        verbose_name_plural = _("perheen hyväksynnät")
        ordering = ["-version", "agreed_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version}: {self.member_id}"


class JointAssessment(models.Model):
    """A joint assessment (Yhdessä-arviointi): the child, each parent and the professionals each
    mark the same life areas 1–5 in their own words; the worker writes the shared conclusion with
    the family. `question_set` is the copy of the set it was made with (apps/partnership/questions.py)."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="joint_assessments", verbose_name=_("perhe"))
    title = models.CharField(_("nimi"), max_length=200)
    question_set = models.JSONField()
    conclusion = models.TextField(_("yhteinen johtopäätös"), max_length=4000, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yhdessä-arviointi")
        verbose_name_plural = _("yhdessä-arvioinnit")
        ordering = ["-created_at", "-id"]
        # A family's assessments; a team's open ones for the meeting agenda.
        indexes = [models.Index(fields=["family", "concluded_at"])]

    def __str__(self) -> str:
        return self.title


class JointAnswer(models.Model):
    """One participant's marks (area key -> 1..5) and own words (area key -> text) in one assessment:
    a family member's (on their phone by a one-time link, or typed in by the worker from paper) or a
    professional's (a team member, or a partner with the family's consent as the worker records it)."""

    class Role(models.TextChoices):
        CHILD = "child", _("lapsi tai nuori")
        PARENT = "parent", _("vanhempi")
        PROFESSIONAL = "professional", _("ammattilainen")

    class Mode(models.TextChoices):
        PHONE = "phone", _("omalla puhelimella")
        WORKER = "worker", _("työntekijä kirjasi")

    assessment = models.ForeignKey(JointAssessment, on_delete=models.CASCADE, related_name="answers")
    role = models.CharField(_("rooli"), max_length=20, choices=Role.choices)
    member = models.ForeignKey("clients.FamilyMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    marks = models.JSONField(default=dict)
    words = models.JSONField(default=dict, blank=True)
    mode = models.CharField(_("tapa"), max_length=10, choices=Mode.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yhdessä-arvioinnin vastaus")
        verbose_name_plural = _("yhdessä-arvioinnin vastaukset")
        ordering = ["assessment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(user__isnull=True)) | (Q(member__isnull=True) & Q(user__isnull=False)),
                name="joint_answer_one_participant",
            ),
            models.UniqueConstraint(fields=["assessment", "member"], condition=Q(member__isnull=False), name="joint_answer_member_once"),
            models.UniqueConstraint(fields=["assessment", "user"], condition=Q(user__isnull=False), name="joint_answer_user_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.role}"


class JointLink(models.Model):
    """A one-time link for one family member to give their marks on their own phone. The token is
    stored only as a hash; the page shows no names."""

    class Audience(models.TextChoices):
        YOUNG_CHILD = "young_child", _("lapsi (kasvokuvat)")
        CHILD = "child", _("nuori")
        ADULT = "adult", _("aikuinen")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(JointAssessment, on_delete=models.CASCADE, related_name="links")
    member = models.ForeignKey("clients.FamilyMember", on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yhdessä-arvioinnin linkki")
        verbose_name_plural = _("yhdessä-arvioinnin linkit")

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.pk}"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


class HandoverSummary(models.Model):
    """When a child's client relationship closes: what the services that stay with the family need
    to know (what helped, what to watch, who to contact, the family's own words, the shared plan's
    open steps). Drafted from the plan and the joint assessment, edited by the worker, shared with a
    partner by the family's consent (each sharing a disclosure)."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="handover_summaries", verbose_name=_("perhe"))
    relationship = models.ForeignKey(
        "clients.ClientRelationship", on_delete=models.CASCADE, related_name="handover_summaries", verbose_name=_("päättynyt asiakkuus")
    )
    what_helped = models.TextField(_("mikä auttoi"), max_length=4000, blank=True)
    what_to_watch = models.TextField(_("mihin kannattaa kiinnittää huomiota"), max_length=4000, blank=True)
    contacts = models.TextField(_("keneen ottaa yhteyttä"), max_length=2000, blank=True)
    family_words = models.TextField(_("perheen omin sanoin"), max_length=4000, blank=True)
    open_steps = models.TextField(_("yhteisen suunnitelman avoimet askeleet"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    TEXT_FIELDS = ("what_helped", "what_to_watch", "contacts", "family_words", "open_steps")

    class Meta:
        verbose_name = _("siirtoyhteenveto")
        verbose_name_plural = _("siirtoyhteenvedot")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.family_id}: {self.relationship_id}"


class HandoverShare(models.Model):
    """A handover summary shared with one partner professional, on the family's consent."""

    summary = models.ForeignKey(HandoverSummary, on_delete=models.CASCADE, related_name="shares")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handover_shares")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("siirtoyhteenvedon jakaminen")
        verbose_name_plural = _("siirtoyhteenvedon jakamiset")
        constraints = [models.UniqueConstraint(fields=["summary", "recipient"], name="handover_shared_once")]
        # A partner's handovers (their home page).
        indexes = [models.Index(fields=["recipient", "shared_at"])]

    def __str__(self) -> str:
        return f"{self.summary_id} → {self.recipient_id}"


class NotifierFeedback(models.Model):
    """What the person who made a child-welfare notification was told, and on what basis.

    No statute obliges telling the notifier anything; THL's intake checklist recommends telling them
    the matter is being handled (../shared/FACTS.md, U). The family's matters are confidential
    (LsL 417/2007 24 §, asiakaslaki 812/2000 14–15 §): without consent the notifier may be told
    only that the notification arrived and is being handled; anything more needs the family's
    consent (asiakaslaki 16 §), recorded here with who gave it. Each feedback is a disclosure in
    the log, with the notifier as recipient and this basis."""

    class Basis(models.TextChoices):
        HANDLED = "handled", _("vain tieto, että ilmoitus on vastaanotettu ja asia on käsittelyssä")
        CONSENT = "consent", _("enemmän tietoa perheen suostumuksella (asiakaslaki 16 §)")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("clients.Family", on_delete=models.CASCADE, related_name="notifier_feedback", verbose_name=_("perhe"))
    notification = models.ForeignKey(
        "casework.Notification", on_delete=models.CASCADE, related_name="feedback", verbose_name=_("lastensuojeluilmoitus")
    )
    told_on = models.DateField(_("kerrottu"))
    how = models.CharField(_("miten kerrottu"), max_length=200)
    message = models.TextField(_("mitä ilmoittajalle kerrottiin"), max_length=2000)
    basis = models.CharField(_("peruste"), max_length=20, choices=Basis.choices)
    # Who in the family consented (FamilyMember ids), when the basis is the family's consent.
    consent_givers = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("palaute ilmoittajalle")
        verbose_name_plural = _("palautteet ilmoittajille")
        ordering = ["-told_on", "-id"]

    def __str__(self) -> str:
        return f"{self.notification_id}: {self.told_on}"


class PeerGroup(models.Model):
    """Participation beyond one family's case: a team's monthly peer group of young people in
    after-care, or experts by experience (former clients) invited to the team's development work.
    The group writes its own plan; members are invited only to contact details they consented to."""

    class Kind(models.TextChoices):
        AFTERCARE = "aftercare", _("jälkihuollon nuorten vertaisryhmä")
        EXPERTS = "experts", _("kokemusasiantuntijat kehittämistyössä")

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.CASCADE, related_name="peer_groups", verbose_name=_("tiimi"))
    name = models.CharField(_("nimi"), max_length=200)
    kind = models.CharField(_("laji"), max_length=20, choices=Kind.choices)
    group_plan = models.TextField(_("ryhmän oma suunnitelma"), max_length=4000, blank=True)
    # The next meeting once the group has agreed it (an invitation names it only then).
    next_meeting_on = models.DateField(_("seuraava tapaaminen"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vertaisryhmä")
        verbose_name_plural = _("vertaisryhmät")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InvitationChannel(models.TextChoices):
    EMAIL = "email", _("sähköpostilla")
    PHONE = "phone", _("puhelimitse")


class PeerGroupMember(models.Model):
    """A young person (or a former client) invited to a group, at the contact details they consented to."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey("clients.FamilyMember", on_delete=models.CASCADE, related_name="+", verbose_name=_("henkilö"))
    contact = models.CharField(_("yhteystieto, johon kutsun saa lähettää"), max_length=200)
    contact_consent_on = models.DateField(_("suostui yhteydenpitoon"))
    invited_on = models.DateField(_("kutsuttu"), null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # How the latest invitation went out: by e-mail (sent by Systeemi), or by phone (no SMS gateway:
    # the worker calls or texts, reading the recorded text); blank for invitations recorded before
    # Systeemi sent any.
    invitation_channel = models.CharField(_("kutsutapa"), max_length=10, choices=InvitationChannel.choices, blank=True)
    invitation_language = models.CharField(_("kutsun kieli"), max_length=5, choices=settings.LANGUAGES, default="fi")
    invitation_sent_at = models.DateTimeField(_("kutsu lähetetty"), null=True, blank=True)
    invitations_sent = models.PositiveSmallIntegerField(_("kutsuja lähetetty"), default=0)
    # What the latest invitation said, exactly (the e-mail sent, or the text for the phone).
    invitation_text = models.TextField(_("kutsun teksti"), blank=True)
    # A phone invitation is the worker's to make: when they marked it made (called or texted).
    invitation_made_at = models.DateTimeField(_("kutsu tehty puhelimitse"), null=True, blank=True)

    class Meta:
        verbose_name = _("vertaisryhmän jäsen")
        verbose_name_plural = _("vertaisryhmän jäsenet")
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="peer_member_once")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.member_id}"


class PeerMeeting(models.Model):
    """One of the group's (monthly) meetings and who came."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("päivä"))
    topic = models.CharField(_("aihe"), max_length=300, blank=True)
    attendees = models.ManyToManyField(PeerGroupMember, related_name="attended", blank=True, verbose_name=_("paikalla"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("vertaisryhmän tapaaminen")
        verbose_name_plural = _("vertaisryhmän tapaamiset")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.held_on}"


class PeerContribution(models.Model):
    """An expert by experience's contribution to the team's development work, in their own words.
    Who contributed is one or more members or the whole group; a contributor is named wherever the
    contribution is shown only if they agreed to be quoted with their name."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="contributions")
    made_on = models.DateField(_("päivä"))
    purpose = models.CharField(_("mihin kehittämistyöhön"), max_length=200)
    text = models.TextField(_("kokemusasiantuntijan omin sanoin"), max_length=4000)
    by_group = models.BooleanField(_("koko ryhmä"), default=False)
    contributors = models.ManyToManyField(PeerGroupMember, through="PeerContributor", related_name="contributions", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kokemusasiantuntijan panos")
        verbose_name_plural = _("kokemusasiantuntijoiden panokset")
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.made_on} {self.purpose}"

    def named_contributors(self) -> list[str]:
        """The names of the contributors who agreed to be quoted with them (credits prefetched)."""
        people = [c.member.member.person for c in self.credits.all() if c.named]
        return [f"{p.first_names} {p.last_name}" for p in people]

    def anonymous_contributors(self) -> int:
        """How many contributors are shown only as experts by experience."""
        return sum(1 for c in self.credits.all() if not c.named)


class PeerContributor(models.Model):
    """One member behind a contribution, and whether they agreed to be quoted with their name."""

    contribution = models.ForeignKey(PeerContribution, on_delete=models.CASCADE, related_name="credits")
    member = models.ForeignKey(PeerGroupMember, on_delete=models.CASCADE, related_name="+")
    named = models.BooleanField(_("saa mainita nimellä"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contribution", "member"], name="peer_contributor_once")]

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.member_id}"
