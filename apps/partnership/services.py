"""Writes for consents and the shared plan. Each takes the `Access` its page or endpoint opened,
requires the permission of its write and logs the change in its own transaction."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.clients.models import ADULT_RELATIONS, FamilyMember, Relation
from apps.core.dates import EARLIEST_RECORD_DATE, check_record_date, short
from apps.meetings.models import AgendaItem, PlanStep
from apps.organisations.models import Membership

from . import invitations, questions
from .access import ROLE_PARTNER
from .models import (
    ADULT_AGE,
    CHILD_HEARING_AGE,
    Consent,
    ConsentParty,
    HandoverShare,
    HandoverSummary,
    InvitationChannel,
    JointAnswer,
    JointAssessment,
    JointLink,
    NotifierFeedback,
    PeerContribution,
    PeerContributor,
    PeerGroup,
    PeerGroupMember,
    PeerMeeting,
    PlanAgreement,
    PlanVersion,
    SharedPlan,
    SharedStep,
    StepOwner,
)

# How far ahead a consent may run and a step or review be dated: a year and a day, like the
# meeting's steps (a 2062 "until" is a typo, not a plan).
HORIZON = datetime.timedelta(days=366)
CONSENT_HORIZON = datetime.timedelta(days=3 * 366)


class PlanConflict(Exception):
    """Someone saved the plan's text after this editor loaded it: nothing is overwritten."""

    def __init__(self, current: PlanVersion | None):
        super().__init__("shared plan changed since it was loaded")
        self.current = current


def age_on(birth: datetime.date | None, day: datetime.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_adult_member(member: FamilyMember, day: datetime.date) -> bool:
    age = age_on(member.person.birth_date, day)
    return age >= ADULT_AGE if age is not None else member.relation in ADULT_RELATIONS


def children_to_hear(members, day: datetime.date) -> list[FamilyMember]:
    """The family's children whose own view a consent records: aged 12 to 17 on `day`."""
    return [
        m
        for m in members
        if m.relation == Relation.CHILD and (age := age_on(m.person.birth_date, day)) is not None and CHILD_HEARING_AGE <= age < ADULT_AGE
    ]


def plan_of(family, *, lock: bool = False) -> SharedPlan:
    """The family's shared plan, created empty (version 0) when it has none yet."""
    plans = SharedPlan.objects.select_for_update() if lock else SharedPlan.objects
    plan = plans.filter(family=family).first()
    if plan is None:
        plan, _created = SharedPlan.objects.get_or_create(family=family, defaults={"county_id": family.county_id})
        if lock:
            plan = SharedPlan.objects.select_for_update().get(pk=plan.pk)
    return plan


# ---- consents ----------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    access: Access,
    partner,
    purpose: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    givers,
    child_views: dict[int, str] | None = None,
    ecomap: bool = False,
    today: datetime.date | None = None,
) -> Consent:
    """Record the family's consent to share its plan with `partner`. `givers`: the family members
    who gave it; `child_views`: member id -> the child's own view, required for each child aged 12
    to 17 (models.CHILD_HEARING_AGE)."""
    access.require(Perm.CONSENT_MANAGE)
    family = access.family
    today = today or timezone.localdate()
    child_views = {int(k): (v or "").strip() for k, v in (child_views or {}).items()}
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    if partner is None or not getattr(partner, "is_partner", False) or partner.county_id != family.county_id or not partner.is_active:
        error("partner", _("Valitse yhteistyökumppani, jolla on Systeemin kumppanitunnus tällä hyvinvointialueella."))
    if not (purpose or "").strip():
        error("purpose", _("Kirjaa, mihin yhteistyöhön suostumus annetaan."))
    if valid_from < EARLIEST_RECORD_DATE:
        error(
            "valid_from",
            _("Päivämäärä on ennen lastensuojelulain voimaantuloa (%(date)s). Tarkista vuosi.") % {"date": short(EARLIEST_RECORD_DATE)},
        )
    if valid_until < today:
        error(
            "valid_until",
            _("Suostumus ei voi päättyä menneisyydessä (%(date)s). Valitse päivä tästä eteenpäin.") % {"date": short(valid_until)},
        )
    elif valid_until < valid_from:
        error("valid_until", _("Suostumus ei voi päättyä ennen alkamistaan."))
    elif valid_until > today + CONSENT_HORIZON:
        error("valid_until", _("Suostumus voi olla voimassa enintään kolme vuotta kerrallaan. Tarkista päivämäärä."))
    members = {m.pk: m for m in FamilyMember.objects.filter(family=family).select_related("person")}
    givers = list(givers or [])
    if not givers:
        error("givers", _("Kirjaa, kuka perheestä antoi suostumuksen."))
    elif any(g.pk not in members for g in givers):
        error("givers", _("Suostumuksen antajan on oltava tämän perheen jäsen."))
    elif not any(is_adult_member(members[g.pk], valid_from) for g in givers):
        error("givers", _("Alaikäisen lapsen lisäksi suostumuksen antajaksi tarvitaan huoltaja tai muu täysi-ikäinen perheenjäsen."))
    unheard = [m for m in children_to_hear(members.values(), valid_from) if not child_views.get(m.pk)]
    if unheard:
        names = ", ".join(m.person.first_names for m in unheard)
        error(
            "child_views",
            _("Kirjaa 12 vuotta täyttäneen lapsen oma näkemys (lastensuojelulaki 20 § ja 21 §): %(names)s.") % {"names": names},
        )
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        county_id=family.county_id,
        family=family,
        partner=partner,
        ecomap=ecomap,
        purpose=purpose.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=access.user,
    )
    consent.full_clean()
    consent.save()
    giver_ids = {g.pk for g in givers}
    parties = [
        ConsentParty(consent=consent, member=members[pk], gave=pk in giver_ids, view=child_views.get(pk, ""))
        for pk in sorted(giver_ids | {pk for pk, view in child_views.items() if view and pk in members})
    ]
    ConsentParty.objects.bulk_create(parties)
    plan_of(family)  # the partner's door: a plan to open, empty until the team writes it
    access.changed([Subject(family.pk, members[p.member_id].person_id) for p in parties], action=Action.CREATE)
    return consent


