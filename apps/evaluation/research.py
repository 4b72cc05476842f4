"""The pseudonymised research export: CSV tables and their codebook in one zip, written as a stream.

Shared by `manage.py research_export` and the researcher's download page. What leaves and what
does not:

- **Pseudonyms, not ids.** Every id (child, family, relationship, team, worker, meeting) becomes
  HMAC-SHA256(key, "<kind>:<id>") truncated to 16 hex digits (64 bits). The same key gives the
  same pseudonym in every export, so a researcher can join a later export to an earlier one; a
  different key (another project) gives unlinkable pseudonyms. The key is SYSTEEMI_RESEARCH_KEY,
  required in production; in demo and debug mode it is derived from SECRET_KEY. The key never
  leaves the system, and without it a pseudonym cannot be turned back into an id.
- **Nothing that names.** No names, identity codes, addresses, contact details or municipalities;
  no free text at all (records, questions, hypotheses, step descriptions, perspectives, notes,
  rooms): free text names people and places. Codes (phase, status, instrument, reasons) stay.
- **Coarse dates.** A date leaves as its month (YYYY-MM), birth dates as the birth year. Where an
  analysis needs intervals they are given as day counts relative to the family's or the child's
  own events (days from opening, days late, days since the previous discussion), which cannot be
  placed on the calendar more precisely than the month they start from.
- **Rows, not tables: the small-cell rule is the researcher's to apply.** The export is
  pseudonymised microdata for a permit holder, not an aggregate: every row is one child, family,
  meeting or rating, so suppressing "cells of 1-4" would mean suppressing every row. Its protection
  is what is listed above (pseudonyms, no free text, months instead of dates) and the legal frame
  (the permit, the secure environment and the result checks of the Act on the Secondary Use of
  Health and Social Data). Counts inside a row (attendees of a meeting, hypotheses of a
  discussion, a worker's children at month end) describe that row. The one place the export
  counts anything is README.txt's rows per file, a count of the rows the same zip holds, which
  gives away nothing the files do not; so it is written as it is. Whatever the researcher
  publishes from the data goes through the same rule the pages do (apps/core/disclosure: counts
  of 1-4 and the shares derived from them, and complementary cells), as README.txt tells them.
  No aggregate table is part of the export; one added later is an aggregate that leaves the team
  and goes through apps/core/disclosure.

Every export writes one disclosure-log entry per family whose data it holds (a family-level entry
shows in the log of every member: apps/audit/selectors.person_log_entries), before any row is
written, so an interrupted download is still on record.

Memory stays flat whatever the size: each table is read with `.iterator(chunk_size)` as plain
value tuples and written row batch by row batch into a deflated zip member opened for writing
(`ZipFile.open(name, "w")`), which also works on an unseekable stream (the download).
"""

import csv
import datetime
import hashlib
import hmac
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from apps.audit import ledger
from apps.audit.services import Subject
from apps.caseload.models import CaseloadSnapshot
from apps.clients.models import ClientRelationship, Family, FamilyMember, Person, PhaseEvent
from apps.core.subqueries import count_of
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep, ProposalReason, minutes_of
from apps.organisations.models import County, Membership, Team, TeamRole
from apps.ratings.models import Instrument, Rating

CHUNK = 2000
LOG_CHUNK = 5000
PSEUDONYM_HEX = 16
# The act on the secondary use of health and social data (toisiolaki 552/2019). It is not in
# FACTS.md (confidence U): we cite the act and the researcher's own permit, not a section.
SECONDARY_USE_ACT = "toisiolaki 552/2019"


def research_key() -> bytes:
    """The pseudonym key: SYSTEEMI_RESEARCH_KEY; derived from SECRET_KEY only in demo/debug mode."""
    key = getattr(settings, "SYSTEEMI_RESEARCH_KEY", "")
    if key:
        return key.encode()
    if settings.DEMO or settings.DEBUG:
        return hmac.new(settings.SECRET_KEY.encode(), b"systeemi research pseudonyms", hashlib.sha256).digest()
    raise ImproperlyConfigured("SYSTEEMI_RESEARCH_KEY must be set for research exports outside demo and debug mode.")


