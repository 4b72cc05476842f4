"""Two years of the access log: who read which family's data, as each county's valid hash chain.

What a county's professionals would have left in the log by `today`, entry for entry as the app
writes them (apps/audit/ledger.py, through each app's access rules): opening a family page logs one entry per family member, a
list logs one entry per family shown, the auditor's views log the person looked up.

- Responsible workers open their families' pages on a few working days a month while a child's
  relationship is open (the parents' worker too), sometimes going on to the ratings or the
  casework; the day a phase changes they open the page and record it.
- Social instructors, family therapists and coordinators open team families now and then; team
  members look at the team page, caseworkers at their deadlines.
- Systemic teams: the coordinator prepares each weekly meeting the day before (the agenda lists
  the families to discuss and a few proposals), members glance at the agenda before it starts,
  presenters open their family beforehand, and the recorder opens each family's record during
  its discussion and saves it at the end.
- Partner professionals read the shared plans of the families that consented (each read is also a
  disclosure out of the team, naming the partner and the consent); the county's auditor
  searches for a client and opens their log a couple of times a week, now and then handing an
  extract out (a disclosure).

Summer and Christmas holidays are quieter. Nothing is dated on or after `today`, so entries
the app appends later continue each chain in time order. Each county's events are sorted by
time, chained with the canonical apps.audit.chain.link_hash_values and written in one stream
(PostgreSQL COPY, SQLite executemany); the ChainHead is set to the last link. Deterministic for a
seed: every team draws from its own random stream.
"""

import bisect
import datetime
import math
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from apps.audit.chain import GENESIS, SEALED_FIELDS, canonical, link_hash_values
from apps.audit.models import AccessLogEntry, ChainHead
from apps.casework.calendar import is_working_day
from apps.organisations.models import TeamRole

from .plan import rng_for

DAYS = 730  # two years: what "who has seen my data" shows without asking for older entries

# Chance per working day (of a working day in the holidays: times HOLIDAY_KEEP).
FAMILY_VIEW = 0.022  # a responsible worker (or the parents' worker) opens an open family's page
FOLLOW_UP = 0.15  # ... and goes on to another page of the same family
FOLLOW_UP_PAGES = ("family-ratings", "family-ratings", "notification-detail")
OTHER_VIEWS = {  # a team member who carries no caseload opens one of the team's open families
    TeamRole.SOCIAL_INSTRUCTOR.value: 0.25,
    TeamRole.FAMILY_THERAPIST.value: 0.2,
    TeamRole.COORDINATOR.value: 0.15,
}
TEAM_PAGE = 0.01  # a member opens the team page (lists every open family)
MY_DEADLINES = 0.06  # a caseworker opens "my deadlines" (lists a few of their families)
AGENDA_GLANCE = 0.2  # an attendee opens the meeting's agenda shortly before it starts
PRESENTER_PREPARES = 0.4  # the presenter opens the family the day before the discussion
AUDITOR_LOOKUPS = 0.35  # the auditor looks up a client ("who has seen my data")
DISCLOSURE = 0.06  # ... and hands the extract out
HOLIDAY_KEEP = 0.35
HOLIDAY_WEEKS = range(27, 32)  # ISO weeks of July: most people are on their summer holiday
PARTNER_READS = (1, 3)

CASEWORKER_ROLES = {TeamRole.CONSULTANT.value, TeamRole.SOCIAL_WORKER.value}
CLIENT_WORK, CONSENTED, AUDIT = "client_work", "consented_cooperation", "log_audit"
ACCESS, DISCLOSED = "access", "disclosure"
VIEW, LIST, EDIT, CREATE, EXPORT = "view", "list", "edit", "create", "export"
RECIPIENTS = (
    ("Asiakas itse (tietopyyntö)", "Asiakastietolaki 703/2023 19 §: asiakkaan oikeus saada tieto tietojensa käsittelystä"),
    ("Huoltaja lapsen puolesta (tietopyyntö)", "Asiakastietolaki 703/2023 19 §: asiakkaan oikeus saada tieto tietojensa käsittelystä"),
    ("Eduskunnan oikeusasiamies", "Laki eduskunnan oikeusasiamiehestä 197/2002 7 §"),
)
US = 1_000_000
DAY_US = 86_400 * US


