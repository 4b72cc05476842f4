"""The joint assessment's question set as data (question_sets/*.json): life areas with their adult
and child wording in fi/sv/en, and the 1–5 scale with its traffic-light zones.

The Yhdessä tool (seed 002; ../shared/FACTS.md) has each participant place their own mark on a line
with green, yellow and red zones; issue 20 asks for eight life areas on a 1–5 scale. The scale here is
both: five steps, 1–2 red (a bigger worry), 3 yellow (some worry), 4–5 green (going well). The tool's
own wording was not available, so the wording is ours and the set is versioned: an assessment keeps a
copy of the set it was made with, and a new wording is a new file.
"""

import json
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language
from pydantic import BaseModel, ConfigDict, Field, model_validator

SHIPPED = Path(__file__).parent / "question_sets"
DEFAULT = ("YHDESSA-AREAS", "1")


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fi: str = Field(min_length=1)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __str__(self) -> str:
        return getattr(self, (get_language() or "fi")[:2], None) or self.fi


class Zone(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    low: int = Field(alias="from")
    high: int = Field(alias="to")
    zone: str
    label: Text


class Scale(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min: int
    max: int
    zones: list[Zone]
    words: dict[str, Text]

    def zone_of(self, value: int | None) -> Zone | None:
        return next((z for z in self.zones if value is not None and z.low <= value <= z.high), None)

    @property
    def values(self) -> list[int]:
        return list(range(self.min, self.max + 1))


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z_]+$")
    icon: str
    label: Text
    adult: Text
    child: Text


class QuestionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    version: str
    name: Text
    source: str
    scale: Scale
    areas: list[Area] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _consistent(self):
        keys = [a.key for a in self.areas]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.code}: area keys repeat")
        covered = sorted(v for z in self.scale.zones for v in range(z.low, z.high + 1))
        if covered != self.scale.values or sorted(self.scale.words) != [str(v) for v in self.scale.values]:
            raise ValueError(f"{self.code}: every value of the scale needs exactly one zone and a word")
        return self

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)


@lru_cache(maxsize=8)
def shipped(code: str = DEFAULT[0], version: str = DEFAULT[1]) -> QuestionSet:
    for path in sorted(SHIPPED.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if (data["code"], data["version"]) == (code, version):
            return QuestionSet.model_validate(data)
    raise LookupError(f"no question set {code} {version}")


def from_snapshot(data: dict) -> QuestionSet:
    """The set an assessment was made with (its stored copy)."""
    return QuestionSet.model_validate(data)
