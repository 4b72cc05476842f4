"""Evaluation reads: the fidelity of each team to the systemic model, and the county report.

Everything is computed for a *set* of teams at once, so one team's page and the county report of
hundreds of teams run a fixed number of queries (fidelity 10 for one team's page, 13 for a set in
the county report's shape, of which four are the caseload overview's; the county report 22):
meetings, discussions, hypotheses, plan steps, open families and ratings are counted per team in
SQL. Two things are finished in Python from lean
rows without further queries: whether each open family was discussed often enough (gaps between
discussions counted in the team's meetings: one row of two ids per discussion) and the ratings
outcomes (one row per rater series, its first and latest total).

Aggregates only: nothing here returns a client's name or any family's figures.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.utils import timezone, translation

from apps.caseload.rules import statutory_cap
from apps.caseload.selectors import caseload_overview, median_children
from apps.casework.calendar import is_working_day
from apps.casework.deadlines import overdue_counts
from apps.clients.models import Family
from apps.clients.selectors import open_cases_per_team
from apps.core import disclosure
from apps.core.subqueries import count_of
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from apps.organisations.models import Membership, Team, TeamKind, TeamRole
from apps.ratings.models import Rating
from apps.ratings.selectors import (
    OUTCOME_COUNTS,
    SMALL_GROUP,
    instrument_specs,
    outcome_cells,
    outcome_changes,
    outcome_figures,
    outcome_totals,
)
from apps.training.selectors import trained_counts

from . import pulse
from . import targets as t
from .models import FidelityTarget
from .targets import Status, Target

PERIOD_MONTHS = (3, 6, 12)
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """Whole ISO weeks, Monday to Sunday, ending with the last full week before `today`."""

    start: datetime.date
    end: datetime.date
    months: int

    @classmethod
    def last(cls, months: int = DEFAULT_MONTHS, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        end = today - datetime.timedelta(days=today.weekday() + 1)
        first = today - relativedelta(months=months)
        start = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
        return cls(start, end, months)

    @property
    def weeks(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(weeks=n) for n in range(((self.end - self.start).days + 1) // 7)]

    @property
    def working_weeks(self) -> int:
        """Weeks with at least one Finnish working day: a week of holidays needs no meeting."""
        return sum(any(is_working_day(monday + datetime.timedelta(days=d)) for d in range(5)) for monday in self.weeks)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end


@dataclass
class Indicator:
    target: Target
    numerator: int | None = None
    denominator: int | None = None
    value: float | None = None  # a share 0–1, or minutes for minutes_per_case
    detail: str = ""
    status: Status = Status.NO_DATA
    hidden: bool = False  # counts clients, and the count is small or would give a small one away

    @property
    def key(self) -> str:
        return self.target.key

    @property
    def percent(self) -> int | None:
        if self.hidden or self.value is None or self.key == "minutes_per_case":
            return None
        return round(100 * self.value)

    @property
    def status_label(self) -> str:
        return str(t.STATUS_LABELS[self.status])


def _share(target: Target, numerator: int, denominator: int, detail: str = "") -> Indicator:
    value = numerator / denominator if denominator else None
    return Indicator(target, numerator, denominator, value, detail, target.status(value))


@dataclass
class Fidelity:
    team: Team
    period: Period
    indicators: list[Indicator] = field(default_factory=list)
    held_meetings: int = 0
    discussions: int = 0
    open_families: int = 0
    hypotheses_per_discussion: float | None = None
    steps_per_discussion: float | None = None
    srs_per_meeting: float | None = None
    srs_total: int = 0
    srs_hidden: bool = False  # the session ratings behind srs_per_meeting are 1-4
    caseload: object = None  # the team's caseload_overview row (TeamLoad)
    own_levels: dict = field(default_factory=dict)  # the team's own targets now (targets.ADJUSTABLE)

    def __getitem__(self, key: str) -> Indicator:
        return self.by_key[key]

    @property
    def by_key(self) -> dict[str, Indicator]:
        return {i.key: i for i in self.indicators}

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(i.status == s for i in self.indicators) for s in Status}


def _held_meetings(team_ids, period: Period):
    """Meetings in the period that took place: approved, or with attendance or a timed discussion."""
    start, end = period.bounds()
    attended = Attendance.objects.filter(meeting=OuterRef("pk"))
    timed = AgendaItem.objects.filter(meeting=OuterRef("pk"), started_at__isnull=False)
    return Meeting.objects.filter(team_id__in=team_ids, starts_at__gte=start, starts_at__lt=end).filter(
        Q(status=Meeting.Status.APPROVED) | Exists(attended) | Exists(timed)
    )


def _meeting_rows(team_ids, period: Period):
    consultants = Membership.objects.filter(team_id=OuterRef(OuterRef("team_id")), role=TeamRole.CONSULTANT).values("user_id")
    chaired = Attendance.objects.filter(meeting=OuterRef("pk"), role=Attendance.Role.CHAIR, user_id__in=consultants)
    therapist = Attendance.objects.filter(meeting=OuterRef("pk"), role=Attendance.Role.THERAPIST)
    return (
        _held_meetings(team_ids, period)
        .annotate(chaired=Exists(chaired), therapist=Exists(therapist))
        .order_by("team_id", "starts_at", "id")
        .values_list("team_id", "id", "starts_at", "chaired", "therapist")
    )


def _discussion_figures(team_ids, period: Period, *, per_discussion: bool) -> dict[int, dict]:
    """Per team: discussions, their timing and presence, and the hypotheses, plan steps and session
    ratings they produced.

    Two query shapes, the same figures. `per_discussion` counts each discussion's hypotheses, plan
    steps and session ratings in correlated subqueries inside the one aggregate: one query instead
    of four, each of which planned the held-meetings subquery again (one team's page, PostgreSQL
    national: 11.6 -> 7.6 ms; SQLite 8.5 -> 6.6). For a county's 72 teams that shape probes the
    indexes once per discussion and was 4x slower (223 -> 868 ms), so the county report groups joins.
    """
    held = _held_meetings(team_ids, period).values("id")
    # Running time only: a discussion paused while another family was discussed counts its intervals.
    timed = Q(discussed_seconds__gt=0)
    session_ratings = Rating.objects.filter(instrument__kind="session")
    items = AgendaItem.objects.filter(meeting_id__in=held)
    if per_discussion:
        items = items.annotate(
            n_hyp=count_of(Hypothesis.objects.all(), "item"),
            n_steps=count_of(PlanStep.objects.all(), "item"),
            n_srs=count_of(session_ratings, "agenda_item"),
        )
        rated = Q(n_srs__gt=0)
        produced = {
            "hypotheses_n": Sum("n_hyp"),
            "hypotheses_items": Count("id", filter=Q(n_hyp__gt=0)),
            "steps_n": Sum("n_steps"),
            "steps_items": Count("id", filter=Q(n_steps__gt=0)),
            "srs_total": Sum("n_srs"),
        }
    else:
        items = items.annotate(srs=Exists(session_ratings.filter(agenda_item=OuterRef("pk"))))
        rated, produced = Q(srs=True), {}
    rows = items.values("meeting__team_id").annotate(
        items=Count("id"),
        timed=Count("id", filter=timed),
        duration=Sum("discussed_seconds", filter=timed),
        planned=Sum("planned_minutes", filter=timed),
        family=Count("id", filter=Q(family_attended=True)),
        partner=Count("id", filter=Q(partner_attended=True)),
        family_srs=Count("id", filter=Q(family_attended=True) & rated),
        **produced,
    )
    figures = {r["meeting__team_id"]: r for r in rows}
    if per_discussion:
        for r in figures.values():
            for key in ("hypotheses", "steps"):
                r[key] = {"n": r.pop(f"{key}_n"), "items": r.pop(f"{key}_items")}
        return figures
    for model, key in ((Hypothesis, "hypotheses"), (PlanStep, "steps")):
        for r in (
            model.objects.filter(item__meeting_id__in=held)
            .values("item__meeting__team_id")
            .annotate(n=Count("id"), items=Count("item_id", distinct=True))
        ):
            figures.setdefault(r["item__meeting__team_id"], {})[key] = r
    srs_count = session_ratings.filter(agenda_item__meeting_id__in=held).values("agenda_item__meeting__team_id").annotate(n=Count("id"))
    for r in srs_count:
        figures.setdefault(r["agenda_item__meeting__team_id"], {})["srs_total"] = r["n"]
    return figures


def _open_families(team_ids, period: Period, at: datetime.date | None = None):
    """Families with an open client relationship now (or on the day `at`): their team, since when,
    and whether rated (ORS) in the period."""
    ors = Rating.objects.filter(family=OuterRef("pk"), instrument__kind="outcome", rated_on__range=(period.start, period.end))
    if at is None:
        open_then = Q(relationships__closed_on__isnull=True)
    else:
        open_then = Q(relationships__opened_on__lte=at) & (Q(relationships__closed_on__isnull=True) | Q(relationships__closed_on__gte=at))
    return (
        Family.objects.filter(team_id__in=team_ids)
        .annotate(since=Min("relationships__opened_on", filter=open_then))
        .filter(since__isnull=False)
        .annotate(ors=Exists(ors))
        .values_list("id", "team_id", "since", "ors")
    )


def _discussed_often(meetings: list[tuple[int, datetime.datetime]], discussed: dict[int, set], families, interval: int):
    """(families discussed often enough, families open long enough to judge).

    The gap is counted in the team's own meetings, not calendar weeks: a summer break without
    meetings is not held against every family twice (the weekly-meeting indicator shows it).
    A family fails when `interval` meetings in a row passed without it, from the first meeting
    after its relationship opened to the last meeting of the period.
    """
    ok = judged = 0
    local_days = [timezone.localtime(starts_at).date() for _mid, starts_at in meetings]
    for family_id, since in families:
        seen = discussed.get(family_id, set())
        run, longest, counted = 0, 0, 0
        for (meeting_id, _starts), day in zip(meetings, local_days, strict=True):
            if day < since:
                continue
            counted += 1
            run = 0 if meeting_id in seen else run + 1
            longest = max(longest, run)
        if counted >= interval or seen:
            judged += 1
            ok += longest < interval
    return ok, judged


def fidelity_for_teams(
    teams,
    *,
    months: int = DEFAULT_MONTHS,
    today: datetime.date | None = None,
    period: Period | None = None,
    per_discussion: bool = False,
    open_at_end: bool = False,
) -> dict[int, Fidelity]:
    """Fidelity of every team in `teams` (a queryset), keyed by team id, in a fixed number of queries.

    The period is the last `months` months in whole weeks before `today`, unless given;
    `per_discussion` is the query shape for one or a few teams (see `_discussion_figures`);
    `open_at_end` judges the families open at the period's end rather than now (a past quarter).
    """
    period = period or Period.last(months, today)
    teams = list(teams.select_related("unit").order_by("unit__name", "name"))
    if not teams:
        return {}
    team_ids = [team.pk for team in teams]
    meetings: dict[int, list] = defaultdict(list)
    chaired: dict[int, int] = defaultdict(int)
    therapist: dict[int, int] = defaultdict(int)
    weeks: dict[int, set] = defaultdict(set)
    for team_id, meeting_id, starts_at, was_chaired, had_therapist in _meeting_rows(team_ids, period):
        meetings[team_id].append((meeting_id, starts_at))
        weeks[team_id].add(timezone.localtime(starts_at).date().isocalendar()[:2])
        chaired[team_id] += was_chaired
        therapist[team_id] += had_therapist
    meeting_team = {mid: team_id for team_id, rows in meetings.items() for mid, _s in rows}
    discussed: dict[int, dict[int, set]] = defaultdict(lambda: defaultdict(set))
    held = _held_meetings(team_ids, period).values("id")
    for meeting_id, family_id in AgendaItem.objects.filter(meeting_id__in=held).values_list("meeting_id", "family_id").iterator(5000):
        if meeting_id in meeting_team:  # a meeting that became "held" between the two reads waits for the next one
            discussed[meeting_team[meeting_id]][family_id].add(meeting_id)
    figures = _discussion_figures(team_ids, period, per_discussion=per_discussion)
    open_families: dict[int, list] = defaultdict(list)
    ors: dict[int, int] = defaultdict(int)
    for family_id, team_id, since, rated in _open_families(team_ids, period, period.end if open_at_end else None):
        open_families[team_id].append((family_id, since))
        ors[team_id] += rated
    steps = {
        r["family__team_id"]: r
        for r in PlanStep.objects.filter(family__team_id__in=team_ids, due_on__range=(period.start, period.end))
        .exclude(status=PlanStep.Status.CANCELLED)
        .values("family__team_id")
        .annotate(due=Count("id"), on_time=Count("id", filter=Q(status=PlanStep.Status.DONE, done_on__lte=F("due_on"))))
    }
    own = current_targets(team_ids)
    trained = trained_counts(team_ids)
    loads = {load.team.pk: load for load in caseload_overview(teams[0].county_id, Team.objects.filter(pk__in=team_ids), months=1).teams}
    working_weeks = period.working_weeks

    result = {}
    for team in teams:
        f = figures.get(team.pk, {})
        items = f.get("items", 0)
        held_n = len(meetings[team.pk])
        often_ok, often_judged = _discussed_often(
            meetings[team.pk], discussed[team.pk], open_families[team.pk], team.discussion_interval_weeks
        )
        fid = Fidelity(team, period, held_meetings=held_n, discussions=items, open_families=len(open_families[team.pk]))
        levels = own.get(team.pk, {})

        def target(tg: Target, levels=levels) -> Target:
            return t.with_own_level(tg, levels[tg.key]) if tg.key in levels else tg

        minutes = None
        if f.get("timed"):
            total = f["duration"] / 60  # minutes of running discussion
            minutes = Indicator(t.MINUTES_PER_CASE, round(total / f["timed"]), round(f["planned"] / f["timed"]), total / f["timed"])
            minutes.target = target(t.MINUTES_PER_CASE)
            minutes.status = minutes.target.status(total / f["planned"] if f["planned"] else None)
        load = loads.get(team.pk)
        workers = load.workers if load else []
        hyp, step = f.get("hypotheses", {}), f.get("steps", {})
        fid.indicators = [
            _share(t.MEETINGS_HELD, min(len(weeks[team.pk]), working_weeks), working_weeks),
            _share(t.CONSULTANT_CHAIRED, chaired[team.pk], held_n),
            _share(t.THERAPIST_PRESENT, therapist[team.pk], held_n),
            _share(target(t.DISCUSSED_OFTEN), often_ok, often_judged),
            minutes or Indicator(target(t.MINUTES_PER_CASE)),
            _share(t.FAMILY_PRESENT, f.get("family", 0), items),
            _share(t.PARTNER_PRESENT, f.get("partner", 0), items),
            _share(target(t.HYPOTHESES), hyp.get("items", 0), items),
            _share(target(t.PLAN_STEPS), step.get("items", 0), items),
            _share(target(t.STEPS_ON_TIME), steps.get(team.pk, {}).get("on_time", 0), steps.get(team.pk, {}).get("due", 0)),
            _share(t.CASELOAD_RECOMMENDED, sum(w.children <= team.caseload_target_max for w in workers), len(workers)),
            _share(t.CASELOAD_UNDER_CAP, sum(not w.over_cap for w in workers), len(workers)),
            _share(target(t.ORS_SHARE), ors[team.pk], len(open_families[team.pk])),
            _share(target(t.SRS_SHARE), f.get("family_srs", 0), f.get("family", 0)),
            _share(t.MEMBERS_TRAINED, *trained.get(team.pk, (0, 0))),
        ]
        if team.kind != TeamKind.SYSTEMIC:
            for indicator in fid.indicators:
                if indicator.target.model_practice and indicator.status != Status.NO_DATA:
                    indicator.status = Status.NOT_APPLICABLE
        fid.hypotheses_per_discussion = round(hyp.get("n", 0) / items, 1) if items else None
        fid.steps_per_discussion = round(step.get("n", 0) / items, 1) if items else None
        fid.srs_per_meeting = round(f.get("srs_total", 0) / held_n, 1) if held_n else None
        fid.srs_total = f.get("srs_total", 0)
        fid.caseload = load
        fid.own_levels = levels
        _suppress_fidelity(fid)
        result[team.pk] = fid
    return result


# Indicators that count clients' own acts (attending their discussion, giving a rating), as
# (numerator, denominator) names in the table of one team's fidelity. The others count the team's
# work: meetings, chairs, intervals, plan steps, caseloads (apps/core/disclosure says why).
CLIENT_INDICATORS = {
    "family_present": ("family_present", "discussions"),
    "srs_share": ("srs_rated", "family_present"),
    "ors_share": ("ors_families", "open_families"),
}


def current_targets(team_ids) -> dict[int, dict[str, int]]:
    """Each team's own targets now (targets.ADJUSTABLE): the latest setting of every key, one query."""
    current: dict[int, dict[str, int]] = {}
    rows = FidelityTarget.objects.filter(team_id__in=team_ids).order_by("team_id", "key", "set_at", "id")
    for team_id, key, value in rows.values_list("team_id", "key", "value"):
        current.setdefault(team_id, {})[key] = value
    return current