@dataclass(slots=True)
class LogFamily:
    """What the log history needs to know about one family."""

    pk: int
    members: tuple  # ((family pk, person pk), ...): the subjects of a family page
    births: tuple  # the members' birth dates, same order (a page shows nobody before birth)
    children: tuple  # person pks of the children with a relationship
    spans: list  # [(first day, last day)] when some child's relationship was open
    workers: dict  # user pk -> [(first day, last day)] responsible for a child or the parents
    edits: list  # [(day, user pk, view name, action, child pk)]: phase changes recorded
    as_listed: tuple = ()  # ((family pk, None),): the subject of a list entry
    # [(moment, user pk, role, action, view name, purpose)]: entries at a known time about the
    # whole family (a transfer between teams and the handover reads after it: rajapinta.py)
    extra: list = field(default_factory=list)

    def subjects_on(self, day: datetime.date) -> tuple:
        if all(b is None or b <= day for b in self.births):
            return self.members
        return tuple(m for m, b in zip(self.members, self.births, strict=True) if b is None or b <= day)

    def open_on(self, day: datetime.date) -> bool:
        return any(s <= day <= e for s, e in self.spans)


def _merge(spans: list) -> list:
    out: list = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + datetime.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def log_family(pk: int, members: list, relationships: list, parents_worker: int, today: datetime.date) -> LogFamily:
    """`members`: [(person pk, birth date)]; `relationships`: [(child pk, opened, closed, periods,
    steps)] with periods [(worker pk, from, to or None)] and steps [(phase, day, worker pk)]."""
    last = today - datetime.timedelta(days=1)
    spans, workers, edits = [], {}, []
    for child, opened, closed, periods, steps in relationships:
        spans.append((opened, min(closed or last, last)))
        for worker, start, end in periods:
            workers.setdefault(worker, []).append((start, min(end or last, last)))
        for n, (_phase, day, worker) in enumerate(steps):
            edits.append((day, worker, "relationship-open" if n == 0 else "phase-create", CREATE if n == 0 else EDIT, child))
    spans = _merge([s for s in spans if s[0] <= s[1]])
    workers.setdefault(parents_worker, []).extend(spans)
    workers = {w: _merge([s for s in v if s[0] <= s[1]]) for w, v in sorted(workers.items())}
    return LogFamily(
        pk=pk,
        members=tuple((pk, person) for person, _ in members),
        births=tuple(birth for _, birth in members),
        children=tuple(r[0] for r in relationships),
        spans=spans,
        workers=workers,
        edits=edits,
        as_listed=((pk, None),),
    )


@dataclass(slots=True)
class LogMeeting:
    starts_at: datetime.datetime
    recorder: int | None
    attendees: list  # user pks
    items: list  # [(family pk, presenter, started_at, ended_at)]


@dataclass
class LogTeam:
    pk: int
    number: int
    members: list  # [(user pk, team role, started_on)]
    families: list = field(default_factory=list)  # LogFamily
    meetings: list = field(default_factory=list)  # LogMeeting (held ones only)


@dataclass
class LogCounty:
    pk: int
    slug: str
    teams: list = field(default_factory=list)  # LogTeam
    auditor: int | None = None
    partners: list = field(default_factory=list)  # [(LogFamily, partnership.PartnerWindow)]


class _Clock:
    """Local working-day times as integer keys (microseconds), and back to UTC datetimes."""

    def __init__(self, today: datetime.date):
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.first = today - datetime.timedelta(days=DAYS)
        self.last = today - datetime.timedelta(days=1)
        self.workdays = []
        day = self.first
        while day <= self.last:
            if is_working_day(day):
                self.workdays.append(day)
            day += datetime.timedelta(days=1)
        self._offsets: dict[int, datetime.timedelta | None] = {}

    @staticmethod
    def key(day: datetime.date, seconds: float) -> int:
        return day.toordinal() * DAY_US + int(seconds * US)

    def key_of(self, moment: datetime.datetime) -> int:
        local = moment.astimezone(self.tz)
        return self.key(local.date(), local.hour * 3600 + local.minute * 60 + local.second) + local.microsecond

    def utc(self, key: int) -> datetime.datetime:
        ordinal, rest = divmod(key, DAY_US)
        offset = self._offsets.get(ordinal, False)
        if offset is False:
            day = datetime.date.fromordinal(ordinal)
            start = datetime.datetime(day.year, day.month, day.day, tzinfo=self.tz).utcoffset()
            end = datetime.datetime(day.year, day.month, day.day, 23, 59, tzinfo=self.tz).utcoffset()
            offset = self._offsets[ordinal] = start if start == end else None  # None: the clocks change that night
        naive = datetime.datetime.fromordinal(ordinal) + datetime.timedelta(microseconds=rest)
        if offset is None:
            return naive.replace(tzinfo=self.tz).astimezone(datetime.UTC)
        return (naive - offset).replace(tzinfo=datetime.UTC)

    def quiet(self, day: datetime.date) -> bool:
        return day.isocalendar().week in HOLIDAY_WEEKS or (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 6)