@transaction.atomic
def consent_withdraw(*, access: Access, consent: Consent, note: str = "") -> Consent:
    """The family withdrew its consent: the partner's access ends on their next request."""
    access.require(Perm.CONSENT_MANAGE)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("Suostumus on jo peruttu."))
    consent.withdrawn_at, consent.withdrawn_by, consent.withdrawal_note = timezone.now(), access.user, note.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    access.changed([Subject(consent.family_id)])
    return consent


# ---- the plan ----------------------------------------------------------------------------------


def _consented_partners(family, today=None) -> dict[int, object]:
    consents = Consent.objects.active(today).filter(family=family).select_related("partner")
    return {c.partner_id: c.partner for c in consents}


def _steps_snapshot(plan: SharedPlan) -> list[dict]:
    steps = SharedStep.objects.filter(plan=plan).exclude(status=SharedStep.Status.CANCELLED)
    return [
        {
            "id": s.pk,
            "what": s.what,
            "owner": s.owner_label,
            "owner_kind": s.owner_kind,
            "partner_id": s.owner_user_id if s.owner_kind == StepOwner.PARTNER else None,
            "due_on": s.due_on.isoformat(),
        }
        for s in steps.select_related("owner_user", "owner_member__person").order_by("due_on", "id")
    ]


def _new_version(access: Access, plan: SharedPlan, *, content: dict, change_note: str) -> PlanVersion:
    """Save the plan's next version (the plan row is locked by the caller) and log the change."""
    number = plan.version + 1
    version = PlanVersion(plan=plan, number=number, steps=_steps_snapshot(plan), change_note=change_note, saved_by=access.user, **content)
    version.full_clean(exclude=["plan"])
    version.save()
    plan.version, plan.review_on, plan.updated_at = number, version.review_on, timezone.now()
    plan.save(update_fields=["version", "review_on", "updated_at"])
    access.changed([Subject(plan.family_id)], action=Action.EDIT if number > 1 else Action.CREATE)
    return version


def _content_of(version: PlanVersion | None) -> dict:
    if version is None:
        return {"goals": "", "family_part": "", "team_part": "", "partner_parts": [], "review_on": None}
    return {name: getattr(version, name) for name in PlanVersion.TEXT_FIELDS}


def latest_version(plan: SharedPlan) -> PlanVersion | None:
    if not plan.pk or not plan.version:
        return None
    return PlanVersion.objects.filter(plan=plan, number=plan.version).select_related("saved_by").first()


@transaction.atomic
def plan_save(
    *,
    access: Access,
    base_version: int,
    goals: str = "",
    family_part: str = "",
    team_part: str = "",
    partner_parts: dict[int, str] | None = None,
    review_on: datetime.date | None = None,
    change_note: str = "",
) -> PlanVersion:
    """Save the plan's text as a new version. `base_version` is the version the editor loaded: if
    someone has changed the text since, nothing is saved and PlanConflict carries the current
    version (steps added in between are no conflict: they are not the text)."""
    access.require(Perm.SHARED_PLAN_EDIT)
    plan = plan_of(access.family, lock=True)
    current = latest_version(plan)
    if base_version != plan.version:
        base = PlanVersion.objects.filter(plan=plan, number=base_version).first() if 0 < base_version < plan.version else None
        if not 0 <= base_version < plan.version or (base_version and base is None) or _content_of(base) != _content_of(current):
            raise PlanConflict(current)
    today = timezone.localdate()
    if review_on is not None and review_on != (current.review_on if current else None):
        if review_on < today:
            raise ValidationError({"review_on": _("Tarkistuspäivä ei voi olla menneisyydessä.")})
        if review_on > today + HORIZON:
            raise ValidationError({"review_on": _("Tarkistus voi olla enintään vuoden päässä. Tarkista päivämäärä.")})
    partners = _consented_partners(access.family, today)
    previous = {p["partner_id"]: p for p in (current.partner_parts if current else [])}
    parts = []
    for partner_id, text in sorted((partner_parts or {}).items()):
        text = (text or "").strip()
        if not text:
            continue
        if partner_id in partners:
            parts.append({"partner_id": partner_id, "label": partners[partner_id].professional_label, "text": text})
        elif partner_id in previous and previous[partner_id]["text"] == text:
            parts.append(previous[partner_id])  # a partner whose consent has ended keeps their past part as written
        else:
            raise ValidationError({"partner_parts": _("Yhteistyökumppanilla ei ole perheen voimassa olevaa suostumusta.")})
    content = {"goals": goals.strip(), "family_part": family_part.strip(), "team_part": team_part.strip(), "partner_parts": parts}
    return _new_version(access, plan, content={**content, "review_on": review_on}, change_note=change_note.strip())


