"""Caseload operations of the JSON API: counts per worker, team and unit, never a family.

The same rules and selectors as the caseload pages: a team's months to its members and to the
managers whose scope covers it (`Perm.TEAM_AGGREGATE`), today's units and teams to a manager
(`Perm.CASELOAD_AGGREGATE`, their county or their unit). Nothing here is logged: no client is
named, and caseloads are the workers' figures, shown whole as on the pages.
"""

from django.utils import timezone
from ninja import Query, Schema
from pydantic import Field

from apps.access import gate
from apps.access.permissions import Perm
from apps.caseload.selectors import Overview, TeamLoad, caseload_overview, manager_overview
from apps.organisations.models import Team

from .api import api
from .schemas import Error, IsoDate

# Counts only: the access walk lets the managers whose scope covers the team read these.
AGGREGATE = {"x-personal-data": False, "x-aggregate": True}
ERRORS = {401: Error, 403: Error, 404: Error}


class MonthOut(Schema):
    end: IsoDate = Field(description="The figure is the situation at the end of this day (today for the current month)")
    cap: int | None = Field(description="The statutory limit of children per responsible social worker that day (LsL 13 b §)")
    cap_source: str


class CaseloadCellOut(Schema):
    children: int
    over_target: bool
    over_cap: bool


class WorkerMonthsOut(Schema):
    name: str
    role: str
    months: list[CaseloadCellOut]


class TeamFiguresOut(Schema):
    team_id: int
    name: str
    kind: str
    unit_id: int | None
    unit: str
    families: int
    children: int
    target_min: int
    target_max: int
    median: int | float | None
    maximum: int | None
    over_target: int = Field(description="Workers over the team's target")
    over_cap: int = Field(description="Workers over the statutory limit")


class TeamHistoryOut(TeamFiguresOut):
    months: list[MonthOut]
    workers: list[WorkerMonthsOut]


class WorkerTodayOut(Schema):
    name: str
    role: str
    children: int
    over_target: bool
    over_cap: bool


class TeamTodayOut(TeamFiguresOut):
    workers: list[WorkerTodayOut]


class UnitOut(Schema):
    unit_id: int | None
    name: str
    workers: int
    median: int | float | None
    maximum: int | None
    over_target: int
    over_cap: int


class OverviewOut(Schema):
    as_of: IsoDate
    cap: int | None
    cap_source: str
    units: list[UnitOut]
    teams: list[TeamTodayOut]


def _month(month) -> dict:
    cap = month.cap
    return {"end": month.end, "cap": cap.max_children if cap else None, "cap_source": str(cap.source) if cap else ""}


def _team(load: TeamLoad) -> dict:
    team = load.team
    return {
        "team_id": team.pk,
        "name": team.name,
        "kind": team.kind,
        "unit_id": team.unit_id,
        "unit": team.unit.name if team.unit_id else "",
        "families": load.families,
        "children": load.children,
        "target_min": team.caseload_target_min,
        "target_max": team.caseload_target_max,
        "median": load.median,
        "maximum": load.maximum,
        "over_target": load.over_target_count,
        "over_cap": load.over_cap_count,
    }


@api.get("/teams/{team_id}/caseload", response={200: TeamHistoryOut, **ERRORS}, openapi_extra=AGGREGATE, tags=["caseloads"])
def team_caseload(request, team_id: int):
    """The team's twelve months, worker by worker: children each was responsible for at each month's end."""
    team = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE).team
    overview: Overview = caseload_overview(team.county_id, Team.objects.filter(pk=team.pk))
    [load] = overview.teams
    workers = [
        {"name": w.name, "role": w.role, "months": [vars(cell) for cell in w.months]}  # Cell: children, over_target, over_cap
        for w in load.workers
    ]
    return {**_team(load), "months": [_month(m) for m in overview.months], "workers": workers}


@api.get("/caseloads", response={200: OverviewOut, **ERRORS}, openapi_extra=AGGREGATE, tags=["caseloads"])
def caseloads(request, unit_id: int | None = Query(None, ge=1, le=2**63 - 1, description="Only this unit's teams")):
    """Today's figures for every unit and team the manager oversees (their county, or their unit)."""
    gate.open_organisation(request.user, Perm.CASELOAD_AGGREGATE)
    data = manager_overview(request.user)
    teams = [load for load in data.teams if unit_id is None or load.team.unit_id == unit_id]
    cap = data.cap
    return {
        "as_of": timezone.localdate(),
        "cap": cap.max_children if cap else None,
        "cap_source": str(cap.source) if cap else "",
        "units": [
            {"unit_id": u["unit"].pk if u["unit"] else None, "name": u["unit"].name if u["unit"] else "", **_unit_figures(u)}
            for u in data.units()
        ],
        "teams": [
            {
                **_team(load),
                "workers": [
                    {"name": w.name, "role": w.role, "children": w.children, "over_target": w.over_target, "over_cap": w.over_cap}
                    for w in load.workers
                ],
            }
            for load in teams
        ],
    }


def _unit_figures(unit: dict) -> dict:
    return {name: unit[name] for name in ("workers", "median", "maximum", "over_target", "over_cap")}
