"""Plausible histories of a child's client relationships (asiakkuudet), phase by phase.

A relationship starts with a child-welfare notification, the service-needs assessment starts
within days (the law says seven), and the assessment ends in no client relationship, open-care
support or, less often, a placement. From there the simulation walks forward with realistic
durations until it passes `today`; whatever phase it reached is the current one. A child turning
18 leaves child protection: out of a placement into after-care (which ends by the age the law
sets, see casework.rules.after_care_end), otherwise the relationship closes. Some children come
back after a closed relationship.

Every date is strictly after the previous one, never before birth and never after `today`.
"""

import datetime
import random
from dataclasses import dataclass, field

from apps.casework.rules import after_care_end
from apps.clients.models import Phase

from .data import CLOSE_REASONS_ASSESSMENT, CLOSE_REASONS_OPEN_CARE, NOTIFIERS, PLACEMENT_SITES

NOTIFICATION = Phase.NOTIFICATION.value
ASSESSMENT = Phase.ASSESSMENT.value
OPEN_CARE = Phase.OPEN_CARE.value
PLACEMENT_VOLUNTARY = Phase.PLACEMENT_VOLUNTARY.value
EMERGENCY_PLACEMENT = Phase.EMERGENCY_PLACEMENT.value
CARE_ORDER = Phase.CARE_ORDER.value
AFTER_CARE = Phase.AFTER_CARE.value
CLOSED = Phase.CLOSED.value
PLACEMENTS = {PLACEMENT_VOLUNTARY, EMERGENCY_PLACEMENT, CARE_ORDER}

NEVER = 100_000  # days: "until something else ends it" (turning 18)
_NOTIFIER_NAMES = [n for n, _ in NOTIFIERS]
# Who can notify about a child of that age: nobody from a school about a baby.
_NOTIFIER_AGES = {"varhaiskasvatus": (1, 6), "koulu": (6, 17), "lapsi itse": (10, 17), "nuorisotoimi": (12, 17)}
_NOTIFIER_WEIGHTS_BY_AGE = [
    [w if _NOTIFIER_AGES.get(n, (0, 99))[0] <= age <= _NOTIFIER_AGES.get(n, (0, 99))[1] else 0 for n, w in NOTIFIERS] for age in range(18)
]


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def notifier_choices(age: int) -> tuple[list[str], list[int]]:
    """Notifier names and their weights for a child of `age` (one `rng.choices` draw either way)."""
    return _NOTIFIER_NAMES, _NOTIFIER_WEIGHTS_BY_AGE[min(max(age, 0), 17)]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Step:
    phase: str
    on: datetime.date
    note: str = ""


@dataclass
class History:
    steps: list[Step] = field(default_factory=list)

    @property
    def opened_on(self) -> datetime.date:
        return self.steps[0].on

    @property
    def current_phase(self) -> str:
        return self.steps[-1].phase

    @property
    def closed_on(self) -> datetime.date | None:
        return self.steps[-1].on if self.current_phase == CLOSED else None


def _pick(rng: random.Random, options):
    """options: [(weight, phase, (min_days, max_days), note)] → (phase, days, note)."""
    _, phase, (lo, hi), note = rng.choices(options, weights=[o[0] for o in options])[0]
    return phase, rng.randint(lo, hi), note


def _site(rng: random.Random) -> str:
    return rng.choice(PLACEMENT_SITES)