class Pseudonyms:
    """HMAC-SHA256 pseudonyms, cached: a family or a worker appears in many rows."""

    def __init__(self, key: bytes):
        self._base = hmac.new(key, digestmod=hashlib.sha256)
        self._cache: dict[tuple[str, int], str] = {}

    def __call__(self, kind: str, pk) -> str:
        if pk is None:
            return ""
        found = self._cache.get((kind, pk))
        if found is None:
            h = self._base.copy()
            h.update(f"{kind}:{pk}".encode())
            found = self._cache[(kind, pk)] = h.hexdigest()[:PSEUDONYM_HEX]
        return found


def _month(day) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return f"{day:%Y-%m}"


def _days(later, earlier) -> int | str:
    return (later - earlier).days if later and earlier else ""


def _age(birth, day) -> int | str:
    if birth is None or day is None:
        return ""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _flag(value) -> int:
    return int(bool(value))


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    fi: str
    en: str


@dataclass
class Table:
    name: str
    columns: list[Column]
    rows: Callable[["ResearchExport"], Iterable[list]]


def C(name, type_, fi, en):  # noqa: N802 - reads like a table definition
    return Column(name, type_, fi, en)


REASON_CODES = frozenset(ProposalReason.values)
PSEUDO = "pseudonym"
MONTH = "month YYYY-MM"


# ---- the tables --------------------------------------------------------------------------------


def _teams(x: "ResearchExport"):
    for pk, county, kind, interval, lo, hi in (
        Team.objects.filter(county_id__in=x.county_ids)
        .order_by("id")
        .values_list("id", "county__code", "kind", "discussion_interval_weeks", "caseload_target_min", "caseload_target_max")
        .iterator(CHUNK)
    ):
        yield [x.p("team", pk), county, kind, interval, lo, hi]


def _children(x: "ResearchExport"):
    clients = ClientRelationship.objects.filter(county_id__in=x.county_ids).values("child_id")
    rows = Person.objects.filter(county_id__in=x.county_ids, id__in=clients).order_by("id").values_list("id", "birth_date", "language")
    for pk, birth, language in rows.iterator(CHUNK):
        yield [x.p("person", pk), birth.year if birth else "", language]


def _relationships(x: "ResearchExport"):
    rows = (
        ClientRelationship.objects.filter(county_id__in=x.county_ids)
        .order_by("id")
        .values_list(
            "id",
            "child_id",
            "family_id",
            "family__team_id",
            "responsible_worker_id",
            "opened_on",
            "closed_on",
            "current_phase",
            "child__birth_date",
        )
    )
    for pk, child, family, team, worker, opened, closed, phase, birth in rows.iterator(CHUNK):
        yield [
            x.p("relationship", pk),
            x.p("person", child),
            x.p("family", family),
            x.p("team", team),
            x.p("user", worker),
            _month(opened),
            _month(closed),
            _days(closed, opened),
            phase,
            _age(birth, opened),
        ]


def _phases(x: "ResearchExport"):
    rows = (
        PhaseEvent.objects.filter(county_id__in=x.county_ids)
        .order_by("relationship_id", "started_on", "id")
        .values_list("relationship_id", "phase", "started_on", "relationship__opened_on")
    )
    for rel, phase, started, opened in rows.iterator(CHUNK):
        yield [x.p("relationship", rel), phase, _month(started), _days(started, opened)]


