"""Synthetic client families as plain data: people, how they belong to the family, and histories.

`FamilyMaker.family()` draws one family for a team: a language group, a household type (two
parents, one parent, a blended family with a step-parent, a grandparent raising the children,
an appointed guardian), one to four children with their client-relationship histories, the
children's and the parents' workers, addresses and phone numbers for the adults. All randomness
comes from the `random.Random` the caller passes, so the same stream gives the same family.
"""

import datetime
import random
from dataclasses import dataclass, field

from apps.clients.models import Relation

from .data import STREET_STEMS_FI, STREET_STEMS_SV, STREET_SUFFIXES_FI, STREET_SUFFIXES_SV, CountyInfo, Municipality
from .history import History, add_years, child_histories
from .identity import IdentityCodes
from .names import ADULT, BOOKS, CHILD, ELDER, FEMALE, MALE, NameBook, email_local, family_name
from .plan import EMAIL_DOMAIN

PHONE_PREFIXES = ("040", "050", "044", "045", "041", "046")

HOUSEHOLDS = (
    ("two_parents", 38),
    ("mother", 30),
    ("father", 5),
    ("blended", 15),
    ("two_surnames", 7),
    ("grandparent", 3),
    ("guardian", 2),
)
_HOUSEHOLD_NAMES = [h for h, _ in HOUSEHOLDS]
_HOUSEHOLD_WEIGHTS = [w for _, w in HOUSEHOLDS]
# Child-protection clients are more often school-aged and teenagers than babies.
_CHILD_AGES = list(range(18))
_CHILD_AGE_WEIGHTS = [1.0 + age / 6 for age in _CHILD_AGES]


@dataclass
class PersonSpec:
    first_names: str
    last_name: str
    birth_date: datetime.date
    personal_identity_code: str
    language: str
    non_disclosure: bool = False
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    phone: str = ""
    email: str = ""
    sex: str = ""  # FEMALE or MALE: picks "äiti" or "isä" in the generated meeting records


@dataclass
class MemberSpec:
    person: PersonSpec
    relation: str
    is_guardian: bool = False
    note: str = ""


@dataclass
class RelationshipSpec:
    child: PersonSpec
    worker: int  # index into the team's caseworkers: the responsible worker now (or at closing)
    history: History
    # (worker, from, to or None): who was responsible when; the last one is `worker`.
    periods: list[tuple[int, datetime.date, datetime.date | None]] = field(default_factory=list)

    def worker_on(self, day: datetime.date) -> int:
        for worker, start, _end in reversed(self.periods):
            if start <= day:
                return worker
        return self.worker


@dataclass
class FamilySpec:
    name: str
    municipality: str
    parents_worker: int
    members: list[MemberSpec] = field(default_factory=list)
    relationships: list[RelationshipSpec] = field(default_factory=list)

    @property
    def children(self) -> list[PersonSpec]:
        return [m.person for m in self.members if m.relation == Relation.CHILD]


@dataclass
class _Address:
    street_address: str
    postal_code: str
    post_office: str


def birth_for_age(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    """A birth date on which someone is exactly `age` years old `today`."""
    latest = add_years(today, -age)
    earliest = add_years(today, -age - 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))


