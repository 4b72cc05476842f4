"""Writes for meetings: agenda, timing, the record (optimistic locking), hypotheses, steps, approval."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject

from .models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from .selectors import meeting_roster

MIN_MINUTES, MAX_MINUTES = 5, 120
STEP_HORIZON = datetime.timedelta(days=366)
MEETING_HORIZON = datetime.timedelta(days=366)  # how far back or ahead a team meeting can be put


class RecordConflict(Exception):
    """Someone else saved the record after this editor loaded it."""

    def __init__(self, current: AgendaItem):
        super().__init__("record changed since it was loaded")
        self.current = current


def _family_subject(item) -> list[Subject]:
    return [Subject(item.family_id)]


def _require_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.APPROVED:
        raise ValidationError(_("Kokouksen kirjaus on hyväksytty eikä sitä voi enää muuttaa."))


@transaction.atomic
def meeting_create(*, access: Access, starts_at: datetime.datetime, room: str = "") -> Meeting:
    """`access`: the team's (apps.access.gate.open_team); its coordinator or consultant prepares meetings."""
    access.require(Perm.MEETING_PREPARE)
    team = access.team
    meeting = Meeting(county_id=team.county_id, team=team, starts_at=starts_at, room=room, created_by=access.user)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def agenda_add(*, access: Access, family, reasons=(), presenter=None, question: str = "", planned_minutes: int = 20) -> AgendaItem:
    """`access`: the meeting's (apps.meetings.access.open_meeting)."""
    access.require(Perm.MEETING_PREPARE)
    meeting = access.resource
    _require_open(meeting)
    if family.team_id != meeting.team_id:
        raise ValidationError(_("Perhe ei kuulu tämän tiimin perheisiin."))
    if AgendaItem.objects.filter(meeting=meeting, family=family).exists():
        raise ValidationError(_("Perhe on jo asialistalla."))
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"]
    item = AgendaItem(
        county_id=meeting.county_id,
        meeting=meeting,
        family=family,
        position=(last or 0) + 1,
        reasons=list(reasons),
        presenter=presenter,
        question=question,
        planned_minutes=planned_minutes,
    )
    item.full_clean()
    item.save()
    access.changed([Subject(family.pk)], action=Action.CREATE)
    return item


