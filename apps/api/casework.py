"""Casework operations of the JSON API: notifications and their decisions, assessments, client
plans, personal meetings, deadlines and the rajapinta transfer.

The same family rule, forms, services and selectors as the casework pages: each write fills the
page's form with the JSON body (apps/api/forms.py), so a text the form limits to 4,000
characters is refused here as there, with the form's message.
"""

import datetime

from ninja import Schema, Status
from pydantic import Field, StrictBool, StrictInt

from apps.access import gate
from apps.access.permissions import Perm
from apps.accounts.models import display_name
from apps.casework import deadlines, services
from apps.casework.forms import (
    AssessmentCompleteForm,
    ClientPlanForm,
    DecisionForm,
    InformNotifierForm,
    NotificationForm,
    PersonalMeetingForm,
    TransferForm,
)
from apps.casework.models import (
    Assessment,
    ClientPlan,
    Decision,
    InterfaceAssessment,
    InterfaceCriterion,
    Notification,
    NotificationKind,
    NotifierType,
    PersonalMeeting,
)
from apps.casework.rules import DeadlineKind, rule_for
from apps.clients import selectors as client_selectors
from apps.clients.access import open_family, record_of, visible_families
from apps.clients.models import ClientRelationship

from .api import api
from .forms import saved, validated
from .schemas import Error, IsoDate, example

PERSONAL = {"x-personal-data": True}
ERRORS = {401: Error, 403: Error, 404: Error}
WRITE_ERRORS = {**ERRORS, 422: Error}


def _limit(model, field: str) -> int:
    """A text's limit as the model (and so the page's form) sets it: one number in one place."""
    return model._meta.get_field(field).max_length


def _day(value):
    return value.isoformat() if value else ""


# ---- notifications ---------------------------------------------------------------------------


class NotificationRowOut(Schema):
    id: int
    child_id: int
    child_name: str
    kind: str
    received_on: IsoDate
    notifier_type: str
    decision: str
    decided_on: IsoDate | None
    responsible_worker: str


class NotificationOut(Schema):
    id: int
    family_id: int
    child_id: int
    child_name: str
    kind: str
    received_on: IsoDate
    notifier_type: str
    notifier_name: str
    notifier_contact: str
    anonymous: bool
    summary: str
    decision: str
    decided_on: IsoDate | None
    decided_by_id: int | None
    decision_due: IsoDate = Field(description="The last day for the decision on an investigation (LsL 26 §)")
    decision_due_source: str
    notifier_informed_on: IsoDate | None
    notifier_informed_how: str
    owes_notifier_reply: bool
    assessment_id: int | None


class NotificationIn(Schema):
    model_config = example(
        child_id=1,
        received_on="2026-03-02",
        notifier_type="school",
        notifier_name="Rehtori Rantanen",
        summary="Lapsi on ollut paljon poissa koulusta.",
    )

    child_id: StrictInt
    responsible_worker_id: StrictInt | None = Field(None, description="Required when the child has no open client relationship")
    kind: NotificationKind = NotificationKind.NOTIFICATION
    received_on: IsoDate
    notifier_type: NotifierType
    notifier_name: str = Field("", max_length=_limit(Notification, "notifier_name"))
    notifier_contact: str = Field("", max_length=_limit(Notification, "notifier_contact"))
    anonymous: StrictBool = False
    summary: str = Field(min_length=1, max_length=_limit(Notification, "summary"))


class DecisionIn(Schema):
    model_config = example(decision="start_investigation", decided_on="2026-03-05")

    decision: Decision
    decided_on: IsoDate


class InformIn(Schema):
    model_config = example(informed_on="2026-03-06", how="puhelimitse")

    informed_on: IsoDate
    how: str = Field(min_length=1, max_length=_limit(Notification, "notifier_informed_how"), description="e.g. by phone, by letter")


NOTIFICATION_NAMES = {"child": "child_id", "responsible_worker": "responsible_worker_id"}


NAME_PARTS = ("first_name", "last_name", "username")


def _notification_out(n: Notification) -> dict:
    rule = rule_for(DeadlineKind.INVESTIGATION_DECISION, n.received_on)
    return {
        "id": n.pk,
        "family_id": n.family_id,
        "child_id": n.child_id,
        "child_name": n.child.full_name,
        **{name: getattr(n, name) for name in ("kind", "received_on", "notifier_type", "notifier_name", "notifier_contact", "anonymous")},
        **{name: getattr(n, name) for name in ("summary", "decision", "decided_on", "decided_by_id", "notifier_informed_on")},
        "notifier_informed_how": n.notifier_informed_how,
        "decision_due": rule.due(n.received_on),
        "decision_due_source": str(rule.source),
        "owes_notifier_reply": n.owes_notifier_reply,
        "assessment_id": Assessment.objects.filter(notification=n).values_list("pk", flat=True).first(),
    }


