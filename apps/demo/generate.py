"""Write a demo plan to the database fast: objects built in memory, inserted with bulk_create.

Order of work: every county's organisation (units, teams, users, memberships) first, then the
families team by team in chunks of a few thousand (families → people → family members →
relationships → phase events and responsibility periods, each chunk's primary keys coming back from bulk_create), then a
few consented access grants for partner professionals. Everything runs in one transaction, so
an interrupted run leaves nothing behind. Nothing is written to the access log.
"""

import datetime
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from apps.access.models import AccessGrant
from apps.accounts.models import User
from apps.clients.models import ClientRelationship, Family, FamilyMember, Person, PhaseEvent, ResponsibilityPeriod
from apps.organisations.models import County, Membership, Team, Unit

from .data import COUNTY_CODE_PREFIX
from .families import FamilyMaker, FamilySpec
from .identity import IdentityCodes
from .models import DemoDataset
from .plan import Plan, StaffSpec, TeamSpec, build_plan, rng_for

CHUNK_FAMILIES = 2000
# bulk_create batch size; on SQLite Django lowers it to what 999 query parameters allow.
BATCH = 1000


class DemoDataError(Exception):
    """Refusal with a message meant for the person running the command."""


class _NoBar:
    def update(self, n=1):
        pass

    def set_postfix(self, **kwargs):
        pass

    def close(self):
        pass


def no_progress(desc: str, total: int, unit: str):
    return _NoBar()


@dataclass
class Result:
    plan: Plan
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    dataset: DemoDataset | None = None


@dataclass
class _TeamRows:
    county: County
    team: Team
    spec: TeamSpec
    caseworkers: list[User]
    memberships: list[Membership]


def existing_dataset() -> tuple[DemoDataset | None, list[str]]:
    """The latest demo record and the demo county codes in the database (either may exist alone)."""
    codes = list(County.objects.filter(code__startswith=COUNTY_CODE_PREFIX).order_by("code").values_list("code", flat=True))
    return DemoDataset.objects.first(), codes


