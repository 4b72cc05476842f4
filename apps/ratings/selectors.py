"""Reads for ratings: a family's series and charts, the flags that propose a family for the agenda,
and the team's outcome summary. Each reads ratings in one query, whatever the number of raters."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.clients.models import ClientRelationship, Family, Person
from apps.core import disclosure

from . import scoring
from .definitions import Definition
from .models import Instrument, Mode, Rating, RatingLink
from .services import age_from, age_on

SMALL_GROUP = disclosure.THRESHOLD  # counts under this are not shown in team figures (apps/core/disclosure)
CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 40, 16, 12, 36


def instrument_specs() -> dict[int, Definition]:
    """Every instrument's parsed definition, keyed by id: a handful of rows, read once per request."""
    return {i.pk: i.spec for i in Instrument.objects.all()}


@dataclass
class Point:
    """One total on the chart; x and y are SVG coordinates as text (never localised: 12.5, not 12,5)."""

    rating: Rating
    total: Decimal
    x: str = "0"
    y: str = "0"
    label: str = ""


@dataclass(frozen=True)
class Row:
    """One rating as a row of the chart's data table: item values in the instrument's order and the
    total, as text in the reader's number format ("" for an unanswered item, "–" for no total)."""

    rating: Rating
    cells: list[str]
    total: str
    mode: str


def _one_decimal(value, separator: str) -> str:
    """What |floatformat:1 shows, formatted here: a family's table has hundreds of cells (issue 8)."""
    if value is None:
        return ""
    return f"{float(value):.1f}".replace(".", separator)


def _coord(v: float) -> str:
    return f"{v:g}"


@dataclass
class Series:
    """One family member's ratings on one instrument, oldest first: Rating objects, or rows with
    the same fields where only flags are wanted (FLAG_COLUMNS)."""

    rater_id: int
    rater_name: str
    spec: Definition
    ratings: list[Rating] = field(default_factory=list)
    age: int | None = None

    @property
    def totals(self) -> list[Decimal]:
        return [r.total for r in self.ratings if r.total is not None]

    @property
    def cutoff(self) -> Decimal | None:
        c = self.spec.cutoff_for(self.age)
        return c.value if c else None

    @property
    def change(self) -> scoring.Change | None:
        return scoring.change(self.totals, self.spec, self.age)

    @property
    def is_session(self) -> bool:
        return self.spec.kind == "session"

    def rows(self) -> list[Row]:
        """The data table beside the chart: one row per rating, cells in item order (None if unanswered)."""
        keys = [item.key for item in self.spec.items]
        sep = formats.get_format("DECIMAL_SEPARATOR")
        modes = {value: str(label) for value, label in Mode.choices}  # get_mode_display translates every label per call
        return [
            Row(
                r, [_one_decimal(r.values.get(k), sep) for k in keys], "–" if r.total is None else _one_decimal(r.total, sep), modes[r.mode]
            )
            for r in self.ratings
        ]

    def flags(self) -> list[str]:
        flags = []
        if self.spec.kind == "outcome":
            ch = self.change
            # Each flag names its instrument: a parent may rate two, and "worse" on one beside
            # "no improvement" on the other read as a contradiction without it. Deterioration says
            # more than "no improvement", so a series gets one or the other.
            if ch and ch.reliably_deteriorated:
                flags.append(_("%(instrument)s: luotettava heikkeneminen") % {"instrument": self.spec.code})
            elif scoring.no_change_yet(ch, self.spec):
                flags.append(
                    ngettext(
                        "%(instrument)s: ei luotettavaa paranemista %(n)s arvion jälkeen",
                        "%(instrument)s: ei luotettavaa paranemista %(n)s arvion jälkeen",
                        ch.sessions,
                    )
                    % {"instrument": self.spec.code, "n": ch.sessions}
                )
        elif self.ratings:
            latest = self.ratings[-1]
            flags.extend(str(r) for r in scoring.session_alert({k: Decimal(v) for k, v in latest.values.items()}, self.spec))
        return flags

    def chart(self) -> dict | None:
        """Coordinates for the SVG line chart: totals against the cut-off and the reliable-change band."""
        points = [Point(r, r.total) for r in self.ratings if r.total is not None]
        if not points:
            return None
        top = float(self.spec.total_max)
        inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
        step = inner_w / max(len(points) - 1, 1)

        def y(v) -> float:
            return round(PAD_T + inner_h * (1 - float(v) / top), 1)

        # Coordinates are formatted here, once, rather than through |unlocalize per point in the
        # template: a two-year family has ten charts of dozens of points each (issue 8).
        for i, p in enumerate(points):
            p.x, p.y, p.label = _coord(round(PAD_L + i * step, 1)), _coord(y(p.total)), str(i + 1)
        band = None
        rc = self.spec.reliable_change.value if self.spec.reliable_change and self.spec.kind == "outcome" else None
        if rc is not None:
            base = points[0].total
            lo, hi = max(base - rc, 0), min(base + rc, self.spec.total_max)
            band = {"y": _coord(y(hi)), "height": _coord(round(y(lo) - y(hi), 1)), "low": lo, "high": hi}
        cutoff = self.cutoff
        alert = self.spec.alert_total_below.value if self.spec.alert_total_below else None
        return {
            "points": points,
            "polyline": " ".join(f"{p.x},{p.y}" for p in points),
            "band": band,
            "cutoff_y": _coord(y(cutoff)) if cutoff is not None else None,
            "cutoff": cutoff,
            "alert_y": _coord(y(alert)) if alert is not None else None,
            "alert": alert,
            "grid": [{"value": str(v), "y": _coord(y(v))} for v in range(0, int(top) + 1, 10)],
            "width": str(CHART_W),
            "height": str(CHART_H),
            "left": str(PAD_L),
            "axis_x": str(PAD_L - 6),
            "right": str(CHART_W - PAD_R),
            "band_width": str(CHART_W - PAD_R - PAD_L),
            "label_y": str(CHART_H - PAD_B + 18),
        }