class _CountyHistory:
    def __init__(self, seed: int, county: LogCounty, clock: _Clock):
        self.seed, self.county, self.clock = seed, county, clock
        self.events: list[tuple] = []

    def add(self, key, actor, role, action, view, purpose, subjects, kind=ACCESS, recipient="", legal=""):
        if subjects and actor is not None:
            self.events.append((key, actor, role, action, view, purpose, subjects, kind, recipient, legal))

    def days(self, rng: random.Random, chance: float, first: datetime.date, last: datetime.date):
        """Working days in [first, last], each with `chance` (less in the holidays), drawn by
        geometric skips so the work is per event, not per day."""
        clock = self.clock
        lo = bisect.bisect_left(clock.workdays, max(first, clock.first))
        hi = bisect.bisect_right(clock.workdays, min(last, clock.last))
        if lo >= hi or chance <= 0:
            return
        step = math.log(1.0 - chance)
        i = lo - 1
        while True:
            i += 1 + int(math.log(1.0 - rng.random()) / step)
            if i >= hi:
                return
            day = clock.workdays[i]
            if clock.quiet(day) and rng.random() > HOLIDAY_KEEP:
                continue
            yield day

    @staticmethod
    def office_hours(rng: random.Random, day: datetime.date, lo: float = 8.0, hi: float = 16.25) -> int:
        return _Clock.key(day, rng.uniform(lo, hi) * 3600) + rng.randrange(US)

    def build(self) -> list[tuple]:
        for team in self.county.teams:
            self._team(team)
        self._partners()
        self._auditor()
        self.events.sort(key=itemgetter(0))
        return self.events

    # -- a team's days ---------------------------------------------------------------------------

    def _team(self, team: LogTeam) -> None:
        rng = rng_for(self.seed, self.county.slug, f"t{team.number}", "access-log")
        role_of = {user: role for user, role, _ in team.members}
        joined = {user: started for user, _, started in team.members}
        by_pk = {f.pk: f for f in team.families}
        open_cache: dict[datetime.date, list[LogFamily]] = {}

        def open_families(day):
            found = open_cache.get(day)
            if found is None:
                found = open_cache[day] = [f for f in team.families if f.open_on(day)]
            return found

        for f in team.families:
            self._family(rng, f, role_of, joined)
        last = self.clock.last
        for user, role, started in team.members:
            for day in self.days(rng, TEAM_PAGE, started, last):
                listed = tuple(f.as_listed[0] for f in open_families(day))
                self.add(self.office_hours(rng, day), user, role, LIST, "team-detail", CLIENT_WORK, listed)
            if role in CASEWORKER_ROLES:
                for day in self.days(rng, MY_DEADLINES, started, last):
                    mine = [f for f in open_families(day) if any(s <= day <= e for s, e in f.workers.get(user, ()))]
                    if mine:
                        shown = rng.sample(mine, min(len(mine), rng.randint(1, 4)))
                        self.add(self.office_hours(rng, day, 7.75, 9.5), user, role, LIST, "my-deadlines", CLIENT_WORK, _listed(shown))
            elif role in OTHER_VIEWS:
                for day in self.days(rng, OTHER_VIEWS[role], started, last):
                    families = open_families(day)
                    if families:
                        f = rng.choice(families)
                        self.add(self.office_hours(rng, day), user, role, VIEW, "family-detail", CLIENT_WORK, f.subjects_on(day))
        for meeting in team.meetings:
            self._meeting(rng, meeting, role_of, by_pk, open_families)

    def _family(self, rng, f: LogFamily, role_of: dict, joined: dict) -> None:
        for worker, spans in f.workers.items():
            role = role_of.get(worker)
            if role is None:
                continue
            for first, last in spans:
                for day in self.days(rng, FAMILY_VIEW, max(first, joined[worker]), last):
                    key = self.office_hours(rng, day)
                    subjects = f.subjects_on(day)
                    self.add(key, worker, role, VIEW, "family-detail", CLIENT_WORK, subjects)
                    if rng.random() < FOLLOW_UP:
                        follow = key + rng.randint(20, 900) * US
                        self.add(follow, worker, role, VIEW, rng.choice(FOLLOW_UP_PAGES), CLIENT_WORK, subjects)
        for moment, user, role, action, view, purpose in f.extra:
            day = moment.astimezone(self.clock.tz).date()
            if self.clock.first <= day <= self.clock.last:
                self.add(self.clock.key_of(moment), user, role, action, view, purpose, f.subjects_on(day))
        for day, worker, view, action, child in f.edits:
            role = role_of.get(worker)
            if role is None or not self.clock.first <= day <= self.clock.last or day < joined[worker]:
                continue
            key = self.office_hours(rng, day, 8.0, 15.5)
            self.add(key, worker, role, VIEW, "family-detail", CLIENT_WORK, f.subjects_on(day))
            self.add(key + rng.randint(60, 1200) * US, worker, role, action, view, CLIENT_WORK, ((f.pk, child),))

    def _meeting(self, rng, m: LogMeeting, role_of: dict, by_pk: dict, open_families) -> None:
        clock = self.clock
        start = clock.key_of(m.starts_at)
        day = m.starts_at.astimezone(clock.tz).date()
        if not clock.first <= day <= clock.last:
            return
        families = [by_pk[fid] for fid, *_ in m.items if fid in by_pk]
        agenda = _listed(families)
        # The day before, the coordinator (or the chair) sets the agenda from the proposals.
        before = bisect.bisect_left(clock.workdays, day) - 1
        prep_day = clock.workdays[before] if before >= 0 else day
        if m.recorder is not None:
            proposals = [f for f in open_families(prep_day) if f not in families]
            extra = rng.sample(proposals, min(len(proposals), rng.randint(0, 4)))
            key = self.office_hours(rng, prep_day, 12.0, 15.75) if prep_day < day else start - rng.randint(30, 90) * 60 * US
            self.add(key, m.recorder, role_of.get(m.recorder, ""), LIST, "meeting-detail", CLIENT_WORK, agenda + _listed(extra))
        for user in m.attendees:
            if rng.random() < AGENDA_GLANCE:
                self.add(start - rng.randint(60, 2700) * US, user, role_of.get(user, ""), LIST, "meeting-detail", CLIENT_WORK, agenda)
        for fid, presenter, started, ended in m.items:
            f = by_pk.get(fid)
            if f is None:
                continue
            subjects = f.subjects_on(day)
            if presenter in role_of and rng.random() < PRESENTER_PREPARES:
                self.add(self.office_hours(rng, prep_day), presenter, role_of[presenter], VIEW, "family-detail", CLIENT_WORK, subjects)
            if m.recorder is not None and started and ended:
                role = role_of.get(m.recorder, "")
                self.add(clock.key_of(started) + rng.randint(2, 90) * US, m.recorder, role, VIEW, "meeting-item", CLIENT_WORK, subjects)
                saved = clock.key_of(ended) - rng.randint(0, 50) * US  # the record's last save
                self.add(saved, m.recorder, role, EDIT, "meeting-item-record", CLIENT_WORK, f.as_listed)

    # -- outside the teams -----------------------------------------------------------------------

    def _partners(self) -> None:
        rng = rng_for(self.seed, self.county.slug, "access-log", "partners")
        for f, w in self.county.partners:
            local = w.start.astimezone(self.clock.tz)
            days = [d for d in self.clock.workdays if local.date() <= d <= w.last_day]
            for day in sorted(rng.sample(days, min(len(days), rng.randint(*PARTNER_READS)))):
                lo = max(8.0, local.hour + local.minute / 60 + 0.5) if day == local.date() else 8.0
                key = self.office_hours(rng, day, lo, max(lo + 0.25, 16.0))
                subjects = f.subjects_on(day)
                self.add(key, w.partner_id, "partner", VIEW, "partner-plan", CONSENTED, subjects)
                self.add(
                    key + 1, w.partner_id, "partner", EXPORT, "partner-plan", "export", subjects, DISCLOSED, w.recipient, w.legal_basis
                )

    def _auditor(self) -> None:
        auditor = self.county.auditor
        if auditor is None:
            return
        rng = rng_for(self.seed, self.county.slug, "access-log", "auditor")
        families = [f for t in self.county.teams for f in t.families if f.children]
        if not families:
            return
        for day in self.days(rng, AUDITOR_LOOKUPS, self.clock.first, self.clock.last):
            f = rng.choice(families)
            person = rng.choice(f.children)
            others = [p for _, p in rng.choice(families).members if p != person][: rng.randint(0, 2)]
            key = self.office_hours(rng, day, 9.0, 15.0)
            self.add(key, auditor, "auditor", LIST, "audit-search", AUDIT, tuple((None, p) for p in [person, *others]))
            key += rng.randint(15, 120) * US
            self.add(key, auditor, "auditor", VIEW, "audit-person-log", AUDIT, ((None, person),))
            if rng.random() < DISCLOSURE:
                recipient, legal = rng.choice(RECIPIENTS)
                key += rng.randint(120, 900) * US
                self.add(key + rng.randint(1000, 90_000), auditor, "auditor", EXPORT, "audit-person-log-export", "export",
                         ((None, person),), DISCLOSED, recipient, legal)  # fmt: skip