def _meetings(x: "ResearchExport"):
    consultants = Membership.objects.filter(team_id=OuterRef(OuterRef("team_id")), role=TeamRole.CONSULTANT).values("user_id")
    chaired = Attendance.objects.filter(meeting=OuterRef("pk"), role=Attendance.Role.CHAIR, user_id__in=consultants)
    therapist = Attendance.objects.filter(meeting=OuterRef("pk"), role=Attendance.Role.THERAPIST)
    rows = (
        Meeting.objects.filter(county_id__in=x.county_ids)
        .annotate(
            chaired=Exists(chaired),
            therapist=Exists(therapist),
            attendees=count_of(Attendance.objects.all(), "meeting"),
            discussions=count_of(AgendaItem.objects.all(), "meeting"),
        )
        .order_by("id")
        .values_list("id", "team_id", "starts_at", "status", "chaired", "therapist", "attendees", "discussions")
    )
    for pk, team, starts, status, was_chaired, had_therapist, attendees, discussions in rows.iterator(CHUNK):
        yield [
            x.p("meeting", pk),
            x.p("team", team),
            _month(starts),
            status,
            _flag(was_chaired),
            _flag(had_therapist),
            attendees,
            discussions,
        ]


def _discussions(x: "ResearchExport"):
    rows = (
        AgendaItem.objects.filter(county_id__in=x.county_ids)
        .annotate(
            n_hypotheses=count_of(Hypothesis.objects.all(), "item"),
            n_steps=count_of(PlanStep.objects.all(), "item"),
        )
        .order_by("family_id", "meeting__starts_at", "id")
        .values_list(
            "meeting_id",
            "family_id",
            "meeting__starts_at",
            "planned_minutes",
            "discussed_seconds",
            "family_invited",
            "family_attended",
            "partner_attended",
            "reasons",
            "n_hypotheses",
            "n_steps",
        )
    )
    previous_family, previous_day = None, None
    for meeting, family, starts, planned, seconds, invited, attended, partner, reasons, hypotheses, steps in rows.iterator(CHUNK):
        day = timezone.localtime(starts).date()
        since = _days(day, previous_day) if family == previous_family else ""
        previous_family, previous_day = family, day
        minutes = minutes_of(seconds) if seconds else ""  # running time, as the meeting pages round it
        yield [
            x.p("meeting", meeting),
            x.p("family", family),
            _month(day),
            since,
            planned,
            minutes,
            _flag(invited),
            _flag(attended),
            _flag(partner),
            ";".join(r for r in (reasons or []) if r in REASON_CODES),
            hypotheses,
            steps,
        ]


def _plan_steps(x: "ResearchExport"):
    rows = (
        PlanStep.objects.filter(county_id__in=x.county_ids)
        .order_by("id")
        .values_list("family_id", "item__meeting_id", "item__meeting__starts_at", "owner_id", "due_on", "status", "done_on")
    )
    for family, meeting, starts, owner, due, status, done in rows.iterator(CHUNK):
        made = timezone.localtime(starts).date() if starts else None
        yield [x.p("family", family), x.p("meeting", meeting), x.p("user", owner), _month(due), _days(due, made), status, _days(done, due)]


def _instruments(x: "ResearchExport"):
    for i in Instrument.objects.order_by("code", "version"):
        spec = i.spec
        yield [
            spec.code,
            spec.version,
            spec.kind,
            spec.audience,
            spec.age_min,
            spec.age_max or "",
            ";".join(it.key for it in spec.items),
            spec.scale_max,
        ]