def _check_owner(access: Access, owner_kind: str, owner_user, owner_member):
    family = access.family
    if owner_kind == StepOwner.TEAM:
        if owner_user is None or not Membership.objects.active().filter(team_id=family.team_id, user=owner_user).exists():
            raise ValidationError({"owner": _("Askeleen omistajan on oltava tiimin jäsen.")})
    elif owner_kind == StepOwner.FAMILY:
        if owner_member is None or owner_member.family_id != family.pk:
            raise ValidationError({"owner": _("Askeleen omistajan on oltava tämän perheen jäsen.")})
    elif owner_kind == StepOwner.PARTNER:
        if owner_user is None or not Consent.objects.active().filter(family=family, partner=owner_user).exists():
            raise ValidationError(
                {"owner": _("Askelta ei voi antaa yhteistyökumppanille, jolla ei ole perheen voimassa olevaa suostumusta.")}
            )
    else:
        raise ValidationError({"owner": _("Valitse, kuka askeleen tekee.")})


@transaction.atomic
def step_add(*, access: Access, what: str, owner_kind: str, due_on: datetime.date, owner_user=None, owner_member=None) -> SharedStep:
    access.require(Perm.SHARED_PLAN_EDIT)
    _check_owner(access, owner_kind, owner_user, owner_member)
    if abs(due_on - timezone.localdate()) > HORIZON:
        raise ValidationError({"due_on": _("Päivämäärä voi olla enintään vuoden päässä tästä päivästä. Tarkista vuosi.")})
    plan = plan_of(access.family, lock=True)
    step = SharedStep(
        county_id=plan.county_id,
        plan=plan,
        family=access.family,
        what=what.strip(),
        owner_kind=owner_kind,
        owner_user=owner_user if owner_kind != StepOwner.FAMILY else None,
        owner_member=owner_member if owner_kind == StepOwner.FAMILY else None,
        due_on=due_on,
        created_by=access.user,
    )
    step.full_clean()
    step.save()
    _new_version(access, plan, content=_content_of(latest_version(plan)), change_note=_("Askel lisätty: %(what)s") % {"what": step.what})
    return step


def liftable_steps(family, plan: SharedPlan) -> list[tuple[AgendaItem, list[PlanStep]]]:
    """The family's team-meeting steps still open and not yet in the shared plan, by meeting."""
    lifted = SharedStep.objects.filter(plan=plan, lifted_from__isnull=False).values("lifted_from") if plan.pk else []
    steps = (
        PlanStep.objects.filter(family=family, status=PlanStep.Status.OPEN)
        .exclude(pk__in=lifted)
        .select_related("item__meeting", "owner")
        .order_by("-item__meeting__starts_at", "due_on", "id")
    )
    by_item: dict[int, tuple[AgendaItem, list[PlanStep]]] = {}
    for step in steps:
        by_item.setdefault(step.item_id, (step.item, []))[1].append(step)
    return list(by_item.values())


@transaction.atomic
def steps_lift(*, access: Access, item: AgendaItem) -> list[SharedStep]:
    """Lift a team meeting's open plan steps for this family into the shared plan, in one action."""
    access.require(Perm.SHARED_PLAN_EDIT)
    if item.family_id != access.family.pk:
        raise ValidationError(_("Tiimikokouksen kohta ei koske tätä perhettä."))
    plan = plan_of(access.family, lock=True)
    found = next((steps for it, steps in liftable_steps(access.family, plan) if it.pk == item.pk), [])
    if not found:
        raise ValidationError(_("Tämän tiimikokouksen askeleet ovat jo suunnitelmassa."))
    created = SharedStep.objects.bulk_create(
        [
            SharedStep(
                county_id=plan.county_id,
                plan=plan,
                family=access.family,
                what=s.what,
                owner_kind=StepOwner.TEAM,
                owner_user=s.owner,
                due_on=s.due_on,
                lifted_from=s,
                created_by=access.user,
            )
            for s in found
        ]
    )
    note = _("Tiimikokouksen %(day)s askeleet nostettu suunnitelmaan (%(n)s).") % {
        "day": short(timezone.localtime(item.meeting.starts_at).date()),
        "n": len(created),
    }
    _new_version(access, plan, content=_content_of(latest_version(plan)), change_note=note)
    return created


@transaction.atomic
def step_set_status(*, access: Access, step: SharedStep, status: str, note: str = "") -> SharedStep:
    """The team sets any step's status; a partner marks their own step done (or open again), with a
    short note the worker sees."""
    if status not in SharedStep.Status.values:
        raise ValidationError({"status": _("Tuntematon tila.")})
    if access.role == ROLE_PARTNER:
        access.require(Perm.PARTNER_STEP_DONE)
        if step.owner_kind != StepOwner.PARTNER or step.owner_user_id != access.user.pk or status == SharedStep.Status.CANCELLED:
            raise PermissionDenied
    else:
        access.require(Perm.SHARED_PLAN_EDIT)
    step = SharedStep.objects.select_for_update().get(pk=step.pk)
    step.status = status
    done = status == SharedStep.Status.DONE
    step.done_on = timezone.localdate() if done else None
    step.done_by = access.user if done else None
    step.done_note = note.strip() if done else ""
    step.full_clean()
    step.save(update_fields=["status", "done_on", "done_by", "done_note"])
    access.changed([Subject(step.family_id)])
    return step


