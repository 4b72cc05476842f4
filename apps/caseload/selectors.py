"""Caseload aggregates: counts per worker, team and unit, never a family.

Six queries for any number of teams: teams, memberships, family/child counts per team,
snapshots, and one conditional-count query over responsibility periods for all months.

A county manager's overview reads only the current month for the whole county (units and one
row per team, a page of teams at a time) and each team's twelve months on its own page: the
twelve-month tables of every worker of an 84-team county were 250 ms of rendering (issue 8).
"""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone

from apps.access.gate import managed_teams
from apps.accounts.models import display_name
from apps.clients.selectors import CASEWORKER_ROLES, open_cases_per_team
from apps.organisations.models import Membership, Team, TeamRole

from .history import history, month_ends
from .rules import CaseloadCap, statutory_cap


def median_children(values) -> int | float | None:
    """The median of whole children: 13 or 13.5, never 11.0 beside them on the same page."""
    if not values:
        return None
    m = statistics.median(values)
    return int(m) if m == int(m) else m


@dataclass
class Month:
    end: datetime.date
    cap: CaseloadCap | None


@dataclass
class Cell:
    children: int
    over_target: bool
    over_cap: bool


@dataclass
class WorkerLoad:
    name: str
    role: str
    months: list[Cell]

    @property
    def now(self) -> Cell:
        return self.months[-1]

    @property
    def children(self) -> int:
        return self.now.children

    @property
    def over_target(self) -> bool:
        return self.now.over_target

    @property
    def over_cap(self) -> bool:
        return self.now.over_cap


@dataclass
class TeamLoad:
    team: Team
    families: int
    children: int
    workers: list[WorkerLoad]

    @property
    def over_cap_count(self) -> int:
        return sum(w.over_cap for w in self.workers)

    @property
    def over_target_count(self) -> int:
        return sum(w.over_target for w in self.workers)

    @property
    def median(self) -> float | None:
        return median_children([w.children for w in self.workers])

    @property
    def maximum(self) -> int | None:
        return max((w.children for w in self.workers), default=None)


@dataclass
class Overview:
    months: list[Month]
    teams: list[TeamLoad]

    @property
    def cap(self) -> CaseloadCap | None:
        return self.months[-1].cap

    def units(self) -> list[dict]:
        """The unit view: the distribution over all of a unit's caseworkers."""
        by_unit: dict[int, dict] = {}
        for load in self.teams:
            unit = by_unit.setdefault(load.team.unit_id, {"unit": load.team.unit, "children": [], "over_target": 0, "over_cap": 0})
            unit["children"] += [w.children for w in load.workers]
            unit["over_target"] += load.over_target_count
            unit["over_cap"] += load.over_cap_count
        for unit in by_unit.values():
            values = unit.pop("children")
            unit.update(workers=len(values), median=median_children(values), maximum=max(values, default=None))
        return list(by_unit.values())


def caseload_overview(county_id: int, teams, *, today=None, months: int = 12, whole_county: bool = False) -> Overview:
    """Units, teams and workers with their figures; `whole_county` when `teams` are most of a county."""
    today = today or timezone.localdate()
    ends = month_ends(today, months)
    month_list = [Month(e, statutory_cap(e)) for e in ends]
    teams = list(teams.select_related("unit").order_by("unit__name", "name"))
    team_ids = [t.pk for t in teams]
    # Bare columns, not objects: a county's overview has some 400 caseworkers (issue 8).
    members = list(
        Membership.objects.active(today)
        .filter(team_id__in=team_ids, role__in=CASEWORKER_ROLES)
        .order_by("user__last_name", "user__first_name")
        .values_list("team_id", "user_id", "role", "user__first_name", "user__last_name", "user__username", named=True)
    )
    roles = {value: str(label) for value, label in TeamRole.choices}  # translated once, not per worker
    figures = history(county_id, {m.user_id for m in members}, ends, today, whole_county=whole_county)
    per_team = open_cases_per_team(county_id, team_ids)
    team_by_id = {t.pk: t for t in teams}
    by_team: dict[int, list[WorkerLoad]] = {t.pk: [] for t in teams}
    for m in members:
        team = team_by_id[m.team_id]
        cells = [
            Cell(n, n > team.caseload_target_max, bool(month.cap and n > month.cap.max_children))
            for n, month in zip(figures[m.user_id], month_list, strict=True)
        ]
        name = display_name(m.user__first_name, m.user__last_name, m.user__username)
        by_team[m.team_id].append(WorkerLoad(name, roles[m.role], cells))
    loads = [TeamLoad(t, *per_team.get(t.pk, (0, 0)), by_team[t.pk]) for t in teams]
    return Overview(month_list, loads)


def manager_overview(manager, **kwargs) -> Overview:
    """The units and teams a manager oversees, as they stand today (months=1) unless asked."""
    kwargs.setdefault("months", 1)
    return caseload_overview(manager.county_id, managed_teams(manager), whole_county=True, **kwargs)


def over_cap_workers(overview: Overview) -> list[tuple[TeamLoad, WorkerLoad]]:
    """Workers over the statutory cap today, most children first: the manager's first concern."""
    rows = [(load, w) for load in overview.teams for w in load.workers if w.over_cap]
    return sorted(rows, key=lambda row: (-row[1].children, row[1].name))
