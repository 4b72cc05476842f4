"""Partnership operations of the JSON API: the shared plan with its versions, consents, joint
assessments and handover summaries for the team; a partner professional's plans, own steps and the
handovers shared with them. The same access rules (apps/partnership/access.py), services and
selectors as the pages: a partner reaches only the `/partner/` operations, and only by the family's
consent in force; every read a partner makes is a disclosure out of the team."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field, model_validator

from apps.access.permissions import Perm
from apps.accounts.models import User
from apps.audit.ledger import shows_record
from apps.clients.access import open_family, record_of
from apps.clients.models import ClientRelationship, FamilyMember
from apps.partnership import selectors, services
from apps.partnership.access import (
    PARTNER,
    TEAM,
    disclose_to_partner,
    open_partner_handover,
    open_partner_home,
    open_shared_plan,
    open_step,
)
from apps.partnership.models import Consent, HandoverSummary, JointAssessment, PlanVersion, SharedStep, StepOwner

from .api import api
from .schemas import Error, IsoDate

PERSONAL = {"x-personal-data": True}
ERRORS = {401: Error, 403: Error, 404: Error}
TAGS = ["partnership"]


# ---- schemas ---------------------------------------------------------------------------------------


class PartnerPartOut(Schema):
    partner_id: int
    label: str
    text: str


class VersionStepOut(Schema):
    id: int
    what: str
    owner: str
    owner_kind: str
    due_on: IsoDate


class VersionOut(Schema):
    number: int
    goals: str
    family_part: str
    team_part: str
    partner_parts: list[PartnerPartOut]
    steps: list[VersionStepOut]
    review_on: IsoDate | None
    change_note: str
    saved_by: str
    saved_at: datetime.datetime


class SharedStepOut(Schema):
    id: int
    what: str
    owner_kind: str
    owner: str
    due_on: IsoDate
    status: str
    done_on: IsoDate | None
    done_note: str


class AgreementOut(Schema):
    member_id: int
    version: int
    agreed: bool
    agreed_on: IsoDate
    disagreement: str


class PlanOut(Schema):
    id: int | None
    family_id: int
    version: int
    current: VersionOut | None
    steps: list[SharedStepOut]
    agreements: list[AgreementOut]


class VersionIn(Schema):
    base_version: int = Field(ge=0, description="The version the text was loaded from; a newer saved version answers 409")
    goals: str = Field("", max_length=4000)
    family_part: str = Field("", max_length=4000)
    team_part: str = Field("", max_length=4000)
    partner_parts: dict[int, str] = Field(default_factory=dict, description="Partner's user id -> their part (consent in force)")
    review_on: IsoDate | None = None
    change_note: str = Field("", max_length=300)


class SharedStepIn(Schema):
    what: str = Field(min_length=1, max_length=500)
    owner_kind: str = Field(pattern="^(team|family|partner)$")
    owner_id: int = Field(description="A team member's or a consented partner's user id; a family member's id for `family`")
    due_on: IsoDate


class SharedStepPatch(Schema):
    status: str = Field(pattern="^(open|done|cancelled)$")
    note: str = Field("", max_length=500)


class PartnerStepPatch(Schema):
    status: str = Field(pattern="^(open|done)$")
    note: str = Field("", max_length=500)


class ConsentPartyOut(Schema):
    member_id: int
    gave: bool
    view: str


class ConsentOut(Schema):
    id: int
    partner_id: int
    partner: str
    purpose: str
    scopes: list[str]
    valid_from: IsoDate
    valid_until: IsoDate
    state: str
    withdrawn_at: datetime.datetime | None
    parties: list[ConsentPartyOut]


class ConsentIn(Schema):
    partner_id: int
    purpose: str = Field(min_length=1, max_length=300)
    valid_from: IsoDate
    valid_until: IsoDate
    giver_ids: list[int] = Field(min_length=1, description="Family member ids of those who gave the consent")
    child_views: dict[int, str] = Field(
        default_factory=dict, description="Family member id -> the child's own view (required for each child aged 12–17)"
    )
    ecomap: bool = False


class WithdrawIn(Schema):
    note: str = Field(min_length=1, max_length=300, description="Who in the family withdrew it, and how")


class JointAnswerOut(Schema):
    id: int
    role: str
    member_id: int | None
    user_id: int | None
    marks: dict[str, int]
    words: dict[str, str]
    mode: str


class JointAreaOut(Schema):
    key: str
    label: str
    spread: int
    differs: bool
    most: bool


class JointOut(Schema):
    id: int
    title: str
    created_at: datetime.datetime
    conclusion: str
    concluded_at: datetime.datetime | None
    answers: list[JointAnswerOut]


class JointDetailOut(JointOut):
    areas: list[JointAreaOut]


class JointIn(Schema):
    title: str = Field(min_length=1, max_length=200)


class JointAnswerIn(Schema):
    member_id: int | None = Field(None, description="A family member's answer (typed in from paper)")
    user_id: int | None = Field(None, description="A professional's answer: a team member, or a partner with the family's consent")
    marks: dict[str, int] = Field(description="Life area key -> 1..5; areas left out are 'I can't say'")
    words: dict[str, str] = Field(default_factory=dict)


class JointLinkIn(Schema):
    member_id: int


class JointLinkOut(Schema):
    id: int
    url: str
    audience: str
    expires_at: datetime.datetime


class ConclusionIn(Schema):
    conclusion: str = Field(min_length=1, max_length=4000)


class HandoverOut(Schema):
    id: int
    relationship_id: int
    child_id: int
    what_helped: str
    what_to_watch: str
    contacts: str
    family_words: str
    open_steps: str
    updated_at: datetime.datetime


class HandoverShareOut(Schema):
    recipient_id: int
    recipient: str
    shared_at: datetime.datetime


class HandoverDetailOut(HandoverOut):
    shares: list[HandoverShareOut]


class HandoverIn(Schema):
    relationship_id: int = Field(description="A closed client relationship of the family")


class HandoverPatch(Schema):
    what_helped: str | None = Field(None, max_length=4000)
    what_to_watch: str | None = Field(None, max_length=4000)
    contacts: str | None = Field(None, max_length=2000)
    family_words: str | None = Field(None, max_length=4000)
    open_steps: str | None = Field(None, max_length=4000)

    @model_validator(mode="after")
    def _something(self):
        if all(getattr(self, name) is None for name in HandoverSummary.TEXT_FIELDS):
            raise ValueError(_("Anna ainakin yksi muutettava kenttä."))
        return self


class ShareIn(Schema):
    recipient_id: int = Field(description="A partner with the family's consent in force")


class PartnerPlanRowOut(Schema):
    plan_id: int | None
    family_id: int
    family_name: str
    consent_until: IsoDate
    purposes: list[str]
    open_steps: int


class PartnerHomeOut(Schema):
    plans: list[PartnerPlanRowOut]
    handover_ids: list[int]


class PartnerPlanOut(Schema):
    id: int
    family_id: int
    family_name: str
    version: int
    goals: str
    family_part: str
    team_part: str
    own_part: list[str]
    review_on: IsoDate | None
    own_steps: list[SharedStepOut]
    other_steps: list[SharedStepOut]


# ---- shaping -----------------------------------------------------------------------------------------


def _version_out(v: PlanVersion | None) -> dict | None:
    if v is None:
        return None
    return {
        **{name: getattr(v, name) for name in ("number", "goals", "family_part", "team_part", "partner_parts", "review_on", "change_note")},
        "steps": v.steps,
        "saved_by": str(v.saved_by),
        "saved_at": v.saved_at,
    }


def _step_out(s: SharedStep) -> dict:
    return {
        "id": s.pk,
        "what": s.what,
        "owner_kind": s.owner_kind,
        "owner": s.owner_label,
        "due_on": s.due_on,
        "status": s.status,
        "done_on": s.done_on,
        "done_note": s.done_note,
    }


def _plan_out(access) -> dict:
    page = selectors.plan_page(access.resource)
    return {
        "id": page.plan.pk,
        "family_id": access.family.pk,
        "version": page.plan.version,
        "current": _version_out(page.version),
        "steps": [_step_out(s) for s in page.steps],
        "agreements": [
            {"member_id": a.member_id, "version": a.version, "agreed": a.agreed, "agreed_on": a.agreed_on, "disagreement": a.disagreement}
            for a in page.agreements
        ],
    }


def _consent_out(c: Consent) -> dict:
    return {
        "id": c.pk,
        "partner_id": c.partner_id,
        "partner": c.partner.professional_label,
        "purpose": c.purpose,
        "scopes": c.scopes,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
        "state": c.state,
        "withdrawn_at": c.withdrawn_at,
        "parties": [{"member_id": p.member_id, "gave": p.gave, "view": p.view} for p in getattr(c, "party_list", [])],
    }


def _answer_out(a) -> dict:
    return {
        "id": a.pk,
        "role": a.role,
        "member_id": a.member_id,
        "user_id": a.user_id,
        "marks": a.marks,
        "words": a.words,
        "mode": a.mode,
    }


def _joint_out(j: JointAssessment, answers) -> dict:
    return {
        "id": j.pk,
        "title": j.title,
        "created_at": j.created_at,
        "conclusion": j.conclusion,
        "concluded_at": j.concluded_at,
        "answers": [_answer_out(a) for a in answers],
    }


def _joint_detail(j: JointAssessment) -> dict:
    _qset, columns, rows = selectors.joint_table(j)
    areas = [{"key": r.area.key, "label": str(r.area.label), "spread": r.spread, "differs": r.differs, "most": r.most} for r in rows]
    return {**_joint_out(j, [c.answer for c in columns]), "areas": areas}


def _handover_out(h: HandoverSummary) -> dict:
    return {
        "id": h.pk,
        "relationship_id": h.relationship_id,
        "child_id": h.relationship.child_id,
        **{name: getattr(h, name) for name in HandoverSummary.TEXT_FIELDS},
        "updated_at": h.updated_at,
    }


# ---- the shared plan ---------------------------------------------------------------------------------


@api.get("/families/{family_id}/shared-plan", response={200: PlanOut, **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def shared_plan_get(request, family_id: int):
    """The current version, the steps and the family's agreements (`id` null before the first save)."""
    return _plan_out(open_shared_plan(request.user, family_id=family_id, side=TEAM))


