"""The organisation to generate, as plain data: counties, units, teams and the people in them.

Nothing here touches the database; `generate.write` turns a plan into rows. Each county draws
from its own `random.Random` seeded with (seed, county), so a county's staff do not change when
another county is added or removed.
"""

import datetime
import random
from dataclasses import dataclass, field

from apps.accounts.models import OrgRole
from apps.organisations.models import TeamKind, TeamRole

from .data import AREAS, COUNTIES, COUNTIES_BY_SLUG, DEFAULT_COUNTY, TREES, CountyInfo, Municipality
from .names import ADULT, FEMALE, FINNISH, MALE, SWEDISH, email_local

SCALES = ("team", "county", "national")
EMAIL_DOMAIN = "example.fi"
NATIONAL_TEAMS = 700
NATIONAL_COMPARISON_SHARE = 0.14
# Families per caseworker at national scale: with ~1.9 children a family and a little over half
# of the relationships open, ~20 open children per social worker on average (THL recommends
# 15-20), with ~5 % of workers over the statutory cap of 30. ~100,000 children in all.
NATIONAL_FAMILIES_PER_CASEWORKER = 16
CASEWORKER_ROLES = (TeamRole.CONSULTANT.value, TeamRole.SOCIAL_WORKER.value)

TITLES = {
    TeamRole.CONSULTANT: "Konsultoiva sosiaalityöntekijä",
    TeamRole.SOCIAL_WORKER: "Sosiaalityöntekijä",
    TeamRole.SOCIAL_INSTRUCTOR: "Sosiaaliohjaaja",
    TeamRole.COORDINATOR: "Koordinaattori",
    TeamRole.FAMILY_THERAPIST: "Perheterapeutti",
}
USERNAME_PARTS = {
    TeamRole.CONSULTANT: "konsultti",
    TeamRole.SOCIAL_WORKER: "sosiaalityontekija",
    TeamRole.SOCIAL_INSTRUCTOR: "ohjaaja",
    TeamRole.COORDINATOR: "koordinaattori",
    TeamRole.FAMILY_THERAPIST: "terapeutti",
}


@dataclass(frozen=True)
class Partner:
    """A partner professional outside the teams: a few families consent to share their plan with them."""

    slug: str
    title: str
    purpose: str
    child_ages: tuple[int, int]
    organisation: str = ""


PARTNERS = (
    Partner("koulu", "Koulukuraattori", "Koulun oppilashuolto", (7, 17), "Keskuskoulu, oppilashuolto"),
    Partner("neuvola", "Terveydenhoitaja", "Neuvolan perhetyö", (0, 6), "Perheneuvola, lastenneuvola"),
    Partner("psykiatria", "Sairaanhoitaja", "Nuoren hoidon ja arjen tuen yhteensovitus", (10, 17), "Nuorisopsykiatrian poliklinikka"),
)


@dataclass
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    title: str
    team_role: str = ""
    org_role: str = ""
    organisation: str = ""
    is_staff: bool = False
    is_superuser: bool = False
    managed_unit: int | None = None  # index into CountySpec.units
    started_on: datetime.date | None = None
    weight: float = 0.0  # share of the team's caseload (caseworkers only)
    partner: Partner | None = None


@dataclass
class UnitSpec:
    name: str
    municipality: Municipality


@dataclass
class TeamSpec:
    number: int
    name: str
    kind: str
    unit: int
    families: int
    members: list[StaffSpec] = field(default_factory=list)

    @property
    def caseworkers(self) -> list[StaffSpec]:
        return [m for m in self.members if m.team_role in CASEWORKER_ROLES]


@dataclass
class CountySpec:
    info: CountyInfo
    prefix: str  # username prefix: "" at team and county scale, "pirkanmaa-" at national
    units: list[UnitSpec] = field(default_factory=list)
    teams: list[TeamSpec] = field(default_factory=list)
    org_users: list[StaffSpec] = field(default_factory=list)

    @property
    def users(self) -> list[StaffSpec]:
        return [*self.org_users, *(m for t in self.teams for m in t.members)]