def _suppress_fidelity(fid: Fidelity) -> None:
    """Hide the client counts of one team's fidelity by the one rule (apps/core/disclosure).

    The discussions the family attended are a part of all discussions, and the discussions with a
    session rating a part of those: one table, so a hidden count is not the difference of two shown."""
    table = disclosure.Table()
    by_key = fid.by_key
    values = {
        "discussions": by_key["family_present"].denominator,
        "family_present": by_key["family_present"].numerator,
        "srs_rated": by_key["srs_share"].numerator,
        "open_families": by_key["ors_share"].denominator,
        "ors_families": by_key["ors_share"].numerator,
    }
    for name in ("discussions", "open_families"):
        table.cell(name, values[name], sensitive=False)
    for name in ("family_present", "srs_rated", "ors_families"):
        table.cell(name, values[name])
    for part, whole in (("family_present", "discussions"), ("srs_rated", "family_present"), ("ors_families", "open_families")):
        table.cell(f"{whole}-{part}", values[whole] - values[part], shown=False)
        table.parts(whole, [part, f"{whole}-{part}"])
        table.group(whole, [part])
    table.cell("srs_total", fid.srs_total)
    hidden = table.suppress()
    for key, (numerator, _whole) in CLIENT_INDICATORS.items():
        if numerator in hidden:
            indicator = by_key[key]
            indicator.hidden, indicator.status = True, Status.HIDDEN
    fid.srs_hidden = "srs_total" in hidden