def _ratings(x: "ResearchExport"):
    relation = FamilyMember.objects.filter(family_id=OuterRef("family_id"), person_id=OuterRef("rater_id")).values("relation")[:1]
    rows = (
        Rating.objects.filter(county_id__in=x.county_ids)
        .annotate(relation=Subquery(relation))
        .order_by("rater_id", "instrument_id", "rated_on", "created_at", "id")
        .values_list(
            "family_id",
            "rater_id",
            "relation",
            "rater__birth_date",
            "instrument_id",
            "rated_on",
            "mode",
            "agenda_item__meeting_id",
            "values",
            "total",
        )
    )
    first: dict = {}
    for family, rater, rel, birth, instrument, day, mode, meeting, values, total in rows.iterator(CHUNK):
        spec = x.specs[instrument]
        series = (rater, instrument)
        if series not in first:
            first.clear()  # rows come in rater and instrument order: one series at a time
            first[series] = day
        marks = [values.get(item.key, "") for item in spec.items] if isinstance(values, dict) else []
        marks += [""] * (x.max_items - len(marks))
        yield [
            x.p("family", family),
            x.p("person", rater),
            rel or "",
            _age(birth, day),
            spec.code,
            spec.version,
            spec.kind,
            mode,
            _month(day),
            _days(day, first[series]),
            x.p("meeting", meeting),
            *marks,
            "" if total is None else total,
        ]


def _caseload_snapshots(x: "ResearchExport"):
    rows = (
        CaseloadSnapshot.objects.filter(county_id__in=x.county_ids)
        .order_by("worker_id", "month_end")
        .values_list("worker_id", "county__code", "month_end", "children")
    )
    for worker, county, month_end, children in rows.iterator(CHUNK):
        yield [x.p("user", worker), county, _month(month_end), children]