class FamilyMaker:
    """Draws families for the teams of one county; shares the county's identity-code register."""

    def __init__(self, info: CountyInfo, today: datetime.date, codes: IdentityCodes, *, swedish: float | None = None):
        self.info = info
        self.today = today
        self.codes = codes
        self.swedish = info.swedish if swedish is None else swedish
        self.emails: dict[str, int] = {}
        self._towns = list(info.municipalities)
        self._town_weights = [t.weight for t in self._towns]

    # -- small draws ---------------------------------------------------------------------------

    def _book(self, rng: random.Random) -> NameBook:
        r = rng.random()
        if r < self.swedish:
            return BOOKS["sv"]
        if r < self.swedish + 0.035:
            return BOOKS["other"]
        if r < self.swedish + 0.045:
            return BOOKS["en"]
        return BOOKS["fi"]

    def _town(self, rng: random.Random, home: Municipality) -> Municipality:
        if rng.random() < 0.75:
            return home
        return rng.choices(self._towns, weights=self._town_weights)[0]

    def _address(self, rng: random.Random, town: Municipality, book: NameBook) -> _Address:
        if book.language == "sv":
            street = rng.choice(STREET_STEMS_SV) + rng.choice(STREET_SUFFIXES_SV)
        else:
            street = rng.choice(STREET_STEMS_FI) + rng.choice(STREET_SUFFIXES_FI)
        number = rng.randint(1, 60)
        if rng.random() < 0.6:  # a flat
            street_address = f"{street} {number} {rng.choice('ABCD')} {rng.randint(1, 40)}"
        else:
            street_address = f"{street} {number}"
        digits = "".join(str(rng.randint(0, 9)) for _ in range(max(0, 4 - len(town.postal_prefix))))
        return _Address(street_address, f"{town.postal_prefix}{digits}0", town.name)

    def _phone(self, rng: random.Random) -> str:
        # "000" after the operator prefix marks the number as made up.
        return f"{rng.choice(PHONE_PREFIXES)} 000 {rng.randint(0, 9999):04d}"

    def _email(self, first_names: str, last_name: str) -> str:
        local = email_local(first_names, last_name)
        n = self.emails.get(local, 0) + 1
        self.emails[local] = n
        return f"{local}{n if n > 1 else ''}@{EMAIL_DOMAIN}"

    def _person(
        self,
        rng: random.Random,
        book: NameBook,
        generation: str,
        sex: str,
        last_name: str,
        birth: datetime.date,
        *,
        address: _Address | None = None,
        non_disclosure: bool = False,
    ) -> PersonSpec:
        first_names = book.first_names(rng, generation, sex)
        code, birth = self.codes.allocate(rng, birth)
        person = PersonSpec(first_names, last_name, birth, code, book.language, non_disclosure, sex=sex)
        if address is not None:
            person.street_address = address.street_address
            person.postal_code = address.postal_code
            person.post_office = address.post_office
            person.phone = self._phone(rng)
            if rng.random() < 0.85:
                person.email = self._email(first_names, last_name)
        return person

    # -- a family ------------------------------------------------------------------------------

    def family(self, rng: random.Random, home: Municipality, worker_weights: list[float]) -> FamilySpec:
        today = self.today
        book = self._book(rng)
        household = rng.choices(_HOUSEHOLD_NAMES, weights=_HOUSEHOLD_WEIGHTS)[0]
        hidden = rng.random() < 0.01  # turvakielto: the whole family's contact details are protected
        town = self._town(rng, home)
        home_address = self._address(rng, town, book)

        # Children: the oldest first, siblings one to five years apart.
        aftercare = rng.random() < 0.07
        wanted = rng.choices((1, 2, 3, 4), weights=(40, 32, 18, 10))[0]
        age = rng.randint(18, 22) if aftercare else rng.choices(_CHILD_AGES, weights=_CHILD_AGE_WEIGHTS)[0]
        ages = [age]
        while len(ages) < wanted:
            age -= rng.randint(1, 5)
            if age < 0:
                break
            ages.append(age)
        births = [birth_for_age(rng, today, a) for a in ages]
        oldest = births[0]

        children_surname = book.surname(rng)
        mother_birth = add_years(oldest, -rng.randint(19, 40)) - datetime.timedelta(days=rng.randint(0, 364))
        father_birth = add_years(mother_birth, -rng.randint(-3, 8)) - datetime.timedelta(days=rng.randint(0, 364))
        adults: list[MemberSpec] = []

        def adult(generation, sex, surname, birth, relation, guardian, *, address=home_address, note=""):
            person = self._person(rng, book, generation, sex, surname, birth, address=address, non_disclosure=hidden)
            adults.append(MemberSpec(person, relation, guardian, note))
            return person

        household_surnames = []
        if household == "two_parents":
            mother_surname = children_surname if rng.random() < 0.75 else book.surname(rng)
            adult(ADULT, FEMALE, mother_surname, mother_birth, Relation.PARENT, True)
            adult(ADULT, MALE, children_surname, father_birth, Relation.PARENT, rng.random() < 0.97)
            household_surnames = [children_surname, mother_surname]
        elif household == "two_surnames":
            mother_surname = book.surname(rng)
            adult(ADULT, FEMALE, mother_surname, mother_birth, Relation.PARENT, True)
            adult(ADULT, MALE, children_surname, father_birth, Relation.PARENT, True)
            household_surnames = [children_surname, mother_surname]
        elif household in ("mother", "father", "blended"):
            resident_sex = MALE if household == "father" else FEMALE
            resident_surname = children_surname if rng.random() < 0.6 else book.surname(rng)
            resident_birth = father_birth if resident_sex == MALE else mother_birth
            adult(ADULT, resident_sex, resident_surname, resident_birth, Relation.PARENT, True)
            household_surnames = [children_surname, resident_surname]
            if household == "blended":
                partner_sex = MALE if resident_sex == FEMALE else FEMALE
                partner_surname = book.surname(rng)
                partner_birth = add_years(resident_birth, rng.randint(-6, 6))
                adult(ADULT, partner_sex, partner_surname, partner_birth, Relation.STEP_PARENT, False)
                household_surnames = [children_surname, partner_surname]
            if rng.random() < 0.5:  # the other parent lives elsewhere and shares custody
                other_sex = FEMALE if resident_sex == MALE else MALE
                other_birth = mother_birth if other_sex == FEMALE else father_birth
                adult(
                    ADULT,
                    other_sex,
                    children_surname,
                    other_birth,
                    Relation.PARENT,
                    True,
                    address=self._address(rng, self._town(rng, home), book),
                    note="asuu muualla, yhteishuolto",
                )
        elif household == "grandparent":
            grandmother_surname = book.surname(rng) if rng.random() < 0.5 else children_surname
            grandmother_birth = add_years(mother_birth, -rng.randint(20, 30))
            adult(ELDER, FEMALE, grandmother_surname, grandmother_birth, Relation.GRANDPARENT, True, note="lasten huoltaja")
            household_surnames = [children_surname, grandmother_surname]
            if rng.random() < 0.4:
                adult(
                    ADULT,
                    FEMALE,
                    children_surname,
                    mother_birth,
                    Relation.PARENT,
                    False,
                    address=self._address(rng, self._town(rng, home), book),
                )
        else:  # an appointed guardian beside a parent who is not a guardian
            adult(ADULT, FEMALE, children_surname, mother_birth, Relation.PARENT, False)
            guardian_surname = book.surname(rng)
            guardian_birth = birth_for_age(rng, today, rng.randint(35, 60))
            adult(
                ADULT,
                rng.choice((FEMALE, MALE)),
                guardian_surname,
                guardian_birth,
                Relation.GUARDIAN,
                True,
                address=self._address(rng, self._town(rng, home), book),
                note="määrätty huoltaja",
            )
            household_surnames = [children_surname]

        if household != "grandparent" and rng.random() < 0.06:
            adult(
                ELDER,
                rng.choice((FEMALE, MALE)),
                book.surname(rng),
                add_years(mother_birth, -rng.randint(20, 32)),
                Relation.GRANDPARENT,
                False,
                address=self._address(rng, self._town(rng, home), book),
                note=rng.choice(("isoäiti", "isoisä", "mummo", "vaari")),
            )
        if rng.random() < 0.02:
            adult(
                ADULT,
                FEMALE,
                book.surname(rng),
                add_years(mother_birth, rng.randint(-8, 8)),
                Relation.OTHER,
                False,
                address=self._address(rng, self._town(rng, home), book),
                note=rng.choice(("täti", "kummi", "tukiperhe")),
            )

        # Children and their client relationships; siblings usually share a worker.
        family = FamilySpec(name=family_name(household_surnames), municipality=town.name, parents_worker=0)
        main_worker = rng.choices(range(len(worker_weights)), weights=worker_weights)[0]
        family_notified = None  # the first notification, often about all the children at once
        for birth, child_age in zip(births, ages, strict=True):
            sex = rng.choice((FEMALE, MALE))
            is_adult = child_age >= 18
            own_address = self._address(rng, self._town(rng, home), book) if is_adult else None
            child = self._person(rng, book, CHILD, sex, children_surname, birth, address=own_address, non_disclosure=hidden)
            note = "jälkihuollossa, asuu omillaan" if is_adult else ""
            family.members.append(MemberSpec(child, Relation.CHILD, False, note))
            worker = main_worker if rng.random() < 0.88 else rng.choices(range(len(worker_weights)), weights=worker_weights)[0]
            together = family_notified if rng.random() < 0.6 else None
            histories = child_histories(rng, child.birth_date, today, aftercare=is_adult, opened=together)
            for history in histories:
                periods = self._periods(rng, history, worker, worker_weights)
                family.relationships.append(RelationshipSpec(child, worker, history, periods))
            family_notified = family_notified or histories[0].opened_on
        family.members.extend(adults)

        others = [i for i in range(len(worker_weights)) if i != main_worker]
        family.parents_worker = rng.choices(others, weights=[worker_weights[i] for i in others])[0]
        return family

    def _periods(self, rng: random.Random, history: History, worker: int, worker_weights: list[float]):
        """Responsibility periods: some longer relationships were handed over from a colleague."""
        end = history.closed_on or self.today
        if (end - history.opened_on).days > 120 and rng.random() < 0.15:
            others = [i for i in range(len(worker_weights)) if i != worker]
            before = rng.choices(others, weights=[worker_weights[i] for i in others])[0]
            switch = history.opened_on + datetime.timedelta(days=rng.randint(60, (end - history.opened_on).days - 30))
            return [(before, history.opened_on, switch - datetime.timedelta(days=1)), (worker, switch, history.closed_on)]
        return [(worker, history.opened_on, history.closed_on)]