@transaction.atomic
def agenda_move(*, access: Access, item: AgendaItem, up: bool) -> None:
    access.require(Perm.MEETING_PREPARE)
    meeting = access.resource
    _require_open(meeting)
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position", "id"))
    i = next(n for n, it in enumerate(items) if it.pk == item.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for position, it in enumerate(items, start=1):
        if it.position != position:
            AgendaItem.objects.filter(pk=it.pk).update(position=position)


@transaction.atomic
def agenda_remove(*, access: Access, item: AgendaItem) -> None:
    access.require(Perm.MEETING_PREPARE)
    _require_open(access.resource)
    if item.started_at or any(getattr(item, f) for f in AgendaItem.RECORD_FIELDS) or item.steps.exists() or item.hypotheses.exists():
        raise ValidationError(_("Käsiteltyä kohtaa ei voi poistaa asialistalta."))
    item.delete()


@transaction.atomic
def agenda_item_update(*, access: Access, item: AgendaItem, **fields) -> AgendaItem:
    """`access`: the item's family (apps.meetings.access.open_item)."""
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    AgendaItem.objects.filter(pk=item.pk).update(**fields, version=F("version") + 1)
    item.refresh_from_db()
    return item


@transaction.atomic
def agenda_schedule(*, access: Access, minutes: dict[int, int]) -> None:
    """Set the planned minutes of agenda items (item id -> minutes); the clock times follow the order."""
    access.require(Perm.MEETING_PREPARE)
    meeting = access.resource
    _require_open(meeting)
    for value in minutes.values():
        if not MIN_MINUTES <= value <= MAX_MINUTES:
            raise ValidationError(_("Käsittelyajan on oltava %(min)s–%(max)s minuuttia.") % {"min": MIN_MINUTES, "max": MAX_MINUTES})
    for item in AgendaItem.objects.filter(meeting=meeting, pk__in=list(minutes)):
        if item.planned_minutes != minutes[item.pk]:
            AgendaItem.objects.filter(pk=item.pk).update(planned_minutes=minutes[item.pk])


@transaction.atomic
def attendance_record(*, access: Access, present: dict[int, str], family_attended=(), partner_attended=()) -> None:
    """Who was there: team members by their role in this meeting (user id -> Attendance.Role), and per
    agenda item whether the family and a partner took part. Replaces what was recorded before."""
    access.require(Perm.MEETING_PREPARE)
    meeting = access.resource
    _require_open(meeting)
    allowed = {row.user.pk for row in meeting_roster(meeting)}
    if set(present) - allowed:
        raise ValidationError(_("Läsnäolijoiksi voi merkitä vain tiimin jäseniä."))
    if set(present.values()) - set(Attendance.Role.values):
        raise ValidationError(_("Tuntematon rooli."))
    if list(present.values()).count(Attendance.Role.CHAIR) > 1:
        raise ValidationError(_("Kokouksella voi olla vain yksi puheenjohtaja."))
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, user_id=u, role=r) for u, r in present.items()])
    family_attended, partner_attended = set(family_attended), set(partner_attended)
    changed = []
    for item in AgendaItem.objects.filter(meeting=meeting).only("pk", "family_id", "family_attended", "partner_attended"):
        flags = {"family_attended": item.pk in family_attended, "partner_attended": item.pk in partner_attended}
        if flags != {"family_attended": item.family_attended, "partner_attended": item.partner_attended}:
            AgendaItem.objects.filter(pk=item.pk).update(**flags)
            changed.append(Subject(item.family_id))
    # Whether a family took part in its discussion is part of the family's record: log the change.
    access.changed(changed)


@transaction.atomic
def item_timer(*, access: Access, item: AgendaItem, start: bool) -> AgendaItem:
    """Start or stop the clock of a discussion: how long each case was discussed, no typing."""
    access.require(Perm.MEETING_RECORD)
    meeting = item.meeting
    _require_open(meeting)
    now = timezone.now()
    if start:
        AgendaItem.objects.filter(meeting=meeting, started_at__isnull=False, ended_at__isnull=True).exclude(pk=item.pk).update(ended_at=now)
        AgendaItem.objects.filter(pk=item.pk).update(started_at=item.started_at or now, ended_at=None)
    else:
        AgendaItem.objects.filter(pk=item.pk, started_at__isnull=False).update(ended_at=now)
    item.refresh_from_db()
    return item


@transaction.atomic
def record_save(*, access: Access, item: AgendaItem, version: int, **fields) -> AgendaItem:
    """Save the record only if nobody saved it since `version` was loaded; else RecordConflict."""
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    unknown = set(fields) - set(AgendaItem.RECORD_FIELDS)
    if unknown:
        raise ValueError(f"not record fields: {unknown}")
    if "family_summary" in fields:
        # "Shared with the family" vouches for the text the family got: a changed summary is no
        # longer that text (its PDF would differ), so it waits to be shared again.
        fields["summary_shared_at"] = Case(When(family_summary=fields["family_summary"], then=F("summary_shared_at")), default=None)
    updated = AgendaItem.objects.filter(pk=item.pk, version=version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now(), updated_by=access.user
    )
    current = AgendaItem.objects.get(pk=item.pk)
    if not updated:
        raise RecordConflict(current)
    access.changed(_family_subject(item))
    return current


