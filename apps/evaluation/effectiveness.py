"""Effectiveness: did families of systemic teams do better than families of comparison teams?

Everything comes from what the teams already record, with no extra data entry (the client
relationships and their phases, notifications, ORS ratings, and the county's placement prices):

- **ORS change** of every rater whose outcome ratings began in the period (their first rating, the
  intake, is the baseline) and who rated again by its end, from that first to their latest total: reliable improvement and deterioration and clinically significant change by
  the instrument's own published values (apps/ratings/instruments, apps/ratings/scoring.py — the
  same rules as the team's ratings page), and the pre-post effect size (statistics.py).
- **Placements per 1,000 child clients**: new placements (a child entering a placement phase from
  outside one) and involuntary ones — emergency placements (LsL 38 §) and care orders (huostaanotto,
  LsL 40 §; the record does not tell a care order with consent from one against it, so both count)
  — begun in the period, per 1,000 children with a client relationship open at some time in it.
- **Placement days and their cost**: days in a placement phase within the period, each priced at
  the county's price for that type in force on that day (models.PlacementCost).
- **Time from opening to closing** of the relationships closed in the period (median days).
- **Re-notifications within 12 months of closing**: relationships closed in the year before the
  period's last year (so that every one has had its full twelve months), and how many of those
  children had a new notification within 365 days of the closing.
- **The adjusted difference** in the latest ORS total, families within teams, baseline adjusted
  (statistics.fit_team_model).

A family counts for the kind of its team now (a family that moved counts where it is). Only
systemic and comparison teams are compared. Figures leave the team, so every count of clients
goes through the small-cell rule (apps/core/disclosure), and rates, shares and means of hidden
groups are hidden with them. Set-based: a fixed number of queries whatever the scope.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from apps.casework.models import Notification, NotificationKind
from apps.clients.models import PLACEMENT_PHASES, ClientRelationship, Family, Phase, PhaseEvent
from apps.core import disclosure
from apps.organisations.models import Team, TeamKind
from apps.ratings import scoring
from apps.ratings.models import Rating
from apps.ratings.selectors import OUTCOME_COUNTS, instrument_specs, outcome_cells, outcome_figures
from apps.ratings.services import age_from

from . import statistics as st
from .models import PLACEMENT_TYPES, PlacementCost
from .selectors import Period

KINDS = (TeamKind.SYSTEMIC.value, TeamKind.COMPARISON.value)
INVOLUNTARY = {Phase.EMERGENCY_PLACEMENT.value, Phase.CARE_ORDER.value}
PLACEMENTS = {p.value for p in PLACEMENT_PHASES}
TYPES = [value for value, _label in PLACEMENT_TYPES]
FOLLOW_UP_DAYS = 365
EFFECTIVENESS_MONTHS = (6, 12, 24)
DEFAULT_MONTHS = 12


@dataclass
class KindFigures:
    """The figures of one kind of team (systemic or comparison) in the scope, as counted, and what
    the page may show of them (`figures`, `shown`) after the small-cell rule."""

    kind: str
    teams: int = 0
    families: int = 0
    rating_families: int = 0
    child_clients: int = 0
    placements: int = 0
    involuntary: int = 0
    placement_days: dict = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    placed_children: dict = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    cost: dict = field(default_factory=lambda: dict.fromkeys(TYPES, Decimal(0)))
    unpriced_days: int = 0
    closed: int = 0
    days_open: list = field(default_factory=list)
    cohort: int = 0
    renotified: int = 0
    # ORS: every outcome series with two or more ratings (baseline and latest), and the reliable-change
    # counts of the series whose instrument has a reliable-change value
    baselines: list = field(default_factory=list)
    latests: list = field(default_factory=list)
    with_change: int = 0
    improved: int = 0
    deteriorated: int = 0
    significant: int = 0
    figures: dict = field(default_factory=dict)
    hidden: set = field(default_factory=set)

    @property
    def label(self) -> str:
        return str(TeamKind(self.kind).label)

    @property
    def outcome_counts(self) -> dict[str, int]:
        return {
            "families": self.families,
            "rating_families": self.rating_families,
            "with_change": self.with_change,
            "improved": self.improved,
            "deteriorated": self.deteriorated,
            "significant": self.significant,
        }

    # -- what the page shows: None where there is no figure, hidden where the rule hides it ------

    def shows(self, key) -> bool:
        return key not in self.hidden

    @property
    def series(self) -> int:
        return len(self.baselines)

    def cells(self) -> dict[str, "Cell"]:
        """Every figure of this kind as the page, the PDF, the CSV and the API show it."""
        c: dict[str, Cell] = {"teams": Cell(self.teams), "families": Cell(self.families)}

        def count(name, value, key=None):
            c[name] = Cell(None, hidden=True) if not self.shows(key or name) else Cell(value)

        count("child_clients", self.child_clients)
        for name in ("placements", "involuntary"):
            count(name, getattr(self, name))
            shown = self.shows(name) and self.shows("child_clients")
            c[f"{name}_per_1000"] = Cell(st.per_thousand(getattr(self, name), self.child_clients), 1) if shown else Cell(None, hidden=True)
        for type_ in TYPES:
            count(f"days_{type_}", self.placement_days[type_], ("days", type_))
            count(f"cost_{type_}", self.cost[type_], ("days", type_))
        count("days_total", sum(self.placement_days.values()), ("days", "total"))
        count("cost_total", sum(self.cost.values(), Decimal(0)), ("days", "total"))
        per_child = None
        if self.shows(("days", "total")) and self.shows("child_clients") and self.child_clients:
            per_child = sum(self.cost.values(), Decimal(0)) / self.child_clients
        c["cost_per_child"] = Cell(per_child, hidden=not (self.shows(("days", "total")) and self.shows("child_clients")))
        count("closed", self.closed)
        big = self.closed >= disclosure.THRESHOLD
        c["median_days_open"] = Cell(st.median(self.days_open) if big else None, hidden=bool(self.closed) and not big)
        count("cohort", self.cohort)
        count("renotified", self.renotified)
        shown = self.shows("renotified") and self.shows("cohort")
        c["renotified_share"] = Cell(disclosure.percent(self.renotified, self.cohort) if shown else None, hidden=not shown)
        for column, figure in self.figures.items():
            c[column] = Cell(None, hidden=True) if figure.hidden else Cell(figure.value)
            if column in ("improved", "deteriorated", "significant"):
                c[f"{column}_share"] = Cell(None if figure.percent is None else figure.percent, hidden=figure.hidden or figure.share_hidden)
        improved = self.figures.get("improved")
        interval = None
        if improved and improved.percent is not None:
            interval = st.proportion_interval(self.improved, self.with_change)
        c["improved_low"] = Cell(None if interval is None else 100 * interval.low, 0, hidden=bool(improved and improved.hidden))
        c["improved_high"] = Cell(None if interval is None else 100 * interval.high, 0, hidden=bool(improved and improved.hidden))
        big = self.series >= disclosure.THRESHOLD
        hidden = bool(self.series) and not big
        c["series"] = Cell(None, hidden=True) if hidden else Cell(self.series)
        c["mean_baseline"] = Cell(st.mean(self.baselines) if big else None, 1, hidden=hidden)
        c["mean_latest"] = Cell(st.mean(self.latests) if big else None, 1, hidden=hidden)
        c["effect_size"] = Cell(st.pre_post_effect_size(self.baselines, self.latests) if big else None, 2, hidden=hidden)
        return c


@dataclass(frozen=True)
class Cell:
    """One figure: its value (None: no figure), the decimals it is shown with, or hidden."""

    value: object = None
    digits: int = 0
    hidden: bool = False

    @property
    def fmt(self) -> str:
        return f"{self.digits}g"


@dataclass
class Effectiveness:
    scope: str  # "own" (the manager's teams) or "national"
    period: Period
    cohort_start: datetime.date
    cohort_end: datetime.date
    kinds: dict[str, KindFigures]
    model: st.ModelResult
    placement_ratio: st.Interval | None = None
    involuntary_ratio: st.Interval | None = None
    computed_at: datetime.datetime | None = None
    counties_without_prices: int = 0
    unpriced_days: int = 0
    cells: dict = field(default_factory=dict)  # kind -> name -> Cell, what every output shows
    small: int = disclosure.THRESHOLD

    @property
    def rows(self) -> list[tuple[str, dict]]:
        """(label, cells) per kind, in the reader's language."""
        return [(str(TeamKind(k).label), self.cells[k]) for k in KINDS]

    @property
    def systemic(self) -> KindFigures:
        return self.kinds[TeamKind.SYSTEMIC.value]

    @property
    def comparison(self) -> KindFigures:
        return self.kinds[TeamKind.COMPARISON.value]


