"""Genogram and ecomap operations of the JSON API: the same gate, services and drawings as the pages.

Each read logs what it returns as the pages do (each client drawn, the family for relatives who are
not clients); the SVG operations return the drawing itself (image/svg+xml), errors stay JSON.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from apps.access.permissions import Perm
from apps.clients.models import Person
from apps.network import selectors, services
from apps.network.access import open_ecomap, open_network, show_ecomaps, show_tree
from apps.network.drawings import ecomap_drawing
from apps.network.ecomap_layout import text_alternative as ecomap_text
from apps.network.ecomap_layout import tie_views
from apps.network.layout import render_svg
from apps.network.models import GenogramPerson, ParentKind, PartnershipKind, Quality, Sector, Service, Sex, Strength, Support, Viewpoint
from apps.network.tree import Tree, text_alternative
from apps.partnership.access import open_partner_ecomap, show_partner_ecomap

from .api import api
from .schemas import Error, IsoDate

PERSONAL = {"x-personal-data": True}
ERRORS = {401: Error, 403: Error, 404: Error}
SVG = {"x-personal-data": True, "responses": {"200": {"description": "OK", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}}}


class GenogramPersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_year: int | None
    death_year: int | None
    deceased: bool
    is_index: bool
    client_id: int | None
    twin_of: int | None
    identical_twin: bool
    note: str


class GenogramPartnershipOut(Schema):
    id: int
    first: int
    second: int
    kind: str
    started_year: int | None
    ended_year: int | None


class GenogramParentageOut(Schema):
    id: int
    parent: int
    child: int
    kind: str


class GenogramHouseholdOut(Schema):
    id: int
    name: str
    members: list[int]


class GenogramRelationshipOut(Schema):
    id: int
    first: int
    second: int
    quality: str
    note: str


class GenogramTextOut(Schema):
    heading: str
    lines: list[str]


class GenogramOut(Schema):
    family_id: int
    version: int | None
    people: list[GenogramPersonOut]
    partnerships: list[GenogramPartnershipOut]
    parentages: list[GenogramParentageOut]
    households: list[GenogramHouseholdOut]
    relationships: list[GenogramRelationshipOut]
    text: list[GenogramTextOut]


class GenogramVersionOut(Schema):
    number: int
    saved_at: datetime.datetime
    saved_by_id: int | None
    change: str


class GenogramPersonIn(Schema):
    name: str = Field("", max_length=200)
    client_id: int | None = Field(
        None, description="A member of the family (clients.Person): name and birth date come from the client record."
    )
    sex: Sex = Sex.UNKNOWN
    birth_year: int | None = Field(None, ge=1850, le=2100)
    death_year: int | None = Field(None, ge=1850, le=2100)
    deceased: bool = False
    is_index: bool = False
    twin_of: int | None = None
    identical_twin: bool = False
    note: str = Field("", max_length=200)


class GenogramPartnershipIn(Schema):
    first: int
    second: int
    kind: PartnershipKind = PartnershipKind.MARRIED
    started_year: int | None = Field(None, ge=1850, le=2100)
    ended_year: int | None = Field(None, ge=1850, le=2100)


class GenogramChildIn(Schema):
    child: int
    parents: list[int] = Field(min_length=1, max_length=2)
    kind: ParentKind = ParentKind.BIOLOGICAL


class GenogramHouseholdIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    members: list[int] = Field(min_length=1, max_length=60)


class GenogramRelationshipIn(Schema):
    first: int
    second: int
    quality: Quality
    note: str = Field("", max_length=200)


class EcomapTieOut(Schema):
    id: int
    sector: str
    service: str
    name: str
    relative_id: int | None
    ring: int
    strength: str
    support: str
    professional: str
    contact: str
    note: str


class EcomapOut(Schema):
    id: int
    family_id: int
    drawn_on: IsoDate
    viewpoint: str
    viewpoint_person_id: int | None
    centre_id: int | None
    note: str
    ties: list[EcomapTieOut]
    text: list[GenogramTextOut]


class PartnerEcomapOut(Schema):
    family_id: int
    ecomap: EcomapOut | None = Field(description="The family's latest ecomap; null before the team has drawn one")


class EcomapIn(Schema):
    drawn_on: IsoDate
    viewpoint: Viewpoint
    viewpoint_person_id: int | None = None
    centre_id: int | None = None
    note: str = Field("", max_length=300)
    copy_from_id: int | None = None


class EcomapTieIn(Schema):
    sector: Sector | None = None
    service: Service | None = None
    name: str = Field("", max_length=200)
    relative_id: int | None = None
    ring: int = Field(2, ge=1, le=3)
    strength: Strength = Strength.STRONG
    support: Support = Support.NONE
    professional: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    note: str = Field("", max_length=200)


def _genogram_out(family_id: int, tree: Tree, version: int | None) -> dict:
    data = tree.to_json()
    for p in data["people"]:
        p.pop("birth_date", None)
    return {
        "family_id": family_id,
        "version": version,
        **data,
        "text": [{"heading": s.heading, "lines": s.lines} for s in text_alternative(tree)],
    }


def _tree(access, version):
    if version is None:
        latest = selectors.genogram_versions(access.family, limit=1)
        return selectors.genogram_tree(access.family), (latest[0].number if latest else None)
    v = selectors.genogram_version(access.family, version)
    if v is None:
        raise Http404
    return Tree.from_json(v.data, access.family.pk), v.number


@api.get("/families/{family_id}/genogram", response={200: GenogramOut, **ERRORS}, openapi_extra=PERSONAL, tags=["network"])
def genogram_get(request, family_id: int, version: int | None = None):
    """The family's genogram (or an earlier version), with its text alternative."""
    access = open_network(request.user, family_id)
    tree, number = _tree(access, version)
    show_tree(access, tree)
    return _genogram_out(access.family.pk, tree, number)