@api.get("/families/{family_id}/shared-plan/versions", response={200: list[VersionOut], **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def plan_version_list(request, family_id: int):
    """Every saved version, newest first."""
    access = open_shared_plan(request.user, family_id=family_id, side=TEAM)
    plan = access.resource
    versions = PlanVersion.objects.filter(plan=plan).select_related("saved_by").order_by("-number") if plan.pk else []
    return [_version_out(v) for v in versions]


@api.post(
    "/families/{family_id}/shared-plan/versions",
    response={201: VersionOut, 409: PlanOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def plan_version_create(request, family_id: int, payload: VersionIn):
    """Save the plan's text as a new version. If someone saved a version after `base_version`,
    nothing is saved: 409 returns the plan as it now is, to merge with."""
    access = open_shared_plan(request.user, family_id=family_id, need=Perm.SHARED_PLAN_EDIT, side=TEAM)
    try:
        version = services.plan_save(access=access, **payload.dict())
    except services.PlanConflict:
        if access.resource.pk is not None:  # a family without a plan yet: the unsaved empty one is current
            access.resource.refresh_from_db()
        body = PlanOut.model_validate(_plan_out(access)).model_dump(mode="json")
        return shows_record(api.create_response(request, body, status=409))
    return Status(201, _version_out(version))


@api.post("/families/{family_id}/shared-plan/steps", response={201: SharedStepOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=TAGS)
def shared_step_create(request, family_id: int, payload: SharedStepIn):
    access = open_shared_plan(request.user, family_id=family_id, need=Perm.SHARED_PLAN_EDIT, side=TEAM)
    owner = {}
    if payload.owner_kind == StepOwner.FAMILY:
        owner["owner_member"] = FamilyMember.objects.filter(family=access.family, pk=payload.owner_id).select_related("person").first()
    else:
        owner["owner_user"] = User.objects.filter(county_id=access.family.county_id, pk=payload.owner_id).first()
    step = services.step_add(access=access, what=payload.what, owner_kind=payload.owner_kind, due_on=payload.due_on, **owner)
    return Status(201, _step_out(step))


@api.patch(
    "/families/{family_id}/shared-plan/steps/{shared_step_id}",
    response={200: SharedStepOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def shared_step_patch(request, family_id: int, shared_step_id: int, payload: SharedStepPatch):
    access = open_shared_plan(request.user, family_id=family_id, need=Perm.SHARED_PLAN_EDIT, side=TEAM)
    step = record_of(
        access, SharedStep.objects.filter(plan_id=access.resource.pk).select_related("owner_user", "owner_member__person"), shared_step_id
    )
    step = services.step_set_status(access=access, step=step, status=payload.status, note=payload.note)
    return _step_out(step)


# ---- consents ----------------------------------------------------------------------------------------


@api.get("/families/{family_id}/consents", response={200: list[ConsentOut], **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def consent_list(request, family_id: int):
    access = open_family(request.user, family_id)
    return [_consent_out(c) for c in selectors.family_consents(access.family)]


@api.post("/families/{family_id}/consents", response={201: ConsentOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=TAGS)
def consent_create(request, family_id: int, payload: ConsentIn):
    """The family's consent to share its shared plan (and the partner's own steps; the ecomap if
    chosen) with one partner professional."""
    access = open_family(request.user, family_id, need=Perm.CONSENT_MANAGE)
    partner = User.objects.filter(county_id=access.family.county_id, pk=payload.partner_id).first()
    givers = list(FamilyMember.objects.filter(family=access.family, pk__in=payload.giver_ids))
    if len(givers) != len(set(payload.giver_ids)):
        raise ValidationError({"giver_ids": _("Suostumuksen antajan on oltava tämän perheen jäsen.")})
    consent = services.consent_record(
        access=access,
        partner=partner,
        purpose=payload.purpose,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        givers=givers,
        child_views=payload.child_views,
        ecomap=payload.ecomap,
    )
    consent = next(c for c in selectors.family_consents(access.family) if c.pk == consent.pk)
    return Status(201, _consent_out(consent))


@api.post(
    "/families/{family_id}/consents/{consent_id}/withdrawal",
    response={201: ConsentOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def consent_withdraw(request, family_id: int, consent_id: int, payload: WithdrawIn):
    """The family withdrew the consent: the partner's access ends on their next request."""
    access = open_family(request.user, family_id, need=Perm.CONSENT_MANAGE)
    consent = record_of(access, Consent.objects.select_related("partner"), consent_id)
    consent = services.consent_withdraw(access=access, consent=consent, note=payload.note)
    return Status(201, _consent_out(consent))


# ---- joint assessments -------------------------------------------------------------------------------


@api.get("/families/{family_id}/joint-assessments", response={200: list[JointOut], **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def joint_list(request, family_id: int):
    access = open_family(request.user, family_id)
    items = list(JointAssessment.objects.filter(family=access.family).prefetch_related("answers"))
    return [_joint_out(j, j.answers.all()) for j in items]


@api.post("/families/{family_id}/joint-assessments", response={201: JointOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=TAGS)
def joint_create(request, family_id: int, payload: JointIn):
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    return Status(201, _joint_out(services.joint_create(access=access, title=payload.title), []))


@api.get("/families/{family_id}/joint-assessments/{joint_id}", response={200: JointDetailOut, **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def joint_get(request, family_id: int, joint_id: int):
    """Every view side by side; per area how far they are apart, and the widest marked."""
    access = open_family(request.user, family_id)
    return _joint_detail(record_of(access, JointAssessment.objects, joint_id))


@api.post(
    "/families/{family_id}/joint-assessments/{joint_id}/answers",
    response={201: JointAnswerOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def joint_answer_create(request, family_id: int, joint_id: int, payload: JointAnswerIn):
    """A participant's marks typed in: a family member's paper form, or a professional's view."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    assessment = record_of(access, JointAssessment.objects, joint_id)
    member = user = None
    if payload.member_id is not None:
        member = FamilyMember.objects.filter(family=access.family, pk=payload.member_id).select_related("person").first()
        if member is None:
            raise ValidationError({"member_id": _("Valitse tämän perheen jäsen.")})
    if payload.user_id is not None:
        user = User.objects.filter(county_id=access.family.county_id, pk=payload.user_id).first()
        if user is None:
            raise ValidationError({"user_id": _("Ammattilaisen on oltava tiimin jäsen tai kumppani, jolla on perheen suostumus.")})
    answer = services.joint_answer_record(
        access=access, assessment=assessment, marks=payload.marks, words=payload.words, member=member, user=user
    )
    return Status(201, _answer_out(answer))


@api.post(
    "/families/{family_id}/joint-assessments/{joint_id}/links",
    response={201: JointLinkOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def joint_link_create(request, family_id: int, joint_id: int, payload: JointLinkIn):
    """A one-time link for one family member's phone; the URL is returned once and never stored."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    assessment = record_of(access, JointAssessment.objects, joint_id)
    link, token = services.joint_link_issue(access=access, assessment=assessment, member_id=payload.member_id)
    url = request.build_absolute_uri(reverse("joint-assess", kwargs={"joint_token": token}))
    return Status(201, {"id": link.pk, "url": url, "audience": link.audience, "expires_at": link.expires_at})


@api.post(
    "/families/{family_id}/joint-assessments/{joint_id}/conclusion",
    response={201: JointDetailOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def joint_conclude(request, family_id: int, joint_id: int, payload: ConclusionIn):
    """The shared conclusion written with the family; the assessment takes no more answers."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    assessment = record_of(access, JointAssessment.objects, joint_id)
    return Status(201, _joint_detail(services.joint_conclude(access=access, assessment=assessment, conclusion=payload.conclusion)))


# ---- handover summaries ------------------------------------------------------------------------------


def _summaries(access):
    return HandoverSummary.objects.filter(family=access.family).select_related("relationship")


@api.get("/families/{family_id}/handovers", response={200: list[HandoverOut], **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def handover_list(request, family_id: int):
    access = open_family(request.user, family_id)
    return [_handover_out(h) for h in _summaries(access)]


@api.post("/families/{family_id}/handovers", response={201: HandoverOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=TAGS)
def handover_create(request, family_id: int, payload: HandoverIn):
    """A draft from the shared plan and the latest joint assessment, for a closed client relationship."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    relationship = ClientRelationship.objects.filter(family=access.family, pk=payload.relationship_id).select_related("responsible_worker")
    relationship = relationship.first()
    if relationship is None:
        raise ValidationError({"relationship_id": _("Valitse tämän perheen asiakkuus.")})
    return Status(201, _handover_out(services.handover_draft(access=access, relationship=relationship)))


def _handover_detail(summary) -> dict:
    shares = summary.shares.select_related("recipient").order_by("shared_at")
    return {
        **_handover_out(summary),
        "shares": [{"recipient_id": s.recipient_id, "recipient": s.recipient.professional_label, "shared_at": s.shared_at} for s in shares],
    }


@api.get("/families/{family_id}/handovers/{handover_id}", response={200: HandoverDetailOut, **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def handover_get(request, family_id: int, handover_id: int):
    access = open_family(request.user, family_id)
    return _handover_detail(record_of(access, _summaries(access), handover_id))


@api.patch(
    "/families/{family_id}/handovers/{handover_id}",
    response={200: HandoverDetailOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def handover_patch(request, family_id: int, handover_id: int, payload: HandoverPatch):
    """Edit the summary; a field left out (or null) stays as it is."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    summary = record_of(access, _summaries(access), handover_id)
    summary = services.handover_update(access=access, summary=summary, **payload.dict(exclude_none=True))
    return _handover_detail(summary)


@api.post(
    "/families/{family_id}/handovers/{handover_id}/shares",
    response={201: HandoverDetailOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=TAGS,
)
def handover_share_create(request, family_id: int, handover_id: int, payload: ShareIn):
    """Share with a partner whose consent is in force: a disclosure with the consent as legal basis."""
    access = open_family(request.user, family_id, need=Perm.CONSENT_MANAGE)
    summary = record_of(access, _summaries(access), handover_id)
    recipient = User.objects.filter(county_id=access.family.county_id, pk=payload.recipient_id).first()
    services.handover_share(access=access, summary=summary, recipient=recipient)
    return Status(201, _handover_detail(summary))


# ---- the partner professional's operations ---------------------------------------------------------


@api.get("/partner/plans", response={200: PartnerHomeOut, **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def partner_plan_list(request):
    """The shared plans of the families whose consent is in force today, and the handover summaries
    shared with the partner (partners only)."""
    access = open_partner_home(request.user)
    rows = selectors.partner_plans(request.user)
    shared = selectors.partner_handovers(request.user, [row["family"].pk for row in rows])
    access.families_listed(row["family"].pk for row in rows)
    return {
        "plans": [
            {
                "plan_id": row["plan"].pk if row["plan"] else None,
                "family_id": row["family"].pk,
                "family_name": row["family"].name,
                "consent_until": row["until"],
                "purposes": row["purposes"],
                "open_steps": row.get("open_steps", 0),
            }
            for row in rows
        ],
        "handover_ids": [s.summary_id for s in shared],
    }


def _partner_plan_out(request, access) -> dict:
    page = selectors.plan_page(access.resource)
    parts, own, others = selectors.partner_view(page, request.user)
    disclose_to_partner(access)
    version = page.version
    return {
        "id": page.plan.pk,
        "family_id": access.family.pk,
        "family_name": access.family.name,
        "version": page.plan.version,
        "goals": version.goals if version else "",
        "family_part": version.family_part if version else "",
        "team_part": version.team_part if version else "",
        "own_part": [p["text"] for p in parts],
        "review_on": page.plan.review_on,
        "own_steps": [_step_out(s) for s in own],
        "other_steps": [_step_out(s) for s in others],
    }


@api.get("/partner/plans/{plan_id}", response={200: PartnerPlanOut, **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def partner_plan_get(request, plan_id: int):
    """The plan as the partner sees it: the family's goals, the family's and the team's parts and
    steps, their own part and steps; never another partner's. Each read is a disclosure."""
    return _partner_plan_out(request, open_shared_plan(request.user, plan_id=plan_id, side=PARTNER))


@api.patch("/partner/steps/{shared_step_id}", response={200: SharedStepOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=TAGS)
def partner_step_patch(request, shared_step_id: int, payload: PartnerStepPatch):
    """The partner marks their own step done (or open again) with a short note the worker sees."""
    access = open_step(request.user, shared_step_id, need=Perm.PARTNER_STEP_DONE, side=PARTNER)
    step = services.step_set_status(access=access, step=access.resource, status=payload.status, note=payload.note)
    step = SharedStep.objects.select_related("owner_user", "owner_member__person").get(pk=step.pk)
    return _step_out(step)


@api.get("/partner/handovers/{handover_id}", response={200: HandoverOut, **ERRORS}, openapi_extra=PERSONAL, tags=TAGS)
def partner_handover_get(request, handover_id: int):
    """A handover summary shared with the partner, while the family's consent is in force."""
    access = open_partner_handover(request.user, handover_id)
    return _handover_out(access.resource)