# ---- reads -----------------------------------------------------------------------------------


def _in_scope(teams):
    return teams.filter(kind__in=KINDS)


def _overlapping(relationships, period: Period):
    return relationships.filter(opened_on__lte=period.end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))


def _placement_intervals(relationships, period: Period, today: datetime.date):
    """(kind, county, child, phase, first day, last day) of every placement phase that overlaps the
    period, and the placements begun in it as (kind, child, phase, entered from outside a placement).

    A phase lasts until the day before the next one starts, or to the relationship's closing (or
    today, for the phase going on)."""
    placed = PhaseEvent.objects.filter(relationship=OuterRef("pk"), phase__in=PLACEMENTS, started_on__lte=period.end)
    rows = (
        PhaseEvent.objects.filter(relationship__in=relationships.filter(Exists(placed)))
        .order_by("relationship_id", "started_on", "id")
        .values_list(
            "relationship_id",
            "relationship__family__team__kind",
            "county_id",
            "relationship__child_id",
            "phase",
            "started_on",
            "relationship__closed_on",
        )
    )
    intervals, begun = [], []
    for _rel, events in groupby(rows.iterator(5000), key=itemgetter(0)):
        events = list(events)
        previous = None
        for n, (_r, kind, county, child, phase, started, closed) in enumerate(events):
            if phase in PLACEMENTS:
                nxt = events[n + 1][5] if n + 1 < len(events) else None
                last = (nxt - datetime.timedelta(days=1)) if nxt else (closed or today)
                intervals.append((kind, county, child, phase, started, last))
                if period.start <= started <= period.end:
                    begun.append((kind, child, phase, previous not in PLACEMENTS))
            previous = phase
    return intervals, begun


