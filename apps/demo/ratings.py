"""Believable ORS/SRS-style ratings for a demo family, as rows for the Rating table.

Family members of rating age (parents, and children from six, whose versions differ) rate how
things have gone at roughly monthly meetings, and rate the session after team meetings the
family attended. Trajectories follow what outcome studies report in broad strokes: most raters
start below the clinical cut-off; about half improve reliably, a third stay where they were
and a minority get worse, so the flags and team figures have something to show. Session
ratings are mostly high (36–40) with an occasional low one. Deterministic for a given rng.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from apps.ratings.definitions import Definition
from apps.ratings.models import Instrument, Mode, Rating

TENTH = Decimal("0.1")
SHARE_RATING = 0.7  # families whose members rate at all
PLANTED_EFFECT = 3.0  # ORS points added to every outcome rating after the first, systemic teams only
VISIT_DAYS = 28  # a comparison team's worker meets the family about every four weeks
TRAJECTORIES = (("improve", 0.68), ("flat", 0.24), ("worse", 0.08))


@dataclass(frozen=True)
class Rater:
    person_id: int
    birth_date: datetime.date | None


@dataclass(frozen=True)
class Session:
    """A meeting where the family rated: a team-meeting agenda item (with the family present) or a visit."""

    day: datetime.date
    agenda_item_id: int | None = None


def _age(birth: datetime.date | None, day: datetime.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class Instruments:
    """The active instruments, read once: (id, spec) per code, chosen by age like the app does."""

    def __init__(self):
        self.by_kind: dict[str, list[tuple[int, Definition]]] = {"outcome": [], "session": []}
        for i in Instrument.objects.filter(active=True).order_by("code", "-version"):
            self.by_kind[i.kind].append((i.pk, i.spec))

    def pick(self, kind: str, age: int | None) -> tuple[int, Definition] | None:
        for pk, spec in self.by_kind[kind]:
            if age is not None and spec.covers_age(age):
                return pk, spec
        return next(((pk, s) for pk, s in self.by_kind[kind] if s.audience == "adult"), None)


def _split(rng: random.Random, total: float, spec: Definition, noise: float = 1.2) -> dict[str, str]:
    """Spread a total over the lines with a little noise, each kept on its line to 0.1."""
    n = len(spec.items)
    top = float(spec.scale_max)
    values, left = [], total
    for i in range(n):
        remaining = n - i
        if remaining == 1:
            v = left
        else:
            v = left / remaining + rng.uniform(-noise, noise)
        v = min(max(v, 0.0), top)
        values.append(Decimal(str(v)).quantize(TENTH))
        left -= float(values[-1])
    return {item.key: str(v) for item, v in zip(spec.items, values, strict=True)}


def family_ratings(
    rng: random.Random,
    instruments: Instruments,
    *,
    county_id: int,
    family_id: int,
    raters: list[Rater],
    sessions: list[Session],
    effect: float = 0.0,
) -> list[tuple]:
    if not sessions or rng.random() > SHARE_RATING:
        return []
    rows: list[tuple] = []
    # A family tends to move together; now and then one member sees it differently.
    family_way = rng.choices([t for t, _w in TRAJECTORIES], weights=[w for _t, w in TRAJECTORIES])[0]
    for rater in raters:
        if _age(rater.birth_date, sessions[0].day) is not None and _age(rater.birth_date, sessions[0].day) < 6:
            continue
        trajectory = family_way if rng.random() < 0.85 else rng.choice(["improve", "flat"])
        start = rng.uniform(14, 24)
        # Where the rater's scores head, reached gradually (about two thirds of the way in three
        # months): change levels off, as it does in outcome studies, rather than running into the
        # top of the scale.
        gain = {"improve": rng.uniform(7, 14), "flat": rng.uniform(-2, 2.5), "worse": rng.uniform(-8, -4)}[trajectory]
        for n, session in enumerate(sessions):
            age = _age(rater.birth_date, session.day)
            picked = instruments.pick("outcome", age)
            if picked is None:
                continue
            pk, spec = picked
            # The change runs with time, not per rating: a family met more often does not improve
            # faster for that alone, so the two kinds' rhythms do not bias the planted effect.
            months = (session.day - sessions[0].day).days / VISIT_DAYS
            trend = gain * (1 - math.exp(-months / 3))
            total = min(max(start + trend + rng.uniform(-1.5, 1.5) + (effect if n else 0.0), 2.0), float(spec.total_max) - 1)
            values = _split(rng, total, spec)
            rows.append(_rating(county_id, family_id, rater.person_id, pk, session, values, spec))
            if session.agenda_item_id is not None or rng.random() < 0.5:
                session_pick = instruments.pick("session", age)
                if session_pick is not None:
                    spk, sspec = session_pick
                    srs = rng.uniform(37.5, 40) if rng.random() < 0.93 else rng.uniform(30, 36)
                    values = _split(rng, srs, sspec, noise=0.25) if sspec.scored else _split(rng, 7.5, sspec)
                    rows.append(_rating(county_id, family_id, rater.person_id, spk, session, values, sspec))
    return rows


RATING_FIELDS = ("county", "family", "rater", "instrument", "rated_on", "agenda_item", "values", "total", "mode")


def _rating(county_id, family_id, person_id, instrument_id, session: Session, values: dict, spec: Definition) -> tuple:
    """One Rating row as a tuple of RATING_FIELDS values."""
    total = sum(Decimal(v) for v in values.values()) if spec.scored else None
    mode = Mode.PHONE.value if len(values) > 1 else Mode.PAPER.value
    return (county_id, family_id, person_id, instrument_id, session.day, session.agenda_item_id, values, total, mode)


def visit_days(rng: random.Random, spans: list[tuple[datetime.date, datetime.date | None]], since: datetime.date, today: datetime.date):
    """A comparison team's visits to one family: every VISIT_DAYS (a few days either way) while one of
    its relationships is open, from `since` (two years back, as the systemic teams' meetings) on."""
    days = []
    for opened, closed in sorted(spans, key=lambda span: span[0]):
        day = max(opened, since) + datetime.timedelta(days=rng.randint(3, 20))
        end = min(closed or today, today)
        while day <= end:
            if not days or day > days[-1]:
                days.append(day)
            day += datetime.timedelta(days=VISIT_DAYS + rng.randint(-4, 4))
    return days


def write_ratings(seed: int, key: str, today: datetime.date, items, *, effect: float = 0.0) -> int:
    """Ratings for a chunk's families at their past team-meeting discussions; returns the count.

    `items` are (county id, ItemSpec) pairs with primary keys already assigned; `key` names the
    chunk (its random stream), so the data depend on the seed, not on the database's key values. A discussion the
    family attended carries the session rating of that meeting; the others stand for the worker's
    visit around the same day. One query reads the raters of the whole chunk.
    """
    from collections import defaultdict

    sessions: dict[int, list[Session]] = defaultdict(list)
    county_of: dict[int, int] = {}
    for county_id, item in items:
        day = item.meeting.starts_at.date()
        if day <= today:
            sessions[item.family_id].append(Session(day, item.pk if item.family_attended else None))
            county_of[item.family_id] = county_id
    return _write(seed, key, sessions, county_of, effect=effect)


def write_visit_ratings(seed: int, key: str, today: datetime.date, visits: list[tuple[int, int, list[datetime.date]]]) -> int:
    """Ratings at a comparison team's visits: (county id, family id, visit days) per family."""
    sessions = {family_id: [Session(day) for day in days] for _county, family_id, days in visits if days}
    county_of = {family_id: county for county, family_id, _days in visits}
    return _write(seed, key, sessions, county_of, effect=0.0)


def _write(seed: int, key: str, sessions: dict, county_of: dict, *, effect: float) -> int:
    from collections import defaultdict

    from apps.clients.models import FamilyMember

    from .bulk import insert
    from .plan import rng_for

    if not sessions:
        return 0
    raters: dict[int, list[Rater]] = defaultdict(list)
    members = FamilyMember.objects.filter(family_id__in=list(sessions)).order_by("family_id", "person_id")
    for family_id, person_id, birth in members.values_list("family_id", "person_id", "person__birth_date"):
        raters[family_id].append(Rater(person_id, birth))
    instruments = Instruments()
    rows: list[tuple] = []
    rng = rng_for(seed, "ratings", key)
    for family_id in sorted(sessions):
        ordered = sorted(sessions[family_id], key=lambda s: s.day)
        rows.extend(
            family_ratings(
                rng,
                instruments,
                county_id=county_of[family_id],
                family_id=family_id,
                raters=raters[family_id],
                sessions=ordered,
                effect=effect,
            )
        )
    return insert(Rating, RATING_FIELDS, rows)