def team_fidelity(
    team: Team, *, months: int = DEFAULT_MONTHS, today: datetime.date | None = None, period: Period | None = None
) -> Fidelity:
    """One team's fidelity: the same code as the county report, for a set of one."""
    return fidelity_for_teams(Team.objects.filter(pk=team.pk), months=months, today=today, period=period, per_discussion=True)[team.pk]


# Indicators of the team's caseload now: a past quarter's caseloads are on the team's caseload page.
NOW_ONLY = {"caseload_recommended", "caseload_under_cap"}


def quarters(count: int = 8, today: datetime.date | None = None) -> list[Period]:
    """The last `count` calendar quarters in whole weeks (Monday to Sunday within the quarter), the
    current one up to the last full week; oldest first."""
    today = today or timezone.localdate()
    last_full_sunday = today - datetime.timedelta(days=today.weekday() + 1)
    first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    periods = []
    for n in range(count):
        start = first - relativedelta(months=3 * n)
        end = min(start + relativedelta(months=3) - datetime.timedelta(days=1), last_full_sunday)
        monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
        sunday = end - datetime.timedelta(days=(end.weekday() + 1) % 7)
        if sunday > monday:
            periods.append(Period(monday, sunday, 3))
    return periods[::-1]


@dataclass
class Trend:
    periods: list[Period]
    rows: list[tuple[t.Target, list[Indicator]]]  # per indicator, one per quarter