@dataclass
class Plan:
    scale: str
    seed: int
    today: datetime.date
    counties: list[CountySpec]

    @property
    def families(self) -> int:
        return sum(t.families for c in self.counties for t in c.teams)

    @property
    def teams(self) -> int:
        return sum(len(c.teams) for c in self.counties)

    @property
    def users(self) -> int:
        return sum(len(c.users) for c in self.counties)


def rng_for(seed: int, *parts) -> random.Random:
    """An independent, reproducible stream (string seeds hash with SHA-512, not PYTHONHASHSEED)."""
    # bandit B311: synthetic demo data must be reproducible from a seed; nothing secret is drawn here
    return random.Random("/".join(["systeemi-demo", str(seed), *map(str, parts)]))  # nosec B311


class _People:
    """Draws professionals' names and unique e-mail addresses within one county."""

    def __init__(self, rng: random.Random, info: CountyInfo):
        self.rng = rng
        self.swedish = max(info.swedish, 0.03)
        self.emails: dict[str, int] = {}

    def person(self, username: str, title: str, **extra) -> StaffSpec:
        book = SWEDISH if self.rng.random() < self.swedish else FINNISH
        sex = FEMALE if self.rng.random() < 0.85 else MALE  # the field is mostly women
        first = book.first[ADULT, sex]
        first_name = self.rng.choice(first)
        last_name = book.surname(self.rng)
        local = email_local(first_name, last_name)
        n = self.emails.get(local, 0) + 1
        self.emails[local] = n
        email = f"{local}{n if n > 1 else ''}@{EMAIL_DOMAIN}"
        return StaffSpec(username=username, first_name=first_name, last_name=last_name, email=email, title=title, **extra)


def _team_members(people: _People, rng: random.Random, prefix: str, number: int, kind: str, today: datetime.date) -> list[StaffSpec]:
    roles = []
    if kind == TeamKind.SYSTEMIC:
        roles.append(TeamRole.CONSULTANT)
    roles += [TeamRole.SOCIAL_WORKER] * rng.choice((3, 4, 4))
    roles.append(TeamRole.SOCIAL_INSTRUCTOR)
    if kind == TeamKind.SYSTEMIC:
        roles += [TeamRole.COORDINATOR, TeamRole.FAMILY_THERAPIST]
    team_started = today - datetime.timedelta(days=rng.randint(2 * 365, 7 * 365))
    members, sw = [], 0
    for role in roles:
        part = USERNAME_PARTS[role]
        if role == TeamRole.SOCIAL_WORKER:
            sw += 1
            part = f"{part}{sw}"
        joined = min(
            team_started + datetime.timedelta(days=rng.choice((0, 0, 0, rng.randint(30, 900)))), today - datetime.timedelta(days=30)
        )
        weight = 0.0
        if role == TeamRole.CONSULTANT:
            weight = 0.35  # the consultant chairs the team and carries a smaller caseload
        elif role == TeamRole.SOCIAL_WORKER:
            weight = rng.lognormvariate(0, 0.2)
        members.append(people.person(f"{prefix}t{number}-{part}", TITLES[role], team_role=role.value, started_on=joined, weight=weight))
    return members


def _units(info: CountyInfo, count: int) -> list[UnitSpec]:
    towns = sorted(info.municipalities, key=lambda m: -m.weight)
    units = []
    for i in range(count):
        town = towns[i % len(towns)]
        seat = town.name
        if count - i % len(towns) > len(towns):  # this town seats more than one unit
            seat = f"{town.name}, {AREAS[(i // len(towns)) % len(AREAS)]} alue"
        units.append(UnitSpec(f"Lastensuojelun avohuolto, {seat}", town))
    return units


def _team_name(kind: str, index: int) -> str:
    tree = TREES[index % len(TREES)]
    if index >= len(TREES):
        tree = f"{tree} {index // len(TREES) + 1}"
    return f"Systeemitiimi {tree}" if kind == TeamKind.SYSTEMIC else f"Avohuollon tiimi {tree}"


