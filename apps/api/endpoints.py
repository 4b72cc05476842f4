"""API operations: each opens its object through the gate and reuses the page's selectors and services."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from apps.access import gate
from apps.access.permissions import Perm
from apps.clients import selectors, services
from apps.clients.access import open_family, open_member, open_person, responsible_for_contact, visible_families
from apps.clients.models import ClientRelationship, FamilyMember, Person, Phase
from apps.pages import selectors as page_selectors

from .api import api
from .forms import saved, validated
from .schemas import (
    Error,
    FamilyDetailOut,
    FamilyIn,
    FamilyOut,
    FamilyPatch,
    PersonIn,
    PersonOut,
    PersonPatch,
    PhaseIn,
    RelationshipIn,
    RelationshipOut,
    TeamDetailOut,
    TeamOut,
)

PERSONAL = {"x-personal-data": True}
NOT_PERSONAL = {"x-personal-data": False}
ERRORS = {401: Error, 403: Error, 404: Error}


def _person_out(person, *, show_contact: bool) -> dict:
    data = {
        "id": person.pk,
        "first_names": person.first_names,
        "last_name": person.last_name,
        "personal_identity_code": person.personal_identity_code,
        "birth_date": person.birth_date,
        "language": person.language,
        "non_disclosure": person.non_disclosure,
        "contact_hidden": not show_contact,
    }
    if show_contact:
        data.update({f: getattr(person, f) for f in person.CONTACT_FIELDS})
    return data


def _relationship_out(rel) -> dict:
    return {
        "id": rel.pk,
        "family_id": rel.family_id,
        "child_id": rel.child_id,
        "responsible_worker_id": rel.responsible_worker_id,
        "opened_on": rel.opened_on,
        "closed_on": rel.closed_on,
        "current_phase": rel.current_phase,
        "phases": [{"phase": p.phase, "started_on": p.started_on, "note": p.note} for p in rel.phases.all()],
    }


def _team_out(team) -> dict:
    return {"id": team.pk, "name": team.name, "kind": team.kind, "unit": team.unit.name}


@api.get("/teams", response={200: list[TeamOut], **ERRORS}, openapi_extra=NOT_PERSONAL, tags=["teams"])
def team_list(request):
    gate.own_work(request.user)  # the caller's own teams: a partner professional has none (404)
    return [_team_out(t) for t in gate.visible_teams(request.user).select_related("unit").order_by("name")]


@api.get("/teams/{team_id}", response={200: TeamDetailOut, **ERRORS}, openapi_extra=PERSONAL, tags=["teams"])
def team_get(request, team_id: int):
    access = gate.open_team(request.user, team_id)
    team = access.team
    families = list(visible_families(request.user).filter(team=team).order_by("name", "id").only("id"))
    access.families_listed(f.pk for f in families)
    members = selectors.team_members(team)
    loads = selectors.children_per_worker({m.user_id for m in members}, team.county_id)
    return {
        **_team_out(team),
        "members": [
            {
                "user_id": m.user_id,
                "name": str(m.user),
                "role": m.role,
                "children_responsible": loads.get(m.user_id, 0) if m.role in selectors.CASEWORKER_ROLES else None,
            }
            for m in members
        ],
        "family_ids": [f.pk for f in families],
    }


class Pages(LimitOffsetPagination):
    """Limit and offset within what a database can take (64-bit); a page holds at most 500."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=500)
        offset: int = Field(0, ge=0, le=2**62)


@api.get("/families", response={200: list[FamilyOut], **ERRORS}, openapi_extra=PERSONAL, tags=["families"])
@paginate(Pages)
def family_list(request, team_id: int | None = Query(None, ge=1, le=2**63 - 1)):
    families = visible_families(request.user).order_by("name", "id")
    if team_id is not None:
        families = families.filter(team_id=team_id)
    return _LoggedFamilies(gate.own_work(request.user), families)


class _LoggedFamilies:
    """Logs exactly the page of families the paginator hands out."""

    def __init__(self, access, queryset):
        self.access, self.queryset = access, queryset

    def __getitem__(self, item):
        rows = list(self.queryset[item])
        self.access.families_listed(f.pk for f in rows)
        return rows

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()


def _family_detail(request, access):
    detail = page_selectors.family_detail(access, viewer=request.user)
    family = detail.family
    rows = detail.children + detail.adults + detail.others
    rels = [r for row in detail.children for r in row.relationships]
    return {
        "id": family.pk,
        "team_id": family.team_id,
        "name": family.name,
        "municipality": family.municipality,
        "parents_worker_id": family.parents_worker_id,
        "members": [
            {
                "relation": row.member.relation,
                "is_guardian": row.member.is_guardian,
                "person": _person_out(row.member.person, show_contact=row.show_contact),
            }
            for row in rows
        ],
        "relationships": [_relationship_out(r) for r in rels],
    }


@api.get("/families/{family_id}", response={200: FamilyDetailOut, **ERRORS}, openapi_extra=PERSONAL, tags=["families"])
def family_get(request, family_id: int):
    access = open_family(request.user, family_id)
    return _family_detail(request, access)


