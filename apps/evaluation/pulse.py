"""The monthly wellbeing pulse of team members (load, energy, meaning, safety; 0-10), anonymous by
design, and the staffing figures beside it (turnover and vacancies, from memberships).

How an answer is kept — and what that leaves for anyone who reads the database:

1. **No row per answer.** An answer raises four counters by one: (team, month, question, value)
   in `PulseTally`. Nothing stores who answered, when within the month, or in what order. Every
   counter of the team's month is rewritten by every answer (+1 where the value was given, +0
   elsewhere), and all 44 counters exist from the month's first answer on, so neither the rows
   nor their versions (PostgreSQL's `xmin`, SQLite's rowid) tell which values the latest answer
   added.
2. **"Answered this month" is a keyed hash.** `PulseMarker` holds HMAC-SHA256(key of the month,
   user id). The key is derived from the server's secret (`SYSTEEMI_PULSE_KEY`, else
   `SECRET_KEY`), never stored in the database, and changes every month; a marker has no link to
   the tallies. The markers of past months are deleted at the first answer of a new month.
3. **Shown only for five or more.** A team's month is shown when at least five members answered
   (apps/core/disclosure); a total over teams is suppressed so that a hidden team cannot be
   recomputed from it (complementary suppression).

So an administrator **with a copy of the database** (a backup, the DBA) learns each team's
monthly distribution of answers and the number of this month's markers — not who answered, not
what anyone answered. An administrator **who also has the server's secret key** can, during the
month, test each user against the markers and so learn *who* has answered; and where exactly one
member of a team has answered so far, that member's answers are the team's counters. After the
month the markers are gone and with them that knowledge. What this design does **not** protect
against is someone watching the running system as a person answers — reading the database twice
around one answer, logging SQL statements, or matching the web server's request log to counter
changes: the difference between two readings is that answer. The design protects what is stored,
not a wiretap on the server.
"""

import datetime
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Sum, When
from django.utils import timezone

from apps.core import disclosure
from apps.organisations.models import Membership, Team, TeamKind, TeamRole

from .models import PULSE_QUESTIONS, PulseMarker, PulseTally

VALUES = range(11)
# Higher is better except for load, where higher is heavier (the page says so in words).
HIGHER_IS_WORSE = {"load"}


