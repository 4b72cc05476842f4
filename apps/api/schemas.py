import datetime
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator
from pydantic_core import PydanticCustomError

# In the *In and *Patch bodies, ids, counts and truth values are StrictInt and StrictBool: a JSON
# body has numbers and booleans of its own, and pydantic's lax mode would read `0` as false and
# `true` or "5" as a number (the fuzzer's `"non_disclosure": 0` was taken as false).


def _date_as_text(value):
    """JSON has no date type: a date comes as ISO 8601 text (2026-12-07). Pydantic's lax mode would
    read a number as seconds since 1970 (the fuzzer's `"drawn_on": 0` became 1.1.1970)."""
    if isinstance(value, int | float | bool):
        raise PydanticCustomError("date_type", "a date as ISO 8601 text")
    return value


# A day in a request or response body; input schemas use it for every date field.
IsoDate = Annotated[datetime.date, BeforeValidator(_date_as_text)]


def example(**body) -> ConfigDict:
    """A request body as the OpenAPI document shows it (Schemathesis' examples phase sends it as is)."""
    return ConfigDict(json_schema_extra={"examples": [body]})


class Error(Schema):
    detail: str | list | dict


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    unit: str


class MemberOut(Schema):
    user_id: int
    name: str
    role: str
    children_responsible: int | None = None


class TeamDetailOut(TeamOut):
    members: list[MemberOut]
    family_ids: list[int]


class FamilyOut(Schema):
    id: int
    team_id: int
    name: str
    municipality: str
    parents_worker_id: int | None


class PhaseOut(Schema):
    phase: str
    started_on: IsoDate
    note: str


class RelationshipOut(Schema):
    id: int
    family_id: int
    child_id: int
    responsible_worker_id: int | None
    opened_on: IsoDate
    closed_on: IsoDate | None
    current_phase: str
    phases: list[PhaseOut]


class PersonOut(Schema):
    id: int
    first_names: str
    last_name: str
    personal_identity_code: str
    birth_date: IsoDate | None
    language: str
    non_disclosure: bool
    contact_hidden: bool
    street_address: str | None = None
    postal_code: str | None = None
    post_office: str | None = None
    phone: str | None = None
    email: str | None = None


class FamilyMemberOut(Schema):
    relation: str
    is_guardian: bool
    person: PersonOut


class FamilyDetailOut(FamilyOut):
    members: list[FamilyMemberOut]
    relationships: list[RelationshipOut]


class FamilyIn(Schema):
    model_config = example(team_id=1, name="Mäkinen", municipality="Tampere", parents_worker_id=2)

    team_id: StrictInt
    name: str = Field(min_length=1, max_length=200)
    municipality: str = Field("", max_length=100)
    parents_worker_id: StrictInt | None = None


class Patch(Schema):
    """A PATCH body: a JSON object whose fields left out are not changed. Only fields the database
    can hold empty accept null (parents_worker_id, birth_date, personal_identity_code); for the
    others null is a 422."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # Every field is optional, so without this `[]` or `5` would pass as an empty patch.
        if not isinstance(getattr(data, "_obj", data), dict):
            raise PydanticCustomError("model_type", "Input should be an object")
        return data


class FamilyPatch(Patch):
    model_config = example(municipality="Tampere")

    name: str = Field(None, min_length=1, max_length=200)
    municipality: str = Field(None, max_length=100)
    parents_worker_id: StrictInt | None = None


class PersonPatch(Patch):
    model_config = example(phone="040 123 4567")

    first_names: str = Field(None, min_length=1, max_length=200)
    last_name: str = Field(None, min_length=1, max_length=200)
    personal_identity_code: str | None = None
    birth_date: IsoDate | None = None
    language: str = None
    non_disclosure: StrictBool = None
    street_address: str = None
    postal_code: str = None
    post_office: str = None
    phone: str = None
    email: str = None


class PersonIn(Schema):
    model_config = example(relation="child", first_names="Aino", last_name="Mäkinen", personal_identity_code="010312A919T")

    relation: str
    is_guardian: StrictBool = False
    first_names: str = Field(min_length=1, max_length=200)
    last_name: str = Field(min_length=1, max_length=200)
    personal_identity_code: str = ""
    birth_date: IsoDate | None = None
    language: str = "fi"
    non_disclosure: StrictBool = False
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    phone: str = ""
    email: str = ""


class RelationshipIn(Schema):
    model_config = example(child_id=1, responsible_worker_id=2, opened_on="2026-03-02", phase="notification")

    child_id: StrictInt
    responsible_worker_id: StrictInt
    opened_on: IsoDate
    phase: str = "notification"


class PhaseIn(Schema):
    model_config = example(phase="assessment", started_on="2026-03-05")

    phase: str
    started_on: IsoDate
    note: str = Field("", max_length=500)