@transaction.atomic
def agreement_record(
    *, access: Access, member: FamilyMember, agreed: bool, agreed_on: datetime.date, disagreement: str = ""
) -> PlanAgreement:
    """A family member's word on the current version: agreed (perhaps with reservations) or not."""
    access.require(Perm.SHARED_PLAN_EDIT)
    plan = plan_of(access.family, lock=True)
    if not plan.version:
        raise ValidationError(_("Tallenna suunnitelma ennen kuin kirjaat perheen hyväksynnän."))
    if member.family_id != access.family.pk:
        raise ValidationError({"member": _("Valitse tämän perheen jäsen.")})
    check_record_date(agreed_on, "agreed_on")
    disagreement = (disagreement or "").strip()
    if not agreed and not disagreement:
        raise ValidationError({"disagreement": _("Kirjaa, mistä perheenjäsen on eri mieltä.")})
    agreement = PlanAgreement(
        plan=plan,
        version=plan.version,
        member=member,
        agreed=agreed,
        agreed_on=agreed_on,
        disagreement=disagreement,
        recorded_by=access.user,
    )
    agreement.full_clean()
    agreement.save()
    access.changed([Subject(plan.family_id, member.person_id)], action=Action.CREATE)
    return agreement


# ---- the joint assessment (Yhdessä) -------------------------------------------------------------

# Faces for children up to 12, as the children's rating forms do (CORS 6–12, YCORS 5 and under:
# ../shared/FACTS.md, ORS/SRS); plain words and numbers from 13.
FACES_UNTIL_AGE = 12
WORDS_MAX = 1000


class LinkUnusable(Exception):
    """The link cannot take an answer any more; the message says why, for the family member."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def joint_create(*, access: Access, title: str) -> JointAssessment:
    access.require(Perm.FAMILY_EDIT)
    title = (title or "").strip() or _("Yhdessä-arviointi %(day)s") % {"day": short(timezone.localdate())}
    assessment = JointAssessment(
        county_id=access.family.county_id,
        family=access.family,
        title=title,
        question_set=questions.shipped().model_dump(mode="json", by_alias=True),
        created_by=access.user,
    )
    assessment.full_clean()
    assessment.save()
    access.changed([Subject(access.family.pk)], action=Action.CREATE)
    return assessment


def clean_marks(qset, marks: dict, words: dict) -> tuple[dict, dict]:
    """Marks 1..5 for the set's areas (an area may be left out: "I can't say"), words up to 1,000
    characters; at least one area marked. Messages for the person answering."""
    clean, errors = {}, []
    for area in qset.areas:
        raw = marks.get(area.key)
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw))
        except ValueError:
            value = None
        if value not in qset.scale.values:
            errors.append(
                _("%(area)s: valitse yksi vaihtoehdoista %(low)s–%(high)s.")
                % {"area": area.label, "low": qset.scale.min, "high": qset.scale.max}
            )
            continue
        clean[area.key] = value
    said = {}
    for area in qset.areas:
        text = (words.get(area.key) or "").strip()
        if len(text) > WORDS_MAX:
            errors.append(
                _("%(area)s: kirjoitit %(n)s merkkiä, enintään %(max)s mahtuu. Lyhennä vähän.")
                % {"area": area.label, "n": len(text), "max": WORDS_MAX}
            )
        elif text:
            said[area.key] = text
    if not clean and not errors:
        errors.append(_("Valitse ainakin yhdestä kohdasta, miten menee."))
    if errors:
        raise ValidationError(errors)
    return clean, said


def _role_of(member: FamilyMember) -> str:
    return JointAnswer.Role.CHILD if member.relation == Relation.CHILD else JointAnswer.Role.PARENT


def _open(assessment: JointAssessment) -> None:
    if assessment.concluded_at is not None:
        raise ValidationError(_("Arviointi on jo koottu yhteen: uusia vastauksia ei voi lisätä."))


@transaction.atomic
def joint_answer_record(
    *, access: Access, assessment: JointAssessment, marks: dict, words: dict, member: FamilyMember | None = None, user=None
) -> JointAnswer:
    """A participant's marks typed in by the worker (a family member's paper form, the worker's own
    view, or a consented partner's as they gave it). A participant's new answer replaces their earlier one."""
    access.require(Perm.FAMILY_EDIT)
    _open(assessment)
    if (member is None) == (user is None):
        raise ValidationError({"participant": _("Valitse, kenen näkemys tämä on.")})
    if member is not None and member.family_id != access.family.pk:
        raise ValidationError({"participant": _("Valitse tämän perheen jäsen.")})
    if user is not None and user.pk != access.user.pk:
        team = Membership.objects.active().filter(team_id=access.family.team_id, user=user).exists()
        if not team and not Consent.objects.active().filter(family=access.family, partner=user).exists():
            raise ValidationError({"participant": _("Ammattilaisen on oltava tiimin jäsen tai kumppani, jolla on perheen suostumus.")})
    clean, said = clean_marks(questions.from_snapshot(assessment.question_set), marks, words)
    key = {"member": member} if member is not None else {"user": user}
    answer, _created = JointAnswer.objects.update_or_create(
        assessment=assessment,
        **key,
        defaults={
            "role": _role_of(member) if member is not None else JointAnswer.Role.PROFESSIONAL,
            "marks": clean,
            "words": said,
            "mode": JointAnswer.Mode.WORKER,
            "entered_by": access.user,
            "created_at": timezone.now(),
        },
    )
    access.changed([Subject(access.family.pk, member.person_id) if member else Subject(access.family.pk)], action=Action.CREATE)
    return answer


def audience_for(member: FamilyMember, day: datetime.date) -> str:
    age = age_on(member.person.birth_date, day)
    if member.relation == Relation.CHILD and age is not None and age < ADULT_AGE:
        return JointLink.Audience.YOUNG_CHILD if age <= FACES_UNTIL_AGE else JointLink.Audience.CHILD
    return JointLink.Audience.ADULT


def joint_link_issue(*, access: Access, assessment: JointAssessment, member_id: int) -> tuple[JointLink, str]:
    """A one-time link for one family member; returns the link and its token (shown once, stored hashed)."""
    access.require(Perm.FAMILY_EDIT)
    _open(assessment)
    member = FamilyMember.objects.filter(family=access.family, pk=member_id).select_related("person").first()
    if member is None:
        raise ValidationError({"member": _("Valitse tämän perheen jäsen.")})
    token = secrets.token_urlsafe(18)
    now = timezone.now()
    with transaction.atomic():
        link = JointLink.objects.create(
            county_id=access.family.county_id,
            assessment=assessment,
            member=member,
            audience=audience_for(member, timezone.localdate()),
            token_hash=token_hash(token),
            created_by=access.user,
            created_at=now,
            # The same lifetime as a rating link: the family member answers the same day or the next.
            expires_at=now + datetime.timedelta(hours=settings.SYSTEEMI_RATING_LINK_HOURS),
        )
        access.changed([Subject(access.family.pk, member.person_id)], action=Action.CREATE)
    return link, token


def _used_message() -> str:
    return _("Tällä linkillä on jo vastattu. Kiitos! Jos haluat muuttaa vastauksiasi, pyydä työntekijältä uusi linkki.")


def joint_open_link(token: str) -> JointLink:
    """The link behind a token, or LinkUnusable; reveals nothing about whose link it is."""
    link = JointLink.objects.select_related("assessment").filter(token_hash=token_hash(token)).first() if token else None
    if link is None:
        raise LinkUnusable(_("Linkkiä ei löydy. Tarkista osoite tai pyydä työntekijältä uusi linkki."))
    if link.used_at is not None:
        raise LinkUnusable(_used_message())
    if link.expired:
        raise LinkUnusable(_("Linkki on vanhentunut. Pyydä työntekijältä uusi linkki."))
    if link.assessment.concluded_at is not None:
        raise LinkUnusable(_("Tämä arviointi on jo koottu yhteen. Kiitos!"))
    return link


def joint_submit_by_link(token: str, marks: dict, words: dict) -> JointAnswer:
    """Store a family member's answer sent through their link, once."""
    with transaction.atomic():
        link = joint_open_link(token)
        link = JointLink.objects.select_for_update().select_related("assessment", "member").get(pk=link.pk)
        if link.used_at is not None:
            raise LinkUnusable(_used_message())
        clean, said = clean_marks(questions.from_snapshot(link.assessment.question_set), marks, words)
        answer, _created = JointAnswer.objects.update_or_create(
            assessment=link.assessment,
            member=link.member,
            defaults={
                "role": _role_of(link.member),
                "marks": clean,
                "words": said,
                "mode": JointAnswer.Mode.PHONE,
                "entered_by": None,
                "created_at": timezone.now(),
            },
        )
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return answer