def _raters(ratings, known: dict[int, Person] | None = None) -> dict[int, Person]:
    """The raters, read once by id rather than joined onto every rating: a two-year family has
    hundreds of ratings from a handful of people (issue 8). Persons the caller has already read
    (the family page's members) are not read again."""
    known = known or {}
    missing = {r.rater_id for r in ratings} - known.keys()
    return {**known, **(Person.objects.only("first_names", "last_name", "birth_date").in_bulk(missing) if missing else {})}


def _series(ratings, specs, raters) -> list[Series]:
    """Ratings (oldest first per rater) grouped into one series per rater and instrument."""
    by_key: dict[tuple, Series] = {}
    for r in ratings:
        key = (r.rater_id, r.instrument_id)
        rater = raters[r.rater_id]
        if key not in by_key:
            by_key[key] = Series(r.rater_id, f"{rater.first_names} {rater.last_name}", specs[r.instrument_id])
        s = by_key[key]
        s.ratings.append(r)
        s.age = age_on(rater, r.rated_on)
    return list(by_key.values())


# What the family's charts, tables, flags and the API show of a rating; the rest (link, who typed a
# paper form in) stays unread.
RATING_COLUMNS = ("id", "family_id", "rater_id", "instrument_id", "rated_on", "values", "total", "mode", "created_at", "agenda_item_id")


def _in_series_order(family_ids):
    return Rating.objects.filter(family_id__in=family_ids).order_by("family_id", "rater_id", "rated_on", "created_at")


def _ratings(family_ids):
    """The ratings in series order, with the meeting each was given at (the data tables show it)."""
    ratings = _in_series_order(family_ids).select_related("agenda_item__meeting")
    return ratings.only(*RATING_COLUMNS, "agenda_item__meeting__starts_at")


# Flags need each rating's total, and the answers of the latest session rating: plain rows with
# the fields `Series` reads, not Rating objects. The team's agenda proposals read every rating of
# 55 families, the family page a two-year family's 160 (issue 8).
FLAG_COLUMNS = ("family_id", "rater_id", "instrument_id", "rated_on", "total", "values")


def family_series(family_id: int) -> list[Series]:
    """Every series of one family: the ratings page's charts and the API's list read the same rows."""
    ratings = list(_ratings([family_id]))
    return _series(ratings, instrument_specs(), _raters(ratings))


def family_ratings(family: Family) -> dict:
    series = family_series(family.pk)
    outcome = [s for s in series if s.spec.kind == "outcome"]
    session = [s for s in series if s.spec.kind == "session"]
    links = list(
        RatingLink.objects.filter(family=family, created_at__gte=timezone.now() - timedelta(days=30))
        .select_related("rater", "instrument")
        .order_by("-created_at")[:20]
    )
    return {"outcome": outcome, "session": session, "links": links}


@dataclass(frozen=True)
class Flag:
    family_id: int
    rater_id: int
    text: str


def family_flags(family_ids, *, known_persons: dict[int, Person] | None = None) -> dict[int, list[Flag]]:
    """Rating flags per family (deterioration, no change, low session rating): agenda proposals read these.
    `known_persons` (id -> Person with names and birth date) spares reading raters already read."""
    specs = instrument_specs()
    flags: dict[int, list[Flag]] = defaultdict(list)
    ratings = list(_in_series_order(family_ids).values_list(*FLAG_COLUMNS, named=True))
    raters = _raters(ratings, known_persons)
    by_family: dict[int, list[Rating]] = defaultdict(list)
    for r in ratings:
        by_family[r.family_id].append(r)
    for family_id, rows in by_family.items():
        flags[family_id] = series_flags(family_id, _series(rows, specs, raters))
    return {family_id: found for family_id, found in flags.items() if found}