def _prices(county_ids) -> dict[tuple[int, str], list[tuple[datetime.date, Decimal]]]:
    """Each county's price history per placement type, oldest first (the latest row set for a day wins)."""
    prices: dict[tuple[int, str], list] = defaultdict(list)
    for county, type_, valid_from, euros in (
        PlacementCost.objects.filter(county_id__in=county_ids)
        .order_by("county_id", "placement_type", "valid_from", "set_at", "id")
        .values_list("county_id", "placement_type", "valid_from", "euros_per_day")
    ):
        history = prices[(county, type_)]
        if history and history[-1][0] == valid_from:
            history[-1] = (valid_from, euros)  # set again for the same day: the later setting holds
        else:
            history.append((valid_from, euros))
    return prices


def priced_days(first: datetime.date, last: datetime.date, history: list[tuple[datetime.date, Decimal]]) -> tuple[Decimal, int]:
    """The cost of the days first..last (inclusive) at the prices in force on each day, and the days
    before the first price (no price: not costed)."""
    if last < first:
        return Decimal(0), 0
    cost, unpriced = Decimal(0), 0
    day = first
    if not history or history[0][0] > last:
        return Decimal(0), (last - first).days + 1
    if history[0][0] > first:
        unpriced = (history[0][0] - first).days
        day = history[0][0]
    for n, (valid_from, euros) in enumerate(history):
        until = history[n + 1][0] - datetime.timedelta(days=1) if n + 1 < len(history) else last
        if until < day:
            continue
        start = max(day, valid_from)
        end = min(until, last)
        if end >= start:
            cost += euros * ((end - start).days + 1)
        if until >= last:
            break
    return cost, unpriced


