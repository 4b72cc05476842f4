"""Write a demo plan to the database fast: rows built in memory as tuples and written in bulk
(bulk.py: executemany on SQLite, COPY on PostgreSQL).

Order of work: every county's organisation (units, teams, users, memberships) first, then the
families team by team in chunks of a few thousand (families → people → family members →
relationships → phase events and responsibility periods, each chunk's primary keys coming back
from the insert; then the chunk's casework — notifications, assessments, client plans,
personal meetings — and its systemic teams' weekly meetings with their records, hypotheses and
plan steps), then a few families' consents to share their plan with partner professionals
(partnership.py), and last two years of
the access log, each county's as a valid hash chain (accesslog.py). Everything runs in one
transaction, so an interrupted run leaves nothing behind. Foreign keys of the bulk-loaded tables
are checked once after the load (bulk.foreign_keys_checked_after) and the planner statistics
refreshed at the end (bulk.analyze).
"""

import datetime
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit import signing
from apps.audit.checkpoints import write_checkpoints
from apps.audit.models import AccessLogEntry
from apps.caseload.history import month_ends, snapshot_months
from apps.casework.models import Assessment, ClientPlan, Notification, PersonalMeeting
from apps.clients.models import PERSON_DETAILS, ClientRelationship, Family, FamilyMember, Person, PhaseEvent, ResponsibilityPeriod
from apps.evaluation.models import PlacementCost
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from apps.network.models import Ecomap, EcomapTie, GenogramPerson, Household, Parentage, Partnership, Relationship
from apps.organisations.models import County, Membership, Team, TeamKind, Unit
from apps.ratings.models import Rating

from . import rajapinta
from .accesslog import LogCounty, LogFamily, LogMeeting, LogTeam, log_family, write_access_log
from .bulk import analyze, foreign_keys_checked_after, insert, sqlite_foreign_keys_off, tuned
from .casework import OVERDUE, SOON, CaseworkMaker
from .data import COUNTY_CODE_PREFIX
from .families import FamilyMaker, FamilySpec, RelationshipSpec
from .history import add_years
from .identity import IdentityCodes
from .meetings import ADULT_WORDS, WEEKS, FamilyBrief, ItemSpec, Member, RelBrief, TeamMeetings
from .models import DemoDataset
from .network import write_network
from .partnership import PartnerWindow, write_partnership
from .plan import Plan, StaffSpec, TeamSpec, build_plan, rng_for
from .ratings import PLANTED_EFFECT, visit_days, write_ratings, write_visit_ratings

CHUNK_FAMILIES = 2000
# The tables written in bulk (bulk.insert, the access log): on PostgreSQL their foreign keys are
# checked once after the load rather than row by row (bulk.foreign_keys_checked_after).
BULK_MODELS = [
    Family,
    Person,
    FamilyMember,
    ClientRelationship,
    PhaseEvent,
    ResponsibilityPeriod,
    Notification,
    Assessment,
    ClientPlan,
    PersonalMeeting,
    Meeting,
    Attendance,
    AgendaItem,
    Hypothesis,
    PlanStep,
    Rating,
    GenogramPerson,
    Partnership,
    Parentage,
    Household,
    Household.members.through,
    Relationship,
    Ecomap,
    EcomapTie,
    AccessLogEntry,
]
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
    checkpoints: list = field(default_factory=list)  # the first signed checkpoint of each county's log
    checkpoint_note: str = ""  # why none was signed


@dataclass
class _TeamRows:
    county: County
    team: Team
    spec: TeamSpec
    caseworkers: list[User]
    memberships: list[Membership]
    slug: str = ""
    log: LogTeam | None = None  # what the access-log history needs, collected while writing


@dataclass(slots=True)
class _Family:
    pk: int
    county_id: int