def _listed(families) -> tuple:
    return tuple(f.as_listed[0] for f in families)


COLUMNS = (*SEALED_FIELDS, "prev_hash", "hash")


def write_access_log(
    seed: int, today: datetime.date, counties: list[LogCounty], progress: Callable | None = None
) -> dict[int, tuple[int, str]]:
    """Each county's history as its hash chain, ChainHead at the last link; returns each county's
    head as written, {county pk: (seq, hash)}."""
    clock = _Clock(today)
    heads = {}
    with _indexes_built_after():
        for county in counties:
            events = _CountyHistory(seed, county, clock).build()
            heads[county.pk] = _write_chain(county.pk, events, clock)
            if progress is not None:
                progress(heads[county.pk][0])
    return heads


@contextmanager
def _indexes_built_after():
    """Into an empty log, load first and build the secondary indexes after: one sorted build is
    several times faster than millions of inserts into three B-trees (on SQLite 12 → 3 µs an
    entry before the build). The same definitions as the migrations', dropped and rebuilt in the
    generator's transaction. (On PostgreSQL the foreign keys go the same way: see generate.py.)"""
    model = AccessLogEntry
    if model.objects.exists():
        yield
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for index in model._meta.indexes:
            cursor.execute(f"DROP INDEX {qn(index.name)}")
    yield
    editor = connection.schema_editor()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for index in model._meta.indexes:
            cursor.execute(str(index.create_sql(model, editor)))


