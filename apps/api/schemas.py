import datetime

from ninja import Schema
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError


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
    started_on: datetime.date
    note: str


class RelationshipOut(Schema):
    id: int
    family_id: int
    child_id: int
    responsible_worker_id: int | None
    opened_on: datetime.date
    closed_on: datetime.date | None
    current_phase: str
    phases: list[PhaseOut]


class PersonOut(Schema):
    id: int
    first_names: str
    last_name: str
    personal_identity_code: str
    birth_date: datetime.date | None
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
    team_id: int
    name: str = Field(min_length=1, max_length=200)
    municipality: str = Field("", max_length=100)
    parents_worker_id: int | None = None


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
    name: str = Field(None, min_length=1, max_length=200)
    municipality: str = Field(None, max_length=100)
    parents_worker_id: int | None = None


class PersonPatch(Patch):
    first_names: str = Field(None, min_length=1, max_length=200)
    last_name: str = Field(None, min_length=1, max_length=200)
    personal_identity_code: str | None = None
    birth_date: datetime.date | None = None
    language: str = None
    non_disclosure: bool = None
    street_address: str = None
    postal_code: str = None
    post_office: str = None
    phone: str = None
    email: str = None


class PersonIn(Schema):
    relation: str
    is_guardian: bool = False
    first_names: str = Field(min_length=1, max_length=200)
    last_name: str = Field(min_length=1, max_length=200)
    personal_identity_code: str = ""
    birth_date: datetime.date | None = None
    language: str = "fi"
    non_disclosure: bool = False
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    phone: str = ""
    email: str = ""


class RelationshipIn(Schema):
    child_id: int
    responsible_worker_id: int
    opened_on: datetime.date
    phase: str = "notification"


class PhaseIn(Schema):
    phase: str
    started_on: datetime.date
    note: str = Field("", max_length=500)