def fidelity_trend(team: Team, *, count: int = 8, today: datetime.date | None = None) -> Trend:
    """The team's fidelity quarter by quarter: the same computation as the page, once per quarter,
    with the families open at each quarter's end (a fixed number of queries per quarter)."""
    periods = quarters(count, today)
    by_period = [
        fidelity_for_teams(Team.objects.filter(pk=team.pk), period=p, per_discussion=True, open_at_end=True)[team.pk] for p in periods
    ]
    keys = [i for i in (by_period[0].indicators if by_period else []) if i.key not in NOW_ONLY]
    rows = [(i.target, [fid[i.key] for fid in by_period]) for i in keys]
    return Trend(periods, rows)


# ---- the county report ----------------------------------------------------------------------


@dataclass
class Outcomes:
    """Ratings outcomes of a group of families: the team row of ratings' team view, as counts,
    and `figures`, what the report shows of them after suppression (apps/core/disclosure)."""

    families: int = 0
    rating_families: int = 0
    with_change: int = 0
    improved: int = 0
    deteriorated: int = 0
    significant: int = 0
    figures: dict = field(default_factory=dict)

    def add(self, other: "Outcomes") -> None:
        for name in OUTCOME_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in OUTCOME_COUNTS}


def outcome_groups(team_ids, *, since: datetime.date, until: datetime.date | None = None) -> dict[int, Outcomes]:
    """Ratings outcomes per team: the set-based twin of the team row of ratings.team_outcomes.

    Same rules (apps/ratings/scoring): a rater's change runs from their first to their latest
    rating on one outcome instrument in the period; reliable and clinically significant change come
    from the instrument's definition, the cut-off by the rater's age at the latest rating; figures
    of groups smaller than SMALL_GROUP are not shown. team_outcomes reads every rating into Python;
    here SQL returns one row per rater and instrument with its first and latest total.
    """
    groups = {tid: Outcomes() for tid in team_ids}
    for r in Family.objects.filter(team_id__in=team_ids).values("team_id").annotate(n=Count("id")):
        groups[r["team_id"]].families = r["n"]
    # IN the teams' families, so both engines start from the (family, rater, day) index.
    ratings = Rating.objects.filter(family_id__in=Family.objects.filter(team_id__in=team_ids).values("pk"), rated_on__gte=since)
    if until:
        ratings = ratings.filter(rated_on__lte=until)
    for r in ratings.order_by().values("family__team_id").annotate(n=Count("family_id", distinct=True)):
        groups[r["family__team_id"]].rating_families = r["n"]
    # One pass over the period's outcome ratings in series order (the same reading as the team
    # view, apps/ratings/selectors.outcome_changes): a county's year is ~100,000 rows, grouped in
    # Python in well under a second. A correlated "no later rating" subquery per rating took 2.5 s
    # on SQLite at national scale.
    team_of = dict(Family.objects.filter(team_id__in=team_ids).values_list("id", "team_id"))
    for family_id, changes in outcome_changes(ratings, instrument_specs()).items():
        g = groups[team_of[family_id]]
        for ch in changes:
            g.with_change += 1
            g.improved += ch.reliably_improved
            g.deteriorated += ch.reliably_deteriorated
            g.significant += ch.clinically_significant
    return groups