@transaction.atomic
def joint_conclude(*, access: Access, assessment: JointAssessment, conclusion: str) -> JointAssessment:
    """The shared conclusion the worker writes with the family; the assessment takes no more answers."""
    access.require(Perm.FAMILY_EDIT)
    _open(assessment)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("Kirjaa yhteinen johtopäätös.")})
    if not assessment.answers.exists():
        raise ValidationError({"conclusion": _("Arvioinnissa ei ole vielä yhtään vastausta.")})
    assessment.conclusion, assessment.concluded_by, assessment.concluded_at = conclusion, access.user, timezone.now()
    assessment.full_clean()
    assessment.save(update_fields=["conclusion", "concluded_by", "concluded_at"])
    access.changed([Subject(access.family.pk)])
    return assessment


# ---- handover at closure ------------------------------------------------------------------------


def _lines(items) -> str:
    return "\n".join(f"- {item}" for item in items if item)


def handover_draft_text(family, relationship) -> dict:
    """What the worker starts from: the shared plan's done and open steps, the family's goals and
    disagreements in their own words, the latest joint assessment's conclusion and its worries, and
    who to contact (the responsible worker, the partners with the family's consent)."""
    plan = SharedPlan.objects.filter(family=family).first()
    steps = list(SharedStep.objects.filter(plan=plan).select_related("owner_user", "owner_member__person")) if plan else []
    version = latest_version(plan) if plan else None
    agreements = (
        PlanAgreement.objects.filter(plan=plan, version=plan.version).exclude(disagreement="").select_related("member__person")
        if plan
        else []
    )
    joint = JointAssessment.objects.filter(family=family).order_by("-created_at", "-id").first()
    worries = []
    if joint is not None:
        qset = questions.from_snapshot(joint.question_set)
        low: dict[str, list[int]] = {}
        for marks in joint.answers.values_list("marks", flat=True):
            for key, value in marks.items():
                if value <= 2:
                    low.setdefault(key, []).append(value)
        worries = [
            _("%(area)s: huolta (%(n)s arviota 1–2)") % {"area": qset.area(key).label, "n": len(v)}
            for key, v in low.items()
            if qset.area(key)
        ]
    partners = Consent.objects.active().filter(family=family).select_related("partner")
    worker = relationship.responsible_worker
    return {
        "what_helped": _lines(
            [*(_("%(what)s (%(who)s)") % {"what": s.what, "who": s.owner_label} for s in steps if s.status == SharedStep.Status.DONE)]
            + ([joint.conclusion] if joint and joint.conclusion else [])
        ),
        "what_to_watch": _lines(worries),
        "contacts": _lines(
            (
                [
                    _("Vastuusosiaalityöntekijä %(name)s (asiakkuus päättynyt %(day)s)")
                    % {"name": worker, "day": short(relationship.closed_on)}
                ]
                if worker
                else []
            )
            + [c.partner.professional_label for c in partners]
        ),
        "family_words": "\n".join([version.goals] if version and version.goals else [])
        + "".join("\n" + _("%(name)s: %(words)s") % {"name": a.member.person.first_names, "words": a.disagreement} for a in agreements),
        "open_steps": _lines(
            _("%(what)s – %(who)s, %(day)s") % {"what": s.what, "who": s.owner_label, "day": short(s.due_on)}
            for s in steps
            if s.status == SharedStep.Status.OPEN
        ),
    }