@dataclass(slots=True)
class _Relationship:
    pk: int
    county_id: int
    family_id: int
    child_id: int
    closed_on: datetime.date | None


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
    with sqlite_foreign_keys_off(), transaction.atomic(), tuned():
        _check_free(plan)
        password = make_password(settings.SYSTEEMI_DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
        teams = _write_organisation(plan, password, result.counts, progress)
        with foreign_keys_checked_after(BULK_MODELS):
            first_families = _write_families(plan, teams, result.counts, progress)
            rajapinta.write_transfers(plan, teams, result.counts)
            partners = write_partnership(plan, first_families, result.counts)
            log_heads = _write_access_log(plan, teams, partners, result.counts, progress)
        _write_caseload_snapshots({rows.county.pk for rows in teams}, today, result.counts)
        _write_trainings(plan, teams, result.counts)
        _write_pulse(plan, teams, result.counts)
        result.dataset = DemoDataset.objects.create(
            scale=scale,
            seed=seed,
            today=today,
            county_codes=[c.info.code for c in plan.counties],
            counts=dict(result.counts),
            log_heads=log_heads,
        )
    analyze()
    _sign_first_checkpoints(result, [rows.county for rows in teams])
    result.seconds = time.monotonic() - started
    DemoDataset.objects.filter(pk=result.dataset.pk).update(seconds=round(result.seconds, 1))
    result.dataset.seconds = round(result.seconds, 1)
    return result


def _sign_first_checkpoints(result: Result, counties: list[County]) -> None:
    """Each generated chain's head signed and written out, as the daily job (manage.py
    checkpoint_access_log) would have done, once the data is committed. These counties are new to
    this database, so a checkpoint file under one of their codes was written for another database:
    it is moved aside. No key outside demo mode: nothing signed, and the demo command says so."""
    unique = {c.pk: c for c in counties}
    signing.retire(sorted(c.code for c in unique.values()))
    try:
        # The generator has just chained these entries itself: no walk from the last checkpoint.
        result.checkpoints = [o for o in write_checkpoints(sorted(unique), walk=False) if o.checkpoint]
    except (signing.SigningKeyMissing, signing.KeyConfigurationError) as exc:
        result.checkpoint_note = str(exc)


def _write_caseload_snapshots(county_ids: set[int], today: datetime.date, counts: Counter) -> None:
    """What the monthly job (manage.py snapshot_caseloads) would have frozen over the demo's two
    years: every closed month end, so the research export's caseload table and the managers'
    closed months read snapshots, as they do in a running system."""
    closed_month_ends = month_ends(today, 25)[:-1]  # the last element is today: not a closed month
    for county_id in sorted(county_ids):
        counts["caseload snapshots"] += snapshot_months(county_id, closed_month_ends)


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
        organisation=spec.organisation,
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
            caseworkers = [by_username[m.username] for m in tspec.caseworkers]
            rows.append(_TeamRows(county, team, tspec, caseworkers, team_memberships, cspec.info.slug, LogTeam(team.pk, tspec.number, [])))
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        prices = _placement_prices(county, by_username[f"{cspec.prefix}esihenkilo"], plan.today)
        counts.update(placement_prices=len(prices))
        counts.update(counties=1, units=len(units), teams=len(teams), users=len(users), memberships=len(memberships))
        bar.update(len(teams))
    bar.close()
    return rows


# Invented prices of a placement day (FACTS.md: the real ones are the county's, not confirmed
# here): emergency placements are mostly in institutions, which cost about three times a day in
# family care; the prices rose 4 % a year ago, so a report over two years uses both.
DEMO_PRICES = {"placement_voluntary": Decimal("180"), "emergency_placement": Decimal("420"), "care_order": Decimal("260")}


def _placement_prices(county: County, manager: User, today: datetime.date) -> list[PlacementCost]:
    earlier, later = add_years(today, -3), add_years(today, -1)
    rows = [
        PlacementCost(county=county, placement_type=kind, euros_per_day=euros, valid_from=earlier, set_by=manager)
        for kind, euros in DEMO_PRICES.items()
    ] + [
        PlacementCost(
            county=county,
            placement_type=kind,
            euros_per_day=(euros * Decimal("1.04")).quantize(Decimal(1)),
            valid_from=later,
            set_by=manager,
        )
        for kind, euros in DEMO_PRICES.items()
    ]
    return PlacementCost.objects.bulk_create(rows)


PULSE_MONTHS = 6
# The wellbeing pulse's mean answer per question (0-10), and the planted difference: load one
# point lower in systemic teams (seed 003 expects load down); nothing else differs between kinds.
PULSE_MEANS = {"load": 6.5, "energy": 6.0, "meaning": 7.5, "safety": 7.5}
PULSE_SYSTEMIC_LOAD = -1.0


def _write_pulse(plan: Plan, teams: list[_TeamRows], counts: Counter) -> None:
    """The last six full months of the monthly wellbeing pulse: each member of the month answers
    with probability 0.8, so a team of five is sometimes under five and hidden, and a team of four
    always is. Tallies only, as the pulse keeps them (apps/evaluation/pulse.py); no markers: the
    current month is left for the demo users to answer."""
    from apps.evaluation.models import PULSE_QUESTIONS, PulseTally
    from apps.evaluation.pulse import last_months

    tallies, answers = [], 0
    for rows in teams:
        rng = rng_for(plan.seed, rows.slug, f"t{rows.spec.number}", "pulse")
        shift = PULSE_SYSTEMIC_LOAD if rows.spec.kind == TeamKind.SYSTEMIC else 0.0
        for month in last_months(PULSE_MONTHS, plan.today):
            members = sorted({m.user_id for m in rows.memberships if m.started_on <= month})
            answering = [u for u in members if rng.random() < 0.8]
            if not answering:
                continue
            cells = Counter()
            for _user in answering:
                for q in PULSE_QUESTIONS:
                    mean = PULSE_MEANS[q] + (shift if q == "load" else 0.0)
                    cells[q, min(10, max(0, round(rng.gauss(mean, 1.8))))] += 1
            answers += len(answering)
            tallies += [
                PulseTally(county=rows.county, team=rows.team, month=month, question=q, value=v, count=cells[q, v])
                for q in PULSE_QUESTIONS
                for v in range(11)
            ]
    PulseTally.objects.bulk_create(tallies, batch_size=BATCH)
    counts.update(pulse_answers=answers)


def _write_trainings(plan: Plan, teams: list[_TeamRows], counts: Counter) -> None:
    """Each systemic team's training in the model: three two-day blocks a month apart, led by the
    county's trainer pair, attended by the members of the day (most teams trained a year or more
    ago, every fifth team in training now, its last block still to come); a follow-up session and a
    partner info session for the trained ones. Comparison teams get none: they work the usual way."""
    from apps.training.models import SessionAttendance, Training, TrainingKind, TrainingSession

    trainers = {(u.county_id, u.username): u for u in User.objects.filter(org_role="trainer")}
    by_county = {c.info.code: c for c in plan.counties}
    trainings = sessions = attended = 0
    for rows in teams:
        if rows.spec.kind != TeamKind.SYSTEMIC:
            continue
        prefix = by_county[rows.county.code].prefix
        pair = trainers[(rows.county.pk, f"{prefix}kouluttaja")], trainers[(rows.county.pk, f"{prefix}kouluttaja-terapeutti")]
        rng = rng_for(plan.seed, rows.slug, f"t{rows.spec.number}", "training")
        in_training = rows.spec.number % 5 == 0
        first = plan.today - datetime.timedelta(days=rng.randint(40, 50) if in_training else rng.randint(380, 700))
        training = Training.objects.create(
            county=rows.county,
            team=rows.team,
            kind=TrainingKind.TEAM_TRAINING,
            name=f"Systeemisen mallin tiimivalmennus, {rows.team.name}",
            trainer_social_worker=pair[0],
            trainer_family_therapist=pair[1],
            created_by=pair[0],
        )
        trainings += 1
        kinds = [(training, first + datetime.timedelta(days=30 * n)) for n in range(3)]
        if not in_training:
            for kind, name, offset in (
                (TrainingKind.FOLLOW_UP, "Jatkotyönohjaus", 150),
                (TrainingKind.PARTNER_INFO, "Infotilaisuus yhteistyökumppaneille", 100),
            ):
                extra = Training.objects.create(
                    county=rows.county,
                    team=rows.team,
                    kind=kind,
                    name=f"{name}, {rows.team.name}",
                    trainer_social_worker=pair[0],
                    trainer_family_therapist=pair[1],
                    created_by=pair[0],
                )
                trainings += 1
                kinds.append((extra, first + datetime.timedelta(days=offset)))
        numbers: Counter = Counter()
        for tr, day in kinds:
            numbers[tr.pk] += 1
            partner = tr.kind == TrainingKind.PARTNER_INFO
            session = TrainingSession.objects.create(
                training=tr,
                number=numbers[tr.pk],
                starts_on=day,
                ends_on=day + datetime.timedelta(days=0 if tr.kind != TrainingKind.TEAM_TRAINING else 1),
                partner_participants=rng.randint(8, 20) if partner else 0,
                partner_organisations="neuvola, varhaiskasvatus, koulu, kotipalvelu" if partner else "",
            )
            sessions += 1
            if day > plan.today or partner:
                continue
            present = [m.user_id for m in rows.memberships if m.started_on <= day and rng.random() < 0.93]
            SessionAttendance.objects.bulk_create([SessionAttendance(session=session, user_id=u) for u in sorted(set(present))])
            attended += len(set(present))
    counts.update(trainings=trainings, training_sessions=sessions, training_attendance=attended)


def _write_families(plan: Plan, teams: list[_TeamRows], counts: Counter, progress) -> list[tuple[FamilySpec, _Family, _TeamRows]]:
    """Families team by team; returns the first team of each county's families for the partners."""
    bar = progress("Perheet", plan.families, "perhe")
    first_team: list[tuple[FamilySpec, _Family, _TeamRows]] = []
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
        if rows.spec.kind == TeamKind.FAMILY_SOCIAL_WORK:
            chunk.extend((spec, rows) for spec in rajapinta.families(maker, rng, home, weights, rows.spec.families, plan.today))
        else:
            for _ in range(rows.spec.families):
                chunk.append((maker.family(rng, home, weights), rows))
        if len(chunk) >= CHUNK_FAMILIES:
            _flush(plan, chunk, counts, bar, first_team, earliest)
            chunk = []
    if chunk:
        _flush(plan, chunk, counts, bar, first_team, earliest)
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


PERSON_FIELDS = ("county", *PERSON_DETAILS)


def _flush(plan: Plan, chunk: list[tuple[FamilySpec, _TeamRows]], counts: Counter, bar, first_team: list, earliest: dict) -> None:
    keys = insert(
        Family,
        ("county", "team", "name", "municipality", "parents_worker"),
        [(rows.county.pk, rows.team.pk, spec.name, spec.municipality, rows.caseworkers[spec.parents_worker].pk) for spec, rows in chunk],
        returning=True,
    )
    families = [_Family(pk, rows.county.pk) for pk, (_, rows) in zip(keys, chunk, strict=True)]

    people = []
    for spec, rows in chunk:
        for m in spec.members:
            p = m.person
            people.append(
                (
                    rows.county.pk,
                    p.first_names,
                    p.last_name,
                    p.personal_identity_code,
                    p.birth_date,
                    p.language,
                    p.non_disclosure,
                    p.street_address,
                    p.postal_code,
                    p.post_office,
                    p.phone,
                    p.email,
                )
            )
    person_keys = iter(insert(Person, PERSON_FIELDS, people, returning=True))
    person_of: dict[int, int] = {id(m.person): next(person_keys) for spec, _ in chunk for m in spec.members}

    members, relationships, rel_specs, rel_rows, ranges = [], [], [], [], []
    for (spec, rows), family in zip(chunk, families, strict=True):
        county_id = rows.county.pk
        ranges.append(len(relationships))
        for m in spec.members:
            members.append((county_id, family.pk, person_of[id(m.person)], m.relation, m.is_guardian, m.note))
        for r in spec.relationships:
            h = r.history
            relationships.append(_Relationship(0, county_id, family.pk, person_of[id(r.child)], h.closed_on))
            rel_specs.append(r)
            rel_rows.append(rows)
        if rows.spec.number == 1:
            first_team.append((spec, family, rows))
    insert(FamilyMember, ("county", "family", "person", "relation", "is_guardian", "note"), members)
    keys = insert(
        ClientRelationship,
        ("county", "family", "child", "responsible_worker", "opened_on", "closed_on", "current_phase"),
        [
            (
                rel.county_id,
                rel.family_id,
                rel.child_id,
                rows.caseworkers[r.worker].pk,
                r.history.opened_on,
                rel.closed_on,
                r.history.current_phase,
            )
            for rel, r, rows in zip(relationships, rel_specs, rel_rows, strict=True)
        ],
        returning=True,
    )
    for rel, pk in zip(relationships, keys, strict=True):
        rel.pk = pk

    events, periods = [], []
    for rel, r, rows in zip(relationships, rel_specs, rel_rows, strict=True):
        workers = rows.caseworkers
        for step in r.history.steps:
            events.append((rel.county_id, rel.pk, step.phase, step.on, step.note, workers[r.worker_on(step.on)].pk))
        for worker, start, end in r.periods:
            worker_id = workers[worker].pk
            if worker_id not in earliest or start < earliest[worker_id]:
                earliest[worker_id] = start
            periods.append((rel.county_id, rel.pk, worker_id, start, end))
    insert(PhaseEvent, ("county", "relationship", "phase", "started_on", "note", "recorded_by"), events)
    insert(ResponsibilityPeriod, ("county", "relationship", "worker", "started_on", "ended_on"), periods)
    ranges.append(len(relationships))
    for n, ((spec, rows), family) in enumerate(zip(chunk, families, strict=True)):
        workers = rows.caseworkers
        rels = [
            (
                rel.child_id,
                r.history.opened_on,
                r.history.closed_on,
                [(workers[w].pk, start, end) for w, start, end in r.periods],
                [(step.phase, step.on, workers[r.worker_on(step.on)].pk) for step in r.history.steps],
            )
            for rel, r in zip(relationships[ranges[n] : ranges[n + 1]], rel_specs[ranges[n] : ranges[n + 1]], strict=True)
        ]
        subjects = [(person_of[id(m.person)], m.person.birth_date) for m in spec.members]
        rows.log.families.append(log_family(family.pk, subjects, rels, workers[spec.parents_worker].pk, plan.today))

    write_network(plan.seed, chunk, families, person_of, plan.today, counts)
    near = _write_casework(plan, relationships, rel_specs, rel_rows, counts)
    _write_meetings(plan, chunk, families, earliest, near, counts)

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
        henkilöt=counts["persons"],
        asiakkuudet=counts["relationships"],
        ilmoitukset=counts["notifications"],
        kokoukset=counts["meetings"],
        käsittelyt=counts["agenda_items"],
        arviot=counts["ratings"],
    )