@dataclass
class TeamRow:
    team: Team
    families: int
    children: int
    overdue: int
    fidelity: Fidelity
    outcomes: Outcomes
    staffing: object = None  # pulse.Staffing: headcount, turnover, vacancies and last month's pulse


@dataclass
class KindRow:
    kind: str
    teams: int = 0
    families: int = 0
    children: int = 0
    overdue: int = 0
    caseloads: list = field(default_factory=list)
    over_target: int = 0
    over_cap: int = 0
    outcomes: Outcomes = field(default_factory=Outcomes)
    staffing: object = None  # pulse.Staffing summed over the kind's teams

    @property
    def caseload_median(self):
        return median_children(self.caseloads)

    @property
    def label(self) -> str:
        """In the reader's language: the report is computed once for every language."""
        return str(TeamKind(self.kind).label)


@dataclass
class CountyReport:
    period: Period
    teams: list[TeamRow]
    kinds: list[KindRow]
    small: int = SMALL_GROUP
    cap: object = None  # the statutory cap in force at the end of the period (caseload.rules)
    pulse_month: datetime.date | None = None  # the last full month of the wellbeing pulse


def county_report(county_id: int, *, teams=None, months: int = DEFAULT_MONTHS, today: datetime.date | None = None) -> CountyReport:
    """The county's one-page evaluation: teams by kind, children, caseloads, deadlines, fidelity, outcomes.

    A fixed number of queries whatever the county's size: at county scale (8 teams, 768 children)
    it takes about 0.1 s on SQLite, for the largest county of the national set (84 teams) 1.2-2 s;
    the page reads it through cached_county_report.
    """
    today = today or timezone.localdate()
    teams = teams if teams is not None else Team.objects.filter(county_id=county_id)
    fidelity = fidelity_for_teams(teams, months=months, today=today)
    period = Period.last(months, today)
    team_ids = list(fidelity)
    scopes = _report_scopes(county_id, team_ids)
    # Every team of the county, whichever are shown: the cells are hidden as in the county report.
    outcomes = outcome_groups(scopes.team_ids, since=period.start, until=period.end)
    counts = open_cases_per_team(county_id, team_ids)
    overdue = overdue_counts(Family.objects.filter(team_id__in=team_ids), today=today)
    rows = [
        TeamRow(
            fid.team,
            *counts.get(tid, (0, 0)),
            overdue.get(tid, 0),
            fid,
            outcomes[tid],
        )
        for tid, fid in fidelity.items()
    ]
    kinds = {k: KindRow(k) for k in TeamKind.values}
    for row in rows:
        k = kinds[row.team.kind]
        k.teams += 1
        k.families += row.families
        k.children += row.children
        k.overdue += row.overdue
        if row.fidelity.caseload:
            k.caseloads += [w.children for w in row.fidelity.caseload.workers]
            k.over_target += row.fidelity.caseload.over_target_count
            k.over_cap += row.fidelity.caseload.over_cap_count
        k.outcomes.add(row.outcomes)
    kinds = [k for k in kinds.values() if k.teams]
    _suppress_outcomes(rows, kinds, outcomes, scopes)
    pulse_month = _add_staffing(rows, kinds, period, today, scopes)
    return CountyReport(period, rows, kinds, cap=statutory_cap(today), pulse_month=pulse_month)