def _county(
    info: CountyInfo, seed: int, today: datetime.date, *, prefix: str, systemic: int, comparison: int, units: int, families, admin: bool
) -> CountySpec:
    rng = rng_for(seed, info.slug, "organisation")
    people = _People(rng, info)
    spec = CountySpec(info=info, prefix=prefix, units=_units(info, units))
    kinds = [TeamKind.SYSTEMIC.value] * systemic + [TeamKind.COMPARISON.value] * comparison
    for i, kind in enumerate(kinds):
        number = i + 1
        members = _team_members(people, rng, prefix, number, kind, today)
        team = TeamSpec(
            number=number,
            name=_team_name(kind, i if kind == TeamKind.SYSTEMIC else i - systemic),
            kind=kind,
            unit=i % units if kind == TeamKind.SYSTEMIC else (i - systemic) % units,
            families=0,
            members=members,
        )
        team.families = families(rng, team)
        spec.teams.append(team)
    org = spec.org_users
    org.append(people.person(f"{prefix}esihenkilo", "Lastensuojelun palvelupäällikkö", org_role=OrgRole.MANAGER.value))
    if units > 1:
        for u in range(units):
            org.append(
                people.person(f"{prefix}u{u + 1}-esihenkilo", "Johtava sosiaalityöntekijä", org_role=OrgRole.MANAGER.value, managed_unit=u)
            )
    org.append(people.person(f"{prefix}tarkastaja", "Tietosuojavastaava", org_role=OrgRole.AUDITOR.value))
    org.append(people.person(f"{prefix}tutkija", "Erikoistutkija", org_role=OrgRole.RESEARCHER.value))
    # a trainer pair: a social worker and a family therapist (the model's trainings)
    org.append(people.person(f"{prefix}kouluttaja", "Kouluttaja, sosiaalityöntekijä", org_role=OrgRole.TRAINER.value))
    org.append(people.person(f"{prefix}kouluttaja-terapeutti", "Kouluttaja, perheterapeutti", org_role=OrgRole.TRAINER.value))
    for partner in PARTNERS:
        org.append(
            people.person(
                f"{prefix}kumppani-{partner.slug}",
                partner.title,
                partner=partner,
                org_role=OrgRole.PARTNER.value,
                organisation=partner.organisation,
            )
        )
    if admin:
        org.append(people.person("admin", "Järjestelmän pääkäyttäjä", is_staff=True, is_superuser=True))
    from .rajapinta import family_social_work_team  # it builds on this module's specs

    spec.teams.append(family_social_work_team(spec, people, seed, today))
    return spec


def build_plan(scale: str, seed: int, today: datetime.date) -> Plan:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    home = COUNTIES_BY_SLUG[DEFAULT_COUNTY]
    if scale == "team":
        counties = [_county(home, seed, today, prefix="", systemic=1, comparison=0, units=1, families=lambda rng, t: 50, admin=True)]
    elif scale == "county":

        def families(rng, team):
            return rng.randint(50, 60) if team.kind == TeamKind.SYSTEMIC else rng.randint(36, 44)

        counties = [_county(home, seed, today, prefix="", systemic=6, comparison=2, units=3, families=families, admin=True)]
    else:
        total = sum(c.population for c in COUNTIES)

        def families(rng, team):
            return round(len(team.caseworkers) * NATIONAL_FAMILIES_PER_CASEWORKER * rng.uniform(0.85, 1.2))

        counties = []
        for i, info in enumerate(COUNTIES):
            teams = max(4, round(NATIONAL_TEAMS * info.population / total))
            comparison = max(1, round(teams * NATIONAL_COMPARISON_SHARE))
            counties.append(
                _county(
                    info,
                    seed,
                    today,
                    prefix=f"{info.slug}-",
                    systemic=teams - comparison,
                    comparison=comparison,
                    units=max(2, round(teams / 10)),
                    families=families,
                    admin=i == 0,
                )
            )
    return Plan(scale=scale, seed=seed, today=today, counties=counties)