TABLES = [
    Table(
        "teams.csv",
        [
            C("team", PSEUDO, "tiimin pseudonyymi", "team pseudonym"),
            C("county", "code", "hyvinvointialueen tunnus", "wellbeing services county code"),
            C(
                "kind",
                "code",
                "tiimin tyyppi: systemic, comparison, family_social_work",
                "team kind: systemic, comparison, family_social_work",
            ),
            C(
                "discussion_interval_weeks",
                "integer",
                "tiimin sopima perheen käsittelyväli viikkoina",
                "the team's agreed discussion interval, weeks",
            ),
            C(
                "caseload_target_min",
                "integer",
                "tiimin tavoite: lapsia työntekijää kohden vähintään",
                "team target: children per worker, minimum",
            ),
            C(
                "caseload_target_max",
                "integer",
                "tiimin tavoite: lapsia työntekijää kohden enintään",
                "team target: children per worker, maximum",
            ),
        ],
        _teams,
    ),
    Table(
        "children.csv",
        [
            C("child", PSEUDO, "lapsen pseudonyymi (henkilö)", "child pseudonym (person)"),
            C("birth_year", "integer", "syntymävuosi", "year of birth"),
            C("language", "code", "asiointikieli: fi, sv, en, other", "language of service: fi, sv, en, other"),
        ],
        _children,
    ),
    Table(
        "relationships.csv",
        [
            C("relationship", PSEUDO, "asiakkuuden pseudonyymi", "client relationship pseudonym"),
            C("child", PSEUDO, "lapsen pseudonyymi", "child pseudonym"),
            C("family", PSEUDO, "perheen pseudonyymi", "family pseudonym"),
            C("team", PSEUDO, "perheen nykyisen tiimin pseudonyymi", "pseudonym of the family's current team"),
            C("responsible_worker", PSEUDO, "vastuusosiaalityöntekijän pseudonyymi", "responsible social worker pseudonym"),
            C("opened_month", MONTH, "alkamiskuukausi", "month opened"),
            C("closed_month", MONTH, "päättymiskuukausi (tyhjä: avoin)", "month closed (empty: open)"),
            C("days_open", "integer", "kesto päivinä päättyneillä", "duration in days, closed ones only"),
            C("current_phase", "code", "nykyinen vaihe", "current phase"),
            C("child_age_at_opening", "integer", "lapsen ikä vuosina alkaessa", "child's age in years at opening"),
        ],
        _relationships,
    ),
    Table(
        "phases.csv",
        [
            C("relationship", PSEUDO, "asiakkuuden pseudonyymi", "client relationship pseudonym"),
            C("phase", "code", "vaihe", "phase"),
            C("started_month", MONTH, "vaiheen alkamiskuukausi", "month the phase started"),
            C("days_from_opening", "integer", "päiviä asiakkuuden alusta", "days from the relationship's opening"),
        ],
        _phases,
    ),
    Table(
        "meetings.csv",
        [
            C("meeting", PSEUDO, "tiimikokouksen pseudonyymi", "team meeting pseudonym"),
            C("team", PSEUDO, "tiimin pseudonyymi", "team pseudonym"),
            C("month", MONTH, "kokouskuukausi", "month of the meeting"),
            C("status", "code", "planned tai approved (pöytäkirja hyväksytty)", "planned or approved (record approved)"),
            C("consultant_chaired", "0/1", "konsultoiva sosiaalityöntekijä puheenjohtajana", "the consultant social worker chaired"),
            C("therapist_present", "0/1", "perheterapeutti paikalla", "a family therapist attended"),
            C("attendees", "integer", "läsnä olleita työntekijöitä", "professionals present"),
            C("discussions", "integer", "käsiteltyjä perheitä", "families discussed"),
        ],
        _meetings,
    ),
    Table(
        "discussions.csv",
        [
            C("meeting", PSEUDO, "tiimikokouksen pseudonyymi", "team meeting pseudonym"),
            C("family", PSEUDO, "perheen pseudonyymi", "family pseudonym"),
            C("month", MONTH, "kokouskuukausi", "month of the meeting"),
            C("days_since_previous", "integer", "päiviä perheen edellisestä käsittelystä", "days since the family's previous discussion"),
            C("planned_minutes", "integer", "asialistalle varattu aika, min", "time planned on the agenda, minutes"),
            C("discussed_minutes", "integer", "kirjattu käsittelyaika, min", "recorded discussion time, minutes"),
            C("family_invited", "0/1", "perhe kutsuttu", "family invited"),
            C("family_attended", "0/1", "perhe paikalla", "family attended"),
            C("partner_attended", "0/1", "yhteistyökumppani paikalla", "partner professional attended"),
            C("reasons", "codes", "käsittelyn syyt (;-eroteltu)", "reasons for the discussion (;-separated)"),
            C("hypotheses", "integer", "kirjatut hypoteesit", "hypotheses recorded"),
            C("plan_steps", "integer", "kirjatut suunnitelman askeleet", "plan steps recorded"),
        ],
        _discussions,
    ),
    Table(
        "plan_steps.csv",
        [
            C("family", PSEUDO, "perheen pseudonyymi", "family pseudonym"),
            C("meeting", PSEUDO, "kokous, jossa askel sovittiin", "meeting where the step was agreed"),
            C("owner", PSEUDO, "askeleesta vastaavan työntekijän pseudonyymi", "pseudonym of the worker who owns the step"),
            C("due_month", MONTH, "määräkuukausi", "month due"),
            C("days_allowed", "integer", "päiviä kokouksesta määräpäivään", "days from the meeting to the due date"),
            C("status", "code", "open, done, cancelled", "open, done, cancelled"),
            C(
                "days_late",
                "integer",
                "tehty päiviä määräpäivän jälkeen (negatiivinen: etuajassa)",
                "done days after due (negative: early)",
            ),
        ],
        _plan_steps,
    ),
    Table(
        "instruments.csv",
        [
            C("instrument", "code", "mittarin tunnus", "instrument code"),
            C("version", "text", "versio", "version"),
            C("kind", "code", "outcome (tilannearvio) tai session (tapaamisarvio)", "outcome or session"),
            C("audience", "code", "adult, child, young_child", "adult, child, young_child"),
            C("age_min", "integer", "ikä vähintään", "minimum age"),
            C("age_max", "integer", "ikä enintään", "maximum age"),
            C("items", "codes", "kohtien tunnukset järjestyksessä (item_1, item_2, …)", "item keys in order (item_1, item_2, …)"),
            C("scale_max", "number", "kohdan enimmäisarvo", "maximum of one item"),
        ],
        _instruments,
    ),
    Table("ratings.csv", [], _ratings),  # columns depend on the instruments: see ResearchExport.columns
    Table(
        "caseload_snapshots.csv",
        [
            C("worker", PSEUDO, "työntekijän pseudonyymi", "worker pseudonym"),
            C("county", "code", "hyvinvointialueen tunnus", "wellbeing services county code"),
            C("month", MONTH, "kuukausi", "month"),
            C("children", "integer", "vastuulapsia kuun lopussa", "children the worker was responsible for at month end"),
        ],
        _caseload_snapshots,
    ),
]