@dataclass
class ReportScopes:
    """The sets of teams whose reports one manager can lay side by side: the county, each of its
    units, each team. Every report hides its cells from one table of them all (the county's teams
    and each set's total per kind of team), so a cell hidden in one report is hidden in every
    other, and no report's total less the figures shown in another gives a hidden one back.

    `own`: the set whose kind rows this report shows; None when it shows one team, whose kind row
    is the team's own."""

    team_ids: list[int]
    kind_of: dict[int, str]
    sets: dict[tuple, list[int]]
    own: tuple | None

    def totals(self):
        """(key, kind, the set's teams of that kind) for every set and kind."""
        for name, ids in self.sets.items():
            for kind in dict.fromkeys(self.kind_of[tid] for tid in ids):
                yield (*name, kind), kind, [tid for tid in ids if self.kind_of[tid] == kind]

    def kind_key(self, kind: str, rows: list[TeamRow]):
        if self.own is None:
            return next(row.team.pk for row in rows if row.team.kind == kind)
        return (*self.own, kind)


def _report_scopes(county_id: int, shown: list[int]) -> ReportScopes:
    teams = list(Team.objects.filter(Q(county_id=county_id) | Q(pk__in=shown)).order_by("pk").values_list("pk", "unit_id", "kind"))
    kind_of = {pk: kind for pk, _unit, kind in teams}
    sets: dict[tuple, list[int]] = {("county",): [pk for pk, _u, _k in teams]}
    for pk, unit, _kind in teams:
        if unit is not None:
            sets.setdefault(("unit", unit), []).append(pk)
    wanted = set(shown)
    own = next((name for name, ids in sets.items() if set(ids) == wanted), None)
    if own is None and len(wanted) > 1:  # another set of teams (not reached from the pages)
        own = ("shown",)
        sets[own] = sorted(wanted)
    return ReportScopes([pk for pk, _u, _k in teams], kind_of, sets, own)


