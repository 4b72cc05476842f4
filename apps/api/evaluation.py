"""Evaluation figures in the JSON API: a team's fidelity, the effectiveness comparison and the
county report — aggregates only, after the small-cell rule, by the same access rules as the pages
(a team's members and the managers whose scope covers it; the county figures for managers)."""

from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Schema

from apps.access import gate
from apps.access.permissions import Perm
from apps.evaluation import selectors
from apps.evaluation.effectiveness import cached_effectiveness
from apps.organisations.models import Team

from .api import api
from .caseload import AGGREGATE
from .schemas import Error, IsoDate


def _months(months: int, allowed: tuple[int, ...]) -> None:
    if months not in allowed:
        raise DjangoValidationError({"months": [_("Jakso on %(allowed)s kuukautta.") % {"allowed": ", ".join(map(str, allowed))}]})


ERRORS = {401: Error, 403: Error, 404: Error}


class IndicatorOut(Schema):
    key: str
    label: str
    target: str
    status: str
    hidden: bool
    percent: int | None
    numerator: int | None
    denominator: int | None


class FidelityOut(Schema):
    team_id: int
    period_start: IsoDate
    period_end: IsoDate
    held_meetings: int
    discussions: int
    indicators: list[IndicatorOut]


@api.get("/teams/{team_id}/fidelity", response={200: FidelityOut, **ERRORS}, openapi_extra=AGGREGATE, tags=["evaluation"])
def team_fidelity(request, team_id: int, months: int = 12):
    """The team's fidelity: its members and the managers whose scope covers the team. `months`: 3, 6 or 12."""
    _months(months, (3, 6, 12))
    access = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE)
    fid = selectors.team_fidelity(access.team, months=months)
    return {
        "team_id": access.team.pk,
        "period_start": fid.period.start,
        "period_end": fid.period.end,
        "held_meetings": fid.held_meetings,
        "discussions": fid.discussions,
        "indicators": [
            {
                "key": i.key,
                "label": str(i.target.label),
                "target": str(i.target.target),
                "status": str(i.status),
                "hidden": i.hidden,
                "percent": i.percent,
                # a hidden count leaves as nothing, with the share computed from it
                "numerator": None if i.hidden else i.numerator,
                "denominator": None if i.hidden else i.denominator,
            }
            for i in fid.indicators
        ],
    }


class CellOut(Schema):
    value: float | None
    hidden: bool


class KindOut(Schema):
    kind: str
    cells: dict[str, CellOut]


class ModelOut(Schema):
    verdict: str
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    families: list[int]
    teams: list[int]
    reason: str


class EffectivenessOut(Schema):
    scope: str
    period_start: IsoDate
    period_end: IsoDate
    kinds: list[KindOut]
    model: ModelOut


@api.get("/evaluation/effectiveness", response={200: EffectivenessOut, **ERRORS}, openapi_extra=AGGREGATE, tags=["evaluation"])
def effectiveness(request, months: int = 24, scope: Literal["own", "national"] = "own"):
    """Systemic against comparison teams (the page's figures): managers, in their scope or nationally.
    `months`: 6, 12 or 24."""
    _months(months, (6, 12, 24))
    gate.open_organisation(request.user, Perm.EVALUATION_VIEW)
    teams = gate.managed_teams(request.user) if scope == "own" else Team.objects.all()
    result = cached_effectiveness(teams, scope=scope, months=months)
    m = result.model
    return {
        "scope": scope,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "kinds": [
            {
                "kind": kind,
                "cells": {
                    name: {"value": None if c.hidden or c.value is None else float(c.value), "hidden": c.hidden}
                    for name, c in cells.items()
                },
            }
            for kind, cells in result.cells.items()
        ],
        "model": {
            "verdict": str(m.verdict),
            "effect": m.effect,
            "ci_low": m.low,
            "ci_high": m.high,
            "p_value": m.p_value,
            "families": list(m.families),
            "teams": list(m.teams),
            "reason": m.reason,
        },
    }


class FigureOut(Schema):
    value: int | None
    percent: int | None
    hidden: bool


class PulseOut(Schema):
    """The last full month's wellbeing pulse: hidden (no figures) under five respondents, or where
    a total would give a hidden team back."""

    hidden: bool
    respondents: int | None
    means: dict[str, float | None]


class StaffingOut(Schema):
    headcount: int
    joined: int
    left: int
    turnover_percent: int | None
    vacancies: int
    pulse: PulseOut


class CountyRowOut(Schema):
    team_id: int | None
    team: str | None
    kind: str
    families: int
    children: int
    overdue_deadlines: int
    outcomes: dict[str, FigureOut]
    staffing: StaffingOut | None


class CountyOut(Schema):
    period_start: IsoDate
    period_end: IsoDate
    pulse_month: IsoDate | None
    kinds: list[CountyRowOut]
    teams: list[CountyRowOut]


def _figures(figures) -> dict:
    return {name: {"value": f.value, "percent": f.percent, "hidden": f.hidden} for name, f in figures.items()}


def _staffing(s) -> dict | None:
    if s is None:
        return None
    p = s.pulse
    return {
        "headcount": s.headcount,
        "joined": s.joined,
        "left": s.left,
        "turnover_percent": s.turnover_percent,
        "vacancies": s.vacancies,
        "pulse": {
            "hidden": p.hidden,
            "respondents": None if p.hidden else p.respondents,
            "means": {q: None if m is None else round(m, 1) for q, m in p.means.items()},
        },
    }


@api.get("/evaluation/county", response={200: CountyOut, **ERRORS}, openapi_extra=AGGREGATE, tags=["evaluation"])
def county_figures(request, months: int = 12):
    """The county report's figures (the manager's scope: the county, or their unit), with each
    team's and kind's staffing and last full month's wellbeing pulse. `months`: 3, 6 or 12."""
    _months(months, (3, 6, 12))
    gate.open_organisation(request.user, Perm.EVALUATION_VIEW)
    teams = gate.managed_teams(request.user)
    report = selectors.cached_county_report(request.user.county_id, teams=teams, months=months).report
    return {
        "period_start": report.period.start,
        "period_end": report.period.end,
        "pulse_month": report.pulse_month,
        "kinds": [
            {
                "team_id": None,
                "team": None,
                "kind": k.kind,
                "families": k.families,
                "children": k.children,
                "overdue_deadlines": k.overdue,
                "outcomes": _figures(k.outcomes.figures),
                "staffing": _staffing(k.staffing),
            }
            for k in report.kinds
        ],
        "teams": [
            {
                "team_id": row.team.pk,
                "team": row.team.name,
                "kind": row.team.kind,
                "families": row.families,
                "children": row.children,
                "overdue_deadlines": row.overdue,
                "outcomes": _figures(row.outcomes.figures),
                "staffing": _staffing(row.staffing),
            }
            for row in report.teams
        ],
    }
