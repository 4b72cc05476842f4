"""Rating instruments as data: the schema every shipped or loaded definition must satisfy.

An instrument (ORS, SRS, their children's versions, or another four-line visual-analogue scale)
is a JSON document: items with anchors in fi/sv/en, age band, presentation, and the published
scoring facts (cut-offs by age, reliable change, alert rules), each with its source and our
confidence in it. Adding an instrument is adding a file, not code.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.utils.translation import get_language
from pydantic import BaseModel, ConfigDict, Field, model_validator

SHIPPED = Path(__file__).parent / "instruments"


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fi: str = Field(min_length=1)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __str__(self) -> str:
        return getattr(self, (get_language() or "fi")[:2], None) or self.fi


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z_]+$")
    label: Text
    low: Text
    high: Text


class Fact(BaseModel):
    """A published figure with where it comes from and how sure we are (H, M or U as in FACTS.md)."""

    model_config = ConfigDict(extra="forbid")
    value: Decimal
    source: str = Field(min_length=1)
    confidence: Literal["H", "M", "U"]
    note: str = ""


class Cutoff(Fact):
    age_min: int = Field(ge=0)
    age_max: int | None = None

    def covers(self, age: int | None) -> bool:
        return age is not None and age >= self.age_min and (self.age_max is None or age <= self.age_max)


class Definition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[A-Z0-9_-]+$")
    version: str
    kind: Literal["outcome", "session"]
    name: Text
    instructions: Text
    audience: Literal["adult", "child", "young_child"]
    age_min: int = Field(ge=0)
    age_max: int | None = None
    presentation: Literal["line", "faces"] = "line"
    faces: bool = False
    scored: bool = True
    scale_max: Decimal = Decimal(10)
    line_cm: Decimal = Decimal(10)
    items: list[Item] = Field(min_length=1, max_length=12)
    cutoffs: list[Cutoff] = []
    reliable_change: Fact | None = None
    reliable_change_note: str = ""
    expected_sessions: Fact | None = None
    alert_total_below: Fact | None = None
    alert_item_below: Fact | None = None
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        keys = [i.key for i in self.items]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.code}: item keys repeat")
        if self.presentation == "faces" and len(self.items) != 1:
            raise ValueError(f"{self.code}: a faces form has one question")
        return self

    @property
    def total_max(self) -> Decimal:
        return self.scale_max * len(self.items)

    def covers_age(self, age: int | None) -> bool:
        return age is not None and age >= self.age_min and (self.age_max is None or age <= self.age_max)

    def cutoff_for(self, age: int | None) -> Cutoff | None:
        return next((c for c in self.cutoffs if c.covers(age)), None)


def shipped_definitions() -> list[Definition]:
    return [Definition.model_validate(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(SHIPPED.glob("*.json"))]
