"""Writes for meetings: agenda, timing, the record (optimistic locking), hypotheses, steps, approval."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Max, Value, When
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.access.gate import Access
from apps.access.permissions import Perm
from apps.audit.models import Action
from apps.audit.services import Subject
from apps.core import merge

from .models import RECORD_MAX_LENGTH, AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from .selectors import attendance_of

MIN_MINUTES, MAX_MINUTES = 5, 120
STEP_HORIZON = datetime.timedelta(days=366)
MEETING_HORIZON = datetime.timedelta(days=366)  # how far back or ahead a team meeting can be put


class RecordConflict(Exception):
    """Someone else saved the record after this editor loaded it."""

    def __init__(self, current: AgendaItem):
        super().__init__("record changed since it was loaded")
        self.current = current


def _summary_follows(fields: dict) -> dict:
    if "family_summary" in fields:
        # "Shared with the family" vouches for the text the family got: a changed summary is no
        # longer that text (its PDF would differ), so it waits to be shared again.
        return {
            **fields,
            "summary_shared_at": Case(When(family_summary=fields["family_summary"], then=F("summary_shared_at")), default=None),
        }
    return fields


@dataclass
class ItemSaved:
    """What a merged save of an agenda item did: the item as stored now, and per field whether the
    form's value was saved, someone else's stays (`taken`) or both differ (`conflicts`: theirs)."""

    item: AgendaItem
    merged: merge.Merged
    before: AgendaItem  # as stored when the save began: who saved last, and when

    @property
    def conflicts(self) -> dict:
        return self.merged.conflicts


def _merge_item(access: Access, item: AgendaItem, *, version: int, mine: dict, base: dict, resolve=None, pending=()) -> ItemSaved:
    current = AgendaItem.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=item.pk)
    theirs = {name: getattr(current, AgendaItem._meta.get_field(name).attname) for name in mine}
    merged = merge.three_way(mine=mine, theirs=theirs, base=base, current=version == current.version, resolve=resolve, pending=pending)
    if merged.changed:
        AgendaItem.objects.filter(pk=item.pk).update(
            **_summary_follows(merged.values), version=F("version") + 1, updated_at=timezone.now(), updated_by=access.user
        )
        access.changed(_family_subject(item))
    saved = AgendaItem.objects.select_related("meeting", "family", "updated_by").get(pk=item.pk) if merged.changed else current
    return ItemSaved(saved, merged, current)


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


ITEM_DETAIL_FIELDS = ("presenter", "question", "planned_minutes", "family_invited", "family_attended", "partner_attended")


@transaction.atomic
def agenda_item_update(*, access: Access, item: AgendaItem, version: int, mine: dict, base=None, resolve=None, pending=()) -> ItemSaved:
    """Save an item's details (presenter, question, minutes, who attended), merged field by field
    with what others saved since the form was read at `version`; a field both changed is a conflict.
    `access`: the item's family (apps.meetings.access.open_item)."""
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    unknown = set(mine) - set(ITEM_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not item details: {unknown}")
    minutes = mine.get("planned_minutes")
    if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError({"planned_minutes": minutes_message()})
    return _merge_item(access, item, version=version, mine=mine, base=base or {}, resolve=resolve, pending=pending)


def minutes_message() -> str:
    """The one message for planned minutes out of range (forms and services alike)."""
    return ngettext(
        "Käsittelyajan on oltava %(min)s–%(max)s minuutti.", "Käsittelyajan on oltava %(min)s–%(max)s minuuttia.", MAX_MINUTES
    ) % {"min": MIN_MINUTES, "max": MAX_MINUTES}


@transaction.atomic
def agenda_schedule(*, access: Access, minutes: dict[int, int]) -> None:
    """Set the planned minutes of agenda items (item id -> minutes); the clock times follow the order."""
    access.require(Perm.MEETING_PREPARE)
    meeting = access.resource
    _require_open(meeting)
    for value in minutes.values():
        if not MIN_MINUTES <= value <= MAX_MINUTES:
            raise ValidationError(minutes_message())
    for item in AgendaItem.objects.filter(meeting=meeting, pk__in=list(minutes)):
        if item.planned_minutes != minutes[item.pk]:
            AgendaItem.objects.filter(pk=item.pk).update(planned_minutes=minutes[item.pk])


@dataclass
class AttendanceSaved:
    meeting: Meeting
    merged: merge.Merged

    @property
    def conflicts(self) -> dict:
        return self.merged.conflicts


@transaction.atomic
def attendance_record(*, access: Access, entries: dict, version: int | None = None, base=None, resolve=None, pending=()) -> AttendanceSaved:
    """Who was there (`entries` as `attendance_of` names them: team members by their role in this
    meeting, and per agenda item whether the family and a partner took part), merged entry by entry
    with what others saved since the form was read at `version` (Meeting.attendance_version; None:
    replace). An entry both changed differently is a conflict and stays as stored."""
    access.require(Perm.MEETING_PREPARE)
    meeting = Meeting.objects.select_for_update().get(pk=access.resource.pk)
    _require_open(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).only("pk", "family_id", "family_attended", "partner_attended"))
    theirs = attendance_of(meeting, items)
    unknown = set(entries) - set(theirs)
    if any(name.startswith("present_") for name in unknown):
        raise ValidationError(_("Läsnäolijoiksi voi merkitä vain tiimin jäseniä."))
    entries = {name: value for name, value in entries.items() if name in theirs}  # an item removed meanwhile
    if {value for name, value in entries.items() if name.startswith("present_")} - {"", *Attendance.Role.values}:
        raise ValidationError(_("Tuntematon rooli."))
    current = version is None or version == meeting.attendance_version
    merged = merge.three_way(mine=entries, theirs=theirs, base=base or {}, current=current, resolve=resolve, pending=pending)
    result = {**theirs, **merged.values}
    present = {int(name.removeprefix("present_")): role for name, role in result.items() if name.startswith("present_") and role}
    if list(present.values()).count(Attendance.Role.CHAIR) > 1:
        raise ValidationError(_("Kokouksella voi olla vain yksi puheenjohtaja."))
    if not merged.changed:
        return AttendanceSaved(meeting, merged)
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, user_id=u, role=r) for u, r in present.items()])
    changed = []
    for item in items:
        flags = {"family_attended": bool(result[f"family_{item.pk}"]), "partner_attended": bool(result[f"partner_{item.pk}"])}
        if flags != {"family_attended": item.family_attended, "partner_attended": item.partner_attended}:
            # The item's own form carries these facts too: its version moves with them.
            AgendaItem.objects.filter(pk=item.pk).update(**flags, version=F("version") + 1)
            changed.append(Subject(item.family_id))
    Meeting.objects.filter(pk=meeting.pk).update(attendance_version=F("attendance_version") + 1)
    meeting.refresh_from_db()
    # Whether a family took part in its discussion is part of the family's record: log the change.
    access.changed(changed)
    return AttendanceSaved(meeting, merged)