def _add_staffing(rows: list[TeamRow], kinds: list[KindRow], period: Period, today: datetime.date, scopes: ReportScopes) -> datetime.date:
    """Staff turnover and vacancies over the period, and the last full month's wellbeing pulse, per
    team and kind (pulse groups under five hidden, and a second one where a total would tell, in
    the one table of every report's teams: see ReportScopes)."""
    staff = pulse.staffing([row.team for row in rows], period.start, today)
    month = pulse.last_months(1, today)[0]
    tallies = pulse._tallies(scopes.team_ids, [month])
    figures = {tid: tallies.get((tid, month), pulse.PulseFigure()) for tid in scopes.team_ids}
    for row in rows:
        row.staffing = staff[row.team.pk]
        row.staffing.pulse = figures[row.team.pk]
    for kind in kinds:
        total = pulse.Staffing()
        for row in rows:
            if row.team.kind == kind.kind:
                s = row.staffing
                total.headcount += s.headcount
                total.headcount_at_start += s.headcount_at_start
                total.joined += s.joined
                total.left += s.left
                total.missing_roles += s.missing_roles
                total.pulse.add(s.pulse)
        kind.staffing = total
    totals = []
    for key, _kind, members in scopes.totals():
        fig = pulse.PulseFigure()
        for tid in members:
            fig.add(figures[tid])
        totals.append((key, fig, members))
    pulse.suppress_pulse(list(figures.items()), totals)
    hidden = {key: fig.hidden for key, fig, _members in totals} | {tid: fig.hidden for tid, fig in figures.items()}
    for kind in kinds:
        kind.staffing.pulse.hidden = hidden[scopes.kind_key(kind.kind, rows)]
    return month