@api.get(
    "/families/{family_id}/genogram/versions", response={200: list[GenogramVersionOut], **ERRORS}, openapi_extra=PERSONAL, tags=["network"]
)
def genogram_versions(request, family_id: int):
    access = open_network(request.user, family_id)
    versions = list(selectors.genogram_versions(access.family))
    access.families_listed([access.family.pk])
    return [{"number": v.number, "saved_at": v.saved_at, "saved_by_id": v.saved_by_id, "change": v.change} for v in versions]


@api.get("/families/{family_id}/genogram/svg", response=ERRORS, openapi_extra=SVG, tags=["network"])
def genogram_svg(request, family_id: int, version: int | None = None):
    access = open_network(request.user, family_id)
    tree, _number = _tree(access, version)
    show_tree(access, tree)
    svg = render_svg(tree, title=_("Sukupuu: %(family)s") % {"family": access.family.name}, with_description=True)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def _people(access, ids) -> list[GenogramPerson]:
    found = {
        g.pk: g
        for g in GenogramPerson.objects.filter(family=access.family, pk__in=[i for i in ids if i is not None]).select_related("person")
    }
    missing = [i for i in ids if i is not None and i not in found]
    if missing:
        raise ValidationError(_("Sukupuussa ei ole henkilöä %(id)s.") % {"id": missing[0]})
    return [found[i] for i in ids if i is not None]


def _edited(access, status=201):
    tree, number = _tree(access, None)
    show_tree(access, tree)
    return Status(status, _genogram_out(access.family.pk, tree, number))


WRITE = {201: GenogramOut, **ERRORS, 422: Error}


@api.post("/families/{family_id}/genogram/people", response=WRITE, openapi_extra=PERSONAL, tags=["network"])
def genogram_person_create(request, family_id: int, payload: GenogramPersonIn):
    """Add a person: a client of the family (`client_id`) or a relative by name, never an identity code. Returns the genogram."""
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    data = payload.dict()
    client_id, twin_id = data.pop("client_id"), data.pop("twin_of")
    person = None
    if client_id is not None:
        person = Person.objects.filter(memberships__family=access.family, pk=client_id).first()
        if person is None:
            raise ValidationError({"client_id": _("Henkilö ei ole tämän perheen jäsen.")})
    twin = _people(access, [twin_id])[0] if twin_id is not None else None
    services.person_add(access=access, person=person, twin_of=twin, **data)
    return _edited(access)


