"""Rating operations of the JSON API: the same gate, services and selectors as the ratings pages."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from ninja import Schema, Status
from pydantic import Field, StrictInt

from apps.access import gate
from apps.access.permissions import Perm
from apps.clients.access import open_family
from apps.ratings import selectors, services
from apps.ratings.models import Instrument, Rating

from .api import api
from .schemas import Error, IsoDate, example

PERSONAL = {"x-personal-data": True}
NOT_PERSONAL = {"x-personal-data": False}
ERRORS = {401: Error, 403: Error, 404: Error}


class InstrumentOut(Schema):
    code: str
    version: str
    kind: str
    definition: dict


class RatingOut(Schema):
    id: int
    rater_id: int
    instrument: str
    version: str
    kind: str
    rated_on: IsoDate
    values: dict[str, Decimal]
    total: Decimal | None
    mode: str


class RatingsOut(Schema):
    ratings: list[RatingOut]
    flags: list[str]


class PaperIn(Schema):
    model_config = example(
        rater_id=1,
        instrument="ORS",
        rated_on="2026-03-02",
        centimetres={"individually": 4, "interpersonally": 5.5, "socially": 6, "overall": 7},
    )

    rater_id: StrictInt
    instrument: str = Field(max_length=20, description="Instrument code, e.g. ORS")
    rated_on: IsoDate
    centimetres: dict[str, Decimal] = Field(description="Each line's mark in cm from the left end")


class LinkIn(Schema):
    model_config = example(rater_id=1, kind="session")

    rater_id: StrictInt
    kind: str = Field(pattern="^(outcome|session)$")


class LinkOut(Schema):
    id: int
    url: str
    instrument: str
    expires_at: datetime.datetime


def _out(r: Rating, instrument) -> dict:
    """One rating; `instrument` is its Instrument or parsed definition (both have code, version, kind)."""
    return {
        "id": r.pk,
        "rater_id": r.rater_id,
        "instrument": instrument.code,
        "version": instrument.version,
        "kind": instrument.kind,
        "rated_on": r.rated_on,
        "values": r.values,
        "total": r.total,
        "mode": r.mode,
    }


@api.get("/instruments", response={200: list[InstrumentOut], **ERRORS}, openapi_extra=NOT_PERSONAL, tags=["ratings"])
def instrument_list(request):
    gate.own_work(request.user)  # professionals of a county who work in teams (not partners): 404 for others
    return [
        {"code": i.code, "version": i.version, "kind": i.kind, "definition": i.definition} for i in Instrument.objects.filter(active=True)
    ]


@api.get("/families/{family_id}/ratings", response={200: RatingsOut, **ERRORS}, openapi_extra=PERSONAL, tags=["ratings"])
def family_ratings(request, family_id: int):
    access = open_family(request.user, family_id, need=Perm.CASEWORK_VIEW)
    series = selectors.family_series(access.family.pk)  # one read for the list and the flags
    rows = sorted(((r, s.spec) for s in series for r in s.ratings), key=lambda row: (row[0].rated_on, row[0].created_at))
    flags = selectors.series_flags(access.family.pk, series)
    return {"ratings": [_out(r, spec) for r, spec in rows], "flags": [f.text for f in flags]}


@api.post("/families/{family_id}/ratings", response={201: RatingOut, 422: Error, **ERRORS}, openapi_extra=PERSONAL, tags=["ratings"])
def paper_rating_create(request, family_id: int, payload: PaperIn):
    """A paper form typed in on the family's behalf (marked as such)."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    instrument = Instrument.objects.filter(active=True, code=payload.instrument).order_by("-version").first()
    if instrument is None:
        raise Http404
    rating = services.enter_paper(
        access, rater_id=payload.rater_id, instrument=instrument, rated_on=payload.rated_on, centimetres=payload.centimetres
    )
    return Status(201, _out(rating, instrument))


@api.post("/families/{family_id}/rating-links", response={201: LinkOut, 422: Error, **ERRORS}, openapi_extra=PERSONAL, tags=["ratings"])
def rating_link_create(request, family_id: int, payload: LinkIn):
    """A one-time link for one family member; the URL is returned once and never stored."""
    access = open_family(request.user, family_id, need=Perm.FAMILY_EDIT)
    link, token = services.issue_link(access, rater_id=payload.rater_id, kind=payload.kind)
    url = request.build_absolute_uri(reverse("rate", kwargs={"token": token}))
    return Status(201, {"id": link.pk, "url": url, "instrument": link.instrument.code, "expires_at": link.expires_at})
