"""The county, unit and team reports hide the same cells: a figure hidden in one is hidden in all.

A county manager opens every one of them. Were each report suppressed on its own, a cell hidden in
the county report to protect a small one (a complementary cell) could be shown in the unit's
report, and the county's total minus the figures shown there would give the small one back.
"""

import datetime

import pytest
from django.utils import timezone

from apps.clients.models import Person
from apps.evaluation import pulse
from apps.evaluation.selectors import county_report
from apps.organisations.models import Membership, Team, TeamRole
from apps.ratings.selectors import OUTCOME_COUNTS
from tests import factories as f

from .test_pulse import ANSWERS


def _raters(team, worker, changes: list[tuple[int, int]], name: str) -> None:
    """One family per (first, latest) ORS pair, its parent rating twice in the last months."""
    start = timezone.localdate() - datetime.timedelta(days=60)
    for i, (first, latest) in enumerate(changes):
        family = f.family(team, f"{name}{i}", children=1, parents=1, worker=worker)
        Person.objects.filter(county=team.county).update(personal_identity_code="")  # the factory's codes run out
        parent = family.members.get(relation="parent").person
        f.rating(family, parent, first, rated_on=start)
        f.rating(family, parent, latest, rated_on=start + datetime.timedelta(days=30))


SIGNIFICANT = (15, 27)  # reliably better and across the adult cut-off (25)
BETTER_ONLY = (26, 38)  # reliably better, above the cut-off from the start
SAME = (20, 21)


@pytest.fixture
def units(world):
    """Unit 1: teams A and B; unit 2: team C. A's raters reliably better but not significantly are 2:
    the county report hides A's significant change and, beside it, the smallest other team's (C's);
    the unit's report hides A's and B's, the only other team there."""
    c = f.team(world.county, f.unit(world.county, "Toinen yksikkö"), "Systeemitiimi C")
    c_worker = f.member(c, TeamRole.SOCIAL_WORKER, "c_tyontekija")
    _raters(world.team, world.worker, [SIGNIFICANT] * 8 + [BETTER_ONLY] * 2 + [SAME] * 6, "Aalto")
    _raters(world.other_team, world.stranger, [SIGNIFICANT] * 12 + [BETTER_ONLY] * 5 + [SAME] * 3, "Beeta")
    _raters(c, c_worker, [SIGNIFICANT] * 6 + [BETTER_ONLY] * 5 + [SAME] * 5, "Ceeta")
    world.team_c = c
    return world


def _hidden(report) -> dict:
    found = {}
    for row in report.teams:
        for column, figure in row.outcomes.figures.items():
            found[(row.team.pk, column)] = figure.hidden
            found[(row.team.pk, column, "share")] = figure.hidden or figure.share_hidden
    return found


def test_a_cell_hidden_in_the_county_report_is_hidden_in_the_unit_and_team_reports(units):
    county = _hidden(county_report(units.county.pk, teams=Team.objects.filter(county=units.county)))
    assert county[(units.team.pk, "significant")] or county[(units.team.pk, "improved")]  # 2 better, not significant
    reports = [Team.objects.filter(unit=unit) for unit in {units.team.unit, units.team_c.unit}]
    reports += [Team.objects.filter(pk=t.pk) for t in (units.team, units.other_team, units.team_c)]
    for teams in reports:
        for key, hidden in _hidden(county_report(units.county.pk, teams=teams)).items():
            assert hidden == county[key], f"{[t.name for t in teams]}: {key} hidden={hidden}, in the county report {county[key]}"


def test_no_total_of_one_report_less_the_figures_of_another_gives_a_hidden_cell_back(units):
    """The attack itself: take the county's kind total and subtract every team figure that any
    report shows; what is left must not be one team's hidden count."""
    reports = [county_report(units.county.pk, teams=Team.objects.filter(county=units.county))]
    reports += [county_report(units.county.pk, teams=Team.objects.filter(unit=u)) for u in {units.team.unit, units.team_c.unit}]
    reports += [county_report(units.county.pk, teams=Team.objects.filter(pk=t.pk)) for t in (units.team, units.other_team, units.team_c)]
    for column in OUTCOME_COUNTS:
        shown = {}
        for report in reports:
            for row in report.teams:
                if not row.outcomes.figures[column].hidden:
                    shown[row.team.pk] = row.outcomes.figures[column].value
        for report in reports:
            for kind in report.kinds:
                total = kind.outcomes.figures[column]
                members = [row.team.pk for row in report.teams if row.team.kind == kind.kind]
                unknown = [t for t in members if t not in shown]
                assert total.hidden or len(unknown) != 1, f"{column}: {kind.kind} total less the shown teams gives {unknown[0]}"


def test_the_pulse_is_hidden_alike_in_the_county_and_unit_reports(units):
    """A team under five answers in unit 1 beside one of six; team C of unit 2 has six answers.
    The county's total less the two shown alone in their units' reports would give it back."""
    for user in (units.worker, units.consultant, units.second_worker, units.instructor, units.coordinator, units.therapist):
        pulse.pulse_answer(user=user, team=units.team, answers=ANSWERS)
    pulse.pulse_answer(user=units.stranger, team=units.other_team, answers=ANSWERS)
    c_members = [f.member(units.team_c, TeamRole.SOCIAL_WORKER) for _ in range(5)]
    for user in [*c_members, Membership.objects.get(team=units.team_c, user__username="c_tyontekija").user]:
        pulse.pulse_answer(user=user, team=units.team_c, answers=ANSWERS)
    first_of_next = (pulse.month_of(timezone.localdate()) + datetime.timedelta(days=32)).replace(day=1)

    def hidden(teams):
        report = county_report(units.county.pk, teams=teams, today=first_of_next)
        rows = {row.team.pk: row.staffing.pulse.hidden for row in report.teams}
        return rows, {k.kind: k.staffing.pulse.hidden for k in report.kinds}

    county_rows, county_kinds = hidden(Team.objects.filter(county=units.county))
    assert county_rows[units.other_team.pk]
    for teams in (Team.objects.filter(unit=units.team.unit), Team.objects.filter(unit=units.team_c.unit)):
        rows, _kinds = hidden(teams)
        assert all(rows[t] == county_rows[t] for t in rows), rows
    shown_anywhere = {t for t, h in county_rows.items() if not h}
    assert county_kinds["systemic"] or len(set(county_rows) - shown_anywhere) != 1