@transaction.atomic
def handover_draft(*, access: Access, relationship) -> HandoverSummary:
    """Draft the handover summary of a closed client relationship of this family."""
    access.require(Perm.FAMILY_EDIT)
    if relationship.family_id != access.family.pk:
        raise ValidationError({"relationship": _("Valitse tämän perheen asiakkuus.")})
    if relationship.closed_on is None:
        raise ValidationError({"relationship": _("Siirtoyhteenveto laaditaan, kun asiakkuus on päättynyt.")})
    summary = HandoverSummary(
        county_id=access.family.county_id,
        family=access.family,
        relationship=relationship,
        created_by=access.user,
        updated_by=access.user,
        **handover_draft_text(access.family, relationship),
    )
    summary.full_clean()
    summary.save()
    access.changed([Subject(access.family.pk, relationship.child_id)], action=Action.CREATE)
    return summary


@transaction.atomic
def handover_update(*, access: Access, summary: HandoverSummary, **fields) -> HandoverSummary:
    access.require(Perm.FAMILY_EDIT)
    for name in HandoverSummary.TEXT_FIELDS:
        if name in fields:
            setattr(summary, name, (fields[name] or "").strip())
    summary.updated_by, summary.updated_at = access.user, timezone.now()
    summary.full_clean()
    summary.save()
    access.changed([Subject(access.family.pk, summary.relationship.child_id)])
    return summary


@transaction.atomic
def handover_share(*, access: Access, summary: HandoverSummary, recipient) -> HandoverShare:
    """Share the summary with a partner whose consent from the family is in force: a disclosure out
    of the team, with the recipient and the consent as its legal basis."""
    access.require(Perm.CONSENT_MANAGE)
    consent = (
        Consent.objects.active().filter(family=access.family, partner=recipient).order_by("valid_from", "id").first() if recipient else None
    )
    if consent is None:
        raise ValidationError({"recipient": _("Yhteenvedon voi jakaa vain kumppanille, jolla on perheen voimassa oleva suostumus.")})
    if HandoverShare.objects.filter(summary=summary, recipient=recipient).exists():
        raise ValidationError({"recipient": _("Yhteenveto on jo jaettu tälle kumppanille.")})
    share = HandoverShare.objects.create(summary=summary, recipient=recipient, consent=consent, shared_by=access.user)
    basis = _("Perheen suostumus %(start)s–%(end)s: %(purpose)s") % {
        "start": short(consent.valid_from),
        "end": short(consent.valid_until),
        "purpose": consent.purpose,
    }
    access.disclosed(
        [Subject(access.family.pk, m.person_id) for m in access.members] or [Subject(access.family.pk)],
        recipient=recipient.professional_label,
        legal_basis=basis,
    )
    return share


# ---- feedback to the notifier --------------------------------------------------------------------


def notifier_label(notification) -> str:
    """The notifier as the disclosure log names them: name, contact, and what kind of notifier."""
    parts = [notification.notifier_name, notification.notifier_contact, notification.get_notifier_type_display()]
    return ", ".join(p for p in parts if p)


@transaction.atomic
def notifier_feedback_record(
    *, access: Access, notification, told_on: datetime.date, how: str, message: str, basis: str, givers=()
) -> NotifierFeedback:
    """Record what the notifier was told and on what basis: a disclosure out of the team, logged with
    the notifier as recipient. Without the family's consent only that the matter is being handled
    (models.NotifierFeedback); with it, who in the family consented. The notification's own record of
    the notifier being told (apps/casework) is filled in when the decision has been made."""
    from apps.casework import services as casework_services
    from apps.casework.models import NotifierType

    access.require(Perm.PHASE_EDIT)
    if notification.family_id != access.family.pk:
        raise ValidationError({"notification": _("Valitse tämän perheen ilmoitus.")})
    if notification.anonymous or notification.notifier_type == NotifierType.FAMILY:
        raise ValidationError({"notification": _("Nimettömälle ilmoittajalle tai perheelle itselleen ei anneta ilmoittajan palautetta.")})
    check_record_date(told_on, "told_on")
    if told_on < notification.received_on:
        raise ValidationError({"told_on": _("Ilmoittajalle ei voi kertoa ennen kuin ilmoitus on saapunut.")})
    message, how = (message or "").strip(), (how or "").strip()
    errors = {}
    if not message:
        errors["message"] = [_("Kirjaa, mitä ilmoittajalle kerrottiin.")]
    if not how:
        errors["how"] = [_("Kirjaa, miten ilmoittajalle kerrottiin (esim. puhelimitse).")]
    givers = list(givers or [])
    if basis == NotifierFeedback.Basis.CONSENT:
        if not givers:
            errors["givers"] = [_("Kirjaa, kuka perheestä antoi suostumuksen kertoa ilmoittajalle enemmän.")]
        elif any(g.family_id != access.family.pk for g in givers):
            errors["givers"] = [_("Suostumuksen antajan on oltava tämän perheen jäsen.")]
        elif not any(is_adult_member(g, told_on) for g in givers):
            errors["givers"] = [
                _("Alaikäisen lapsen lisäksi suostumuksen antajaksi tarvitaan huoltaja tai muu täysi-ikäinen perheenjäsen.")
            ]
    elif basis == NotifierFeedback.Basis.HANDLED:
        givers = []
    else:
        errors["basis"] = [_("Valitse, millä perusteella ilmoittajalle kerrottiin.")]
    if errors:
        raise ValidationError(errors)
    feedback = NotifierFeedback.objects.create(
        county_id=access.family.county_id,
        family=access.family,
        notification=notification,
        told_on=told_on,
        how=how,
        message=message,
        basis=basis,
        consent_givers=sorted(g.pk for g in givers),
        recorded_by=access.user,
    )
    if notification.decided_on and not notification.notifier_informed_on and told_on >= notification.decided_on:
        casework_services.notification_inform_notifier(access=access, notification=notification, informed_on=told_on, how=how)
    subject = [Subject(access.family.pk, notification.child_id)]
    access.changed(subject, action=Action.CREATE)
    basis_text = str(NotifierFeedback.Basis(basis).label)
    if givers:
        basis_text += ": " + ", ".join(g.person.first_names for g in givers)
    access.disclosed(subject, recipient=notifier_label(notification), legal_basis=basis_text)
    return feedback