def series_flags(family_id: int, series: list[Series]) -> list[Flag]:
    return [Flag(family_id, s.rater_id, f"{s.rater_name}: {text}") for s in series for text in s.flags()]


# The figures of one group (a worker's families, a team, a kind of team) in every outcome table:
# the team's ratings page and the county report lay them out the same way and suppress them by the
# same rule (apps/core/disclosure).
OUTCOME_COUNTS = ("families", "rating_families", "with_change", "improved", "deteriorated", "significant")
OUTCOME_WHOLE = {"rating_families": "families", "improved": "with_change", "deteriorated": "with_change", "significant": "with_change"}


def outcome_cells(table: disclosure.Table, row, counts: dict[str, int]) -> None:
    """Register one group's outcome counts in `table`, with the cells they give away between them:
    each count's complement in its whole ("10 of 13 improved" says 3 did not), raters without
    reliable change, and reliable improvement that is not clinically significant (clinically
    significant change is a reliable improvement)."""
    F, R, N, up, down, sig = (counts[c] for c in OUTCOME_COUNTS)  # noqa: N806 - the table's letters

    def k(column):
        return (row, column)

    for column in OUTCOME_COUNTS:
        table.cell(k(column), counts[column])
    table.cell(k("not_rating"), F - R, shown=False)
    table.cell(k("no_reliable_change"), N - up - down, shown=False)
    table.cell(k("not_improved"), N - up, shown=False)
    table.cell(k("not_deteriorated"), N - down, shown=False)
    table.cell(k("not_significant"), N - sig, shown=False)
    table.cell(k("improved_not_significant"), up - sig, shown=False)
    table.parts(k("families"), [k("rating_families"), k("not_rating")])
    table.parts(k("with_change"), [k("improved"), k("deteriorated"), k("no_reliable_change")])
    table.parts(k("with_change"), [k("improved"), k("not_improved")])
    table.parts(k("with_change"), [k("deteriorated"), k("not_deteriorated")])
    table.parts(k("with_change"), [k("significant"), k("not_significant")])
    table.parts(k("improved"), [k("significant"), k("improved_not_significant")])
    table.group(k("families"), [k(c) for c in OUTCOME_COUNTS])
    table.group(k("with_change"), [k(c) for c in OUTCOME_COUNTS[2:]])


def outcome_totals(table: disclosure.Table, total_row, rows) -> None:
    """A total row is the sum of its rows in every count, plus what no row holds (a family without
    a named worker): a "rest" that is not shown but can be worked out. When the rest holds no
    family, every count of it is known to be zero, so the rows alone add up to the total. Only for
    rows that do not overlap: see _suppress_team."""
    rows = list(rows)
    no_rest = table.values[(total_row, "families")] == sum(table.values[(row, "families")] for row in rows)
    for column in OUTCOME_COUNTS:
        parts = [(row, column) for row in rows]
        if not no_rest:
            rest = (total_row, "rest", column)
            table.cell(rest, table.values[(total_row, column)] - sum(table.values[p] for p in parts), shown=False)
            parts.append(rest)
        table.parts((total_row, column), parts)


def outcome_figures(table: disclosure.Table, row) -> dict[str, disclosure.Figure]:
    return {
        column: table.figure((row, column), (row, OUTCOME_WHOLE[column]) if column in OUTCOME_WHOLE else None) for column in OUTCOME_COUNTS
    }


@dataclass
class Group:
    """One row of the team view: a worker, or the whole team."""

    label: str
    families: set = field(default_factory=set)
    rating_families: set = field(default_factory=set)
    with_change: int = 0
    improved: int = 0
    deteriorated: int = 0
    significant: int = 0
    figures: dict[str, disclosure.Figure] = field(default_factory=dict)  # what the page shows, after suppression

    @property
    def counts(self) -> dict[str, int]:
        return {
            "families": len(self.families),
            "rating_families": len(self.rating_families),
            "with_change": self.with_change,
            "improved": self.improved,
            "deteriorated": self.deteriorated,
            "significant": self.significant,
        }


# The change of a total (latest minus first) runs from -40 to 40 and has one decimal (the items do):
# each bin holds low <= change < high, the last one also 40 itself, and reads as the values it
# holds ("5 … 9,9", "10 … 40").
CHANGE_BINS = [(-40, -10), (-10, -5), (-5, 0), (0, 5), (5, 10), (10, 40)]
CHANGE_STEP = Decimal("0.1")


def change_bins(changes) -> list[dict]:
    bins = []
    for n, (lo, hi) in enumerate(CHANGE_BINS):
        last = n == len(CHANGE_BINS) - 1
        count = sum(1 for d in changes if lo <= d < hi or (last and d == hi))
        bins.append({"low": lo, "high": hi if last else hi - CHANGE_STEP, "count": count})
    return bins