def _next(rng: random.Random, phase: str, aftercare_path: bool):
    if phase == NOTIFICATION:
        return ASSESSMENT, rng.choice((1, 1, 2, 2, 3, 4, 5, 7)), ""
    if phase == ASSESSMENT:
        if aftercare_path:
            options = [(60, OPEN_CARE, (25, 90), ""), (40, EMERGENCY_PLACEMENT, (1, 20), f"Sijoitus: {_site(rng)}")]
        else:
            options = [
                (34, CLOSED, (20, 90), rng.choice(CLOSE_REASONS_ASSESSMENT)),
                (54, OPEN_CARE, (20, 90), ""),
                (7, EMERGENCY_PLACEMENT, (1, 20), f"Sijoitus: {_site(rng)}"),
                (5, PLACEMENT_VOLUNTARY, (30, 90), f"Sijoitus: {_site(rng)}"),
            ]
        return _pick(rng, options)
    if phase == OPEN_CARE:
        if aftercare_path:
            options = [
                (40, EMERGENCY_PLACEMENT, (60, 900), f"Sijoitus: {_site(rng)}"),
                (30, PLACEMENT_VOLUNTARY, (60, 900), f"Sijoitus: {_site(rng)}"),
                (30, CARE_ORDER, (180, 900), f"Sijaishuoltopaikka: {_site(rng)}"),
            ]
        else:
            options = [
                (66, CLOSED, (150, 900), rng.choice(CLOSE_REASONS_OPEN_CARE)),
                (14, PLACEMENT_VOLUNTARY, (60, 700), f"Sijoitus: {_site(rng)}"),
                (14, EMERGENCY_PLACEMENT, (30, 700), f"Sijoitus: {_site(rng)}"),
                (6, CARE_ORDER, (120, 800), f"Sijaishuoltopaikka: {_site(rng)}"),
            ]
        return _pick(rng, options)
    if phase == EMERGENCY_PLACEMENT:
        care_order = (40, CARE_ORDER, (20, 60), f"Sijaishuoltopaikka: {_site(rng)}")
        if aftercare_path:
            return _pick(rng, [care_order])
        return _pick(
            rng,
            [care_order, (42, OPEN_CARE, (7, 45), "Lapsi palasi kotiin, tuki jatkuu"), (18, PLACEMENT_VOLUNTARY, (14, 60), "")],
        )
    if phase == PLACEMENT_VOLUNTARY:
        if aftercare_path:
            return _pick(rng, [(60, CARE_ORDER, (90, 365), f"Sijaishuoltopaikka: {_site(rng)}"), (40, CARE_ORDER, (NEVER, NEVER), "")])
        return _pick(
            rng,
            [
                (45, OPEN_CARE, (60, 365), "Sijoitus päättyi, tuki jatkuu kotona"),
                (30, CARE_ORDER, (90, 365), f"Sijaishuoltopaikka: {_site(rng)}"),
                (25, AFTER_CARE, (120, 540), "Sijoitus päättyi"),
            ],
        )
    if phase == CARE_ORDER:
        if aftercare_path or rng.random() < 0.65:
            return AFTER_CARE, NEVER, ""
        return AFTER_CARE, rng.randint(365, 1500), "Huostaanotto lakkautettiin"
    if phase == AFTER_CARE:
        return CLOSED, rng.randint(180, 1800), "Jälkihuolto päättyi"
    raise ValueError(phase)


def simulate(rng: random.Random, birth: datetime.date, opened: datetime.date, today: datetime.date, *, aftercare_path=False) -> History:
    """One relationship from its notification on `opened` up to `today`."""
    notifier = rng.choices(*notifier_choices(age_on(birth, opened)))[0]
    history = History([Step(NOTIFICATION, opened, f"Ilmoittaja: {notifier}")])
    adult_day = add_years(birth, 18)
    phase, on = NOTIFICATION, opened
    while True:
        nxt, days, note = _next(rng, phase, aftercare_path)
        day = on + datetime.timedelta(days=min(max(days, 1), NEVER))
        if phase != AFTER_CARE and on < adult_day <= day:
            if phase in PLACEMENTS:
                nxt, day, note = AFTER_CARE, adult_day, "Jälkihuolto alkoi täysi-ikäistyessä"
            else:
                nxt, day, note = CLOSED, adult_day, "Lapsi täytti 18 vuotta"
        if phase == AFTER_CARE:
            last_day = after_care_end(birth)[0]  # by 21, 25 or 23 depending on the law in force
            if day > last_day:
                day = max(last_day, on + datetime.timedelta(days=1))
        if day > today:
            break
        history.steps.append(Step(nxt, day, note))
        phase, on = nxt, day
        if phase == CLOSED:
            break
    return history


def child_histories(
    rng: random.Random, birth: datetime.date, today: datetime.date, *, aftercare=False, opened: datetime.date | None = None
) -> list[History]:
    """All relationships of one child, oldest first; only the last may be open.

    `opened` asks for the first notification on that day (a notification about the whole
    family); it is ignored if the child was not born yet.
    """
    if aftercare or opened is None or not birth <= opened <= today:
        opened = _first_notification(rng, birth, today, aftercare)
    histories = [simulate(rng, birth, opened, today, aftercare_path=aftercare)]
    adult_day = add_years(birth, 18)
    while len(histories) < 3 and histories[-1].closed_on and rng.random() < 0.25:
        reopened = histories[-1].closed_on + datetime.timedelta(days=rng.randint(30, 720))
        if reopened > today or reopened >= adult_day:
            break
        histories.append(simulate(rng, birth, reopened, today))
    return histories


def _first_notification(rng: random.Random, birth: datetime.date, today: datetime.date, aftercare: bool) -> datetime.date:
    if aftercare:
        # Came into care as a school child; now 18-22 and in (or past) after-care.
        return add_years(birth, rng.randint(6, 13)) + datetime.timedelta(days=rng.randint(0, 364))
    # Mostly within the last two years, some earlier; never before birth.
    lived = (today - birth).days
    back = rng.randint(0, 730) if rng.random() < 0.8 else rng.randint(731, 2200)
    if back > lived:
        back = rng.randint(0, lived)
    return today - datetime.timedelta(days=back)
