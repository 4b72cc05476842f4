"""Meeting operations of the JSON API: the same gate and services as the meeting pages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field, StrictInt

from apps.access import gate
from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.audit.ledger import shows_record
from apps.clients.access import visible_families
from apps.meetings import selectors, services
from apps.meetings.access import open_item, open_meeting, open_step
from apps.meetings.forms import HypothesisForm, MeetingForm
from apps.meetings.models import AgendaItem, Meeting, PlanStep
from apps.organisations.models import Membership

from .api import api
from .forms import validated
from .schemas import Error, IsoDate, example

PERSONAL = {"x-personal-data": True}
NOT_PERSONAL = {"x-personal-data": False}
ERRORS = {401: Error, 403: Error, 404: Error}


class MeetingIn(Schema):
    model_config = example(starts_at="2026-03-09T09:00:00+02:00", room="Neuvotteluhuone Kuusi")

    starts_at: datetime.datetime
    room: str = Field("", max_length=200)


class MeetingOut(Schema):
    id: int
    team_id: int
    starts_at: datetime.datetime
    room: str
    status: str


class ItemOut(Schema):
    id: int
    family_id: int
    family_name: str
    position: int
    planned_minutes: int
    question: str
    reasons: list[str]
    version: int


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]


class HypothesisOut(Schema):
    id: int
    text: str
    perspective: str
    status: str
    revises_id: int | None
    relationship_id: int | None = None


class StepOut(Schema):
    id: int
    what: str
    owner_id: int
    due_on: IsoDate
    status: str


class RecordOut(Schema):
    id: int
    version: int
    what_we_know: str
    child_view: str
    family_view: str
    reflections: str
    internal_notes: str
    family_summary: str
    hypotheses: list[HypothesisOut]
    steps: list[StepOut]


class RecordPatch(Schema):
    model_config = example(version=3, reflections="Isä toi esiin väsymyksensä.")

    version: StrictInt
    what_we_know: str | None = None
    child_view: str | None = None
    family_view: str | None = None
    reflections: str | None = None
    internal_notes: str | None = None
    family_summary: str | None = None


class ItemIn(Schema):
    model_config = example(family_id=1, question="Miten tukea isää arjessa?", planned_minutes=20)

    family_id: StrictInt
    question: str = Field("", max_length=1000)
    planned_minutes: StrictInt = Field(20, ge=5, le=120)


class HypothesisIn(Schema):
    model_config = example(text="Väsymys kertoo yksinäisyydestä.", perspective="äiti")

    text: str = Field(min_length=1, max_length=2000)
    perspective: str = Field(min_length=1, max_length=100)
    revises_id: StrictInt | None = None
    relationship_id: StrictInt | None = Field(None, description="A relationship of the family's genogram the hypothesis is about.")


class StepIn(Schema):
    model_config = example(what="Soita koululle", owner_id=2, due_on="2026-03-16")

    what: str = Field(min_length=1, max_length=500)
    owner_id: StrictInt
    due_on: IsoDate


class StepPatch(Schema):
    model_config = example(status="done")

    status: str


def _meeting_out(m: Meeting) -> dict:
    return {"id": m.pk, "team_id": m.team_id, "starts_at": m.starts_at, "room": m.room, "status": m.status}


def _item_out(i: AgendaItem) -> dict:
    return {
        "id": i.pk,
        "family_id": i.family_id,
        "family_name": i.family.name,
        "position": i.position,
        "planned_minutes": i.planned_minutes,
        "question": i.question,
        "reasons": i.reasons,
        "version": i.version,
    }


def _record_out(item: AgendaItem) -> dict:
    hypotheses, steps, _open = selectors.item_detail(item)
    return {
        "id": item.pk,
        "version": item.version,
        **{name: getattr(item, name) for name in AgendaItem.RECORD_FIELDS},
        "hypotheses": [
            {
                "id": h.pk,
                "text": h.text,
                "perspective": h.perspective,
                "status": h.status,
                "revises_id": h.revises_id,
                "relationship_id": h.relationship_id,
            }
            for h in hypotheses
        ],
        "steps": [{"id": s.pk, "what": s.what, "owner_id": s.owner_id, "due_on": s.due_on, "status": s.status} for s in steps],
    }


@api.get("/teams/{team_id}/meetings", response={200: list[MeetingOut], **ERRORS}, openapi_extra=NOT_PERSONAL, tags=["meetings"])
def meeting_list(request, team_id: int):
    team = gate.open_team(request.user, team_id).team
    return [_meeting_out(m) for m in selectors.team_meetings(team)]


@api.post("/teams/{team_id}/meetings", response={201: MeetingOut, **ERRORS, 422: Error}, openapi_extra=NOT_PERSONAL, tags=["meetings"])
def meeting_create(request, team_id: int, payload: MeetingIn):
    access = gate.open_team(request.user, team_id, need=Perm.MEETING_PREPARE)
    cleaned = validated(MeetingForm({"starts_at": payload.starts_at, "room": payload.room}))
    return Status(201, _meeting_out(services.meeting_create(access=access, **cleaned)))


@api.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS}, openapi_extra=PERSONAL, tags=["meetings"])
def meeting_get(request, meeting_id: int):
    access = open_meeting(request.user, meeting_id)
    meeting = access.resource
    items = selectors.meeting_items(meeting)
    access.families_listed(i.family_id for i in items)
    return {**_meeting_out(meeting), "items": [_item_out(i) for i in items]}


@api.post("/meetings/{meeting_id}/items", response={201: ItemOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["meetings"])
def item_create(request, meeting_id: int, payload: ItemIn):
    access = open_meeting(request.user, meeting_id, need=Perm.MEETING_PREPARE)
    family = visible_families(request.user).filter(team=access.team, pk=payload.family_id).first()
    if family is None:
        raise ValidationError({"family_id": _("Perhe ei kuulu tämän tiimin perheisiin.")})
    item = services.agenda_add(access=access, family=family, question=payload.question, planned_minutes=payload.planned_minutes)
    return Status(201, _item_out(item))


@api.get("/meetings/{meeting_id}/items/{item_id}", response={200: RecordOut, **ERRORS}, openapi_extra=PERSONAL, tags=["meetings"])
def item_get(request, meeting_id: int, item_id: int):
    _meeting_access, access = open_item(request.user, meeting_id, item_id)
    return _record_out(access.resource)


@api.patch(
    "/meetings/{meeting_id}/items/{item_id}/record",
    response={200: RecordOut, 409: RecordOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=["meetings"],
)
def record_patch(request, meeting_id: int, item_id: int, payload: RecordPatch):
    """Optimistic locking: send the version you loaded; 409 returns the current record to merge with."""
    _meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    fields = payload.dict(exclude_unset=True, exclude_none=True)  # null: leave the field as it is
    version = fields.pop("version")
    try:
        item = services.record_save(access=access, item=access.resource, version=version, **fields)
    except services.RecordConflict as exc:
        # The conflict answer shows the record as saved by the other person: it is shown, so logged.
        return shows_record(
            api.create_response(request, RecordOut.model_validate(_record_out(exc.current)).model_dump(mode="json"), status=409)
        )
    return _record_out(item)


@api.post(
    "/meetings/{meeting_id}/items/{item_id}/hypotheses",
    response={201: HypothesisOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=["meetings"],
)
def hypothesis_create(request, meeting_id: int, item_id: int, payload: HypothesisIn):
    _meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    item = access.resource
    # The form offers the family's active hypotheses to revise and its genogram's relationships, as on the page.
    data = {"text": payload.text, "perspective": payload.perspective}
    data["revises"] = "" if payload.revises_id is None else payload.revises_id
    data["relationship"] = "" if payload.relationship_id is None else payload.relationship_id
    cleaned = validated(HypothesisForm(data, family=item.family), {"revises": "revises_id", "relationship": "relationship_id"})
    h = services.hypothesis_add(access=access, item=item, **cleaned)
    out = {"id": h.pk, "text": h.text, "perspective": h.perspective, "status": h.status, "revises_id": h.revises_id}
    return Status(201, {**out, "relationship_id": h.relationship_id})


@api.post(
    "/meetings/{meeting_id}/items/{item_id}/steps", response={201: StepOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["meetings"]
)
def step_create(request, meeting_id: int, item_id: int, payload: StepIn):
    meeting_access, access = open_item(request.user, meeting_id, item_id, need=Perm.MEETING_RECORD)
    item = access.resource
    owner = User.objects.filter(pk=payload.owner_id, memberships__in=Membership.objects.active().filter(team=meeting_access.team)).first()
    if owner is None:
        raise ValidationError({"owner_id": _("Askeleen omistajan on oltava tiimin jäsen.")})
    s = services.step_add(access=access, item=item, what=payload.what, owner=owner, due_on=payload.due_on)
    return Status(201, {"id": s.pk, "what": s.what, "owner_id": s.owner_id, "due_on": s.due_on, "status": s.status})


@api.patch("/steps/{step_id}", response={200: StepOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["meetings"])
def step_patch(request, step_id: int, payload: StepPatch):
    access = open_step(request.user, step_id, need=Perm.MEETING_RECORD)
    step = access.resource
    if payload.status not in PlanStep.Status.values:
        raise ValidationError({"status": _("Tuntematon arvo: %(value)s") % {"value": payload.status}})
    s = services.step_set_status(access=access, step=step, status=payload.status)
    return {"id": s.pk, "what": s.what, "owner_id": s.owner_id, "due_on": s.due_on, "status": s.status}