def _at(tz, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


NOTIFICATION_FIELDS = (
    "county",
    "family",
    "child",
    "relationship",
    "kind",
    "received_on",
    "notifier_type",
    "notifier_name",
    "notifier_contact",
    "anonymous",
    "summary",
    "decision",
    "decided_on",
    "decided_by",
    "notifier_informed_on",
    "notifier_informed_how",
    "registered_by",
    "registered_at",
)


def _write_casework(plan: Plan, relationships, rel_specs: list[RelationshipSpec], rel_rows: list[_TeamRows], counts: Counter) -> set[int]:
    """Notifications, assessments, client plans and personal meetings; returns families with a deadline near."""
    maker = CaseworkMaker(plan.today)
    tz = ZoneInfo(settings.TIME_ZONE)
    notifications, specs, assessments, plans, meetings = [], [], [], [], []
    near: set[int] = set()
    owed = 0
    for _, group in itertools.groupby(zip(relationships, rel_specs, rel_rows, strict=True), key=lambda t: id(t[2])):
        group = list(group)
        rows = group[0][2]
        rng = rng_for(plan.seed, rows.slug, f"t{rows.spec.number}", "casework")
        drafts = [(r, maker.draft(rng, r)) for _, r, _ in group]
        maker.ensure_each_worker_has(rng, drafts)
        workers = [u.pk for u in rows.caseworkers]
        for (rel, _, _), (r, work) in zip(group, drafts, strict=True):
            maker.finish(rng, r, work)
            current = work.current
            if current and (current.state in (OVERDUE, SOON) or current.plan_missing):
                near.add(rel.family_id)
            for n in work.notifications:
                notifications.append(
                    (
                        rel.county_id,
                        rel.family_id,
                        rel.child_id,
                        rel.pk,
                        n.kind,
                        n.received_on,
                        n.notifier_type,
                        n.notifier_name,
                        n.notifier_contact,
                        n.anonymous,
                        n.summary,
                        n.decision,
                        n.decided_on,
                        None if n.decided_by is None else workers[n.decided_by],
                        n.informed_on,
                        n.informed_how,
                        workers[n.registered_by],
                        _at(tz, n.received_on, rng.randint(8, 15), rng.randint(0, 59)),
                    )
                )
                specs.append(n)
                if n.decided_on is None:
                    near.add(rel.family_id)
                elif not (n.informed_on or n.anonymous or n.notifier_type == "family"):
                    owed += 1
            assessments.extend((rel, a) for a in work.assessments)
            plans.extend((rel.county_id, rel.pk, p.kind, p.made_on, p.meetings_per_year, workers[p.recorded_by]) for p in work.plans)
            meetings.extend((rel.county_id, rel.pk, m.met_on, workers[m.worker], m.note) for m in work.meetings)
    keys = insert(Notification, NOTIFICATION_FIELDS, notifications, returning=True)
    key_of = {id(n): pk for n, pk in zip(specs, keys, strict=True)}
    insert(
        Assessment,
        ("county", "family", "child", "notification", "matter_arrived_on", "started_on", "completed_on", "outcome"),
        [
            (r.county_id, r.family_id, r.child_id, key_of[id(a.notification)], a.matter_arrived_on, a.started_on, a.completed_on, a.outcome)
            for r, a in assessments
        ],
    )
    insert(ClientPlan, ("county", "relationship", "kind", "made_on", "meetings_per_year", "recorded_by"), plans)
    insert(PersonalMeeting, ("county", "relationship", "met_on", "worker", "note"), meetings)
    counts.update(
        notifications=len(notifications),
        notifier_replies_owed=owed,
        assessments=len(assessments),
        client_plans=len(plans),
        personal_meetings=len(meetings),
    )
    return near


def _write_meetings(plan: Plan, chunk, families: list[_Family], earliest: dict, near: set[int], counts: Counter) -> None:
    """The weekly meetings of the chunk's systemic teams (a team's families are always in one chunk)."""
    built = []  # (county id, team id, Built)
    visits = []  # (county id, family id, visit days): comparison teams' families, rated at visits
    visit_key = ""  # the random stream of the chunk's visit ratings, named by content like the others
    pairs = list(zip(chunk, families, strict=True))
    since = plan.today - datetime.timedelta(weeks=WEEKS)
    for _, group in itertools.groupby(pairs, key=lambda t: id(t[0][1])):
        group = list(group)
        rows = group[0][0][1]
        if rows.spec.kind != TeamKind.SYSTEMIC:
            # comparison teams work the traditional way: no systemic team meetings; the worker
            # visits the family, and the family rates there
            rng = rng_for(plan.seed, rows.slug, f"t{rows.spec.number}", "visits")
            visit_key = visit_key or f"visits-{rows.slug}-t{rows.spec.number}"
            for (spec, _), family in group:
                spans = [(r.history.opened_on, r.history.closed_on) for r in spec.relationships]
                visits.append((family.county_id, family.pk, visit_days(rng, spans, since, plan.today)))
            continue
        workers = [u.pk for u in rows.caseworkers]
        briefs = [_family_brief(spec, family, workers, near) for (spec, _), family in group]
        members = [
            Member(m.user_id, m.role, min(m.started_on, earliest.get(m.user_id, m.started_on)))
            for m in sorted(rows.memberships, key=lambda m: m.user_id)
        ]
        rng = rng_for(plan.seed, rows.slug, f"t{rows.spec.number}", "meetings")
        team_built = TeamMeetings(rng, members=members, families=briefs, today=plan.today).build()
        built.append((rows.county.pk, rows.team.pk, team_built))
        rows.log.meetings.extend(_log_meetings(team_built, plan.today))

    meetings = [(county, team, m) for county, team, b in built for m in b.meetings]
    keys = insert(
        Meeting,
        ("county", "team", "starts_at", "room", "status", "created_by", "approved_by", "approved_at"),
        [(county, team, m.starts_at, m.room, m.status, m.created_by, m.approved_by, m.approved_at) for county, team, m in meetings],
        returning=True,
    )
    for (_, _, m), pk in zip(meetings, keys, strict=True):
        m.pk = pk
    attendance = insert(
        Attendance, ("meeting", "user", "role"), [(m.pk, user, role) for _, _, b in built for m, user, role in b.attendance]
    )
    items = [(county, i) for county, _, b in built for i in b.items]
    keys = insert(AgendaItem, ITEM_FIELDS, [(county, *_item_values(i)) for county, i in items], returning=True)
    for (_, i), pk in zip(items, keys, strict=True):
        i.pk = pk
    # Level by level, so a revision's `revises` already has its key.
    hypotheses = [(county, h) for county, _, b in built for h in b.hypotheses]
    for depth in range(max((h.depth for _, h in hypotheses), default=-1) + 1):
        level = [(county, h) for county, h in hypotheses if h.depth == depth]
        keys = insert(
            Hypothesis,
            ("county", "family", "item", "text", "perspective", "status", "revises", "created_at"),
            [(c, h.family_id, h.item.pk, h.text, h.perspective, h.status, h.revises and h.revises.pk, h.created_at) for c, h in level],
            returning=True,
        )
        for (_, h), pk in zip(level, keys, strict=True):
            h.pk = pk
    steps = insert(
        PlanStep,
        ("county", "family", "item", "what", "owner", "due_on", "status", "done_on"),
        [(c, s.family_id, s.item.pk, s.what, s.owner, s.due_on, s.status, s.done_on) for c, _, b in built for s in b.steps],
    )
    counts.update(meetings=len(meetings), attendance=attendance, agenda_items=len(items), hypotheses=len(hypotheses), plan_steps=steps)
    # The chunk's random stream is named by its content, not by database keys.
    key = f"{items[0][1].meeting.starts_at:%Y%m%d%H%M}-{len(items)}" if items else "none"
    counts.update(ratings=write_ratings(plan.seed, key, plan.today, items, effect=PLANTED_EFFECT))
    counts.update(ratings=write_visit_ratings(plan.seed, visit_key, plan.today, visits))


ITEM_FIELDS = (
    "county",
    "meeting",
    "family",
    "position",
    "planned_minutes",
    "presenter",
    "reasons",
    "question",
    "family_invited",
    "family_attended",
    "partner_attended",
    "started_at",
    "ended_at",
    "discussed_seconds",
    "what_we_know",
    "child_view",
    "family_view",
    "reflections",
    "internal_notes",
    "family_summary",
    "summary_shared_at",
    "version",
    "updated_at",
    "updated_by",
)


def _item_values(i: ItemSpec) -> tuple:
    return (
        i.meeting.pk,
        i.family_id,
        i.position,
        i.planned_minutes,
        i.presenter,
        i.reasons,
        i.question,
        i.family_invited,
        i.family_attended,
        i.partner_attended,
        i.started_at,
        i.ended_at,
        i.discussed_seconds,
        i.what_we_know,
        i.child_view,
        i.family_view,
        i.reflections,
        i.internal_notes,
        i.family_summary,
        i.summary_shared_at,
        i.version,
        i.updated_at,
        i.updated_by,
    )


def _log_meetings(built, today: datetime.date) -> list[LogMeeting]:
    """The team's held meetings as the access-log history sees them: who came, what was discussed."""
    attendees: dict[int, list[int]] = {}
    for meeting, user, _role in built.attendance:
        attendees.setdefault(id(meeting), []).append(user)
    items: dict[int, list[tuple]] = {}
    for i in built.items:
        items.setdefault(id(i.meeting), []).append((i.family_id, i.presenter, i.started_at, i.ended_at))
    return [
        LogMeeting(m.starts_at, m.created_by, attendees.get(id(m), []), items.get(id(m), []))
        for m in built.meetings
        if m.status == Meeting.Status.APPROVED and m.starts_at.date() < today
    ]


def _write_access_log(plan: Plan, teams: list[_TeamRows], partners: list[PartnerWindow], counts: Counter, progress) -> dict[str, list]:
    """Two years of reads of the families' data, each county's as its hash chain (accesslog.py);
    returns each county's chain head as written, {code: [seq, hash]}."""
    auditors = dict(User.objects.filter(username__in=[f"{c.prefix}tarkastaja" for c in plan.counties]).values_list("county_id", "pk"))
    counties: dict[int, LogCounty] = {}
    codes: dict[int, str] = {}
    by_family: dict[int, tuple[LogFamily, LogCounty]] = {}
    for rows in teams:
        county = counties.get(rows.county.pk)
        if county is None:
            county = counties[rows.county.pk] = LogCounty(rows.county.pk, rows.slug, auditor=auditors.get(rows.county.pk))
            codes[rows.county.pk] = rows.county.code
        rows.log.members = [(m.user_id, m.role, m.started_on) for m in sorted(rows.memberships, key=lambda m: m.user_id)]
        county.teams.append(rows.log)
        by_family.update((f.pk, f) for f in rows.log.families)
    for window in partners:
        family = by_family[window.family_id]
        next(c for c in counties.values() if family in (f for t in c.teams for f in t.families)).partners.append((family, window))
    bar = progress("Käyttöloki", len(counties), "alue")
    heads = write_access_log(plan.seed, plan.today, list(counties.values()), progress=lambda n: bar.update(1))
    bar.close()
    counts.update(access_log=sum(seq for seq, _ in heads.values()))
    return {codes[pk]: [seq, link] for pk, (seq, link) in heads.items()}


def _family_brief(spec: FamilySpec, family: _Family, workers: list[int], near: set[int]) -> FamilyBrief:
    rels = [
        RelBrief(
            child_name=r.child.first_names.split()[0],
            birth=r.child.birth_date,
            opened_on=r.history.opened_on,
            closed_on=r.history.closed_on,
            phases=[(s.phase, s.on) for s in r.history.steps],
            periods=[(workers[w], start, end) for w, start, end in r.periods],
        )
        for r in spec.relationships
    ]
    adults = [ADULT_WORDS[m.relation, m.person.sex] for m in spec.members if (m.relation, m.person.sex) in ADULT_WORDS]
    return FamilyBrief(family.pk, workers[spec.parents_worker], adults, rels, deadline_near=family.pk in near)


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