@api.post("/families", response={201: FamilyOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["families"])
def family_create(request, payload: FamilyIn):
    access = gate.open_team(request.user, payload.team_id, need=Perm.FAMILY_EDIT)
    worker = _caseworker(access.team, payload.parents_worker_id)
    family = services.family_create(access=access, name=payload.name, municipality=payload.municipality, parents_worker=worker)
    return Status(201, family)


def _caseworker(team, user_id, field="parents_worker_id"):
    if user_id is None:
        return None
    worker = selectors.caseworkers(team).filter(pk=user_id).first()
    if worker is None:
        raise ValidationError({field: _("Työntekijä ei ole tämän tiimin sosiaalityöntekijä.")})
    return worker


@api.patch("/families/{family_id}", response={200: FamilyOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["families"])
def family_update(request, family_id: int, payload: FamilyPatch):
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    fields = payload.dict(exclude_unset=True)
    if "parents_worker_id" in fields:
        fields["parents_worker"] = _caseworker(access.family.team, fields.pop("parents_worker_id"))
    return services.family_update(access=access, **fields)


@api.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, openapi_extra=PERSONAL, tags=["people"])
def person_get(request, person_id: int):
    access = open_person(request.user, person_id)
    person = access.resource
    return _person_out(person, show_contact=responsible_for_contact(request.user, person, access.family))


@api.patch("/people/{person_id}", response={200: PersonOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["people"])
def person_update(request, person_id: int, payload: PersonPatch):
    access = open_person(request.user, person_id, need=Perm.FAMILY_EDIT)
    person = access.resource
    show_contact = responsible_for_contact(request.user, person, access.family)
    fields = payload.dict(exclude_unset=True)
    if not show_contact and set(fields) & set(person.CONTACT_FIELDS):
        raise PermissionDenied
    member = FamilyMember.objects.filter(family=access.family, person=person).first()
    # The page's checks (postal code, identity code against birth date, a child's birth date) on
    # the person as patched; a field left out keeps its value.
    from apps.clients.forms import PersonForm

    current = model_to_dict(person, fields=PersonForm._meta.fields)
    if member is not None:
        current.update(relation=member.relation, is_guardian=member.is_guardian, note=member.note)
    data = {k: ("" if v is None else v) for k, v in {**current, **fields}.items()}
    form = PersonForm(data=data, instance=Person.objects.get(pk=person.pk), member=member, show_contact=show_contact)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    # Only what the patch names changes (in its cleaned form; a hidden field is refused by the service).
    changes = {name: form.cleaned_data.get(name, value) for name, value in fields.items()}
    if "personal_identity_code" in changes:
        changes["birth_date"] = form.cleaned_data["birth_date"]  # the form reads it from the code
    person = services.person_update(access=access, person=person, member=member, **changes)
    return _person_out(person, show_contact=show_contact)


@api.get("/relationships/{relationship_id}", response={200: RelationshipOut, **ERRORS}, openapi_extra=PERSONAL, tags=["relationships"])
def relationship_get(request, relationship_id: int):
    rel = ClientRelationship.objects.filter(county_id=getattr(request.user, "county_id", None), pk=relationship_id).first()
    if rel is None:
        raise Http404
    open_member(request.user, rel.family_id, rel.child_id)
    rel = get_object_or_404(ClientRelationship.objects.prefetch_related("phases"), pk=rel.pk)
    return _relationship_out(rel)


def _choice(value, choices, field):
    if value not in choices.values:
        raise ValidationError({field: _("Tuntematon arvo: %(value)s") % {"value": value}})
    return value


@api.post("/families/{family_id}/people", response={201: PersonOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["people"])
def person_create(request, family_id: int, payload: PersonIn):
    """Add a person to a family; the same checks as the form (identity code, birth date)."""
    from apps.clients.forms import PersonForm

    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    form = PersonForm(data={k: ("" if v is None else v) for k, v in payload.dict().items()})
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    person = services.person_add_to_family(access=access, **form.member_fields(), **form.person_fields())
    return Status(201, _person_out(person, show_contact=True))


@api.post(
    "/families/{family_id}/relationships",
    response={201: RelationshipOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=["relationships"],
)
def relationship_create(request, family_id: int, payload: RelationshipIn):
    from apps.clients.forms import RelationshipOpenForm

    access = open_family(request.user, family_id, need=Perm.PHASE_EDIT)
    data = {
        "child": payload.child_id,
        "responsible_worker": payload.responsible_worker_id,
        "opened_on": payload.opened_on.isoformat(),
        "phase": payload.phase,
    }
    # The page's form: a child of this family without an open relationship, a caseworker of the
    # team, a phase a relationship can open in (not "closed").
    form = RelationshipOpenForm(data, family=access.family, caseworkers=selectors.caseworkers(access.family.team))
    renamed = {"child": "child_id", "responsible_worker": "responsible_worker_id"}
    rel = saved(lambda: services.relationship_open(access=access, **validated(form, renamed)), renamed)
    return Status(201, _relationship_out(rel))


@api.post(
    "/relationships/{relationship_id}/phases",
    response={201: RelationshipOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=["relationships"],
)
def phase_create(request, relationship_id: int, payload: PhaseIn):
    rel = ClientRelationship.objects.filter(county_id=getattr(request.user, "county_id", None), pk=relationship_id).first()
    if rel is None:
        raise Http404
    access = open_member(request.user, rel.family_id, rel.child_id, need=Perm.PHASE_EDIT)
    services.phase_record(
        access=access,
        relationship=rel,
        phase=_choice(payload.phase, Phase, "phase"),
        started_on=payload.started_on,
        note=payload.note,
    )
    return Status(201, _relationship_out(ClientRelationship.objects.prefetch_related("phases").get(pk=rel.pk)))