RATING_COLUMNS_BEFORE = [
    C("family", PSEUDO, "perheen pseudonyymi", "family pseudonym"),
    C(
        "rater",
        PSEUDO,
        "arvioijan pseudonyymi (henkilö; lapsella sama kuin children.csv)",
        "rater pseudonym (person; a child's matches children.csv)",
    ),
    C("rater_relation", "code", "arvioijan suhde perheeseen", "the rater's relation to the family"),
    C("rater_age", "integer", "arvioijan ikä vuosina", "rater's age in years"),
    C("instrument", "code", "mittari (instruments.csv)", "instrument (instruments.csv)"),
    C("version", "text", "mittarin versio", "instrument version"),
    C("kind", "code", "outcome tai session", "outcome or session"),
    C("mode", "code", "phone (perheenjäsen itse) tai paper (työntekijä syötti)", "phone (family member) or paper (entered by a worker)"),
    C("month", MONTH, "arviointikuukausi", "month rated"),
    C(
        "days_since_first",
        "integer",
        "päiviä arvioijan ensimmäisestä arviosta samalla mittarilla",
        "days since the rater's first rating on this instrument",
    ),
    C("meeting", PSEUDO, "tiimikokous, jonka käsittelyä arvio koskee", "team meeting whose discussion was rated"),
]
RATING_TOTAL = C("total", "number", "kokonaispistemäärä", "total score")


