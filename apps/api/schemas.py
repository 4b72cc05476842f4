import datetime

from ninja import Schema
from pydantic import Field


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


class FamilyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    municipality: str | None = Field(None, max_length=100)
    parents_worker_id: int | None = None


class PersonPatch(Schema):
    first_names: str | None = Field(None, min_length=1, max_length=200)
    last_name: str | None = Field(None, min_length=1, max_length=200)
    personal_identity_code: str | None = None
    birth_date: datetime.date | None = None
    language: str | None = None
    non_disclosure: bool | None = None
    street_address: str | None = None
    postal_code: str | None = None
    post_office: str | None = None
    phone: str | None = None
    email: str | None = None


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