# ---- peer groups and experts by experience --------------------------------------------------------

# Who may be invited: young people of after-care age (LsL 75 §: to 23, ../shared/FACTS.md) from 15,
# when such groups usually start; experts by experience are adults.
PEER_AGES = {PeerGroup.Kind.AFTERCARE: (15, 23), PeerGroup.Kind.EXPERTS: (ADULT_AGE, 200)}


@transaction.atomic
def peer_group_create(*, access: Access, name: str, kind: str) -> PeerGroup:
    access.require(Perm.FAMILY_EDIT)
    if kind not in PeerGroup.Kind.values:
        raise ValidationError({"kind": _("Valitse ryhmän laji.")})
    group = PeerGroup(county_id=access.team.county_id, team=access.team, name=(name or "").strip(), kind=kind, created_by=access.user)
    group.full_clean()
    group.save()
    return group


def peer_candidates(group: PeerGroup, day: datetime.date | None = None) -> list[FamilyMember]:
    """Members of the team's families of the age the group is for, not yet in it."""
    day = day or timezone.localdate()
    low, high = PEER_AGES[group.kind]
    taken = group.members.values("member_id")
    members = (
        FamilyMember.objects.filter(family__team_id=group.team_id, person__birth_date__isnull=False)
        .exclude(pk__in=taken)
        .select_related("person", "family")
        .order_by("person__last_name", "person__first_names", "id")
    )
    return [m for m in members if low <= (age_on(m.person.birth_date, day) or 0) <= high]


@transaction.atomic
def peer_invite(
    *, access: Access, group: PeerGroup, member: FamilyMember, contact: str, consent_on: datetime.date, language: str = "fi"
) -> PeerGroupMember:
    """Invite a person to the group at the contact details they consented to be contacted at: an
    e-mail address gets the invitation by e-mail now, a phone number gets it recorded as a call or
    message for the worker to make, with its text."""
    access.require(Perm.FAMILY_EDIT)
    errors = {}
    if member is None or member.pk not in {m.pk for m in peer_candidates(group)}:
        errors["member"] = _("Valitse tiimin perheistä henkilö, joka on ryhmän ikäinen eikä ole jo ryhmässä.")
    try:
        invitations.contact_channel(contact)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Valitse kutsun kieli.")
    try:
        check_record_date(consent_on, "consent_on")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    row = PeerGroupMember.objects.create(
        group=group,
        member=member,
        contact=invitations.tidy_contact(contact),
        contact_consent_on=consent_on,
        invited_on=timezone.localdate(),
        invited_by=access.user,
        invitation_language=language,
    )
    access.changed([Subject(member.family_id, member.person_id)], action=Action.CREATE)
    _send_invitation(access, row)
    return row


@transaction.atomic
def peer_invite_resend(*, access: Access, member: PeerGroupMember) -> PeerGroupMember:
    """The same invitation again, to the same consented contact in the same language, with the
    group's details as they are now (a new next meeting): one action."""
    access.require(Perm.FAMILY_EDIT)
    member = PeerGroupMember.objects.select_for_update().select_related("member", "group__team").get(pk=member.pk)
    access.changed([Subject(member.member.family_id, member.member.person_id)], action=Action.EDIT)
    _send_invitation(access, member)
    return member


@transaction.atomic
def peer_invite_made(*, access: Access, member: PeerGroupMember) -> PeerGroupMember:
    """The worker called or texted the invitation that Systeemi could not send (a phone number)."""
    access.require(Perm.FAMILY_EDIT)
    member = PeerGroupMember.objects.select_for_update().select_related("member").get(pk=member.pk)
    if member.invitation_channel != InvitationChannel.PHONE:
        raise ValidationError(_("Vain puhelimitse tehtävän kutsun voi merkitä tehdyksi; sähköpostikutsun Systeemi lähetti itse."))
    if member.invitation_made_at is not None:
        raise ValidationError(_("Kutsu on jo merkitty tehdyksi."))
    member.invitation_made_at = timezone.now()
    member.save(update_fields=["invitation_made_at"])
    access.changed([Subject(member.member.family_id, member.member.person_id)], action=Action.EDIT)
    return member