@api.post("/families/{family_id}/genogram/partnerships", response=WRITE, openapi_extra=PERSONAL, tags=["network"])
def genogram_partnership_create(request, family_id: int, payload: GenogramPartnershipIn):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    first, second = _people(access, [payload.first, payload.second]) if payload.first != payload.second else (None, None)
    if first is None:
        raise ValidationError({"second": _("Valitse kaksi eri henkilöä.")})
    services.partnership_add(
        access=access, first=first, second=second, kind=payload.kind, started_year=payload.started_year, ended_year=payload.ended_year
    )
    return _edited(access)


@api.post("/families/{family_id}/genogram/children", response=WRITE, openapi_extra=PERSONAL, tags=["network"])
def genogram_child_create(request, family_id: int, payload: GenogramChildIn):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    child = _people(access, [payload.child])[0]
    services.child_add(access=access, child=child, parents=_people(access, payload.parents), kind=payload.kind)
    return _edited(access)


@api.post("/families/{family_id}/genogram/households", response=WRITE, openapi_extra=PERSONAL, tags=["network"])
def genogram_household_create(request, family_id: int, payload: GenogramHouseholdIn):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    services.household_add(access=access, name=payload.name, members=_people(access, list(dict.fromkeys(payload.members))))
    return _edited(access)


@api.post("/families/{family_id}/genogram/relationships", response=WRITE, openapi_extra=PERSONAL, tags=["network"])
def genogram_relationship_create(request, family_id: int, payload: GenogramRelationshipIn):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    if payload.first == payload.second:
        raise ValidationError({"second": _("Valitse kaksi eri henkilöä.")})
    first, second = _people(access, [payload.first, payload.second])
    services.relationship_add(access=access, first=first, second=second, quality=payload.quality, note=payload.note)
    return _edited(access)


def _ecomap_out(ecomap, ties) -> dict:
    return {
        "id": ecomap.pk,
        "family_id": ecomap.family_id,
        "drawn_on": ecomap.drawn_on,
        "viewpoint": ecomap.viewpoint,
        "viewpoint_person_id": ecomap.viewpoint_person_id,
        "centre_id": ecomap.centre_id,
        "note": ecomap.note,
        "ties": [
            {
                f: getattr(t, f)
                for f in (
                    "id",
                    "sector",
                    "service",
                    "name",
                    "relative_id",
                    "ring",
                    "strength",
                    "support",
                    "professional",
                    "contact",
                    "note",
                )
            }
            for t in ties
        ],
        "text": [{"heading": h, "lines": lines} for h, lines in ecomap_text(tie_views(ties))],
    }


@api.get("/families/{family_id}/ecomaps", response={200: list[EcomapOut], **ERRORS}, openapi_extra=PERSONAL, tags=["network"])
def ecomap_list(request, family_id: int):
    """Every ecomap of the family, newest first: the earlier ones stay as they were drawn."""
    access = open_network(request.user, family_id)
    maps = selectors.ecomaps_with_ties(access.family)
    show_ecomaps(access, maps)
    return [_ecomap_out(e, list(e.ties.all())) for e in maps]