@dataclass
class ResearchExport:
    """One export: its scope, its recipient and legal basis, and the row counts written."""

    actor: object
    recipient: str
    legal_basis: str
    county: County | None = None
    key: bytes | None = None
    view_name: str = "research-export"
    rows: dict[str, int] = field(default_factory=dict)
    logged_families: int = 0

    def __post_init__(self):
        self.p = Pseudonyms(self.key or research_key())
        counties = County.objects.all() if self.county is None else County.objects.filter(pk=self.county.pk)
        self.county_ids = list(counties.values_list("id", flat=True))
        self.specs = {i.pk: i.spec for i in Instrument.objects.all()}
        self.max_items = max((len(s.items) for s in self.specs.values()), default=0)
        self.created_at = timezone.now()

    def columns(self, table: Table) -> list[Column]:
        if table.name != "ratings.csv":
            return table.columns
        items = [
            C(f"item_{n}", "number", f"kohta {n} (instruments.csv: items)", f"item {n} (instruments.csv: items)")
            for n in range(1, self.max_items + 1)
        ]
        return [*RATING_COLUMNS_BEFORE, *items, RATING_TOTAL]

    def exported_families(self):
        """Families whose data the export holds: a relationship, a discussion or a rating."""
        return Family.objects.filter(county_id__in=self.county_ids).filter(
            Q(Exists(ClientRelationship.objects.filter(family=OuterRef("pk"))))
            | Q(Exists(AgendaItem.objects.filter(family=OuterRef("pk"))))
            | Q(Exists(Rating.objects.filter(family=OuterRef("pk"))))
        )

    def log_disclosure(self) -> int:
        """One disclosure entry per family, county by county, in chunks (each chunk one transaction)."""
        role = getattr(self.actor, "org_role", "") or "researcher"
        batch: list[tuple[int, int]] = []

        def flush():
            by_county: dict[int, list[Subject]] = {}
            for family_id, county_id in batch:
                by_county.setdefault(county_id, []).append(Subject(family_id, None))
            for county_id, subjects in by_county.items():
                ledger.disclosed(
                    actor=self.actor,
                    county_id=county_id,
                    role=role,
                    view_name=self.view_name,
                    recipient=self.recipient[:200],
                    legal_basis=self.legal_basis[:200],
                    subjects=subjects,
                )
            batch.clear()

        for row in self.exported_families().order_by("id").values_list("id", "county_id").iterator(LOG_CHUNK):
            batch.append(row)
            self.logged_families += 1
            if len(batch) >= LOG_CHUNK:
                flush()
        flush()
        return self.logged_families

    def write(self, fileobj) -> Iterator[None]:
        """Write the zip to `fileobj`, yielding after every batch of rows (the download streams then)."""
        with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for table in TABLES:
                with zf.open(self._member(table.name), "w", force_zip64=True) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
                    writer = csv.writer(text)
                    writer.writerow([c.name for c in self.columns(table)])
                    count, batch = 0, []
                    for row in table.rows(self):
                        batch.append(row)
                        if len(batch) >= CHUNK:
                            writer.writerows(batch)
                            count += len(batch)
                            batch.clear()
                            text.flush()
                            yield
                    writer.writerows(batch)
                    count += len(batch)
                    text.flush()
                    text.detach()
                self.rows[table.name] = count
                yield
            with zf.open(self._member("codebook.csv"), "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow(["file", "column", "type", "description_fi", "description_en"])
                for table in TABLES:
                    writer.writerows([table.name, c.name, c.type, c.fi, c.en] for c in self.columns(table))
                text.flush()
                text.detach()
            zf.writestr(self._member("README.txt"), self.readme())
        yield

    def _member(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=timezone.localtime(self.created_at).timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    def readme(self) -> str:
        scope = self.county.code if self.county else "all counties"
        counts = "\n".join(f"  {name}: {n} rows" for name, n in self.rows.items())
        return (
            "Systeemi research export (pseudonymised)\n"
            f"Created: {timezone.localtime(self.created_at):%Y-%m-%d %H:%M %Z}\nScope: {scope}\nRecipient: {self.recipient}\n"
            f"Legal basis: {self.legal_basis}\n\nFiles:\n{counts}\n  codebook.csv: every column of every file\n\n"
            "Pseudonyms: HMAC-SHA256 of the internal id with a key held by the data controller, first 16 hex digits;\n"
            "stable across exports made with the same key, unlinkable across keys. Kinds: person (children and\n"
            "raters), family, relationship, team, user (workers), meeting.\n"
            "Left out: names, identity codes, addresses, contact details, municipalities, every free-text field.\n"
            "Dates: months (YYYY-MM); birth dates as the year; intervals as day counts from the family's own events.\n"
            "Small groups: row-level data. In anything you publish, hide counts of 1-4 and the shares computed from\n"
            "them, and hide a second cell wherever a row or column total would give a hidden one back.\n"
        )


def write_research_export(
    fileobj, *, actor, recipient: str, legal_basis: str, county: County | None = None, key: bytes | None = None
) -> ResearchExport:
    """Log the disclosure, then write the whole zip to `fileobj` (a file, or any object with write)."""
    export = ResearchExport(actor=actor, recipient=recipient, legal_basis=legal_basis, county=county, key=key)
    export.log_disclosure()
    for _ in export.write(fileobj):
        pass
    return export


class StreamSink:
    """A write-only file for ZipFile that hands out what was written since the last `take()`."""

    def __init__(self):
        self._parts: list[bytes] = []
        self._offset = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_research_export(export: ResearchExport) -> Iterator[bytes]:
    """The zip as byte chunks for a StreamingHttpResponse; the caller logs the disclosure first."""
    sink = StreamSink()
    for _ in export.write(sink):
        data = sink.take()
        if data:
            yield data
    data = sink.take()
    if data:
        yield data