def _send_invitation(access: Access, row: PeerGroupMember) -> None:
    """Compose the invitation, send it if the contact is an e-mail address, and record how, when
    and what. Last in the transaction: a mail server's refusal undoes the invitation's record."""
    channel = invitations.contact_channel(row.contact)
    now = timezone.now()
    invitation = invitations.compose(
        group=row.group, channel=channel, language=row.invitation_language, sender=access.user, today=timezone.localdate(now)
    )
    row.invitation_channel = channel
    row.invitation_sent_at = now
    row.invitations_sent += 1
    row.invitation_text = invitation.text
    row.invitation_made_at = None  # a new phone invitation is still to be made
    row.save(update_fields=["invitation_channel", "invitation_sent_at", "invitations_sent", "invitation_text", "invitation_made_at"])
    if channel == InvitationChannel.EMAIL:
        invitations.send_email(to=row.contact, invitation=invitation, language=row.invitation_language, reply_to=access.user.email)


@transaction.atomic
def peer_meeting_record(*, access: Access, group: PeerGroup, held_on: datetime.date, topic: str, attendees) -> PeerMeeting:
    access.require(Perm.FAMILY_EDIT)
    check_record_date(held_on, "held_on")
    attendees = list(attendees or [])
    if any(a.group_id != group.pk for a in attendees):
        raise ValidationError({"attendees": _("Paikalla voi olla vain ryhmän jäseniä.")})
    meeting = PeerMeeting.objects.create(group=group, held_on=held_on, topic=(topic or "").strip(), recorded_by=access.user)
    meeting.attendees.set(attendees)
    if attendees:  # who came is personal data; a meeting nobody came to names no one
        access.changed([Subject(a.member.family_id, a.member.person_id) for a in attendees], action=Action.CREATE)
    return meeting


@transaction.atomic
def peer_plan_save(*, access: Access, group: PeerGroup, text: str, next_meeting_on: datetime.date | None = None) -> PeerGroup:
    """The group's own plan, in the group's words (what we want to do together, by when), and the
    next meeting once the group has agreed it. The plan is the group's record: a change to it is
    logged for each member."""
    access.require(Perm.FAMILY_EDIT)
    if next_meeting_on is not None and not (timezone.localdate() <= next_meeting_on <= timezone.localdate() + HORIZON):
        raise ValidationError({"next_meeting_on": _("Seuraavan tapaamisen päivä on tänään tai myöhemmin, enintään vuoden päässä.")})
    group.group_plan = (text or "").strip()
    group.next_meeting_on = next_meeting_on
    group.full_clean()
    group.save(update_fields=["group_plan", "next_meeting_on"])
    members = group.members.select_related("member")
    access.changed([Subject(m.member.family_id, m.member.person_id) for m in members], action=Action.EDIT)
    return group


@transaction.atomic
def peer_contribution_record(
    *,
    access: Access,
    group: PeerGroup,
    made_on: datetime.date,
    purpose: str,
    text: str,
    contributors=(),
    named=(),
    by_group: bool = False,
) -> PeerContribution:
    """An expert by experience's contribution to the team's development work: when, what it was
    for, in their own words, and who gave it (members of the group, or the group as a whole). A
    contributor is quoted with their name only if they agreed (`named`, a subset of `contributors`)."""
    access.require(Perm.FAMILY_EDIT)
    if group.kind != PeerGroup.Kind.EXPERTS:
        raise ValidationError(_("Panoksia kirjataan vain kokemusasiantuntijoiden ryhmälle."))
    errors = {}
    try:
        check_record_date(made_on, "made_on")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    purpose, text = (purpose or "").strip(), (text or "").strip()
    if not purpose:
        errors["purpose"] = _("Kirjaa, mihin kehittämistyöhön panos annettiin.")
    if not text:
        errors["text"] = _("Kirjaa panos kokemusasiantuntijan omin sanoin.")
    contributors, named = list(contributors or []), list(named or [])
    if any(m.group_id != group.pk for m in contributors + named):
        errors["contributors"] = _("Panoksen antajat ovat ryhmän jäseniä.")
    elif by_group and contributors:
        errors["contributors"] = _("Valitse joko ryhmän jäsenet tai koko ryhmä, ei molempia.")
    elif not by_group and not contributors:
        errors["contributors"] = _("Valitse, kuka panoksen antoi: yksi tai useampi jäsen tai koko ryhmä.")
    elif {m.pk for m in named} - {m.pk for m in contributors}:
        errors["named"] = _("Nimellä voi mainita vain panoksen antajan, joka on siihen suostunut.")
    if errors:
        raise ValidationError(errors)
    contribution = PeerContribution(group=group, made_on=made_on, purpose=purpose, text=text, by_group=by_group, recorded_by=access.user)
    contribution.full_clean()
    contribution.save()
    named_ids = {m.pk for m in named}
    PeerContributor.objects.bulk_create(
        [PeerContributor(contribution=contribution, member=m, named=m.pk in named_ids) for m in contributors]
    )
    if contributors:  # who contributed is personal data; the group's own contribution names no one
        members = PeerGroupMember.objects.filter(pk__in=[m.pk for m in contributors]).select_related("member")
        access.changed([Subject(m.member.family_id, m.member.person_id) for m in members], action=Action.CREATE)
    return contribution


def next_peer_meeting(meetings) -> datetime.date | None:
    """Groups meet monthly: a month after the last meeting (None before the first)."""
    if not meetings:
        return None
    last = max(m.held_on for m in meetings)
    month = last.month % 12 + 1
    year = last.year + (last.month == 12)
    day = min(last.day, 28)
    return datetime.date(year, month, day)