def generate(scale: str, seed: int, today: datetime.date | None = None, *, progress: Callable = no_progress) -> Result:
    """Generate a whole demo data set into an empty (demo-free) database."""
    started = time.monotonic()
    today = today or timezone.localdate()
    plan = build_plan(scale, seed, today)
    result = Result(plan)
    if not connection.features.can_return_rows_from_bulk_insert:
        raise DemoDataError(f"{connection.vendor} does not return primary keys from bulk inserts; use SQLite 3.35+ or PostgreSQL.")
    with transaction.atomic():
        _check_free(plan)
        password = make_password(settings.SYSTEEMI_DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
        teams = _write_organisation(plan, password, result.counts, progress)
        first_families = _write_families(plan, teams, result.counts, progress)
        _write_grants(plan, first_families, result.counts)
        result.seconds = time.monotonic() - started
        result.dataset = DemoDataset.objects.create(
            scale=scale,
            seed=seed,
            today=today,
            county_codes=[c.info.code for c in plan.counties],
            counts=dict(result.counts),
            seconds=round(result.seconds, 1),
        )
    return result


def _check_free(plan: Plan) -> None:
    existing, codes = existing_dataset()
    if existing or codes:
        raise DemoDataError("Demo data already exists; delete it first.")
    wanted = {u.username for c in plan.counties for u in c.users}
    taken = sorted(wanted.intersection(User.objects.values_list("username", flat=True)))
    if taken:
        raise DemoDataError(f"These usernames are already in use by non-demo users: {', '.join(taken[:10])}")


def _user(spec: StaffSpec, county: County, password: str) -> User:
    return User(
        username=spec.username,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=spec.email,
        title=spec.title,
        county=county,
        org_role=spec.org_role,
        is_staff=spec.is_staff,
        is_superuser=spec.is_superuser,
        password=password,
    )


def _write_organisation(plan: Plan, password: str, counts: Counter, progress) -> list[_TeamRows]:
    bar = progress("Organisaatio", plan.teams, "tiimi")
    rows: list[_TeamRows] = []
    for cspec in plan.counties:
        county = County.objects.create(code=cspec.info.code, name=cspec.info.name)
        units = Unit.objects.bulk_create(
            [Unit(county=county, name=u.name, municipality=u.municipality.name) for u in cspec.units], batch_size=BATCH
        )
        teams = Team.objects.bulk_create(
            [Team(county=county, unit=units[t.unit], name=t.name, kind=t.kind) for t in cspec.teams], batch_size=BATCH
        )
        users = User.objects.bulk_create([_user(s, county, password) for s in cspec.users], batch_size=BATCH)
        by_username = {u.username: u for u in users}
        for spec in cspec.org_users:
            if spec.managed_unit is not None:
                by_username[spec.username].managed_unit = units[spec.managed_unit]
        User.objects.bulk_update([by_username[s.username] for s in cspec.org_users if s.managed_unit is not None], ["managed_unit"])
        memberships = []
        for tspec, team in zip(cspec.teams, teams, strict=True):
            team_memberships = [
                Membership(county=county, team=team, user=by_username[m.username], role=m.team_role, started_on=m.started_on)
                for m in tspec.members
            ]
            memberships += team_memberships
            rows.append(_TeamRows(county, team, tspec, [by_username[m.username] for m in tspec.caseworkers], team_memberships))
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        counts.update(counties=1, units=len(units), teams=len(teams), users=len(users), memberships=len(memberships))
        bar.update(len(teams))
    bar.close()
    return rows


def _write_families(plan: Plan, teams: list[_TeamRows], counts: Counter, progress) -> list[tuple[FamilySpec, Family, _TeamRows]]:
    """Families team by team; returns the first team of each county's families for the grants."""
    bar = progress("Perheet", plan.families, "perhe")
    first_team: list[tuple[FamilySpec, Family, _TeamRows]] = []
    chunk: list[tuple[FamilySpec, _TeamRows]] = []
    makers: dict[int, FamilyMaker] = {}
    earliest: dict[int, datetime.date] = {}  # worker pk -> first day responsible for a child
    # At team and county scale show ~5 % Swedish speakers even in a mostly Finnish county.
    swedish = 0.05 if plan.scale != "national" else None
    for rows in teams:
        cspec = next(c for c in plan.counties if c.info.code == rows.county.code)
        maker = makers.get(rows.county.pk)
        if maker is None:
            maker = makers[rows.county.pk] = FamilyMaker(cspec.info, plan.today, IdentityCodes(), swedish=swedish)
        rng = rng_for(plan.seed, cspec.info.slug, f"t{rows.spec.number}", "families")
        home = cspec.units[rows.spec.unit].municipality
        weights = [m.weight for m in rows.spec.caseworkers]
        for _ in range(rows.spec.families):
            chunk.append((maker.family(rng, home, weights), rows))
        if len(chunk) >= CHUNK_FAMILIES:
            _flush(chunk, counts, bar, first_team, earliest)
            chunk = []
    if chunk:
        _flush(chunk, counts, bar, first_team, earliest)
    _backdate_memberships(teams, earliest)
    bar.close()
    return first_team


def _backdate_memberships(teams: list[_TeamRows], earliest: dict[int, datetime.date]) -> None:
    """A worker's membership starts no later than the first case they were responsible for."""
    changed = []
    for rows in teams:
        for membership in rows.memberships:
            first = earliest.get(membership.user_id)
            if first and first < membership.started_on:
                membership.started_on = first
                changed.append(membership)
    Membership.objects.bulk_update(changed, ["started_on"], batch_size=BATCH)


def _flush(chunk: list[tuple[FamilySpec, _TeamRows]], counts: Counter, bar, first_team: list, earliest: dict) -> None:
    families = [
        Family(
            county_id=rows.county.pk,
            team_id=rows.team.pk,
            name=spec.name,
            municipality=spec.municipality,
            parents_worker_id=rows.caseworkers[spec.parents_worker].pk,
        )
        for spec, rows in chunk
    ]
    Family.objects.bulk_create(families, batch_size=BATCH)

    people: list[Person] = []
    person_of: dict[int, Person] = {}
    for spec, rows in chunk:
        for m in spec.members:
            p = m.person
            person = Person(
                county_id=rows.county.pk,
                first_names=p.first_names,
                last_name=p.last_name,
                personal_identity_code=p.personal_identity_code,
                birth_date=p.birth_date,
                language=p.language,
                non_disclosure=p.non_disclosure,
                street_address=p.street_address,
                postal_code=p.postal_code,
                post_office=p.post_office,
                phone=p.phone,
                email=p.email,
            )
            people.append(person)
            person_of[id(p)] = person
    Person.objects.bulk_create(people, batch_size=BATCH)

    members, relationships, rel_specs, rel_rows = [], [], [], []
    for (spec, rows), family in zip(chunk, families, strict=True):
        county_id = rows.county.pk
        for m in spec.members:
            members.append(
                FamilyMember(
                    county_id=county_id,
                    family_id=family.pk,
                    person_id=person_of[id(m.person)].pk,
                    relation=m.relation,
                    is_guardian=m.is_guardian,
                    note=m.note,
                )
            )
        for r in spec.relationships:
            h = r.history
            relationships.append(
                ClientRelationship(
                    county_id=county_id,
                    family_id=family.pk,
                    child_id=person_of[id(r.child)].pk,
                    responsible_worker_id=rows.caseworkers[r.worker].pk,
                    opened_on=h.opened_on,
                    closed_on=h.closed_on,
                    current_phase=h.current_phase,
                )
            )
            rel_specs.append(r)
            rel_rows.append(rows)
        if rows.spec.number == 1:
            first_team.append((spec, family, rows))
    FamilyMember.objects.bulk_create(members, batch_size=BATCH)
    ClientRelationship.objects.bulk_create(relationships, batch_size=BATCH)

    events, periods = [], []
    for rel, r, rows in zip(relationships, rel_specs, rel_rows, strict=True):
        workers = rows.caseworkers
        for step in r.history.steps:
            events.append(
                PhaseEvent(
                    county_id=rel.county_id,
                    relationship_id=rel.pk,
                    phase=step.phase,
                    started_on=step.on,
                    note=step.note,
                    recorded_by_id=workers[r.worker_on(step.on)].pk,
                )
            )
        for worker, start, end in r.periods:
            worker_id = workers[worker].pk
            if worker_id not in earliest or start < earliest[worker_id]:
                earliest[worker_id] = start
            periods.append(
                ResponsibilityPeriod(county_id=rel.county_id, relationship_id=rel.pk, worker_id=worker_id, started_on=start, ended_on=end)
            )
    PhaseEvent.objects.bulk_create(events, batch_size=BATCH)
    ResponsibilityPeriod.objects.bulk_create(periods, batch_size=BATCH)

    children = sum(len(spec.children) for spec, _ in chunk)
    counts.update(
        families=len(families),
        persons=len(people),
        children=children,
        family_members=len(members),
        relationships=len(relationships),
        open_relationships=sum(1 for r in relationships if r.closed_on is None),
        phase_events=len(events),
        responsibility_periods=len(periods),
    )
    bar.update(len(families))
    bar.set_postfix(
        henkilöt=counts["persons"], lapset=counts["children"], asiakkuudet=counts["relationships"], vaiheet=counts["phase_events"]
    )


def _write_grants(plan: Plan, first_team: list[tuple[FamilySpec, Family, _TeamRows]], counts: Counter) -> None:
    """Each county's partner professionals get read grants to two families of its first team."""
    grants = []
    for cspec in plan.counties:
        rng = rng_for(plan.seed, cspec.info.slug, "grants")
        candidates = [(s, f, r) for s, f, r in first_team if r.county.code == cspec.info.code]
        partners = [s for s in cspec.org_users if s.partner]
        users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in partners])}
        for pspec in partners:
            lo, hi = pspec.partner.child_ages
            eligible = []
            for spec, family, rows in candidates:
                for rel in spec.relationships:
                    age = _age(rel.child.birth_date, plan.today)
                    if rel.history.closed_on is None and lo <= age <= hi:
                        eligible.append((family, rows.caseworkers[rel.worker]))
                        break
            for family, worker in rng.sample(eligible, min(2, len(eligible))):
                consent_day = plan.today - datetime.timedelta(days=rng.randint(1, 30))
                valid_from = timezone.make_aware(datetime.datetime.combine(consent_day, datetime.time(9, 0)))
                grants.append(
                    AccessGrant(
                        county_id=family.county_id,
                        family_id=family.pk,
                        grantee=users[pspec.username],
                        can_edit=False,
                        purpose=pspec.partner.purpose,
                        consent_reference=f"Huoltajien suostumus {consent_day.day}.{consent_day.month}.{consent_day.year}, asiakassuunnitelmaneuvottelu",
                        valid_from=valid_from,
                        valid_until=valid_from + datetime.timedelta(days=90),
                        granted_by=worker,
                    )
                )
    AccessGrant.objects.bulk_create(grants, batch_size=BATCH)
    counts.update(access_grants=len(grants))


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