def _notification(access, notification_id) -> Notification:
    return record_of(access, Notification.objects.select_related("child"), notification_id)


@api.get(
    "/families/{family_id}/notifications",
    response={200: list[NotificationRowOut], **ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def notification_list(request, family_id: int):
    """The family's child-welfare notifications, newest first (the family page's list)."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    return [
        {
            "id": row["pk"],
            "child_id": row["child_id"],
            "child_name": f"{row['child__first_names']} {row['child__last_name']}",
            **{name: row[name] for name in ("kind", "received_on", "notifier_type", "decision", "decided_on")},
            "responsible_worker": display_name(*(row[f"relationship__responsible_worker__{name}"] for name in NAME_PARTS)),
        }
        for row in deadlines.family_notifications(access.family.pk)
    ]


@api.post(
    "/families/{family_id}/notifications",
    response={201: NotificationOut, **WRITE_ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def notification_create(request, family_id: int, payload: NotificationIn):
    """Register a notification; a child without an open client relationship gets one (a responsible worker is then required)."""
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    family = access.family
    data = {
        **payload.dict(exclude={"child_id", "responsible_worker_id", "received_on"}),
        "child": payload.child_id,
        "responsible_worker": payload.responsible_worker_id or "",
        "received_on": _day(payload.received_on),
    }
    form = NotificationForm(data, family=family, caseworkers=client_selectors.caseworkers(family.team))
    cleaned = dict(validated(form, NOTIFICATION_NAMES))
    child, worker = cleaned.pop("child"), cleaned.pop("responsible_worker")
    n = saved(lambda: services.notification_register(access=access, child=child, responsible_worker=worker, **cleaned), NOTIFICATION_NAMES)
    return Status(201, _notification_out(n))


@api.get(
    "/families/{family_id}/notifications/{notification_id}",
    response={200: NotificationOut, **ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def notification_get(request, family_id: int, notification_id: int):
    """One notification with its notifier, decision and the decision's deadline."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    return _notification_out(_notification(access, notification_id))


@api.post(
    "/families/{family_id}/notifications/{notification_id}/decision",
    response={200: NotificationOut, **WRITE_ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def notification_decide(request, family_id: int, notification_id: int, payload: DecisionIn):
    """Record whether an investigation starts (it opens an assessment) or not (the relationship closes)."""
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    n = _notification(access, notification_id)
    cleaned = validated(DecisionForm({"decision": payload.decision, "decided_on": _day(payload.decided_on)}), {})
    return _notification_out(saved(lambda: services.notification_decide(access=access, notification=n, **cleaned), {}))


@api.post(
    "/families/{family_id}/notifications/{notification_id}/notifier-informed",
    response={200: NotificationOut, **WRITE_ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def notification_inform(request, family_id: int, notification_id: int, payload: InformIn):
    """Record that the notifier was told whether an investigation started."""
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    n = _notification(access, notification_id)
    cleaned = validated(InformNotifierForm({"informed_on": _day(payload.informed_on), "how": payload.how}), {})
    return _notification_out(saved(lambda: services.notification_inform_notifier(access=access, notification=n, **cleaned), {}))


# ---- assessments -----------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    child_id: int
    child_name: str
    notification_id: int | None
    matter_arrived_on: IsoDate
    started_on: IsoDate
    due_on: IsoDate = Field(description="The last day to complete it (LsL 27 §, SHL 36 §)")
    completed_on: IsoDate | None
    outcome: str


class AssessmentCompleteIn(Schema):
    model_config = example(completed_on="2026-05-29", outcome="child_protection")

    completed_on: IsoDate
    outcome: Assessment.Outcome


def _assessment_out(a: Assessment) -> dict:
    rule = rule_for(DeadlineKind.ASSESSMENT_COMPLETION, a.matter_arrived_on)
    return {
        "id": a.pk,
        "child_id": a.child_id,
        "child_name": a.child.full_name,
        **{name: getattr(a, name) for name in ("notification_id", "matter_arrived_on", "started_on", "completed_on", "outcome")},
        "due_on": rule.due(a.matter_arrived_on),
    }


@api.get(
    "/families/{family_id}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def assessment_list(request, family_id: int):
    """The family's service-needs assessments, newest first, each with its completion deadline."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    return [_assessment_out(a) for a in Assessment.objects.filter(family=access.family).select_related("child")]


@api.post(
    "/families/{family_id}/assessments/{assessment_id}/completion",
    response={200: AssessmentOut, **WRITE_ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def assessment_complete(request, family_id: int, assessment_id: int, payload: AssessmentCompleteIn):
    """Mark an assessment complete with its outcome; the child's relationship moves on accordingly."""
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    assessment = record_of(access, Assessment.objects.select_related("child"), assessment_id)
    cleaned = validated(AssessmentCompleteForm({"completed_on": _day(payload.completed_on), "outcome": payload.outcome}), {})
    return _assessment_out(saved(lambda: services.assessment_complete(access=access, assessment=assessment, **cleaned), {}))


# ---- client plans and personal meetings ------------------------------------------------------


class ClientPlanOut(Schema):
    id: int
    kind: str
    made_on: IsoDate
    meetings_per_year: int
    recorded_by_id: int


class ClientPlanIn(Schema):
    model_config = example(kind="initial", made_on="2026-06-01", meetings_per_year=4)

    kind: ClientPlan.Kind = ClientPlan.Kind.INITIAL
    made_on: IsoDate
    meetings_per_year: StrictInt = Field(
        0, ge=0, le=52, description="The responsible worker's personal meetings with the child a year (LsL 30 §)"
    )


class PersonalMeetingOut(Schema):
    id: int
    met_on: IsoDate
    worker_id: int
    note: str


class PersonalMeetingIn(Schema):
    model_config = example(met_on="2026-06-15", note="Kotikäynti")

    met_on: IsoDate
    note: str = Field("", max_length=_limit(PersonalMeeting, "note"))


def _relationship(access, relationship_id) -> ClientRelationship:
    return record_of(access, ClientRelationship.objects.all(), relationship_id)


def _plan_out(p: ClientPlan) -> dict:
    return {"id": p.pk, "kind": p.kind, "made_on": p.made_on, "meetings_per_year": p.meetings_per_year, "recorded_by_id": p.recorded_by_id}


def _meeting_out(m: PersonalMeeting) -> dict:
    return {"id": m.pk, "met_on": m.met_on, "worker_id": m.worker_id, "note": m.note}


@api.get(
    "/families/{family_id}/relationships/{relationship_id}/plans",
    response={200: list[ClientPlanOut], **ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def client_plan_list(request, family_id: int, relationship_id: int):
    """A child's client plans in this relationship, newest first (the latest sets the next review)."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    rel = _relationship(access, relationship_id)
    return [_plan_out(p) for p in ClientPlan.objects.filter(relationship=rel)]


@api.post(
    "/families/{family_id}/relationships/{relationship_id}/plans",
    response={201: ClientPlanOut, **WRITE_ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def client_plan_create(request, family_id: int, relationship_id: int, payload: ClientPlanIn):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    rel = _relationship(access, relationship_id)
    form = ClientPlanForm({"kind": payload.kind, "made_on": _day(payload.made_on), "meetings_per_year": payload.meetings_per_year})
    cleaned = validated(form, {})
    return Status(201, _plan_out(saved(lambda: services.client_plan_record(access=access, relationship=rel, **cleaned), {})))


@api.get(
    "/families/{family_id}/relationships/{relationship_id}/personal-meetings",
    response={200: list[PersonalMeetingOut], **ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def personal_meeting_list(request, family_id: int, relationship_id: int):
    """The responsible worker's personal meetings with the child in this relationship, newest first."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    rel = _relationship(access, relationship_id)
    return [_meeting_out(m) for m in PersonalMeeting.objects.filter(relationship=rel)]


@api.post(
    "/families/{family_id}/relationships/{relationship_id}/personal-meetings",
    response={201: PersonalMeetingOut, **WRITE_ERRORS},
    openapi_extra=PERSONAL,
    tags=["casework"],
)
def personal_meeting_create(request, family_id: int, relationship_id: int, payload: PersonalMeetingIn):
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    rel = _relationship(access, relationship_id)
    cleaned = validated(PersonalMeetingForm({"met_on": _day(payload.met_on), "note": payload.note}), {})
    return Status(201, _meeting_out(saved(lambda: services.personal_meeting_record(access=access, relationship=rel, **cleaned), {})))


# ---- deadlines -------------------------------------------------------------------------------


class DeadlineOut(Schema):
    kind: str
    title: str
    source: str
    due_on: IsoDate
    days_left: int
    overdue: bool
    due_soon: bool
    family_id: int
    family_name: str
    child_name: str
    worker_name: str


class NotifierReplyOut(Schema):
    notification_id: int
    family_id: int
    family_name: str
    child_name: str
    notifier_type: str
    decided_on: IsoDate


class TeamDeadlinesOut(Schema):
    overdue: list[DeadlineOut]
    due_soon: list[DeadlineOut]
    notifier_replies_owed: list[NotifierReplyOut]


def _deadline_out(d: deadlines.Deadline) -> dict:
    return {
        "kind": str(d.kind),
        "title": str(d.title),
        "source": str(d.source),  # the rule's legal source, in the request's language
        **{name: getattr(d, name) for name in ("due_on", "family_id", "family_name", "child_name", "worker_name")},
        "days_left": d.days_left(),
        "overdue": d.overdue,
        "due_soon": d.due_soon,
    }


@api.get("/deadlines", response={200: list[DeadlineOut], **ERRORS}, openapi_extra=PERSONAL, tags=["casework"])
def my_deadlines(request):
    """Every open statutory deadline of the children the caller is responsible for, soonest first."""
    access = gate.own_work(request.user)
    items = deadlines.deadlines(visible_families(request.user), worker=request.user)
    access.families_listed(d.family_id for d in items)
    return [_deadline_out(d) for d in items]


@api.get("/teams/{team_id}/deadlines", response={200: TeamDeadlinesOut, **ERRORS}, openapi_extra=PERSONAL, tags=["casework"])
def team_deadlines(request, team_id: int):
    """The team's overdue deadlines, those due within seven days, and notifiers still to be told of a decision."""
    access = gate.open_team(request.user, team_id)
    ids = deadlines.family_ids(visible_families(request.user).filter(team=access.team))
    items = deadlines.deadlines(ids)
    owed = deadlines.notifier_replies_owed(ids)
    access.families_listed({d.family_id for d in items if d.overdue or d.due_soon} | {n.family_id for n in owed})
    return {
        "overdue": [_deadline_out(d) for d in items if d.overdue],
        "due_soon": [_deadline_out(d) for d in items if d.due_soon],
        "notifier_replies_owed": [
            {
                "notification_id": n.pk,
                "family_id": n.family_id,
                "family_name": n.family.name,
                "child_name": n.child.full_name,
                "notifier_type": n.notifier_type,
                "decided_on": n.decided_on,
            }
            for n in owed
        ],
    }


# ---- the rajapinta transfer ------------------------------------------------------------------


class TransferOut(Schema):
    id: int
    from_team_id: int
    to_team_id: int
    criteria: list[str]
    reasoning: str
    joint_meeting_on: IsoDate
    family_agreed: bool
    family_view: str
    handover_until: IsoDate = Field(description="The sending team reads the family until this day")
    decided_by_id: int
    decided_at: datetime.datetime


class TransferIn(Schema):
    model_config = example(
        to_team_id=2,
        responsible_worker_id=7,
        criteria=["safety_ensured", "family_committed"],
        reasoning="Tuki jatkuu perhesosiaalityönä.",
        joint_meeting_on="2026-06-20",
        family_agreed=True,
        handover_days=30,
    )

    to_team_id: StrictInt
    responsible_worker_id: StrictInt = Field(description="A social worker of the receiving team")
    criteria: list[InterfaceCriterion] = Field(min_length=1)
    reasoning: str = Field(min_length=1, max_length=_limit(InterfaceAssessment, "reasoning"))
    joint_meeting_on: IsoDate
    family_agreed: StrictBool = False
    family_view: str = Field(
        "", max_length=_limit(InterfaceAssessment, "family_view"), description="Required when the family does not agree"
    )
    handover_days: StrictInt = Field(30, ge=0, le=180, description="How long the sending team keeps read access")


TRANSFER_NAMES = {"to_team": "to_team_id", "responsible_worker": "responsible_worker_id"}


def _transfer_out(t: InterfaceAssessment) -> dict:
    names = ("from_team_id", "to_team_id", "criteria", "reasoning", "joint_meeting_on", "family_agreed", "family_view", "handover_until")
    return {"id": t.pk, **{name: getattr(t, name) for name in names}, "decided_by_id": t.decided_by_id, "decided_at": t.decided_at}


@api.get("/families/{family_id}/transfers", response={200: list[TransferOut], **ERRORS}, openapi_extra=PERSONAL, tags=["casework"])
def transfer_list(request, family_id: int):
    """The family's moves between teams (interface assessments), newest first."""
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    return [_transfer_out(t) for t in InterfaceAssessment.objects.filter(family=access.family)]


@api.post("/families/{family_id}/transfers", response={201: TransferOut, **WRITE_ERRORS}, openapi_extra=PERSONAL, tags=["casework"])
def family_transfer(request, family_id: int, payload: TransferIn):
    """Move the family to another team of the county (rajapinta): the receiving team gains access at once, the sending team reads it until the handover ends."""
    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    data = {
        **payload.dict(exclude={"to_team_id", "responsible_worker_id", "joint_meeting_on"}),
        "to_team": payload.to_team_id,
        "responsible_worker": payload.responsible_worker_id,
        "joint_meeting_on": _day(payload.joint_meeting_on),
    }
    cleaned = validated(TransferForm(data, family=access.family), TRANSFER_NAMES)
    return Status(201, _transfer_out(saved(lambda: services.family_transfer(access=access, **cleaned), TRANSFER_NAMES)))