def _suppress_outcomes(rows: list[TeamRow], kinds: list[KindRow], outcomes: dict[int, Outcomes], scopes: ReportScopes) -> None:
    """The report's outcome figures from one table of the county's teams and every set's kind
    totals (ReportScopes): team rows, and each kind's row as the total of its teams."""
    table = disclosure.Table()
    for tid in scopes.team_ids:
        outcome_cells(table, tid, outcomes[tid].counts)
    for key, _kind, members in scopes.totals():
        total = Outcomes()
        for tid in members:
            total.add(outcomes[tid])
        outcome_cells(table, key, total.counts)
        outcome_totals(table, key, members)
    table.suppress()
    for row in rows:
        row.outcomes.figures = outcome_figures(table, row.team.pk)
    for kind in kinds:
        kind.outcomes.figures = outcome_figures(table, scopes.kind_key(kind.kind, rows))


REPORT_CACHE_SECONDS = 10 * 60


@dataclass
class CachedReport:
    report: CountyReport
    computed_at: datetime.datetime


def _report_key(county_id: int, teams, months: int) -> tuple[str, list[int]]:
    team_ids = sorted(teams.values_list("pk", flat=True))
    digest = hashlib.sha256(",".join(map(str, team_ids)).encode()).hexdigest()[:16]
    key = f"county-report:{county_id}:{digest}:{months}:{timezone.localdate().isoformat()}"
    return key, team_ids


def cached_county_report(county_id: int, *, teams, months: int = DEFAULT_MONTHS, refresh: bool = False) -> CachedReport:
    """The county report as computed at most ten minutes ago (or now, when asked to recompute).

    Computing it for the largest county is 1.2-2 s (bench/), while a manager reads it several times
    in a sitting, sorts, switches period and downloads the CSV. The page says when it was computed
    and offers recomputing. Keyed by county, the manager's teams (a unit manager's are fewer),
    period and day — not by language: the figures are computed once and every language labels the
    same ones (the report holds no translated text). Aggregates only, so nothing personal is kept
    in the cache. The figures "now" (families, caseloads, overdue deadlines) are therefore up to
    ten minutes old.
    """
    return _cached_report(county_id, *_report_key(county_id, teams, months), months=months, refresh=refresh)


def _cached_report(county_id: int, key: str, team_ids: list[int], *, months: int, refresh: bool) -> CachedReport:
    cached = None if refresh else cache.get(key)
    if cached is None:
        today = timezone.localdate()
        cached = CachedReport(
            county_report(county_id, teams=Team.objects.filter(pk__in=team_ids), months=months, today=today), timezone.now()
        )
        cache.set(key, cached, REPORT_CACHE_SECONDS)
    return cached


def cached_county_report_html(
    county_id: int, *, teams, months: int = DEFAULT_MONTHS, refresh: bool = False, render: Callable[[CachedReport], str]
) -> str:
    """The report's figures as rendered by `render`, kept as long as the report itself.

    For the largest county (84 teams) reading the cached report back (14 ms) and rendering its two
    tables (about 30 ms, 100-150 ms at p95) cost more than everything else on the page; the HTML
    is the same for every manager with the same teams, period, day and language. One cache entry
    holds the HTML of one computed report ("computed at") in each language it has been read in, so
    every language shows the figures of the same computation: a language read later renders the
    report already cached, never a fresh computation of its own. A recomputed report starts a new
    entry. A page read is one cache read when its language is there.
    """
    key, team_ids = _report_key(county_id, teams, months)
    language = translation.get_language()
    entry = None if refresh else cache.get(key + ":html")
    if entry is not None and language in entry["html"]:
        return entry["html"][language]
    cached = _cached_report(county_id, key, team_ids, months=months, refresh=refresh)
    if entry is None or entry["computed_at"] != cached.computed_at:
        entry = {"computed_at": cached.computed_at, "html": {}}
    entry["html"][language] = render(cached)
    # The entry lives no longer than the report it was rendered from.
    left = REPORT_CACHE_SECONDS - (timezone.now() - cached.computed_at).total_seconds()
    cache.set(key + ":html", entry, max(1, int(left)))
    return entry["html"][language]