def _ors(teams, period: Period, kinds: dict[str, KindFigures]) -> list[st.FamilyRow]:
    """The ORS series that began in the period, per kind, and one model row per family.

    A series is one rater's ratings on one outcome instrument. Its baseline is the rater's first
    rating ever — the intake, before the work had its effect — so only series that began in the
    period count; its latest is the last rating up to the period's end. (A window that cut a
    series in the middle would compare two points of the work, not the work's result.)"""
    specs = instrument_specs()
    outcome_ids = [pk for pk, spec in specs.items() if spec.kind == "outcome"]
    scope = Rating.objects.filter(family__team__in=teams, instrument_id__in=outcome_ids, total__isnull=False)
    rows = (
        scope.filter(rated_on__lte=period.end)
        .order_by("family_id", "rater_id", "instrument_id", "rated_on", "created_at")
        .values_list(
            "family_id", "family__team_id", "family__team__kind", "rater_id", "instrument_id", "rated_on", "total", "rater__birth_date"
        )
    )
    families: dict[int, list] = {}
    for (family_id, _rater, instrument_id), series in groupby(rows.iterator(5000), key=itemgetter(0, 3, 4)):
        series = list(series)
        if series[0][5] < period.start:
            continue
        _f, team_id, kind, _r, _i, day, _t, birth = series[-1]
        ch = scoring.change([r[6] for r in series], specs[instrument_id], age_from(birth, day))
        if ch is None:
            continue
        k = kinds[kind]
        k.baselines.append(float(ch.baseline))
        k.latests.append(float(ch.latest))
        if ch.reliable_change is not None:
            k.with_change += 1
            k.improved += ch.reliably_improved
            k.deteriorated += ch.reliably_deteriorated
            k.significant += ch.clinically_significant
        families.setdefault(family_id, [team_id, kind == TeamKind.SYSTEMIC, [], []])
        families[family_id][2].append(float(ch.baseline))
        families[family_id][3].append(float(ch.latest))
    in_period = scope.filter(rated_on__range=(period.start, period.end))
    for r in in_period.order_by().values("family__team__kind").annotate(n=Count("family_id", distinct=True)):
        kinds[r["family__team__kind"]].rating_families = r["n"]
    return [st.FamilyRow(team, systemic, st.mean(b), st.mean(latest)) for team, systemic, b, latest in families.values()]


def effectiveness(teams, *, scope: str = "own", months: int = DEFAULT_MONTHS, today: datetime.date | None = None) -> Effectiveness:
    """Systemic against comparison teams among `teams` (a Team queryset) over the last `months`."""
    today = today or timezone.localdate()
    period = Period.last(months, today)
    teams = _in_scope(teams)
    kinds = {k: KindFigures(k) for k in KINDS}
    for r in teams.order_by().values("kind").annotate(n=Count("id")):
        kinds[r["kind"]].teams = r["n"]
    for r in Family.objects.filter(team__in=teams).order_by().values("team__kind").annotate(n=Count("id")):
        kinds[r["team__kind"]].families = r["n"]
    relationships = ClientRelationship.objects.filter(family__team__in=teams)
    for r in _overlapping(relationships, period).order_by().values("family__team__kind").annotate(n=Count("child_id", distinct=True)):
        kinds[r["family__team__kind"]].child_clients = r["n"]

    # placements begun, placement days and their cost
    intervals, begun = _placement_intervals(relationships, period, today)
    for kind, _child, phase, new in begun:
        kinds[kind].placements += new
        kinds[kind].involuntary += phase in INVOLUNTARY
    county_ids = sorted({county for _k, county, *_rest in intervals})
    prices = _prices(county_ids)
    placed: dict[tuple[str, str], set] = defaultdict(set)
    for kind, county, child, phase, first, last in intervals:
        first, last = max(first, period.start), min(last, period.end)
        if last < first:
            continue
        k = kinds[kind]
        k.placement_days[phase] += (last - first).days + 1
        cost, unpriced = priced_days(first, last, prices.get((county, phase), []))
        k.cost[phase] += cost
        k.unpriced_days += unpriced
        placed[(kind, phase)].add(child)
    for (kind, phase), children in placed.items():
        kinds[kind].placed_children[phase] = len(children)
    priced_counties = {county for county, _type in prices}
    counties_without_prices = len(set(county_ids) - priced_counties)

    # time from opening to closing
    for kind, opened, closed in relationships.filter(closed_on__range=(period.start, period.end)).values_list(
        "family__team__kind", "opened_on", "closed_on"
    ):
        kinds[kind].closed += 1
        kinds[kind].days_open.append((closed - opened).days)

    # re-notifications within 12 months of closing, for closings that have had their twelve months
    cohort_end = period.end - datetime.timedelta(days=FOLLOW_UP_DAYS)
    cohort_start = cohort_end - (period.end - period.start)
    later = Notification.objects.filter(
        child_id=OuterRef("child_id"),
        received_on__gt=OuterRef("closed_on"),
        kind__in=[NotificationKind.NOTIFICATION, NotificationKind.ASSESSMENT_REQUEST],
    )
    cohort = (
        relationships.filter(closed_on__range=(cohort_start, cohort_end))
        .annotate(first=Subquery(later.order_by("received_on").values("received_on")[:1]))
        .values_list("family__team__kind", "closed_on", "first")
    )
    for kind, closed, first in cohort:
        kinds[kind].cohort += 1
        kinds[kind].renotified += first is not None and (first - closed).days <= FOLLOW_UP_DAYS

    rows = _ors(teams, period, kinds)
    _suppress(kinds)
    s, c = kinds[TeamKind.SYSTEMIC.value], kinds[TeamKind.COMPARISON.value]
    result = Effectiveness(
        scope=scope,
        period=period,
        cohort_start=cohort_start,
        cohort_end=cohort_end,
        kinds=kinds,
        model=st.fit_team_model(rows),
        counties_without_prices=counties_without_prices,
    )
    if all(k.shows("placements") and k.shows("child_clients") for k in (s, c)):
        result.placement_ratio = st.rate_ratio(s.placements, s.child_clients, c.placements, c.child_clients)
    if all(k.shows("involuntary") and k.shows("child_clients") for k in (s, c)):
        result.involuntary_ratio = st.rate_ratio(s.involuntary, s.child_clients, c.involuntary, c.child_clients)
    result.cells = {kind: k.cells() for kind, k in kinds.items()}
    result.unpriced_days = sum(k.unpriced_days for k in kinds.values() if k.shows(("days", "total")))
    for k in kinds.values():  # the figures are drawn: the raw series stay out of the cache
        k.baselines, k.latests, k.days_open = [], [], []
    return result