class AlreadyAnswered(Exception):
    pass


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _marker_key(month: datetime.date) -> bytes:
    secret = (getattr(settings, "SYSTEEMI_PULSE_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(secret, f"systeemi pulse marker {month:%Y-%m}".encode(), hashlib.sha256).digest()


def marker_digest(user_id: int, month: datetime.date) -> str:
    return hmac.new(_marker_key(month), str(user_id).encode(), hashlib.sha256).hexdigest()


def has_answered(user, today: datetime.date | None = None) -> bool:
    month = month_of(today or timezone.localdate())
    return PulseMarker.objects.filter(month=month, digest=marker_digest(user.pk, month)).exists()


def answerable_teams(user, today: datetime.date | None = None):
    """The teams the person answers for: their active memberships in their county."""
    today = today or timezone.localdate()
    if not (getattr(user, "is_authenticated", False) and user.county_id):
        return Team.objects.none()
    ids = Membership.objects.active(today).filter(user=user, county_id=user.county_id).values("team_id")
    return Team.objects.filter(pk__in=ids).order_by("name")


def pulse_answer(*, user, team: Team, answers: dict[str, int], today: datetime.date | None = None) -> None:
    """Count one member's answers for this month, once. Raises AlreadyAnswered on a second try."""
    today = today or timezone.localdate()
    month = month_of(today)
    if not answerable_teams(user, today).filter(pk=team.pk).exists():
        raise PermissionError("not a member of the team")
    if set(answers) != set(PULSE_QUESTIONS) or not all(v in VALUES for v in answers.values()):
        raise ValueError("four answers from 0 to 10")
    with transaction.atomic():
        PulseMarker.objects.filter(month__lt=month).delete()  # past months: forget who answered
        try:
            with transaction.atomic():
                PulseMarker.objects.create(month=month, digest=marker_digest(user.pk, month))
        except IntegrityError:
            raise AlreadyAnswered from None
        PulseTally.objects.bulk_create(
            [PulseTally(county_id=team.county_id, team=team, month=month, question=q, value=v) for q in PULSE_QUESTIONS for v in VALUES],
            ignore_conflicts=True,
        )
        for question, given in answers.items():
            PulseTally.objects.filter(team=team, month=month, question=question).update(
                count=F("count") + Case(When(value=given, then=1), default=0, output_field=IntegerField())
            )


# ---- reading the tallies -----------------------------------------------------------------------


@dataclass
class PulseFigure:
    """One group's month: how many answered and each question's mean, or hidden (under five)."""

    respondents: int = 0
    sums: dict = field(default_factory=lambda: dict.fromkeys(PULSE_QUESTIONS, 0))
    hidden: bool = False

    def add(self, other: "PulseFigure") -> None:
        self.respondents += other.respondents
        for q in PULSE_QUESTIONS:
            self.sums[q] += other.sums[q]

    @property
    def means(self) -> dict[str, float | None]:
        if self.hidden or not self.respondents:
            return dict.fromkeys(PULSE_QUESTIONS)
        return {q: self.sums[q] / self.respondents for q in PULSE_QUESTIONS}


def _tallies(team_ids, months) -> dict[tuple[int, datetime.date], PulseFigure]:
    """(team, month) -> respondents and the sum of each question's values (one query)."""
    figures: dict[tuple[int, datetime.date], PulseFigure] = {}
    rows = (
        PulseTally.objects.filter(team_id__in=team_ids, month__in=months)
        .values("team_id", "month", "question")
        .annotate(n=Sum("count"), total=Sum(F("count") * F("value")))
    )
    for r in rows:
        fig = figures.setdefault((r["team_id"], r["month"]), PulseFigure())
        fig.sums[r["question"]] = r["total"] or 0
        if r["question"] == PULSE_QUESTIONS[0]:
            fig.respondents = r["n"] or 0
    return figures


def team_months(team: Team, months: list[datetime.date]) -> list[tuple[datetime.date, PulseFigure]]:
    """One team's months for its members: each shown only with five or more respondents."""
    figures = _tallies([team.pk], months)
    out = []
    for month in months:
        fig = figures.get((team.pk, month), PulseFigure())
        fig.hidden = disclosure.is_small(fig.respondents)
        out.append((month, fig))
    return out


def last_months(count: int, today: datetime.date | None = None, *, include_current: bool = False) -> list[datetime.date]:
    month = month_of(today or timezone.localdate())
    months = []
    if include_current:
        months.append(month)
    while len(months) < count:
        month = month_of(month - datetime.timedelta(days=1))
        months.append(month)
    return months


@dataclass
class Staffing:
    """A team's staff over a period, from memberships: who is there now, who joined and left, and
    the roles of the model's team structure that nobody fills today."""

    headcount: int = 0
    headcount_at_start: int = 0
    joined: int = 0
    left: int = 0
    missing_roles: list[str] = field(default_factory=list)
    pulse: PulseFigure = field(default_factory=PulseFigure)

    @property
    def turnover_percent(self) -> int | None:
        """Leavers per mean headcount over the period (the usual staff-turnover rate)."""
        mean = (self.headcount + self.headcount_at_start) / 2
        return round(100 * self.left / mean) if mean else None

    @property
    def vacancies(self) -> int:
        return len(self.missing_roles)

    @property
    def missing_labels(self) -> list[str]:
        return [str(TeamRole(r).label) for r in self.missing_roles]


# The team structure of the systemic model (seeds: consultant social worker, social workers, social
# instructor, coordinator, clinician / family therapist); a comparison team works the traditional
# way, with social workers and a social instructor.
STRUCTURE = {
    TeamKind.SYSTEMIC.value: (
        TeamRole.CONSULTANT,
        TeamRole.SOCIAL_WORKER,
        TeamRole.SOCIAL_INSTRUCTOR,
        TeamRole.COORDINATOR,
        TeamRole.FAMILY_THERAPIST,
    ),
    TeamKind.COMPARISON.value: (TeamRole.SOCIAL_WORKER, TeamRole.SOCIAL_INSTRUCTOR),
    TeamKind.FAMILY_SOCIAL_WORK.value: (TeamRole.SOCIAL_WORKER,),
}


def staffing(teams: list[Team], start: datetime.date, today: datetime.date) -> dict[int, Staffing]:
    """Staffing of each team (one query): distinct people, not memberships (one person in two roles
    counts once)."""
    team_ids = [t.pk for t in teams]
    result = {t.pk: Staffing() for t in teams}
    people: dict[int, dict[str, set]] = {t.pk: {"now": set(), "start": set(), "joined": set(), "left": set()} for t in teams}
    roles_now: dict[int, set] = {t.pk: set() for t in teams}
    for team_id, user_id, role, started, ended in Membership.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "user_id", "role", "started_on", "ended_on"
    ):
        p = people[team_id]
        if started <= today and (ended is None or ended >= today):
            p["now"].add(user_id)
            roles_now[team_id].add(role)
        if started <= start and (ended is None or ended >= start):
            p["start"].add(user_id)
        if start < started <= today:
            p["joined"].add(user_id)
        if ended is not None and start <= ended < today:
            p["left"].add(user_id)
    for team in teams:
        s, p = result[team.pk], people[team.pk]
        s.headcount, s.headcount_at_start = len(p["now"]), len(p["start"])
        s.joined = len(p["joined"] - p["start"])
        s.left = len(p["left"] - p["now"])  # a role changed within the team is not a leaver
        s.missing_roles = [r.value for r in STRUCTURE.get(team.kind, ()) if r.value not in roles_now[team.pk]]
    return result


def suppress_pulse(rows: list[tuple[object, PulseFigure]], totals: list[tuple[object, PulseFigure, list]]) -> None:
    """Hide groups under five, and a second group wherever a total would give a hidden one back.

    `rows`: (key, figure) of the teams; `totals`: (key, figure, the keys of the rows it adds up)."""
    table = disclosure.Table()
    for key, fig in rows:
        table.cell(key, fig.respondents)
    for key, fig, parts in totals:
        table.cell(key, fig.respondents)
        table.parts(key, parts)
    hidden = table.suppress()
    for key, fig in rows:
        fig.hidden = key in hidden
    for key, fig, _parts in totals:
        fig.hidden = key in hidden