@transaction.atomic
def hypothesis_add(
    *, access: Access, item: AgendaItem, text: str, perspective: str, revises: Hypothesis | None = None, relationship=None
) -> Hypothesis:
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    if relationship is not None and relationship.family_id != item.family_id:
        raise ValidationError(_("Suhde kuuluu toisen perheen sukupuuhun."))
    if revises is not None:
        if revises.family_id != item.family_id:
            raise ValidationError(_("Hypoteesi kuuluu toiselle perheelle."))
        Hypothesis.objects.filter(pk=revises.pk).update(status=Hypothesis.Status.REVISED)
    h = Hypothesis(
        county_id=item.county_id,
        family_id=item.family_id,
        item=item,
        text=text,
        perspective=perspective,
        revises=revises,
        relationship=relationship,
    )
    h.full_clean()
    h.save()
    access.changed(_family_subject(item), action=Action.CREATE)
    return h


@transaction.atomic
def hypothesis_set_status(*, access: Access, hypothesis: Hypothesis, status: str) -> Hypothesis:
    access.require(Perm.MEETING_RECORD)
    hypothesis.status = status
    hypothesis.full_clean()
    hypothesis.save(update_fields=["status"])
    access.changed([Subject(hypothesis.family_id)])
    return hypothesis


@transaction.atomic
def step_add(*, access: Access, item: AgendaItem, what: str, owner, due_on: datetime.date) -> PlanStep:
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    if due_on < item.meeting.starts_at.date():
        raise ValidationError({"due_on": _("Määräpäivä ei voi olla ennen kokousta.")})
    if due_on > item.meeting.starts_at.date() + STEP_HORIZON:
        # A plan step is small and concrete; a step due in 2099 (a typo) reached the family's PDF.
        raise ValidationError({"due_on": _("Pieni askel on tehtävissä vuoden sisällä kokouksesta. Tarkista päivämäärä.")})
    step = PlanStep(county_id=item.county_id, family_id=item.family_id, item=item, what=what, owner=owner, due_on=due_on)
    step.full_clean()
    step.save()
    access.changed(_family_subject(item), action=Action.CREATE)
    return step


@transaction.atomic
def step_set_status(*, access: Access, step: PlanStep, status: str) -> PlanStep:
    access.require(Perm.MEETING_RECORD)
    step.status = status
    step.done_on = timezone.localdate() if status == PlanStep.Status.DONE else None
    step.full_clean()
    step.save(update_fields=["status", "done_on"])
    access.changed([Subject(step.family_id)])
    return step


@transaction.atomic
def meeting_approve(*, access: Access) -> Meeting:
    """Approval freezes the record for good: only for a meeting that has begun and whose attendance
    is recorded (a chair once froze next week's empty meeting with one click)."""
    access.require(Perm.MEETING_APPROVE)
    meeting, actor = access.resource, access.user
    _require_open(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Kokousta ei voi hyväksyä ennen kuin se on alkanut (%(when)s).")
            % {"when": formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")}
        )
    if not Attendance.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("Kirjaa ensin, ketkä olivat paikalla. Hyväksytty kirjaus ei enää muutu."))
    open_timers = AgendaItem.objects.filter(meeting=meeting, started_at__isnull=False, ended_at__isnull=True)
    open_timers.update(ended_at=timezone.now())
    meeting.status, meeting.approved_by, meeting.approved_at = Meeting.Status.APPROVED, actor, timezone.now()
    meeting.save(update_fields=["status", "approved_by", "approved_at"])
    return meeting


@transaction.atomic
def summary_share(*, access: Access, item: AgendaItem) -> AgendaItem:
    access.require(Perm.MEETING_RECORD)
    if not item.family_summary.strip():
        raise ValidationError(_("Kirjoita ensin yhteenveto perheelle."))
    if item.meeting.starts_at > timezone.now():
        raise ValidationError(_("Yhteenvedon voi jakaa perheelle, kun kokous on alkanut."))
    AgendaItem.objects.filter(pk=item.pk).update(summary_shared_at=timezone.now())
    access.changed(_family_subject(item))
    item.refresh_from_db()
    return item