def _suppress(kinds: dict[str, KindFigures]) -> None:
    """One table per output: every count of clients, the counts it gives away, and how they add up."""
    table = disclosure.Table()
    for k in kinds.values():
        key = k.kind
        table.cell((key, "child_clients"), k.child_clients)
        for name in ("placements", "involuntary"):
            table.cell((key, name), getattr(k, name))
        table.group((key, "child_clients"), [(key, "placements"), (key, "involuntary")])
        table.cell((key, "closed"), k.closed)
        table.cell((key, "cohort"), k.cohort)
        table.cell((key, "renotified"), k.renotified)
        table.cell((key, "not_renotified"), k.cohort - k.renotified, shown=False)
        table.parts((key, "cohort"), [(key, "renotified"), (key, "not_renotified")])
        table.group((key, "cohort"), [(key, "renotified")])
        # placement days per type, each a figure about the children placed that way
        for type_ in TYPES:
            table.cell((key, "placed", type_), k.placed_children[type_], shown=False)
            table.cell((key, "days", type_), k.placement_days[type_])
            table.group((key, "placed", type_), [(key, "days", type_)])
        table.cell((key, "days", "total"), sum(k.placement_days.values()))
        table.parts((key, "days", "total"), [(key, "days", t) for t in TYPES])
        counts = k.outcome_counts
        outcome_cells(table, (key, "ors"), counts)
    hidden = table.suppress()
    for k in kinds.values():
        key = k.kind
        # (kind, name) -> name; (kind, "days", type) -> ("days", type); outcome cells are ((kind, "ors"), column)
        k.hidden = {name[1:] if len(name) > 2 else name[1] for name in hidden if name[0] == key}
        k.figures = outcome_figures(table, (key, "ors"))
        k.hidden |= {("ors", column) for column in OUTCOME_COUNTS if k.figures[column].hidden}


# ---- the cached computation -------------------------------------------------------------------

CACHE_SECONDS = 10 * 60


def cached_effectiveness(teams, *, scope: str, months: int, refresh: bool = False) -> Effectiveness:
    """Computed at most every ten minutes for the same teams, period and day (the national model
    takes seconds); aggregates only, so nothing personal is kept in the cache."""
    team_ids = sorted(_in_scope(teams).values_list("pk", flat=True))
    digest = hashlib.sha256(",".join(map(str, team_ids)).encode()).hexdigest()[:16]
    key = f"effectiveness:{scope}:{digest}:{months}:{timezone.localdate().isoformat()}"
    result = None if refresh else cache.get(key)
    if result is None:
        result = effectiveness(Team.objects.filter(pk__in=team_ids), scope=scope, months=months)
        result.computed_at = timezone.now()
        cache.set(key, result, CACHE_SECONDS)
    return result