def outcome_changes(ratings, specs) -> dict[int, list[scoring.Change]]:
    """Each family's reliable-change results on outcome instruments, from bare columns.

    A team's year holds thousands of ratings; the figures need only each series' totals and the
    rater's age at the last one, so this reads six columns instead of building Rating objects
    with their JSON marks, raters and meetings (that made the team view the slowest page).
    """
    outcome_ids = [pk for pk, spec in specs.items() if spec.kind == "outcome"]
    rows = (
        ratings.filter(instrument_id__in=outcome_ids, total__isnull=False)
        .order_by("family_id", "rater_id", "instrument_id", "rated_on", "created_at")
        .values_list("family_id", "rater_id", "instrument_id", "rated_on", "total", "rater__birth_date")
    )
    changes: dict[int, list[scoring.Change]] = defaultdict(list)
    for (family_id, _rater_id, instrument_id), series in groupby(rows.iterator(5000), key=itemgetter(0, 1, 2)):
        series = list(series)
        age = age_from(series[-1][5], series[-1][3])
        ch = scoring.change([row[4] for row in series], specs[instrument_id], age)
        if ch is not None and ch.reliable_change is not None:
            changes[family_id].append(ch)
    return changes


def team_outcomes(team, *, since: date | None = None) -> dict:
    """Per worker and for the team: who rates, and how outcomes changed, with small groups suppressed."""
    since = since or timezone.localdate() - timedelta(days=365)
    families = list(Family.objects.filter(team=team).values_list("id", "parents_worker_id"))
    family_ids = [f for f, _w in families]
    workers: dict[int, set] = defaultdict(set)
    for fid, worker_id in families:
        if worker_id:
            workers[worker_id].add(fid)
    for fid, worker_id in ClientRelationship.objects.filter(family_id__in=family_ids, closed_on__isnull=True).values_list(
        "family_id", "responsible_worker_id"
    ):
        if worker_id:
            workers[worker_id].add(fid)
    specs = instrument_specs()
    # The team's families as an IN list, so the read starts from the (family, rater, day) index;
    # joined to families, SQLite started from the instrument index: every outcome rating in the
    # country (0.5 s at national scale).
    team_ratings = Rating.objects.filter(family_id__in=Family.objects.filter(team=team).values("pk"), rated_on__gte=since)
    rated_families = set(team_ratings.order_by().values_list("family_id", flat=True).distinct())
    family_changes = outcome_changes(team_ratings, specs)

    from apps.accounts.models import User

    names = {u.pk: str(u) for u in User.objects.filter(pk__in=workers)}

    def group(label, fids) -> Group:
        g = Group(label, set(fids), set(fids) & rated_families)
        for fid in fids:
            for ch in family_changes.get(fid, []):
                g.with_change += 1
                g.improved += ch.reliably_improved
                g.deteriorated += ch.reliably_deteriorated
                g.significant += ch.clinically_significant
        return g

    rows = sorted((group(names.get(w, "?"), fids) for w, fids in workers.items()), key=lambda g: g.label)
    whole = group(str(team), family_ids)
    bins = change_bins([ch.difference for chs in family_changes.values() for ch in chs])
    _suppress_team(whole, rows, bins)
    return {"team": whole, "workers": rows, "bins": bins, "since": since, "small": SMALL_GROUP}


def _suppress_team(whole: Group, rows: list[Group], bins: list[dict]) -> None:
    """The page's one table of cells: worker rows, the team's row as their total, and the change
    distribution, whose bins add up to the team's raters with a change."""
    table = disclosure.Table()
    for n, g in enumerate(rows):
        outcome_cells(table, n, g.counts)
    outcome_cells(table, "team", whole.counts)
    # A family is under its parents' worker and each child's worker, often two people: then the
    # worker rows overlap, add up to more than the team, and no worker's figure follows from the
    # team's by subtraction. Where they do not overlap, the team row is their exact total.
    if sum(len(g.families) for g in rows) == len(set().union(*(g.families for g in rows))):
        outcome_totals(table, "team", range(len(rows)))
    for n, b in enumerate(bins):
        table.cell(("bin", n), b["count"])
        # "12 of 15 in one bin" says the other bins hold 3
        table.cell(("bin", n, "others"), whole.with_change - b["count"], shown=False)
        table.parts(("team", "with_change"), [("bin", n), ("bin", n, "others")])
    table.parts(("team", "with_change"), [("bin", n) for n in range(len(bins))])
    table.group(("team", "with_change"), [("bin", n) for n in range(len(bins))])
    table.suppress()
    for n, g in enumerate(rows):
        g.figures = outcome_figures(table, n)
    whole.figures = outcome_figures(table, "team")
    for n, b in enumerate(bins):
        b["figure"] = table.figure(("bin", n))