@api.post("/families/{family_id}/ecomaps", response={201: EcomapOut, **ERRORS, 422: Error}, openapi_extra=PERSONAL, tags=["network"])
def ecomap_create(request, family_id: int, payload: EcomapIn):
    access = open_network(request.user, family_id, need=Perm.NETWORK_EDIT)
    family = access.family
    members = {p.pk: p for p in Person.objects.filter(memberships__family=family)}
    people = {}
    for name in ("viewpoint_person_id", "centre_id"):
        pid = getattr(payload, name)
        if pid is not None and pid not in members:
            raise ValidationError({name: _("Henkilö ei ole tämän perheen jäsen.")})
        people[name] = members.get(pid)
    copy_from = None
    if payload.copy_from_id is not None:
        copy_from = selectors.family_ecomaps(family).filter(pk=payload.copy_from_id).first()
        if copy_from is None:
            raise ValidationError({"copy_from_id": _("Pohjaksi voi ottaa vain saman perheen kartan.")})
    ecomap = services.ecomap_create(
        access=access,
        drawn_on=payload.drawn_on,
        viewpoint=payload.viewpoint,
        viewpoint_person=people["viewpoint_person_id"],
        centre=people["centre_id"],
        note=payload.note,
        copy_from=copy_from,
    )
    ties = selectors.ecomap_ties(ecomap)
    ecomap._prefetched_objects_cache = {"ties": ties}
    show_ecomaps(access, [ecomap])
    return Status(201, _ecomap_out(ecomap, ties))


@api.get("/families/{family_id}/ecomaps/{ecomap_id}", response={200: EcomapOut, **ERRORS}, openapi_extra=PERSONAL, tags=["network"])
def ecomap_get(request, family_id: int, ecomap_id: int):
    access = open_ecomap(request.user, family_id, ecomap_id)
    ties = selectors.ecomap_ties(access.resource)
    access.resource._prefetched_objects_cache = {"ties": ties}
    show_ecomaps(access, [access.resource])
    return _ecomap_out(access.resource, ties)


@api.get("/families/{family_id}/ecomaps/{ecomap_id}/svg", response=ERRORS, openapi_extra=SVG, tags=["network"])
def ecomap_svg(request, family_id: int, ecomap_id: int):
    access = open_ecomap(request.user, family_id, ecomap_id)
    ties = selectors.ecomap_ties(access.resource)
    access.resource._prefetched_objects_cache = {"ties": ties}
    show_ecomaps(access, [access.resource])
    return HttpResponse(ecomap_drawing(access.resource, ties)["svg"], content_type="image/svg+xml; charset=utf-8")


@api.post(
    "/families/{family_id}/ecomaps/{ecomap_id}/ties",
    response={201: EcomapOut, **ERRORS, 422: Error},
    openapi_extra=PERSONAL,
    tags=["network"],
)
def ecomap_tie_create(request, family_id: int, ecomap_id: int, payload: EcomapTieIn):
    access = open_ecomap(request.user, family_id, ecomap_id, need=Perm.NETWORK_EDIT)
    data = payload.dict()
    relative_id = data.pop("relative_id")
    relative = None
    if relative_id is not None:
        relative = GenogramPerson.objects.filter(family=access.family, pk=relative_id).select_related("person").first()
        if relative is None:
            raise ValidationError({"relative_id": _("Henkilön on oltava tämän perheen sukupuussa.")})
    data["sector"] = data["sector"] or ""
    data["service"] = data["service"] or ""
    services.tie_add(access=access, ecomap=access.resource, relative=relative, **data)
    ties = selectors.ecomap_ties(access.resource)
    access.resource._prefetched_objects_cache = {"ties": ties}
    show_ecomaps(access, [access.resource])
    return Status(201, _ecomap_out(access.resource, ties))


@api.get("/partner/families/{family_id}/ecomap", response={200: PartnerEcomapOut, **ERRORS}, openapi_extra=PERSONAL, tags=["partnership"])
def partner_ecomap_get(request, family_id: int):
    """The family's latest ecomap for a partner professional whose consent in force includes it
    (404 for everyone else). Each read is a disclosure out of the team, as on the partner's page."""
    access = open_partner_ecomap(request.user, family_id)
    ecomap = access.resource
    ties = selectors.ecomap_ties(ecomap) if ecomap is not None else []
    if ecomap is not None:
        ecomap._prefetched_objects_cache = {"ties": ties}
    show_partner_ecomap(access, [ecomap] if ecomap is not None else [])
    return {"family_id": access.family.pk, "ecomap": _ecomap_out(ecomap, ties) if ecomap is not None else None}