def _stop_clocks(queryset, now) -> None:
    """Stop the running clocks in `queryset`: each adds the seconds of its running interval."""
    for item in queryset.filter(running_since__isnull=False).select_for_update().only("pk", "running_since", "discussed_seconds"):
        ran = max(0, round((now - item.running_since).total_seconds()))
        AgendaItem.objects.filter(pk=item.pk).update(discussed_seconds=F("discussed_seconds") + ran, running_since=None, ended_at=now)


@transaction.atomic
def item_timer(*, access: Access, item: AgendaItem, start: bool) -> AgendaItem:
    """Start or stop the clock of a discussion: how long each case was discussed, no typing.

    Only running time counts: starting one discussion stops the one that ran (one family at a time),
    and a discussion resumed later adds its new interval to what it had."""
    access.require(Perm.MEETING_RECORD)
    meeting = item.meeting
    _require_open(meeting)
    now = timezone.now()
    if start:
        _stop_clocks(AgendaItem.objects.filter(meeting=meeting).exclude(pk=item.pk), now)
        AgendaItem.objects.filter(pk=item.pk, running_since__isnull=True).update(
            running_since=now, started_at=Coalesce("started_at", Value(now, output_field=DateTimeField())), ended_at=None
        )
    else:
        _stop_clocks(AgendaItem.objects.filter(pk=item.pk), now)
    item.refresh_from_db()
    # How long the family's case was discussed is part of its discussion record.
    access.changed(_family_subject(item))
    return item


def validate_record(fields: dict) -> None:
    """One check for every way a record is written (the page's form and the API): no NUL character
    (PostgreSQL cannot store one) and no text beyond the field's length, refused with a message
    rather than cut short."""
    errors = {}
    for name, value in fields.items():
        for validator in (ProhibitNullCharactersValidator(), MaxLengthValidator(RECORD_MAX_LENGTH)):
            try:
                validator(value)
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_save(*, access: Access, item: AgendaItem, version: int, **fields) -> AgendaItem:
    """Save the record only if nobody saved it since `version` was loaded; else RecordConflict.
    (The JSON API's write; the page's form merges field by field: `record_merge`.)"""
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    unknown = set(fields) - set(AgendaItem.RECORD_FIELDS)
    if unknown:
        raise ValueError(f"not record fields: {unknown}")
    validate_record(fields)
    updated = AgendaItem.objects.filter(pk=item.pk, version=version).update(
        **_summary_follows(fields), version=F("version") + 1, updated_at=timezone.now(), updated_by=access.user
    )
    current = AgendaItem.objects.get(pk=item.pk)
    if not updated:
        raise RecordConflict(current)
    access.changed(_family_subject(item))
    return current


@transaction.atomic
def record_merge(*, access: Access, item: AgendaItem, version: int, mine: dict, base: dict, resolve=None, pending=()) -> ItemSaved:
    """Save the record fields the form sent, merged field by field with what others saved since the
    form was read (apps/core/merge.py): nothing typed is overwritten or lost."""
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    unknown = set(mine) - set(AgendaItem.RECORD_FIELDS)
    if unknown:
        raise ValueError(f"not record fields: {unknown}")
    resolve = dict(resolve or {})
    validate_record({name: merge.both(base.get(name, ""), mine[name]) if resolve.get(name) == merge.BOTH else mine[name] for name in mine})
    return _merge_item(access, item, version=version, mine=mine, base=base, resolve=resolve, pending=pending)


@transaction.atomic
def hypothesis_add(*, access: Access, item: AgendaItem, text: str, perspective: str, revises: Hypothesis | None = None) -> Hypothesis:
    access.require(Perm.MEETING_RECORD)
    _require_open(item.meeting)
    if revises is not None:
        if revises.family_id != item.family_id:
            raise ValidationError(_("Hypoteesi kuuluu toiselle perheelle."))
        Hypothesis.objects.filter(pk=revises.pk).update(status=Hypothesis.Status.REVISED)
    h = Hypothesis(county_id=item.county_id, family_id=item.family_id, item=item, text=text, perspective=perspective, revises=revises)
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
    _stop_clocks(AgendaItem.objects.filter(meeting=meeting), timezone.now())
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