def _write_chain(county_id: int, events: list[tuple], clock: _Clock) -> tuple[int, str]:
    if connection.vendor == "postgresql":
        seq, prev = _copy_chain(county_id, events, clock)
    else:
        seq, prev = _insert_chain(county_id, events, clock)
    if seq:
        ChainHead.objects.update_or_create(county_id=county_id, defaults={"seq": seq, "hash": prev})
    return seq, prev


def _columns() -> tuple[str, str]:
    qn = connection.ops.quote_name
    table = qn(AccessLogEntry._meta.db_table)
    return table, ", ".join(qn(AccessLogEntry._meta.get_field(c).column) for c in COLUMNS)


def _insert_chain(county_id: int, events: list[tuple], clock: _Clock) -> tuple[int, str]:
    prev, seq = GENESIS, 0
    db_tz = connection.timezone
    table, columns = _columns()
    # Only quoted identifiers from the model's metadata go into the SQL; values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608  # nosec B608
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for key, actor, role, action, view, purpose, subjects, kind, recipient, legal in events:
            at = clock.utc(key)
            sealed_at = canonical(at)
            stored_at = str(at.astimezone(db_tz).replace(tzinfo=None))  # what Django stores on SQLite
            for family, person in subjects:
                seq += 1
                link = link_hash_values(
                    (county_id, seq, sealed_at, kind, actor, role, action, view, purpose, family, person, recipient, legal), prev
                )
                batch.append(
                    (county_id, seq, stored_at, kind, actor, role, action, view, purpose, family, person, recipient, legal, prev, link)
                )
                prev = link
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    return seq, prev


def _copy_text(value) -> str:
    """A value in COPY's text format (the values here are ids, dates and fixed words)."""
    if value is None:
        return "\\N"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_chain(county_id: int, events: list[tuple], clock: _Clock) -> tuple[int, str]:
    """PostgreSQL: the rows as COPY text, written a block at a time (several times faster than
    handing psycopg a tuple per row)."""
    prev, seq = GENESIS, 0
    table, columns = _columns()
    county = _copy_text(county_id)
    lines: list[str] = []
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for key, actor, role, action, view, purpose, subjects, kind, recipient, legal in events:
            at = clock.utc(key)
            sealed_at = canonical(at)
            middle = "\t".join(_copy_text(v) for v in (at.isoformat(), kind, actor, role, action, view, purpose))
            tail = _copy_text(recipient) + "\t" + _copy_text(legal)
            for family, person in subjects:
                seq += 1
                link = link_hash_values(
                    (county_id, seq, sealed_at, kind, actor, role, action, view, purpose, family, person, recipient, legal), prev
                )
                f = "\\N" if family is None else str(family)
                p = "\\N" if person is None else str(person)
                lines.append(f"{county}\t{seq}\t{middle}\t{f}\t{p}\t{tail}\t{prev}\t{link}\n")
                prev = link
            if len(lines) >= 5_000:
                copy.write("".join(lines))
                lines.clear()
        if lines:
            copy.write("".join(lines))
    return seq, prev
